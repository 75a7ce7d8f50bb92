"""Requests to hand a conversation over to a human counsellor. Opened here by the
assistant; claimed, answered and closed by counsellors (Telegram group, console)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Handoff


def open_handoff(session: Session, sender_id: str, reason: str, last_message: str, language: str) -> Handoff:
    """One open request per person: asking again updates it rather than queueing twice."""
    handoff = session.execute(
        select(Handoff).where(Handoff.sender_id == sender_id, Handoff.status == "open")
    ).scalar_one_or_none()
    if handoff is None:
        handoff = Handoff(sender_id=sender_id, reason=reason, language=language, status="open")
        session.add(handoff)
    handoff.last_message = last_message[:2000]
    return handoff


def open_handoffs(session: Session) -> list[Handoff]:
    return list(session.execute(select(Handoff).where(Handoff.status == "open").order_by(Handoff.opened_at)).scalars())


def erase(session: Session, sender_id: str) -> int:
    return session.execute(delete(Handoff).where(Handoff.sender_id == sender_id)).rowcount or 0
