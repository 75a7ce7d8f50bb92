"""The bridge sends webinar follow-ups (bot/webinars.py): each due step once, nothing at
night, a failure retried later, and a restart in the middle loses or repeats nothing."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, time, timedelta, timezone

from app import webinars
from app.db import session_scope
from app.rasa_client import RasaUnavailable
from app.webinars import QuietHours
from bot.webinars import send_followups

NO_QUIET = QuietHours(time(0, 0), time(0, 0))
_ids = itertools.count(1)


class Rasa:
    def __init__(self, fail_after: int | None = None) -> None:
        self.triggered: list[tuple[str, str]] = []
        self.fail_after = fail_after

    async def trigger(self, sender, intent, entities):
        if self.fail_after is not None and len(self.triggered) >= self.fail_after:
            raise RasaUnavailable("down")
        self.triggered.append((sender, intent))
        return [{"text": f"{intent} pour {sender}"}]


class Delivery:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_replies(self, bot, chat_id, replies):
        self.sent += [(chat_id, r["text"]) for r in replies]


def attendees(count: int, days_ago: int = 40) -> list[str]:
    """People who consented to follow-ups of a webinar held `days_ago`: all steps are due."""
    with session_scope() as session:
        webinar = webinars.create(
            session,
            "Estrie",
            ["Estrie"],
            datetime.now(timezone.utc) - timedelta(days=days_ago),
            "fr",
            "J",
            "j@example.org",
        )
        senders = []
        for _ in range(count):
            attendee, _ = webinars.join(session, webinar, f"wf-{next(_ids)}")
            webinars.set_followup_consent(session, attendee, True, NO_QUIET)
            senders.append(attendee.sender_id)
    return senders


def sent_to(delivery: Delivery, senders: list[str]) -> dict[str, list[str]]:
    mine = {s: [] for s in senders}
    for chat, text in delivery.sent:
        if chat in mine:
            mine[chat].append(text.split(" ")[0])
    return mine


def test_every_due_step_is_sent_once(database_url):
    senders = attendees(3)
    rasa, delivery = Rasa(), Delivery()
    asyncio.run(send_followups(None, rasa, delivery, NO_QUIET))
    asyncio.run(send_followups(None, rasa, delivery, NO_QUIET))
    steps = ["webinar_followup_day", "webinar_followup_week", "webinar_followup_month"]
    assert all(sorted(v) == sorted(steps) for v in sent_to(delivery, senders).values())


def test_nothing_is_sent_at_night(database_url):
    senders = attendees(1)
    night = QuietHours(time(0, 0), time(23, 59))  # all day long but one minute
    delivery = Delivery()
    asyncio.run(send_followups(None, Rasa(), delivery, night, now=datetime(2026, 11, 24, 8, tzinfo=timezone.utc)))
    assert sent_to(delivery, senders) == {senders[0]: []}


def test_a_restart_in_the_middle_loses_and_repeats_nothing(database_url):
    senders = attendees(4)
    first = Delivery()
    asyncio.run(send_followups(None, Rasa(fail_after=5), first, NO_QUIET))  # Rasa goes down after 5
    # "Restart": new objects, only the database remembers; the failed ones wait for their retry time.
    later = datetime.now(timezone.utc) + timedelta(hours=3)
    second = Delivery()
    asyncio.run(send_followups(None, Rasa(), second, NO_QUIET, now=later))
    both = {
        s: a + b for (s, a), b in zip(sent_to(first, senders).items(), sent_to(second, senders).values(), strict=True)
    }
    assert all(len(steps) == 3 and len(set(steps)) == 3 for steps in both.values()), both
