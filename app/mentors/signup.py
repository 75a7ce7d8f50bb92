"""Mentors joining, pausing and withdrawing, with immediate effect (`set_status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.mentors.rules import (
    ACTIVE,
    CHANNELS,
    DEFAULT_MAX_CONTACTS,
    FAMILY_SITUATIONS,
    MENTOR_STATUSES,
    OPEN_REQUESTS,
    TOPICS,
    WITHDRAWN,
    PairingError,
)
from app.mentors.suggestions import (
    as_utc,
)
from app.models import Mentor, MentorRequest, Municipality


def mentor_of(session: Session, sender_id: str) -> Mentor | None:
    return session.execute(select(Mentor).where(Mentor.sender_id == sender_id)).scalar_one_or_none()


def set_status(session: Session, mentor: int | str, status: str) -> Mentor:
    """Pause, withdraw or resume a mentor (`mentor`: its id, or its sender id as a
    string), at once: only active mentors are suggested or can be asked. Withdrawing also
    withdraws the mentor's open requests (asked or accepted), so their contact is no
    longer given; a withdrawn mentor comes back only by consenting again (become_mentor)."""
    if status not in MENTOR_STATUSES:
        raise PairingError(PairingError.INVALID, f"status {status!r}")
    found = session.get(Mentor, mentor) if isinstance(mentor, int) else mentor_of(session, mentor)
    if found is None:
        raise PairingError(PairingError.NOT_FOUND, f"mentor {mentor!r}")
    if found.status == WITHDRAWN and status != WITHDRAWN:
        raise PairingError(PairingError.CONSENT_NEEDED)
    found.status = status
    if status == WITHDRAWN:
        session.execute(
            update(MentorRequest)
            .where(MentorRequest.mentor_id == found.id, MentorRequest.status.in_(OPEN_REQUESTS))
            .values(status=WITHDRAWN)
            .execution_options(synchronize_session="fetch")
        )
    return found


@dataclass
class MentorAnswers:
    """What a person tells when they offer to be a mentor."""

    first_name: str
    municipality: str  # official name
    region_code: str
    settled_since: date
    languages: list[str]
    topics: list[str]
    contact_channel: str
    contact_value: str
    max_contacts_per_month: int = DEFAULT_MAX_CONTACTS
    origin: str | None = None
    field_of_work: str | None = None
    family_situation: str | None = None

    def problems(self, today: date) -> list[str]:
        """The fields that cannot be kept as given (empty when all is well)."""
        wrong = []
        if not self.first_name.strip():
            wrong.append("first_name")
        if self.settled_since > today:
            wrong.append("settled_since")
        if not self.languages or any(len(lang) != 2 or not lang.isalpha() for lang in self.languages):
            wrong.append("languages")
        if not self.topics or any(t not in TOPICS for t in self.topics):
            wrong.append("topics")
        if self.contact_channel not in CHANNELS or not self.contact_value.strip():
            wrong.append("contact")
        if not 1 <= self.max_contacts_per_month <= 20:
            wrong.append("max_contacts_per_month")
        if self.family_situation is not None and self.family_situation not in FAMILY_SITUATIONS:
            wrong.append("family_situation")
        return wrong


def _known_municipality(session: Session, name: str, region_code: str) -> bool:
    found = session.execute(
        select(Municipality.code).where(Municipality.name == name, Municipality.region_code == region_code).limit(1)
    ).first()
    return found is not None


def become_mentor(
    session: Session,
    sender_id: str | None,
    answers: MentorAnswers,
    consent: bool,
    now: datetime | None = None,
    is_demo: bool = False,
) -> Mentor:
    """Create (or renew) a mentor, only with their explicit consent: the consent time is
    recorded and the mentor is active. Someone who withdrew comes back this way."""
    if not consent:
        raise PairingError(PairingError.NO_CONSENT)
    moment = as_utc(now)
    wrong = answers.problems(moment.date())
    if not _known_municipality(session, answers.municipality, answers.region_code):
        wrong.append("municipality")
    if wrong:
        raise PairingError(PairingError.INVALID, ", ".join(wrong))
    mentor = (mentor_of(session, sender_id) if sender_id else None) or Mentor(sender_id=sender_id)
    mentor.first_name = answers.first_name.strip()
    mentor.municipality = answers.municipality
    mentor.region_code = answers.region_code
    mentor.settled_since = answers.settled_since
    mentor.languages = [lang.lower() for lang in answers.languages]
    mentor.topics = [t for t in TOPICS if t in answers.topics]
    mentor.contact_channel = answers.contact_channel
    mentor.contact_value = answers.contact_value.strip()
    mentor.max_contacts_per_month = answers.max_contacts_per_month
    mentor.origin = answers.origin
    mentor.field_of_work = answers.field_of_work
    mentor.family_situation = answers.family_situation
    mentor.status = ACTIVE
    mentor.consent_given_at = moment
    mentor.is_demo = is_demo
    session.add(mentor)
    session.flush()
    return mentor
