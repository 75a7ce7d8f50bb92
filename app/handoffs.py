"""Handing a conversation over to a human counsellor: opened by the assistant (asked,
two misunderstandings in a row, distress), announced to the counsellors' Telegram group,
claimed, answered and closed by a counsellor. Stored for the console."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import CounsellorReply, Handoff, utcnow
from app.text import fold

OPEN, CLAIMED, CLOSED = "open", "claimed", "closed"
ACTIVE = (OPEN, CLAIMED)

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


def unannounced(session: Session) -> list[Handoff]:
    return list(
        session.execute(
            select(Handoff).where(Handoff.status.in_(ACTIVE), Handoff.card_message_id.is_(None)).order_by(Handoff.id)
        ).scalars()
    )


def by_card(session: Session, card_message_id: str) -> Handoff | None:
    return session.execute(select(Handoff).where(Handoff.card_message_id == card_message_id)).scalars().first()


def claim(handoff: Handoff, counsellor: str) -> bool:
    """The first counsellor to claim gets it; False if someone already has."""
    if handoff.status != OPEN:
        return False
    handoff.status, handoff.claimed_by, handoff.claimed_at = CLAIMED, counsellor, utcnow()
    return True


def close(handoff: Handoff) -> None:
    handoff.status, handoff.closed_at = CLOSED, utcnow()


def queue_reply(session: Session, handoff: Handoff, author: str, text: str = "", kind: str = "reply") -> None:
    """A counsellor's message from the console, for the bridge to deliver."""
    session.add(
        CounsellorReply(handoff_id=handoff.id, sender_id=handoff.sender_id, author=author, text=text, kind=kind)
    )


def pending_replies(session: Session) -> list[CounsellorReply]:
    return list(
        session.scalars(select(CounsellorReply).where(CounsellorReply.sent_at.is_(None)).order_by(CounsellorReply.id))
    )


def erase(session: Session, sender_id: str) -> int:
    replies = session.execute(delete(CounsellorReply).where(CounsellorReply.sender_id == sender_id)).rowcount or 0
    return replies + (session.execute(delete(Handoff).where(Handoff.sender_id == sender_id)).rowcount or 0)
