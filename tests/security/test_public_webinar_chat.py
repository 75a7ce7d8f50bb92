"""Issue #14, hole 3: the webinars' public web chat (/w/<code>), open to anyone.

Each test attacks it as an anonymous visitor would: replaying its cookie to get past the
limit, opening many conversations from one address, chatting on a cancelled or expired
webinar, typing Rasa intents ("/request_counsellor") instead of words. Rasa is replaced by a
recorder: what reaches it is exactly what the view forwarded."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from app import webinars
from app.db import session_scope
from app.ratelimit import BoundedMap, SlidingWindowLimit
from console.views import webinars as view
from tests.console.conftest import client, console_app  # noqa: F401 (fixtures)

CONSENT_YES = '/webinar_consent{"choice": "yes"}'


class FakeRasa:
    """Records what reaches Rasa; "/greet" gets the follow-up consent buttons, anything else a plain answer."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, dict]] = []

    def __call__(self, settings, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
        self.received.append((sender, message, metadata or {}))
        if message == "/greet":
            return [
                {"text": "Merci d'avoir assisté au webinaire!", "buttons": [{"title": "Oui", "payload": CONSENT_YES}]}
            ]
        return [{"text": "Voici ma réponse.", "buttons": []}]

    def messages(self) -> list[str]:
        return [message for _, message, _ in self.received]


@pytest.fixture()
def rasa(monkeypatch) -> FakeRasa:
    fake = FakeRasa()
    monkeypatch.setattr(view, "converse", fake)
    return fake


_addresses = iter(range(1, 255))


@pytest.fixture()
def address() -> str:
    """A client address of its own for each test (TEST-NET-1, documentation range: never contacted)."""
    return f"192.0.2.{next(_addresses)}"


def new_webinar(starts_at: datetime | None = None, language: str = "fr") -> str:
    with session_scope() as s:
        return webinars.create(
            s,
            "Vivre en Estrie",
            ["Estrie"],
            starts_at or datetime.now(timezone.utc),
            language,
            "Julie",
            "j@example.org",
        ).code


def visitor(console_app, address: str):  # noqa: F811 (the fixture, passed on)
    """A browser of its own (its own cookie jar) at `address`."""
    browser = console_app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def open_chat(browser, code: str) -> dict[str, str]:
    """Opens the page (a new web sender) and returns the headers its script sends with."""
    page = browser.get(f"/w/{code}")
    assert page.status_code == 200
    return {"X-CSRFToken": re.search(r'data-csrf="([^"]+)"', page.get_data(as_text=True)).group(1)}


def say(browser, code: str, headers: dict[str, str], message: str):
    return browser.post(f"/w/{code}/send", json={"message": message}, headers=headers)


def test_a_replayed_cookie_does_not_reset_the_limit(console_app, rasa, address):  # noqa: F811
    code = new_webinar()
    browser = visitor(console_app, address)
    headers = open_chat(browser, code)
    saved = browser.get_cookie("console_session").value
    statuses = []
    for _ in range(3 * view.MAX_PER_MINUTE):
        browser.set_cookie("console_session", saved)  # the same cookie, sent again and again
        statuses.append(say(browser, code, headers, "bonjour").status_code)
    assert statuses.count(200) == view.MAX_PER_MINUTE == len(rasa.received)
    assert set(statuses[view.MAX_PER_MINUTE :]) == {429}
    refused = say(browser, code, headers, "bonjour")
    assert refused.status_code == 429 and "Attendez une minute" in refused.json["message"]


def test_one_address_cannot_go_past_its_limit_by_opening_new_conversations(console_app, rasa, address):  # noqa: F811
    code = new_webinar()
    allowed = []
    for _ in range(5):  # five conversations, each under its own limit
        browser = visitor(console_app, address)
        headers = open_chat(browser, code)
        allowed.append(sum(say(browser, code, headers, "bonjour").status_code == 200 for _ in range(15)))
    assert allowed == [15, 15, 15, 15, 0] and sum(allowed) == view.MAX_PER_ADDRESS == len(rasa.received)


def test_new_conversations_per_address_are_capped(console_app, address):  # noqa: F811
    code = new_webinar(language="en")
    for _ in range(view.MAX_NEW_SENDERS):
        open_chat(visitor(console_app, address), code)
    refused = visitor(console_app, address).get(f"/w/{code}")
    assert refused.status_code == 429 and "Too many conversations" in refused.get_data(as_text=True)
    assert 'id="chat"' not in refused.get_data(as_text=True)
    assert visitor(console_app, "192.0.2.254").get(f"/w/{code}").status_code == 200  # others still get in


def test_a_cancelled_webinar_no_longer_chats(console_app, rasa, address):  # noqa: F811
    code = new_webinar()
    browser = visitor(console_app, address)
    headers = open_chat(browser, code)  # opened while the webinar was on
    with session_scope() as s:
        webinars.cancel(s, webinars.by_code(s, code))
    refused = say(browser, code, headers, "bonjour")
    assert refused.status_code == 410 and "annulé" in refused.json["message"]
    assert rasa.received == []
    page = browser.get(f"/w/{code}")
    assert page.status_code == 410 and 'id="chat"' not in page.get_data(as_text=True)


def test_an_expired_webinar_no_longer_chats(console_app, rasa, address):  # noqa: F811
    code = new_webinar()
    browser = visitor(console_app, address)
    headers = open_chat(browser, code)
    with session_scope() as s:
        webinars.by_code(s, code).starts_at = datetime.now(timezone.utc) - webinars.LINK_VALID_FOR - timedelta(days=1)
    refused = say(browser, code, headers, "/greet")
    assert refused.status_code == 410 and "n'est plus actif" in refused.json["message"]
    assert rasa.received == []


def test_a_webinar_not_started_yet_still_chats(console_app, rasa, address):  # noqa: F811
    code = new_webinar(datetime.now(timezone.utc) + timedelta(days=3))
    browser = visitor(console_app, address)
    assert say(browser, code, open_chat(browser, code), "/greet").status_code == 200
    assert rasa.messages() == ["/greet"]


@pytest.mark.parametrize(
    "typed", ["/request_counsellor", '/intent{"x":"y"}', '  /distress{"x": "y"}', "/greet", CONSENT_YES]
)
def test_typed_intents_never_reach_rasa(console_app, rasa, address, typed):  # noqa: F811
    code = new_webinar()
    browser = visitor(console_app, address)
    headers = open_chat(browser, code)
    assert say(browser, code, headers, "/greet").status_code == 200  # the page's own greeting, once
    assert say(browser, code, headers, "bonjour").status_code == 200  # the consent buttons are gone now
    refused = say(browser, code, headers, typed)
    assert refused.status_code == 400 and "avec vos mots" in refused.json["message"]
    assert rasa.messages() == ["/greet", "bonjour"]
    assert all(metadata["channel"] == "web" for _, _, metadata in rasa.received)


def test_an_offered_button_reaches_rasa(console_app, rasa, address):  # noqa: F811
    code = new_webinar()
    browser = visitor(console_app, address)
    headers = open_chat(browser, code)
    assert say(browser, code, headers, "/greet").status_code == 200
    assert say(browser, code, headers, CONSENT_YES).status_code == 200
    assert rasa.messages() == ["/greet", CONSENT_YES]
    assert rasa.received[0][2]["start_payload"] == f"webinar_{code}"


def test_a_reopened_page_does_not_greet_again(console_app, rasa, address):  # noqa: F811
    code = new_webinar()
    browser = visitor(console_app, address)
    open_chat(browser, code)
    again = browser.get(f"/w/{code}").get_data(as_text=True)
    assert "data-greet" not in again and "Rebonjour" in again


def test_the_sliding_window_forgets_old_hits_only():
    now = [0.0]
    limit = SlidingWindowLimit(2, 60, clock=lambda: now[0])
    assert [limit.hit("a"), limit.hit("a"), limit.hit("a")] == [True, True, False]
    now[0] = 59.0
    assert not limit.hit("a")  # the refused hits were not counted, the first two still are
    now[0] = 60.0
    assert limit.hit("a") and limit.hit("a") and not limit.hit("a")


def test_the_limits_memory_is_bounded():
    limit = SlidingWindowLimit(5, 60, max_keys=100, clock=lambda: 0.0)
    for n in range(10_000):
        limit.hit(f"sender-{n}")
    assert len(limit) == 100
    buttons: BoundedMap[frozenset[str]] = BoundedMap(3)
    for n in range(10):
        buttons.put(n, frozenset({f"/b{n}"}))
    assert len(buttons) == 3 and buttons.get(0) is None and buttons.get(9) == frozenset({"/b9"})
