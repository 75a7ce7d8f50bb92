"""Replies that cannot reach a person (a web-chat sender, a blocked bot, an outage that
lasts) are retried with back-off and then given up: never resent every round forever."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from telegram.error import BadRequest, NetworkError

from app import handoffs
from app.db import session_scope, stored_utc
from app.models import CounsellorReply, utcnow
from bot.counsellors import deliver_console_replies


class RefusingBot:
    """Counts the tries to reach one chat (other tests' replies may be queued too)."""

    def __init__(self, error: Exception, chat_id: str) -> None:
        self.error, self.chat_id, self.tries = error, chat_id, 0

    async def send_message(self, chat_id, text):
        self.tries += chat_id == self.chat_id
        raise self.error


def queue(sender_id: str) -> int:
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, sender_id, "asked", "allo?", "fr")
        handoffs.queue_reply(s, handoff, "julie@example.org", "Bonjour")
        s.flush()
        return s.scalars(select(CounsellorReply.id).where(CounsellorReply.sender_id == sender_id)).one()


def reply(reply_id: int) -> CounsellorReply:
    with session_scope() as s:
        found = s.get(CounsellorReply, reply_id)
        s.expunge(found)
        return found


def test_a_chat_that_does_not_exist_is_given_up_at_once(database_url):
    reply_id = queue("web-0123456789abcdef")
    bot = RefusingBot(BadRequest("Chat not found"), "web-0123456789abcdef")
    for _ in range(5):  # five background rounds
        asyncio.run(deliver_console_replies(bot))
    assert bot.tries == 1
    assert reply(reply_id).failed_at is not None and reply(reply_id).sent_at is None


def test_an_outage_is_retried_with_back_off_then_given_up(database_url):
    reply_id = queue("sec-outage-1")
    bot = RefusingBot(NetworkError("Telegram is unreachable"), "sec-outage-1")
    asyncio.run(deliver_console_replies(bot))
    asyncio.run(deliver_console_replies(bot))  # the next round, two seconds later: not due yet
    assert bot.tries == 1 and stored_utc(reply(reply_id).next_attempt_at) > utcnow()
    for _ in range(handoffs.MAX_REPLY_ATTEMPTS + 3):
        with session_scope() as s:  # time passes: the reply is due again
            s.get(CounsellorReply, reply_id).next_attempt_at = utcnow() - timedelta(seconds=1)
        asyncio.run(deliver_console_replies(bot))
    assert bot.tries == handoffs.MAX_REPLY_ATTEMPTS
    assert reply(reply_id).failed_at is not None
