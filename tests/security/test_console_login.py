"""Issue #14, hole 4: the console log-in. Concurrent guesses cannot outrun the account lock,
one address cannot guess across many accounts, an unknown e-mail costs and reads like a
known one, a cookie is worth nothing after log-out or a password change, an admin's reset
forces a new password, and each of these is in the audit log (never a password)."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.db import session_scope, stored_utc
from app.models import AuditEntry, ConsoleUser, utcnow
from console import accounts
from tests.console import conftest as console
from tests.console.conftest import ADMIN, csrf, log_in

console_app = console.console_app

PASSWORD = "la bonne phrase de passe"
WRONG = "pas la bonne phrase"
TOO_MANY = "Trop d&#39;essais"
WRONG_WORDS = "Courriel ou mot de passe incorrect."


class VerifyCounter:
    """Counts argon2 verifications (all threads), slowed a little so that concurrent guesses
    overlap as they would against a real server."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.pause = 0.0  # seconds in each verification
        self.lock = threading.Lock()

    def for_hash(self, hashed: str) -> int:
        return sum(1 for call in self.calls if call == hashed)


@pytest.fixture()
def verify_counter(monkeypatch) -> Iterator[VerifyCounter]:
    counter = VerifyCounter()
    real_verify = PasswordHasher.verify

    def counting_verify(self, hashed, password):
        with counter.lock:
            counter.calls.append(hashed if isinstance(hashed, str) else hashed.decode())
        time.sleep(counter.pause)
        return real_verify(self, hashed, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    yield counter


def new_account(role: str = "counsellor") -> tuple[str, str]:
    email = f"compte-{uuid.uuid4().hex[:10]}@example.org"
    with session_scope() as s:
        accounts.create_user(s, email, "Compte", PASSWORD, role)
    return email, PASSWORD


def account(email: str) -> ConsoleUser:
    with session_scope() as s:
        user = s.scalar(select(ConsoleUser).where(ConsoleUser.email == email))
        s.expunge(user)
        return user


def client_at(console_app, address: str):
    """A browser of its own, from its own client address (never contacted: it is only the
    address the console sees)."""
    client = console_app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def post_login(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf(client, "/login")})


def audit_entries(action: str, subject_id: str) -> list[AuditEntry]:
    with session_scope() as s:
        found = list(
            s.scalars(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.subject_id == subject_id))
        )
        s.expunge_all()
        return found


def no_password_in_audit(*passwords: str) -> bool:
    with session_scope() as s:
        entries = list(s.scalars(select(AuditEntry)))
    stored = " ".join(f"{e.user_email} {e.subject_id} {e.detail}" for e in entries)
    return not any(password in stored for password in passwords)


def test_concurrent_wrong_guesses_cannot_outrun_the_lock(console_app, verify_counter):
    email, password = new_account()
    verify_counter.pause = 0.05
    hashed = account(email).password_hash
    threads_count, guesses = 8, 4
    start = threading.Barrier(threads_count)
    statuses: list[int] = []

    def guesser(n: int) -> None:
        client = client_at(console_app, f"192.0.2.{n + 1}")  # many addresses: the throttle is not what stops them
        token = csrf(client, "/login")
        start.wait()
        for _ in range(guesses):
            response = client.post("/login", data={"email": email, "password": WRONG, "csrf_token": token})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=guesser, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [401] * threads_count * guesses
    assert verify_counter.for_hash(hashed) <= accounts.MAX_FAILED_LOGINS
    user = account(email)
    assert user.locked_until is not None and stored_utc(user.locked_until) > utcnow()
    # Locked: even the right password is refused, unchecked.
    verified = verify_counter.for_hash(hashed)
    refused = post_login(client_at(console_app, "192.0.2.100"), email, password)
    assert refused.status_code == 401 and TOO_MANY in refused.get_data(as_text=True)
    assert verify_counter.for_hash(hashed) == verified
    assert audit_entries("login_failed", email) and audit_entries("login_refused", email)
    assert no_password_in_audit(WRONG, password)


def without_csrf_token(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', page)


def test_an_unknown_email_costs_one_verify_and_reads_like_a_wrong_password(console_app, verify_counter):
    email, _ = new_account()
    client = client_at(console_app, "192.0.2.120")
    csrf(client, "/login")
    unknown_email = f"personne-{uuid.uuid4().hex[:8]}@example.org"

    unknown = post_login(client, unknown_email, WRONG)
    assert len(verify_counter.calls) == 1
    known = post_login(client, email, WRONG)
    assert len(verify_counter.calls) == 2

    assert unknown.status_code == known.status_code == 401
    # The same page, but for the CSRF token, which is signed with the second it is made in.
    assert without_csrf_token(unknown.get_data(as_text=True)) == without_csrf_token(known.get_data(as_text=True))
    assert WRONG_WORDS in unknown.get_data(as_text=True)
    assert audit_entries("login_failed", unknown_email)[0].user_email == unknown_email


def test_a_failed_log_in_keeps_only_the_start_of_a_long_typed_email(console_app):
    typed = "x" * 500 + "@example.org"
    post_login(client_at(console_app, "192.0.2.121"), typed, WRONG)
    kept = audit_entries("login_failed", typed[:100])
    assert kept and kept[0].user_email == typed[:100]


def test_a_cookie_replayed_after_log_out_is_refused(console_app):
    email, password = new_account()
    client = client_at(console_app, "192.0.2.130")
    assert post_login(client, email, password).status_code == 302
    stolen = client.get_cookie("console_session").value
    assert client.get("/").status_code == 200

    client.post("/logout", data={"csrf_token": csrf(client, "/")})
    replay = client_at(console_app, "192.0.2.131")
    replay.set_cookie("console_session", stolen)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert audit_entries("logged_in", email) and audit_entries("logged_out", email)


def change_password(client, current: str, new: str, again: str | None = None):
    token = csrf(client, "/password")
    form = {"csrf_token": token, "current_password": current, "new_password": new, "new_password_again": again or new}
    return client.post("/password", data=form)


def test_a_password_change_ends_the_other_sessions_and_the_old_password(console_app):
    email, password = new_account()
    here, elsewhere = client_at(console_app, "192.0.2.140"), client_at(console_app, "192.0.2.141")
    assert post_login(here, email, password).status_code == 302
    assert post_login(elsewhere, email, password).status_code == 302

    assert change_password(here, WRONG, "une nouvelle phrase de passe").status_code == 400
    assert change_password(here, password, "une nouvelle phrase", "une autre phrase").status_code == 400
    assert change_password(here, password, "court").status_code == 400
    assert change_password(here, password, "une nouvelle phrase de passe").status_code == 302

    assert here.get("/").status_code == 200
    ended = elsewhere.get("/")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    assert post_login(client_at(console_app, "192.0.2.142"), email, password).status_code == 401
    assert post_login(client_at(console_app, "192.0.2.142"), email, "une nouvelle phrase de passe").status_code == 302
    assert len(audit_entries("password_changed", email)) == 1
    assert no_password_in_audit("une nouvelle phrase de passe")


def test_an_admin_reset_ends_the_sessions_and_forces_a_change(console_app):
    email, password = new_account()
    person = client_at(console_app, "192.0.2.150")
    assert post_login(person, email, password).status_code == 302
    user_id = account(email).id

    counsellor = client_at(console_app, "192.0.2.151")
    assert post_login(counsellor, *new_account()).status_code == 302
    token = csrf(counsellor, "/password")
    form = {"csrf_token": token, "password": "prise de controle!"}
    assert counsellor.post(f"/admin/users/{user_id}/password", data=form).status_code == 403

    admin = client_at(console_app, "192.0.2.152")
    assert log_in(admin, ADMIN).status_code == 302
    temporary = "un mot de passe temporaire"
    form = {"csrf_token": csrf(admin, "/admin/users"), "password": temporary}
    assert admin.post(f"/admin/users/{user_id}/password", data=form).status_code == 302

    ended = person.get("/")  # the reset ended the person's session
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    assert post_login(client_at(console_app, "192.0.2.153"), email, password).status_code == 401
    again = client_at(console_app, "192.0.2.153")
    assert post_login(again, email, temporary).status_code == 302
    forced = again.get("/")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/password")
    assert again.get("/organisations").headers["Location"].endswith("/password")
    assert change_password(again, temporary, "ma propre phrase de passe").status_code == 302
    assert again.get("/").status_code == 200

    reset = audit_entries("password_reset", email)
    assert len(reset) == 1 and reset[0].user_email == ADMIN[0]
    assert no_password_in_audit(temporary, "ma propre phrase de passe")


def test_one_address_is_throttled_across_emails_even_with_the_right_password(console_app, verify_counter):
    email, password = new_account()
    address = "192.0.2.160"
    attacker = client_at(console_app, address)
    for _ in range(accounts.MAX_FAILED_LOGINS_PER_ADDRESS):
        assert post_login(attacker, f"essai-{uuid.uuid4().hex[:8]}@example.org", WRONG).status_code == 401

    verified = len(verify_counter.calls)
    refused = post_login(client_at(console_app, address), email, password)
    assert refused.status_code == 401 and TOO_MANY in refused.get_data(as_text=True)
    assert len(verify_counter.calls) == verified  # refused without verifying
    assert post_login(client_at(console_app, "192.0.2.161"), email, password).status_code == 302
    assert any(f"from {address}" in (e.detail or "") for e in audit_entries("login_refused", email))


def test_the_address_throttle_forgets_after_its_window(console_app):
    email, password = new_account()
    address, long_ago = "192.0.2.170", utcnow() - timedelta(minutes=accounts.ADDRESS_WINDOW_MINUTES + 1)
    for _ in range(accounts.MAX_FAILED_LOGINS_PER_ADDRESS + 1):
        accounts.authenticate("quelquun@example.org", WRONG, address, now=long_ago)
    assert isinstance(accounts.authenticate(email, password, address), ConsoleUser)


def test_reactivating_an_account_does_not_bring_back_its_sessions(console_app):
    email, password = new_account()
    person = client_at(console_app, "192.0.2.180")
    assert post_login(person, email, password).status_code == 302
    admin = client_at(console_app, "192.0.2.181")
    assert log_in(admin, ADMIN).status_code == 302
    user_id = account(email).id
    for active in ("0", "1"):
        form = {"csrf_token": csrf(admin, "/admin/users"), "active": active}
        admin.post(f"/admin/users/{user_id}/active", data=form)
    assert account(email).active
    assert "/login" in person.get("/").headers["Location"]
