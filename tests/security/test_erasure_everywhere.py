"""Erasure, complete: the person's cards and relayed messages in the counsellors' group
are removed through the Bot API, and no chat id stays in the audit log."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from sqlalchemy import select
from telegram.error import BadRequest

from app import candidates, handoffs
from app.db import session_scope
from app.models import AuditEntry, GroupDeletion, GroupMessage
from bot import counsellors

GROUP = "-100888"


class GroupBot:
    """Telegram refuses to delete message 502 (over 48 hours old): it is blanked instead."""

    def __init__(self) -> None:
        self.deleted: list[int] = []
        self.blanked: list[tuple[int, str]] = []
        self.sent: list[str] = []

    async def send_message(self, chat_id, text, **_):
        self.sent.append(text)
        return SimpleNamespace(message_id=500 + len(self.sent))

    async def delete_message(self, chat_id, message_id):
        if message_id == 502:
            raise BadRequest("Message can't be deleted")
        self.deleted.append(message_id)

    async def edit_message_text(self, text, chat_id, message_id):
        self.blanked.append((message_id, text))


def test_erasure_removes_the_card_and_relayed_messages_from_the_group(database_url):
    sender = "4242000111"
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, sender, "asked", "aide", "fr")
        handoff.card_message_id = "500"
        s.add(AuditEntry(user_email="julie@example.org", action="viewed", subject="dossier", subject_id=sender))
        s.add(AuditEntry(user_email="julie@example.org", action="noted", subject="x", detail=f"about {sender}"))
    bot = GroupBot()
    asyncio.run(counsellors.relay_to_group(bot, GROUP, sender, "voici mon adresse"))
    asyncio.run(counsellors.relay_to_group(bot, GROUP, sender, "et mon numéro"))

    with session_scope() as s:
        candidates.erase(s, sender)
    with session_scope() as s:
        queued = set(s.scalars(select(GroupDeletion.message_id)))
        assert {"500", "501", "502"} <= queued
        assert not s.scalars(select(GroupMessage).where(GroupMessage.message_id.in_(["501", "502"]))).all()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.user_email == "julie@example.org")).all()
        assert audit and all(sender not in (e.subject_id or "") + (e.detail or "") for e in audit)
        assert {e.subject_id for e in audit if e.subject == "dossier"} != {None}

    asyncio.run(counsellors.delete_erased_messages(bot, GROUP))
    assert {500, 501} <= set(bot.deleted) and 502 in [m for m, _ in bot.blanked]
    with session_scope() as s:
        assert not s.scalars(select(GroupDeletion).where(GroupDeletion.message_id.in_(["500", "501", "502"]))).all()
