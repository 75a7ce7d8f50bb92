"""Console accounts: argon2 password hashes, the first admin from the environment, log-in
(a lock per account and a throttle per client address, both counted in the database so
that they hold across threads and processes), sessions kept on the server so that log-out
and password changes end them, and the decorators that guard every page."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache, wraps
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.db import session_scope, stored_utc
from app.models import ConsoleLoginAttempt, ConsoleSession, ConsoleUser, utcnow
from app.settings import Settings

ROLES = ("counsellor", "admin")
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MAX_FAILED_LOGINS_PER_ADDRESS = 20
ADDRESS_WINDOW_MINUTES = 15
MIN_PASSWORD_LENGTH = 12
SESSION_ID_KEY = "session_id"  # the server-side session's random id, in the signed cookie
LAST_SEEN_EVERY = timedelta(minutes=1)  # no write on every page view
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _unknown_user_hash() -> str:
    """A hash no typed password matches: an unknown or inactive e-mail is verified against it,
    so that it costs the same argon2 work as a known one."""
    return hash_password(secrets.token_urlsafe(32))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(session_, email: str, name: str, password: str, role: str = "counsellor") -> ConsoleUser:
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password shorter than {MIN_PASSWORD_LENGTH} characters")
    user = ConsoleUser(
        email=normalise_email(email), name=name.strip(), password_hash=hash_password(password), role=role
    )
    session_.add(user)
    return user


def ensure_first_admin(settings: Settings) -> None:
    """The first admin comes from CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD, once."""
    if not (settings.console_admin_email and settings.console_admin_password):
        return
    with session_scope() as s:
        email = normalise_email(settings.console_admin_email)
        if s.scalar(select(ConsoleUser).where(ConsoleUser.email == email)) is None:
            create_user(s, email, email.split("@")[0], settings.console_admin_password, "admin")


# --- the per-address throttle ---


def _start_address_attempt(address: str, now: datetime) -> int | None:
    """Counts this attempt against the address first and reads the count back after: the n-th
    attempt sees at least n, so no more than the limit get through however many come at once.
    The attempt's id, or None when the address has failed too often in the window."""
    address, since = address[:64], now - timedelta(minutes=ADDRESS_WINDOW_MINUTES)
    with session_scope() as s:
        s.execute(delete(ConsoleLoginAttempt).where(ConsoleLoginAttempt.at < since))
        attempt = ConsoleLoginAttempt(address=address, at=now)
        s.add(attempt)
        s.flush()
        attempt_id = attempt.id
    with session_scope() as s:
        failures = s.scalar(
            select(func.count())
            .select_from(ConsoleLoginAttempt)
            .where(ConsoleLoginAttempt.address == address, ConsoleLoginAttempt.at >= since)
        )
        if failures <= MAX_FAILED_LOGINS_PER_ADDRESS:
            return attempt_id
    _forget_address_attempt(attempt_id)  # refused unchecked: not a failure, and the table stays small
    return None


def _forget_address_attempt(attempt_id: int) -> None:
    with session_scope() as s:
        s.execute(delete(ConsoleLoginAttempt).where(ConsoleLoginAttempt.id == attempt_id))


# --- the per-account lock ---


def _claim_try(user_id: int, now: datetime) -> bool:
    """Takes one of the account's MAX_FAILED_LOGINS tries before the password is verified, in a
    single UPDATE: concurrent guesses cannot all read the same count, and a locked account
    gives none."""
    with session_scope() as s:
        claimed = s.execute(
            update(ConsoleUser)
            .where(
                ConsoleUser.id == user_id,
                ConsoleUser.failed_logins < MAX_FAILED_LOGINS,
                or_(ConsoleUser.locked_until.is_(None), ConsoleUser.locked_until <= now),
            )
            .values(failed_logins=ConsoleUser.failed_logins + 1)
            .execution_options(synchronize_session=False)
        )
        return claimed.rowcount == 1


def _lock_when_out_of_tries(user_id: int, now: datetime) -> None:
    """The try stays counted; once all are used the account locks for LOCK_MINUTES."""
    with session_scope() as s:
        s.execute(
            update(ConsoleUser)
            .where(ConsoleUser.id == user_id, ConsoleUser.failed_logins >= MAX_FAILED_LOGINS)
            .values(failed_logins=0, locked_until=now + timedelta(minutes=LOCK_MINUTES))
            .execution_options(synchronize_session=False)
        )


def _clear_tries(user_id: int) -> None:
    with session_scope() as s:
        s.execute(
            update(ConsoleUser)
            .where(ConsoleUser.id == user_id)
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )


def _check_password(user: ConsoleUser, password: str, now: datetime) -> str:
    """The outcome: right, wrong, or locked (then the password is not verified at all)."""
    if not _claim_try(user.id, now):
        _lock_when_out_of_tries(user.id, now)  # also ends a count left at the limit by a crash
        return "locked"
    if not password_matches(user.password_hash, password):
        _lock_when_out_of_tries(user.id, now)
        return "wrong"
    _clear_tries(user.id)
    return "right"


def _active_user(email: str) -> ConsoleUser | None:
    with session_scope() as s:
        user = s.scalar(select(ConsoleUser).where(func.lower(ConsoleUser.email) == normalise_email(email)))
        if user is None or not user.active:
            return None
        s.expunge(user)
        return user


def authenticate(email: str, password: str, address: str, now: datetime | None = None) -> ConsoleUser | str:
    """The user, or why not: "wrong" (unknown e-mail, inactive account or wrong password: the
    same argon2 work and the same words), "locked" (MAX_FAILED_LOGINS wrong passwords in a row,
    for LOCK_MINUTES) or "throttled" (too many failures from this address, whatever the e-mail)."""
    now = now or utcnow()
    attempt_id = _start_address_attempt(address, now)
    if attempt_id is None:
        return "throttled"
    user = _active_user(email)
    if user is None:
        password_matches(_unknown_user_hash(), password)
        return "wrong"
    outcome = _check_password(user, password, now)
    if outcome != "right":
        return outcome
    _forget_address_attempt(attempt_id)
    return user


# --- passwords ---


def new_password_problem(current: str, new: str, again: str) -> str | None:
    """Why a new password is refused (a key of console/texts.py), or None."""
    if new != again:
        return "password_mismatch"
    if len(new) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if new == current:
        return "password_same"
    return None


def change_password(user: ConsoleUser, current: str, new: str, again: str, now: datetime | None = None) -> str:
    """A key of console/texts.py: password_changed, or why not. The current password is
    checked under the log-in's lock (a borrowed session cannot guess it); the person's other
    sessions end."""
    now = now or utcnow()
    if problem := new_password_problem(current, new, again):
        return problem
    outcome = _check_password(user, current, now)
    if outcome != "right":
        return "login_locked" if outcome == "locked" else "password_wrong_current"
    with session_scope() as s:
        s.execute(
            update(ConsoleUser)
            .where(ConsoleUser.id == user.id)
            .values(password_hash=hash_password(new), must_change_password=False)
            .execution_options(synchronize_session=False)
        )
        _revoke_sessions(s, user.id, now, keep=session.get(SESSION_ID_KEY))
    return "password_changed"


def reset_password(user_id: int, temporary: str, now: datetime | None = None) -> ConsoleUser | None:
    """An admin's reset: a temporary password to change at the next log-in; the account is
    unlocked and all its sessions end. The user, or None when there is none."""
    if len(temporary) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password shorter than {MIN_PASSWORD_LENGTH} characters")
    with session_scope() as s:
        user = s.get(ConsoleUser, user_id)
        if user is None:
            return None
        user.password_hash = hash_password(temporary)
        user.must_change_password, user.failed_logins, user.locked_until = True, 0, None
        _revoke_sessions(s, user_id, now or utcnow())
        s.flush()
        s.expunge(user)
        return user


# --- sessions kept on the server ---


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _revoke_sessions(s: Session, user_id: int, now: datetime, keep: str | None = None) -> None:
    """Ends every live session of the user, except `keep` (the one in use)."""
    query = update(ConsoleSession).where(ConsoleSession.user_id == user_id, ConsoleSession.revoked_at.is_(None))
    if keep:
        query = query.where(ConsoleSession.token_hash != _session_hash(keep))
    s.execute(query.values(revoked_at=now).execution_options(synchronize_session=False))


def end_all_sessions(user_id: int) -> None:
    """A deactivated account's sessions end: reactivating it does not bring them back."""
    with session_scope() as s:
        _revoke_sessions(s, user_id, utcnow())


def start_session(user: ConsoleUser, now: datetime | None = None) -> None:
    """Log-in: a new server-side session, named in a new cookie (no fixation)."""
    now = now or utcnow()
    session_id = secrets.token_urlsafe(32)
    with session_scope() as s:
        s.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
        s.add(
            ConsoleSession(
                token_hash=_session_hash(session_id),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + current_app.permanent_session_lifetime,
            )
        )
        s.execute(
            update(ConsoleUser)
            .where(ConsoleUser.id == user.id)
            .values(last_login_at=now)
            .execution_options(synchronize_session=False)
        )
    lang = session.get("lang", "fr")
    session.clear()
    session.permanent = True
    session.update({"user_id": user.id, SESSION_ID_KEY: session_id, "lang": lang})
    g.pop("user", None)


def end_session(now: datetime | None = None) -> None:
    """Log-out: the server-side session is revoked, so a copy of the cookie is worth nothing."""
    if session_id := session.get(SESSION_ID_KEY):
        with session_scope() as s:
            s.execute(
                update(ConsoleSession)
                .where(ConsoleSession.token_hash == _session_hash(session_id))
                .values(revoked_at=now or utcnow())
                .execution_options(synchronize_session=False)
            )
    lang = session.get("lang", "fr")
    session.clear()
    session["lang"] = lang
    g.pop("user", None)


def _session_user(user_id: int | None, session_id: str | None, now: datetime) -> ConsoleUser | None:
    """The cookie's user, when its server-side session is live: not revoked, not expired."""
    if user_id is None or not session_id:
        return None
    with session_scope() as s:
        live = s.scalar(
            select(ConsoleSession).where(
                ConsoleSession.token_hash == _session_hash(session_id),
                ConsoleSession.user_id == user_id,
                ConsoleSession.revoked_at.is_(None),
                ConsoleSession.expires_at > now,
            )
        )
        user = s.get(ConsoleUser, user_id) if live else None
        if user is None or not user.active:
            return None
        if stored_utc(live.last_seen_at) + LAST_SEEN_EVERY < now:
            live.last_seen_at = now
        s.expunge(user)
        return user


def current_user() -> ConsoleUser | None:
    if "user" not in g:
        g.user = _session_user(session.get("user_id"), session.get(SESSION_ID_KEY), utcnow())
    return g.user


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A live session; after an admin's reset, the password change comes first."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        if user.must_change_password and request.endpoint != "auth.password":
            return redirect(url_for("auth.password"))
        return view(*args, **kwargs)

    return guarded


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_user().role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return guarded
