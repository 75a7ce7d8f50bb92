"""Law 25: a person's mentor record and every request they are part of, erased."""

from __future__ import annotations

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from app.models import Mentor, MentorRequest


def erase(session: Session, sender_id: str) -> int:
    """Delete a person's mentor record and every request they are part of, as candidate
    or as mentor (a mentor reached on Telegram is also found by that chat id)."""
    mentor_ids = list(
        session.scalars(
            select(Mentor.id).where(
                or_(
                    Mentor.sender_id == sender_id,
                    and_(Mentor.contact_channel == "telegram", Mentor.contact_value == sender_id),
                )
            )
        )
    )
    requests = session.execute(
        delete(MentorRequest)
        .where(or_(MentorRequest.candidate_sender_id == sender_id, MentorRequest.mentor_id.in_(mentor_ids)))
        .execution_options(synchronize_session="fetch")
    )
    mentors = session.execute(
        delete(Mentor).where(Mentor.id.in_(mentor_ids)).execution_options(synchronize_session="fetch")
    )
    return (requests.rowcount or 0) + (mentors.rowcount or 0)
