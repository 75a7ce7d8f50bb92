"""Six months after their departure, people are invited to become mentors in turn: the
field report pairs candidates with people settled for at least six months."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import rounds
from app.mentors.requests import (
    _due,
)
from app.mentors.rules import (
    INVITE_AFTER_MONTHS,
)
from app.mentors.suggestions import (
    as_utc,
)
from app.models import Candidate, Checklist, Mentor


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day (31 August -> 28 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Invitation:
    sender_id: str
    language: str
    destination: str | None
    left_on: date


def due_for_invitation(session: Session, now: datetime | None = None) -> list[Invitation]:
    """People who consented, whose recorded departure (the emergency checklist's start
    date) was INVITE_AFTER_MONTHS or more ago, who were not invited yet and are not
    already mentors; earliest departures first."""
    cutoff = months_before(as_utc(now).date(), INVITE_AFTER_MONTHS)
    mentors = select(Mentor.sender_id).where(Mentor.sender_id.is_not(None))
    rows = session.execute(
        select(Candidate.sender_id, Candidate.language, Checklist.destination, Checklist.start_date)
        .join(Checklist, Checklist.sender_id == Candidate.sender_id)
        .where(
            Candidate.consent_given_at.is_not(None),
            Candidate.invited_to_mentor_at.is_(None),
            Checklist.start_date_known.is_(True),
            Checklist.start_date.is_not(None),
            Checklist.start_date <= cutoff,
            Candidate.sender_id.not_in(mentors),
            *_due(Candidate, now),
        )
        .order_by(Checklist.start_date, Candidate.sender_id)
    ).all()
    return [Invitation(*row) for row in rows]


def record_invitation(session: Session, sender_id: str, now: datetime | None = None) -> bool:
    """Remember that the person was invited (once is enough); False if unknown."""
    candidate = session.get(Candidate, sender_id)
    if candidate is None:
        return False
    candidate.invited_to_mentor_at = as_utc(now)
    rounds.done(candidate)
    return True
