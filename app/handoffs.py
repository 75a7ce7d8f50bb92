"""Handing a conversation over to a human counsellor: opened by the assistant (asked,
two misunderstandings in a row, distress), announced to the counsellors' Telegram group,
claimed, answered and closed by a counsellor. Stored for the console."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app import rounds
from app.inbox import retry_delay
from app.models import CounsellorReply, GroupDeletion, GroupMessage, Handoff, HandoffStatus, utcnow
from app.text import fold

OPEN, CLAIMED, CLOSED = HandoffStatus
# With back-off (2 s, 4 s… 5 min), about half an hour of trying before a reply is given up.
MAX_REPLY_ATTEMPTS = 12
ACTIVE = (OPEN, CLAIMED)
MAX_CARD_ATTEMPTS = 8
# Background rounds (app/rounds.py), at least once: a counsellor's answer lost, or a
# request (possibly a distress one) the group never sees, is worse than one shown twice
# after a bridge died in the middle of sending it.
REPLIES = rounds.Queue(CounsellorReply, "sent_at", MAX_REPLY_ATTEMPTS, retry_delay, resend_after_crash=True)
CARDS = rounds.Queue(Handoff, "card_message_id", MAX_CARD_ATTEMPTS, retry_delay, resend_after_crash=True)

# Words that show distress (despair, violence, losing one's home today): the assistant
# stops and a person takes over. Folded (no accents), matched as whole words.
DISTRESS = re.compile(
    r"\b("
    r"desespere?e?s?|suicid\w*|me tuer|mourir|en danger|violence|violent\w*|frappe|battue?|agress\w*"
    r"|expulse\w* aujourd hui|a la rue|sans abri|plus de logement ce soir"
    r"|hopeless|kill myself|suicid\w*|abuse[ds]?|beaten|evicted today|homeless tonight|in danger"
    r")\b"
)


def shows_distress(text: str) -> bool:
    return bool(DISTRESS.search(fold(text)))


def open_handoff(session: Session, sender_id: str, reason: str, last_message: str, language: str) -> Handoff:
    """One active request per person: asking again updates it rather than queueing twice."""
    handoff = active_for(session, sender_id)
    if handoff is None:
        handoff = Handoff(sender_id=sender_id, reason=reason, language=language, status=OPEN)
        session.add(handoff)
    handoff.last_message = last_message[:2000]
    session.flush()
    return handoff


def active_for(session: Session, sender_id: str) -> Handoff | None:
    return (
        session.execute(
            select(Handoff)
            .where(Handoff.sender_id == sender_id, Handoff.status.in_(ACTIVE))
            .order_by(Handoff.id.desc())
        )
        .scalars()
        .first()
    )


def open_handoffs(session: Session) -> list[Handoff]:
    return list(session.execute(select(Handoff).where(Handoff.status == OPEN).order_by(Handoff.opened_at)).scalars())


def unannounced(session: Session, now: datetime | None = None) -> list[Handoff]:
    """Active handoffs whose card is due in the counsellors' group: not posted, not given
    up, not held by a bridge (app/rounds.py takes them before posting)."""
    moment = now or utcnow()
    return list(
        session.execute(
            select(Handoff)
            .where(
                Handoff.status.in_(ACTIVE),
                Handoff.card_message_id.is_(None),
                or_(Handoff.next_attempt_at.is_(None), Handoff.next_attempt_at <= moment),
                *rounds.available(Handoff, moment),
            )
            .order_by(Handoff.id)
        ).scalars()
    )


def card_posted(session: Session, handoff_id: int, card_message_id: int | str) -> None:
    handoff = session.get(Handoff, handoff_id)
    handoff.card_message_id = str(card_message_id)
    rounds.done(handoff)


def by_card(session: Session, card_message_id: str) -> Handoff | None:
    return session.execute(select(Handoff).where(Handoff.card_message_id == card_message_id)).scalars().first()


def by_group_message(session: Session, message_id: str) -> Handoff | None:
    """The handoff a group message belongs to: its card, or a message relayed under it."""
    return (
        by_card(session, message_id)
        or session.scalars(
            select(Handoff)
            .join(GroupMessage, GroupMessage.handoff_id == Handoff.id)
            .where(GroupMessage.message_id == message_id)
        ).first()
    )


def remember_group_message(session: Session, handoff_id: int, message_id: int | str) -> None:
    session.add(GroupMessage(handoff_id=handoff_id, message_id=str(message_id)))


def console_counsellor(email: str) -> str:
    """Who claimed, as stored: console accounts and Telegram users never share a namespace,
    so a Telegram user named like a counsellor's e-mail gets none of that counsellor's rights."""
    return f"console:{email}"


def telegram_counsellor(user_id: int) -> str:
    return f"telegram:{user_id}"


def claim(handoff: Handoff, counsellor: str, name: str) -> bool:
    """The first counsellor to claim gets it; False if someone already has.
    `counsellor` comes from console_counsellor() or telegram_counsellor(); `name` is shown."""
    if handoff.status != OPEN:
        return False
    handoff.status, handoff.claimed_by, handoff.claimed_at = CLAIMED, counsellor, utcnow()
    handoff.claimed_by_name = name[:200]
    return True


def held_by(handoff: Handoff, counsellor: str) -> bool:
    return handoff.status == CLAIMED and handoff.claimed_by == counsellor


def close(handoff: Handoff) -> None:
    handoff.status, handoff.closed_at = CLOSED, utcnow()


def queue_reply(session: Session, handoff: Handoff, author: str, text: str = "", kind: str = "reply") -> None:
    """A counsellor's message from the console, for the bridge to deliver."""
    session.add(
        CounsellorReply(handoff_id=handoff.id, sender_id=handoff.sender_id, author=author, text=text, kind=kind)
    )


def pending_replies(session: Session, now: datetime) -> list[CounsellorReply]:
    """Replies to send now: not sent, not given up, due, and not held by a bridge."""
    return list(
        session.scalars(
            select(CounsellorReply)
            .where(
                CounsellorReply.sent_at.is_(None),
                or_(CounsellorReply.next_attempt_at.is_(None), CounsellorReply.next_attempt_at <= now),
                *rounds.available(CounsellorReply, now),
            )
            .order_by(CounsellorReply.id)
        )
    )


def reply_sent(reply: CounsellorReply, now: datetime) -> None:
    reply.sent_at = now
    rounds.done(reply)


def reply_failed(reply: CounsellorReply, now: datetime, for_good: bool, reason: str = "") -> None:
    """Try again later with back-off, or give up (the console shows it as not delivered, and why)."""
    rounds.failed(reply, REPLIES, reason or "failed", now, give_up=for_good or None)


def erase(session: Session, sender_id: str) -> int:
    """The person's handoffs, with everything remove() takes along."""
    theirs = list(session.scalars(select(Handoff.id).where(Handoff.sender_id == sender_id)))
    return sum(remove(session, theirs).values())


def remove(session: Session, handoff_ids: list[int]) -> dict[str, int]:
    """Handoffs and their replies; their cards and relayed messages in the counsellors'
    group are queued for deletion there (without the sender id). Counts by kind."""
    in_group = [
        *session.scalars(select(Handoff.card_message_id).where(Handoff.id.in_(handoff_ids))),
        *session.scalars(select(GroupMessage.message_id).where(GroupMessage.handoff_id.in_(handoff_ids))),
    ]
    session.add_all(GroupDeletion(message_id=message_id) for message_id in in_group if message_id)
    by_kind = {
        "group_messages": delete(GroupMessage).where(GroupMessage.handoff_id.in_(handoff_ids)),
        "counsellor_replies": delete(CounsellorReply).where(CounsellorReply.handoff_id.in_(handoff_ids)),
        "handoffs": delete(Handoff).where(Handoff.id.in_(handoff_ids)),
    }
    return {
        kind: session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0
        for kind, statement in by_kind.items()
    }


def group_deletions(session: Session) -> list[GroupDeletion]:
    return list(session.scalars(select(GroupDeletion).order_by(GroupDeletion.id)))
