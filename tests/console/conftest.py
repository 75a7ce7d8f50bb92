"""A console app on the test database, a test client, accounts, and helpers to read the
CSRF token from a page and to write Rasa's events as the tracker store would."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text as sql

from app.db import session_scope
from app.settings import get_settings
from console import rasa as console_rasa

ADMIN = ("admin@example.org", "un mot de passe solide")
COUNSELLOR = ("conseillere@example.org", "un autre mot de passe")
OTHER = ("collegue@example.org", "encore un mot de passe")


def console_settings(rasa_url: str, rasa_token: str = ""):
    """The console's settings in the tests: known accounts and key, cookies over http."""
    return dataclasses.replace(
        get_settings(),
        console_admin_email=ADMIN[0],
        console_admin_password=ADMIN[1],
        console_secret_key="test-secret-key-for-the-console-tests",
        console_cookie_secure=False,
        rasa_url=rasa_url,
        rasa_token=rasa_token,
    )


@pytest.fixture(scope="session")
def console_app(database_url: str):
    from console import accounts, create_app

    # Nothing listens on port 9: the assistant is "down" unless a test says otherwise.
    app = create_app(console_settings("http://127.0.0.1:9"))
    with session_scope() as s:
        for email, password in (COUNSELLOR, OTHER):
            if not s.execute(sql("SELECT 1 FROM console_users WHERE email = :e"), {"e": email}).first():
                accounts.create_user(s, email, email.split("@")[0], password)
    return app


@pytest.fixture()
def client(console_app):
    return console_app.test_client()


def csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def log_in(client, who: tuple[str, str] = COUNSELLOR):
    token = csrf(client, "/login")
    return client.post("/login", data={"email": who[0], "password": who[1], "csrf_token": token})


@pytest.fixture()
def counsellor(client):
    assert log_in(client).status_code == 302
    return client


@pytest.fixture()
def admin(client):
    assert log_in(client, ADMIN).status_code == 302
    return client


EVENTS_TABLE = """CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def write_conversation(sender_id: str, turns: list[tuple[str, str, str | None, float | None]]) -> None:
    """(speaker, text, intent, confidence) turns, stored like Rasa's SQL tracker store."""
    with session_scope() as s:
        s.execute(sql(EVENTS_TABLE))
        now = time.time()
        for n, (speaker, text, intent, confidence) in enumerate(turns):
            data = {"event": speaker, "text": text, "timestamp": now + n}
            if speaker == "user":
                data["parse_data"] = {"intent": {"name": intent, "confidence": confidence}}
            s.execute(
                sql(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data)"
                    " VALUES (:s, :t, :ts, :i, :d)"
                ),
                {"s": sender_id, "t": speaker, "ts": now + n, "i": intent, "d": json.dumps(data)},
            )


@pytest.fixture()
def conversation() -> Iterator[str]:
    sender = f"tg-{time.time_ns()}"
    write_conversation(
        sender,
        [
            ("user", "Bonjour <script>alert('x')</script>", "greet", 0.98),
            ("bot", "Bonjour! Je suis l'assistant virtuel.", None, None),
            ("user", '=HYPERLINK("http://evil")', "nlu_fallback", 0.31),
            ("bot", "Je ne suis pas sûr d'avoir compris.", None, None),
        ],
    )
    yield sender


def rasa_answering(monkeypatch, *answers: httpx.Response) -> list[httpx.Request]:
    """Rasa, as a transport that gives these answers in turn; the requests it received."""
    received, queue = [], list(answers)

    def answer(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return queue.pop(0)

    monkeypatch.setattr(console_rasa, "TRANSPORT", httpx.MockTransport(answer))
    monkeypatch.setattr(console_rasa, "SEND_AGAIN_AFTER_SECONDS", 0)
    return received


def sent_to_rasa(request: httpx.Request) -> tuple[str, dict]:
    """Where a request went (without its query) and its JSON body."""
    return str(request.url.copy_with(query=None)), json.loads(request.content)
