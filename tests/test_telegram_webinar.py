"""Webinar follow-ups end to end: the Telegram emulator, the bridge (`python -m bot`), the
real Rasa and action servers, on a database of their own (so that no other test's bridge
sends these follow-ups). 200 attendees open the webinar's link and accept the follow-ups;
each receives every follow-up exactly once, also across a restart of the bridge. And 50
attendees, half typing their yes, receive exactly the follow-ups the counsellor set, while
every send to one who blocked the bot fails without delaying the others."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app import webinars
from app.models import FollowupDelivery, WebinarAttendee
from bench.stack import RasaStack, wait_for
from tests.conftest import MODEL, PYTHON, ROOT
from tests.telegram.harness import TelegramUser

pytestmark = pytest.mark.servers

TOKEN = "654321:webinar-token"
ATTENDEES = 200
FOLLOWUPS = {
    "day_after": "Qu'avez-vous pensé du webinaire",
    "week_after": "Voulez-vous préparer votre projet",
    "month_after": "Un petit mot pour prendre de vos nouvelles",
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[tuple[str, RasaStack]]:
    workdir = tmp_path_factory.mktemp("webinar-stack")
    url = f"sqlite:///{workdir / 'webinar.db'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run([PYTHON, "-m", "app", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    servers = RasaStack(MODEL, workdir, env={"DATABASE_URL": url}).start()
    try:
        yield url, servers
    finally:
        servers.stop()


def start_bridge(
    servers: RasaStack, emulator_url: str, database_url: str, log, token: str = TOKEN, redis_url: str = ""
) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_TOKEN": token,
        "TELEGRAM_BASE_URL": emulator_url,
        "RASA_URL": servers.rasa_url,
        "RASA_TOKEN": servers.token,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,  # production's bridges share Telegram's pace through it (bot/pace.py)
        "PYTHONPATH": str(ROOT),
        "QUIET_HOURS": "",  # the test runs at any hour
    }
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    env.pop("COUNSELLOR_CHAT_ID", None)
    process = subprocess.Popen([PYTHON, "-m", "bot"], cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT)
    wait_for(f"{emulator_url}/bot{token}/getMe", process, log, timeout=30)
    return process


def poll(users: list[TelegramUser], inbox: dict[int, list[dict]], done, timeout: float) -> None:
    """Collect every user's new messages until `done(messages)` holds for all of them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = [u for u in users if not done(inbox[u.chat_id])]
        if not waiting:
            return
        for user in waiting:
            result = requests.post(
                f"{user.api}/getUpdates", json={"token": user.token, "chatId": user.chat_id}, timeout=10
            ).json()["result"]
            new = [{**update["message"], "message_id": update["messageId"]} for update in result]
            inbox[user.chat_id] += new
            user._seen += new
        time.sleep(0.5)
    missing = [u.chat_id for u in users if not done(inbox[u.chat_id])]
    raise AssertionError(f"{len(missing)} attendees still waiting, e.g. {[inbox[c] for c in missing[:2]]}")


def count(messages: list[dict], marker: str) -> int:
    return sum(marker in (m.get("text") or "") for m in messages)


def test_200_attendees_each_receive_every_follow_up_once(stack, emulator, tmp_path):
    database_url, servers = stack
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        # Held 40 days ago: its three follow-ups are all due now.
        past_webinar = webinars.create(
            session, "Vivre en Mauricie", ["Mauricie"], datetime.now(timezone.utc) - timedelta(days=40), "fr",
            "Julie", "julie@example.org",
        ).code  # fmt: skip
    log = tmp_path / "bridge.log"
    bridge = start_bridge(servers, emulator, database_url, log)
    users = [TelegramUser(emulator, TOKEN, 70_000 + n) for n in range(ATTENDEES)]
    inbox: dict[int, list[dict]] = {u.chat_id: [] for u in users}
    try:
        for user in users:
            user.command(f"/start webinar_{past_webinar}")
        poll(users, inbox, lambda m: count(m, "Puis-je vous écrire ici") == 1, timeout=300)
        assert all(count(inbox[u.chat_id], "Merci d'avoir assisté au webinaire sur Mauricie") == 1 for u in users)
        for user in users:
            user.press("Oui, écrivez-moi")
        poll(users, inbox, lambda m: all(count(m, text) >= 1 for text in FOLLOWUPS.values()), timeout=420)
        # A restart of the bridge: nothing is sent again.
        bridge.terminate()
        bridge.wait(timeout=30)
        bridge = start_bridge(servers, emulator, database_url, log)
        time.sleep(8)  # several background rounds
        poll(users, inbox, lambda m: True, timeout=5)
        for user in users:
            received = inbox[user.chat_id]
            assert {step: count(received, text) for step, text in FOLLOWUPS.items()} == dict.fromkeys(FOLLOWUPS, 1), (
                user.chat_id,
                [m.get("text") for m in received],
            )
    finally:
        bridge.terminate()
        bridge.wait(timeout=30)
    with Session(engine) as session:
        sent = session.scalar(
            select(func.count())
            .select_from(FollowupDelivery)
            .join(WebinarAttendee, WebinarAttendee.id == FollowupDelivery.attendee_id)
            .where(
                WebinarAttendee.sender_id.in_([str(u.chat_id) for u in users]), FollowupDelivery.sent_at.is_not(None)
            )
        )
    assert sent == ATTENDEES * len(FOLLOWUPS), log.read_text()[-3000:]


def test_50_attendees_tapping_or_typing_get_the_schedule_set_and_a_blocked_one_delays_nobody(stack, emulator, tmp_path):
    """Issue #16: half the attendees type their "oui" instead of tapping; the counsellor set
    two follow-ups (the next day and a month later, no week); one attendee blocks the bot
    right after saying yes, so every send to them fails."""
    database_url, servers = stack
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        code = webinars.create(
            session, "Vivre en Estrie", ["Estrie"], datetime.now(timezone.utc) - timedelta(days=40), "fr",
            "Julie", "julie@example.org", schedule={"day_after": 1, "month_after": 30},
        ).code  # fmt: skip
    log = tmp_path / "bridge.log"
    bridge = start_bridge(servers, emulator, database_url, log)
    users = [TelegramUser(emulator, TOKEN, 80_000 + n) for n in range(50)]
    blocked, others = users[0], users[1:]
    inbox: dict[int, list[dict]] = {u.chat_id: [] for u in users}
    expected = {"day_after": 1, "week_after": 0, "month_after": 1}
    try:
        for user in users:
            user.command(f"/start webinar_{code}")
        poll(users, inbox, lambda m: count(m, "Puis-je vous écrire ici") == 1, timeout=300)
        for n, user in enumerate(users):
            if n % 2:
                user.say("oui")
            else:
                user.press("Oui, écrivez-moi")
        requests.post(f"{emulator}/blockChat", json={"chatId": blocked.chat_id}, timeout=10).raise_for_status()
        poll(others, inbox, lambda m: all(count(m, FOLLOWUPS[s]) >= 1 for s, n in expected.items() if n), timeout=420)
        time.sleep(8)  # several more background rounds: nothing more comes
        poll(others, inbox, lambda m: True, timeout=5)
    finally:
        bridge.terminate()
        bridge.wait(timeout=30)
    for user in others:
        received = inbox[user.chat_id]
        assert {step: count(received, text) for step, text in FOLLOWUPS.items()} == expected, (
            user.chat_id, [m.get("text") for m in received],
        )  # fmt: skip
        assert count(received, "C'est noté") <= 1  # no conversation consent taken for the follow-ups' yes
    assert not any(count(inbox[blocked.chat_id], text) for text in FOLLOWUPS.values())
    with Session(engine) as session:
        delivery = FollowupDelivery
        steps = session.execute(
            select(WebinarAttendee.sender_id, delivery.step, delivery.sent_at, delivery.attempts)
            .join(WebinarAttendee, WebinarAttendee.id == FollowupDelivery.attendee_id)
            .where(WebinarAttendee.sender_id.in_([str(u.chat_id) for u in users]))
        ).all()  # fmt: skip
    planned = {(sender, step) for sender, step, _, _ in steps}
    assert planned == {(str(u.chat_id), s) for u in users for s in ("day_after", "month_after")}
    assert all(sent is not None for sender, _, sent, _ in steps if sender != str(blocked.chat_id))
    assert all(sent is None and attempts >= 1 for sender, _, sent, attempts in steps if sender == str(blocked.chat_id))
