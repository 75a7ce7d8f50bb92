"""The bridge's durable inbox: every incoming message is written here first, and
delivered to Rasa in order, per chat, with back-off while Rasa is unreachable. Delivery is
a background round (app/rounds.py): the chat's oldest waiting message is leased to one
bridge at a time, so that with two bridges a chat is still answered once and in order; a
message that fails for another reason is given up after MAX_ATTEMPTS, and the chat goes on."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, object_session

from app import rounds
from app.db import stored_utc
from app.models import ButtonPayload, InboundMessage, utcnow

# Waits between attempts: 2 s, 4 s, 8 s… capped at 5 minutes.
FIRST_RETRY_SECONDS = 2
MAX_RETRY_SECONDS = 300
MAX_MESSAGE_WAIT_SECONDS = 20
# Attempts before a message Rasa cannot take (an error other than being unreachable) is given up.
MAX_ATTEMPTS = 5


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)))


def message_retry_delay(attempts: int) -> timedelta:
    """A person's message waiting for Rasa is tried at least every MAX_MESSAGE_WAIT_SECONDS:
    once Rasa is back, the answer comes within that, not minutes later."""
    return min(retry_delay(attempts), timedelta(seconds=MAX_MESSAGE_WAIT_SECONDS))


# At least once: a person's question answered twice after a bridge died is better than never.
INBOX = rounds.Queue(InboundMessage, "delivered_at", MAX_ATTEMPTS, message_retry_delay, resend_after_crash=True)


def enqueue(session: Session, chat_id: str, text: str, metadata: dict[str, Any]) -> InboundMessage:
    message = InboundMessage(chat_id=chat_id, text=text, metadata_json=json.dumps(metadata, ensure_ascii=False))
    session.add(message)
    session.flush()
    return message


def pending(session: Session, chat_id: str) -> list[InboundMessage]:
    """Undelivered messages of a chat, oldest first (those given up left out)."""
    return list(
        session.execute(
            select(InboundMessage)
            .where(
                InboundMessage.chat_id == chat_id,
                InboundMessage.delivered_at.is_(None),
                InboundMessage.failed_at.is_(None),
            )
            .order_by(InboundMessage.id)
        ).scalars()
    )


def head(session: Session, chat_id: str) -> InboundMessage | None:
    """The chat's oldest waiting message: the one to answer next."""
    waiting = pending(session, chat_id)
    return waiting[0] if waiting else None


def chats_due(session: Session, at: datetime | None = None) -> list[str]:
    """Chats whose oldest undelivered message is due for another attempt."""
    rows = session.execute(
        select(InboundMessage.chat_id, InboundMessage.next_attempt_at)
        .where(InboundMessage.delivered_at.is_(None), InboundMessage.failed_at.is_(None))
        .order_by(InboundMessage.id)
    ).all()
    moment = at or utcnow()
    due, seen = [], set()
    for chat_id, next_attempt in rows:
        if chat_id in seen:
            continue
        seen.add(chat_id)
        if stored_utc(next_attempt) <= moment:
            due.append(chat_id)
    return due


def mark_delivered(message: InboundMessage, keep: bool) -> None:
    """Delivered: kept (as part of the transcript) only for people who consented."""
    message.delivered_at = utcnow()
    rounds.done(message)
    if not keep:
        object_session(message).delete(message)


def mark_failed(message: InboundMessage, reason: str = "Rasa unreachable") -> None:
    """Rasa is unreachable: the message waits, with back-off, as long as it takes."""
    rounds.failed(message, INBOX, reason, utcnow(), give_up=False)


def mark_rejected(message: InboundMessage, reason: str) -> bool:
    """Any other error: tried again with back-off, given up after MAX_ATTEMPTS. True when given up."""
    return rounds.failed(message, INBOX, reason, utcnow())


def name(message: InboundMessage) -> str:
    """What Rasa knows the message by, the same on every try: its row and the moment it came.
    The row alone would not do: SQLite gives a deleted row's id to the next message, and the
    REST channel answers a name it has already seen with the answer it kept for it."""
    return f"inbox-{message.id}-{message.received_at:%Y%m%dT%H%M%S%f}"


def metadata(message: InboundMessage) -> dict[str, Any]:
    return json.loads(message.metadata_json or "{}")


def erase(session: Session, chat_id: str) -> int:
    return session.execute(delete(InboundMessage).where(InboundMessage.chat_id == chat_id)).rowcount or 0


def payload_key(session: Session, payload: str) -> str:
    """A short, stable key for a button payload (Telegram callback data ≤ 64 bytes)."""
    key = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
    stored = session.get(ButtonPayload, key)
    if stored is None:
        session.add(ButtonPayload(key=key, payload=payload))
    else:  # offered again: the retention period counts from now
        stored.created_at = utcnow()
    return key


def payload_for(session: Session, key: str) -> str | None:
    stored = session.get(ButtonPayload, key)
    return stored.payload if stored else None
