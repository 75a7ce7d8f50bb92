"""What counsellors type in the console reaches the person through the bridge, once,
and a failed send is tried again once its back-off has passed."""

import asyncio
from datetime import timedelta

from telegram.error import NetworkError

from app import handoffs
from app.db import session_scope
from app.models import CounsellorReply, utcnow
from bot.counsellors import deliver_console_replies


class Bot:
    def __init__(self, failing: bool = False) -> None:
        self.failing = failing
        self.sent: list[tuple[str, str]] = []

    async def send_message(self, chat_id, text):
        if self.failing:
            raise NetworkError("Telegram is unreachable")
        self.sent.append((chat_id, text))


def test_console_replies_are_delivered_once_and_retried_after_a_failure(database_url):
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, "chat-console-1", "asked", "allo?", "en")
        handoffs.queue_reply(s, handoff, "julie@example.org", "Hello, Julie here.")
        handoffs.queue_reply(s, handoff, "julie@example.org", kind="resumed")
    down = Bot(failing=True)
    assert asyncio.run(deliver_console_replies(down)) == 0
    up = Bot()
    assert asyncio.run(deliver_console_replies(up)) == 0 or "chat-console-1" not in dict(up.sent)  # backing off
    with session_scope() as s:  # the back-off has passed
        for reply in s.query(CounsellorReply).filter(CounsellorReply.sender_id == "chat-console-1"):
            reply.next_attempt_at = utcnow() - timedelta(seconds=1)
    asyncio.run(deliver_console_replies(up))  # (other tests' replies may be queued too)
    mine = [text for chat, text in up.sent if chat == "chat-console-1"]
    assert mine[0] == "👤 Hello, Julie here." and len(mine) == 2
    assert "assistant is back" in mine[1]  # told in the handoff's language
    assert asyncio.run(deliver_console_replies(up)) == 0  # nothing twice
    with session_scope() as s:
        assert all(r.sent_at for r in s.query(CounsellorReply).filter(CounsellorReply.sender_id == "chat-console-1"))
