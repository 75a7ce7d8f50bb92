"""Production runs two Telegram bridges on one database: their background rounds must
still send each webinar follow-up exactly once (issue #15). Two `python -m bot` processes,
the real Rasa and action servers and the Telegram Bot API emulator; 200 attendees of a
webinar held two days ago are due their next-day follow-up at the same moment. Each gets
it once (none twice, none lost), both bridges took part, and together they kept Telegram's
pace (no flood error, never more than 30 messages in a second: bot/pace.py, on Redis).

On production's PostgreSQL (tests/production/conftest.py), where no other test runs a bridge."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app import webinars
from app.models import FollowupDelivery, WebinarAttendee
from bench.stack import RasaStack
from tests.conftest import MODEL
from tests.production.conftest import Stores
from tests.test_telegram_webinar import count, start_bridge

pytestmark = pytest.mark.servers

TOKEN = "765432:two-bridges-token"
ATTENDEES = 200
FIRST_CHAT = 90_000
MARKER = "Qu'avez-vous pensé du webinaire"  # the next-day follow-up (actions/messages.py)
TELEGRAM_PER_SECOND = 30  # Telegram's overall limit for one bot, whatever process sends
QUIET = (datetime.min.time(), datetime.min.time())


@pytest.fixture(scope="module")
def stack(stores: Stores, tmp_path_factory) -> Iterator[tuple[str, str, RasaStack]]:
    url = stores.postgres.url
    servers = RasaStack(MODEL, tmp_path_factory.mktemp("two-bridges"), env={"DATABASE_URL": url}).start()
    try:
        yield url, stores.redis.url, servers
    finally:
        servers.stop()


def attendees_due_now(database_url: str) -> list[str]:
    """200 people who said yes to the follow-ups of a webinar held two days ago: with one
    step, the next day, every one of them is due at once."""
    engine = create_engine(database_url)
    no_quiet = webinars.QuietHours(*QUIET)
    with Session(engine) as session, session.begin():
        webinar = webinars.create(
            session, "Vivre en Mauricie", ["Mauricie"], datetime.now(timezone.utc) - timedelta(days=2), "fr",
            "Julie", "julie@example.org", schedule={"day_after": 1},
        )  # fmt: skip
        senders = [str(FIRST_CHAT + n) for n in range(ATTENDEES)]
        for sender in senders:
            attendee, _ = webinars.join(session, webinar, sender)
            webinars.set_followup_consent(session, attendee, True, no_quiet)
    engine.dispose()
    return senders


def received(emulator_url: str, senders: list[str], inbox: dict[str, list[dict]]) -> None:
    for sender in senders:
        result = requests.post(
            f"{emulator_url}/getUpdates", json={"token": TOKEN, "chatId": sender}, timeout=10
        ).json()["result"]
        inbox[sender] += [{**update["message"], "time_ms": update["time"]} for update in result]


def recorded(database_url: str, senders: list[str]) -> tuple[Counter, set[str]]:
    """How many follow-ups are recorded sent and given up, and which bridges (host:pid,
    from `taken_by`, kept once sent) sent them."""
    engine = create_engine(database_url)
    mine = (
        select(FollowupDelivery.sent_at, FollowupDelivery.failed_at, FollowupDelivery.taken_by)
        .join(WebinarAttendee, WebinarAttendee.id == FollowupDelivery.attendee_id)
        .where(WebinarAttendee.sender_id.in_(senders))
    )
    with engine.connect() as connection:
        rows = connection.execute(mine).all()
    engine.dispose()
    counts = Counter(sent=sum(r.sent_at is not None for r in rows), given_up=sum(r.failed_at is not None for r in rows))
    return counts, {r.taken_by.rsplit(":", 1)[0] for r in rows if r.sent_at is not None and r.taken_by}


def test_two_bridges_send_200_follow_ups_once_each(stack, emulator, tmp_path):
    database_url, redis_url, servers = stack
    senders = attendees_due_now(database_url)
    logs = [tmp_path / "bridge-1.log", tmp_path / "bridge-2.log"]
    bridges = [start_bridge(servers, emulator, database_url, log, TOKEN, redis_url) for log in logs]
    inbox: dict[str, list[dict]] = {sender: [] for sender in senders}
    try:
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline and not all(count(inbox[s], MARKER) for s in senders):
            received(emulator, senders, inbox)
            time.sleep(1)
        time.sleep(8)  # several more background rounds of both bridges: nothing more comes
        received(emulator, senders, inbox)
    finally:
        for bridge in bridges:
            bridge.terminate()
        for bridge in bridges:
            bridge.wait(timeout=30)
    copies = {sender: count(inbox[sender], MARKER) for sender in senders}
    assert Counter(copies.values()) == Counter({1: ATTENDEES}), {s: n for s, n in copies.items() if n != 1}
    counts, bridges_that_sent = recorded(database_url, senders)
    assert counts == Counter(sent=ATTENDEES, given_up=0)
    assert len(bridges_that_sent) == 2, bridges_that_sent  # both bridges shared the round
    bridge_logs = [log.read_text() for log in logs]
    assert not any("RetryAfter" in log or "Flood control" in log for log in bridge_logs), bridge_logs[0][-3000:]
    # The emulator stamps each message with the millisecond it arrived: the two bridges,
    # sharing one pace, never put more than Telegram's limit for the bot in one second.
    per_second = Counter(message["time_ms"] // 1000 for messages in inbox.values() for message in messages)
    assert max(per_second.values()) <= TELEGRAM_PER_SECOND, per_second.most_common(3)
