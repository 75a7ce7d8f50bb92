"""The bridge's background rounds on PTB's JobQueue (bot/jobs.py): every round is a job of
the Application, each on its own, and a failing one reaches the error handler and runs again
at its next turn while the others go on."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter

from telegram import User
from telegram.ext import ExtBot

from app.settings import Settings
from app.webinars import QuietHours
from bot import counsellors, jobs, mentors, webinars
from bot.application import build_application

SETTINGS = Settings(
    telegram_token="123456:test-token",
    telegram_base_url="http://127.0.0.1:9",  # nothing listens: the test asks Telegram nothing
    counsellor_chat_id="-100",
    quiet_hours="",
)


def test_every_round_is_a_job_and_a_failing_one_does_not_hold_back_the_others(monkeypatch, caplog):
    ran: Counter[str] = Counter()

    async def known_bot(self, *args, **kwargs):  # no Telegram to ask who the bot is
        self._bot_user = User(123456, "Assistant", True, username="assistant_bot")
        return self._bot_user

    def counting(name: str, fails: bool = False):
        async def round_(*args, **kwargs):
            ran[name] += 1
            if fails:
                raise RuntimeError("database is locked")
            return 0

        return round_

    monkeypatch.setattr(ExtBot, "get_me", known_bot)
    monkeypatch.setattr(counsellors, "deliver_console_replies", counting("console_replies", fails=True))
    monkeypatch.setattr(counsellors, "announce_new", counting("handoff_cards"))
    monkeypatch.setattr(counsellors, "delete_erased_messages", counting("group_deletions"))
    monkeypatch.setattr(mentors, "mentor_round", counting("mentor_requests"))
    monkeypatch.setattr(webinars, "send_followups", counting("webinar_followups"))

    class Inbox:
        retry_due = staticmethod(counting("retry_inbox"))

    application = build_application(SETTINGS, round_every=0.05)

    async def run() -> list[str]:
        await application.initialize()
        await application.post_init(application)
        application.bot_data["delivery"] = Inbox()
        await application.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (len(ran) < 6 or min(ran.values()) < 3):
            await asyncio.sleep(0.05)
        names = sorted(job.name for job in application.job_queue.jobs())
        await application.stop()
        await application.post_shutdown(application)
        await application.shutdown()
        return names

    with caplog.at_level(logging.ERROR, logger="bot.jobs"):
        names = asyncio.run(run())
    assert names == sorted(
        ["retry_inbox", "console_replies", "mentor_requests", "webinar_followups", "handoff_cards", "group_deletions"]
    )
    assert min(ran.values()) >= 3, ran  # the failing round ran again, and the others kept their turns
    failures = [r for r in caplog.records if r.getMessage() == "background round console_replies failed"]
    assert len(failures) >= 3 and all("database is locked" in str(r.exc_info[1]) for r in failures)


def test_no_group_no_group_rounds(monkeypatch):
    application = build_application(Settings(telegram_token="123456:test-token", quiet_hours=""))
    names = jobs.schedule_rounds(application.job_queue, "", QuietHours.parse(""), 1.0)
    assert names == ["retry_inbox", "console_replies", "mentor_requests", "webinar_followups"]
