"""The database models, in one place. Reference data (regions, municipalities, schools,
sectors) is reloaded from knowledge/ by `python -m app seed`; organisations are seeded
once and then kept by counsellors; candidates are the people who chat with the assistant.

Rasa's own `events` table (the tracker store, app/tracker_store.py) lives in the same
database but is created and owned by Rasa.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, declarative_base, relationship
from sqlalchemy.types import TypeDecorator

Base = declarative_base()


class Status(str, Enum):
    """A row's state, stored as its plain value ("open"), compared with plain strings too."""

    def __str__(self) -> str:
        return self.value


class HandoffStatus(Status):
    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class MentorStatus(Status):
    ACTIVE = "active"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"


class RequestStatus(Status):
    """Only an accepted request gives the mentor's contact."""

    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """A moment, stored in UTC on every database. SQLite keeps no zone: a Montréal time
    written as such came back five hours off. So an aware datetime is converted to UTC
    before it is written, a naive one is refused (its zone is unknown), and every value is
    read back aware, in UTC, from SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"a datetime without a zone cannot be stored: {value!r}")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = Column(String(2), primary_key=True)
    name: Mapped[str] = Column(String(80), nullable=False, unique=True)
    population_2021: Mapped[int] = Column(Integer, nullable=False)
    population_2016: Mapped[int] = Column(Integer, nullable=False)
    land_area_km2: Mapped[float] = Column(Float, nullable=False)

    municipalities: Mapped[list[Municipality]] = relationship(
        "Municipality", back_populates="region", order_by="Municipality.name"
    )

    @property
    def density(self) -> float:
        return self.population_2021 / self.land_area_km2


class Municipality(Base):
    __tablename__ = "municipalities"

    code: Mapped[str] = Column(String(5), primary_key=True)
    name: Mapped[str] = Column(String(120), nullable=False, index=True)
    designation: Mapped[str] = Column(String(60), nullable=False)
    region_code: Mapped[str] = Column(String(2), ForeignKey("regions.code"), nullable=False)
    mrc: Mapped[str | None] = Column(String(120))
    # Census 2021 figures; None where the municipality changed after the census.
    population_2021: Mapped[int | None] = Column(Integer)
    population_2016: Mapped[int | None] = Column(Integer)
    land_km2: Mapped[float | None] = Column(Float)
    density_2021: Mapped[float | None] = Column(Float)
    population_decree: Mapped[int | None] = Column(Integer)
    lat: Mapped[float | None] = Column(Float)
    lon: Mapped[float | None] = Column(Float)
    website: Mapped[str | None] = Column(String(200))

    region: Mapped[Region] = relationship("Region", back_populates="municipalities")


class SchoolCentre(Base):
    """A school service centre (French) or school board (English), per region it serves."""

    __tablename__ = "school_centres"
    __table_args__ = (UniqueConstraint("code", "region_code"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    code: Mapped[str] = Column(String(6), nullable=False)
    name: Mapped[str] = Column(String(120), nullable=False)
    language: Mapped[str] = Column(String(8), nullable=False)  # fr, en or special
    website: Mapped[str | None] = Column(String(200))
    region_code: Mapped[str] = Column(String(2), ForeignKey("regions.code"), nullable=False)
    buildings_in_region: Mapped[int | None] = Column(Integer)


class AdultEducationCentre(Base):
    __tablename__ = "adult_education_centres"

    code: Mapped[str] = Column(String(6), primary_key=True)
    name: Mapped[str] = Column(String(200), nullable=False)
    school_centre_code: Mapped[str] = Column(String(6), nullable=False)
    region_code: Mapped[str] = Column(String(2), ForeignKey("regions.code"), nullable=False)
    municipalities: Mapped[str] = Column(Text, nullable=False)  # "; "-separated names


class GrowthSectors(Base):
    """One source's list of growth sectors for a region, kept with that source."""

    __tablename__ = "growth_sectors"

    id: Mapped[int] = Column(Integer, primary_key=True)
    region_code: Mapped[str] = Column(String(2), ForeignKey("regions.code"), nullable=False)
    sectors: Mapped[str] = Column(Text, nullable=False)  # as the source wrote it (English)
    sectors_fr: Mapped[str | None] = Column(Text)  # faithful French rendering
    source_url: Mapped[str] = Column(String(400), nullable=False)
    year: Mapped[str] = Column(String(60), nullable=False)
    source_type: Mapped[str] = Column(String(200), nullable=False)
    confidence: Mapped[str] = Column(String(10), nullable=False)


class Organisation(Base):
    """A regional organisation (Tool 4's shared grid). Seeded from knowledge/, then kept
    up to date by counsellors, so the seed never overwrites an existing row."""

    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("name", "region_code"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(300), nullable=False)
    org_type: Mapped[str] = Column(String(200), nullable=False)
    org_type_fr: Mapped[str | None] = Column(String(200))
    region_code: Mapped[str] = Column(String(2), ForeignKey("regions.code"), nullable=False)
    city: Mapped[str | None] = Column(String(200))
    services: Mapped[str] = Column(Text, nullable=False)
    services_fr: Mapped[str | None] = Column(Text)
    website: Mapped[str | None] = Column(String(300))
    source_url: Mapped[str] = Column(String(500), nullable=False)
    date_seen: Mapped[str] = Column(String(60), nullable=False)
    confidence: Mapped[str] = Column(String(10), nullable=False)
    notes: Mapped[str | None] = Column(Text)
    # Set when a counsellor confirms the entry; None means "to be validated".
    verified_on: Mapped[date | None] = Column(Date)
    retired: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    # Kept by counsellors in the console (the report's shared grid).
    contact_person: Mapped[str | None] = Column(String(200))
    collaboration: Mapped[str | None] = Column(String(200))  # type of collaboration with the team


class BackgroundRound:
    """The columns of an item the bridge's background rounds send (app/rounds.py): which
    bridge holds its lease and until when, since when it is being sent, and when and why it
    was given up. Each table keeps its own attempts and next attempt (their defaults differ)."""

    taken_by: Mapped[str | None] = Column(String(80))
    taken_until: Mapped[datetime | None] = Column(UtcDateTime())
    sending_since: Mapped[datetime | None] = Column(UtcDateTime())
    failed_at: Mapped[datetime | None] = Column(UtcDateTime())
    failure_reason: Mapped[str | None] = Column(Text)


class Candidate(BackgroundRound, Base):
    """A person chatting with the assistant, keyed by the channel's sender id."""

    __tablename__ = "candidates"

    sender_id: Mapped[str] = Column(String(255), primary_key=True)
    language: Mapped[str] = Column(String(2), nullable=False, default="fr")
    consent_given_at: Mapped[datetime | None] = Column(UtcDateTime())
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
    # When the person was asked to become a mentor, six months after leaving (app/mentors.py).
    invited_to_mentor_at: Mapped[datetime | None] = Column(UtcDateTime())
    # The invitation is a background round (BackgroundRound): its attempts.
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = Column(UtcDateTime())


class Handoff(BackgroundRound, Base):
    """A person asked for (or needs) a human counsellor."""

    __tablename__ = "handoffs"

    id: Mapped[int] = Column(Integer, primary_key=True)
    sender_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    reason: Mapped[str] = Column(String(40), nullable=False)  # asked, fallback, distress
    language: Mapped[str] = Column(String(2), nullable=False, default="fr")
    last_message: Mapped[str | None] = Column(Text)
    status: Mapped[str] = Column(String(10), nullable=False, default=HandoffStatus.OPEN.value)
    opened_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    # The card posted in the counsellors' Telegram group, once posted.
    card_message_id: Mapped[str | None] = Column(String(64))
    # "console:<e-mail>" or "telegram:<user id>" (app/handoffs.py), and the name shown.
    claimed_by: Mapped[str | None] = Column(String(200))
    claimed_by_name: Mapped[str | None] = Column(String(200))
    claimed_at: Mapped[datetime | None] = Column(UtcDateTime())
    closed_at: Mapped[datetime | None] = Column(UtcDateTime())
    # Posting the card is a background round (BackgroundRound): its attempts.
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = Column(UtcDateTime())


class Checklist(Base):
    """The emergency-departure checklist of a person who consented (mirror of the slot)."""

    __tablename__ = "checklists"

    sender_id: Mapped[str] = Column(String(255), primary_key=True)
    start_date: Mapped[date | None] = Column(Date)
    start_date_known: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    destination: Mapped[str | None] = Column(String(120))
    region: Mapped[str | None] = Column(String(80))
    updated_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class ChecklistItemStatus(Base):
    __tablename__ = "checklist_items"

    sender_id: Mapped[str] = Column(String(255), primary_key=True)
    item_key: Mapped[str] = Column(String(40), primary_key=True)
    status: Mapped[str] = Column(String(16), nullable=False)  # todo, done, not_applicable
    updated_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class LiaisonNote(Base):
    """A note for a regional organisation, prepared with the person's consent."""

    __tablename__ = "liaison_notes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    sender_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    region: Mapped[str | None] = Column(String(80))
    organisation: Mapped[str | None] = Column(String(300))
    text: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class InboundMessage(BackgroundRound, Base):  # a chat's oldest message is leased (app/rounds.py)
    """A message received by the Telegram bridge, kept until Rasa has answered it, so
    that nothing is lost when Rasa or the action server is down."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = Column(Integer, primary_key=True)
    chat_id: Mapped[str] = Column(String(64), nullable=False, index=True)
    text: Mapped[str] = Column(Text, nullable=False)
    metadata_json: Mapped[str] = Column(Text, nullable=False, default="{}")
    received_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    delivered_at: Mapped[datetime | None] = Column(UtcDateTime())
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    delay_notified: Mapped[bool] = Column(Boolean, nullable=False, default=False)


class ButtonPayload(Base):
    """Telegram's callback data holds 64 bytes; a Rasa button payload may be longer, so
    the button carries this short key instead."""

    __tablename__ = "button_payloads"

    key: Mapped[str] = Column(String(16), primary_key=True)
    payload: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class Mentor(Base):
    """Someone settled in a region who agreed to talk with candidates moving near them
    (Tool 5, app/mentors.py). Before the mentor says yes to a request, a candidate sees
    only the first name, municipality and topics; the contact only after that yes."""

    __tablename__ = "mentors"

    id: Mapped[int] = Column(Integer, primary_key=True)
    first_name: Mapped[str] = Column(String(80), nullable=False)
    municipality: Mapped[str] = Column(String(120), nullable=False)  # official name
    region_code: Mapped[str] = Column(String(2), ForeignKey("regions.code"), nullable=False, index=True)
    settled_since: Mapped[date] = Column(Date, nullable=False)
    languages: Mapped[list[str]] = Column(JSON, nullable=False, default=list)  # ISO 639-1: fr, en, es…
    origin: Mapped[str | None] = Column(String(120))
    field_of_work: Mapped[str | None] = Column(String(120))
    family_situation: Mapped[str | None] = Column(String(10))  # alone, couple, family
    topics: Mapped[list[str]] = Column(JSON, nullable=False, default=list)  # employment, housing, …
    contact_channel: Mapped[str] = Column(String(10), nullable=False)  # telegram, email, phone
    contact_value: Mapped[str] = Column(String(255), nullable=False)  # private: shared only after a yes
    max_contacts_per_month: Mapped[int] = Column(Integer, nullable=False, default=2)
    status: Mapped[str] = Column(String(10), nullable=False, default=MentorStatus.ACTIVE.value)
    consent_given_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False)
    # The mentor's own chat with the assistant (/mentor, and asking them about a request).
    sender_id: Mapped[str | None] = Column(String(255), unique=True)
    is_demo: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class MentorRequest(BackgroundRound, Base):
    """A candidate's request to talk with a mentor (double opt-in: the mentor answers)."""

    __tablename__ = "mentor_requests"
    # Asking the same mentor twice gives back the first request.
    __table_args__ = (UniqueConstraint("candidate_sender_id", "mentor_id"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    candidate_sender_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    mentor_id: Mapped[int] = Column(Integer, ForeignKey("mentors.id", ondelete="CASCADE"), nullable=False, index=True)
    destination: Mapped[str | None] = Column(String(120))
    topics: Mapped[list[str]] = Column(JSON, nullable=False, default=list)
    status: Mapped[str] = Column(String(10), nullable=False, default=RequestStatus.ASKED.value)
    asked_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    answered_at: Mapped[datetime | None] = Column(UtcDateTime())
    contact_shared_at: Mapped[datetime | None] = Column(UtcDateTime())
    # When the bridge asked the mentor (Telegram mentors) and told the candidate the outcome.
    mentor_asked_at: Mapped[datetime | None] = Column(UtcDateTime())
    candidate_told_at: Mapped[datetime | None] = Column(UtcDateTime())
    # Those two messages are background rounds (BackgroundRound): their attempts.
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = Column(UtcDateTime())

    mentor: Mapped[Mentor] = relationship("Mentor")


class QuestionnaireAnswer(Base):
    """One answer of the preparation questionnaire or the self-assessment, kept for the
    counsellor when the person consented; the latest answer replaces the earlier one."""

    __tablename__ = "questionnaire_answers"

    sender_id: Mapped[str] = Column(String(255), primary_key=True)
    theme: Mapped[str] = Column(String(40), primary_key=True)
    question: Mapped[str] = Column(String(40), primary_key=True)
    value: Mapped[Any] = Column(JSON, nullable=False)
    answered_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class CompetencyScore(Base):
    """The self-assessment's mean rating (1 to 5) for one of the five competencies."""

    __tablename__ = "competency_scores"

    sender_id: Mapped[str] = Column(String(255), primary_key=True)
    competency: Mapped[str] = Column(String(40), primary_key=True)
    score: Mapped[float] = Column(Float, nullable=False)
    assessed_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class ConsoleUser(Base):
    """A counsellor's (or admin's) account for the console; passwords as argon2 hashes."""

    __tablename__ = "console_users"

    id: Mapped[int] = Column(Integer, primary_key=True)
    email: Mapped[str] = Column(String(254), nullable=False, unique=True)
    name: Mapped[str] = Column(String(200), nullable=False)
    password_hash: Mapped[str] = Column(String(200), nullable=False)
    role: Mapped[str] = Column(String(12), nullable=False, default="counsellor")  # counsellor, admin
    active: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    failed_logins: Mapped[int] = Column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = Column(UtcDateTime())
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    last_login_at: Mapped[datetime | None] = Column(UtcDateTime())
    must_change_password: Mapped[bool] = Column(Boolean, nullable=False, default=False)  # after an admin reset


class AuditEntry(Base):
    """Who viewed, exported or changed what (Québec's Law 25)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = Column(Integer, primary_key=True)
    at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow, index=True)
    user_email: Mapped[str] = Column(String(254), nullable=False)
    action: Mapped[str] = Column(String(40), nullable=False)  # viewed, exported, printed, claimed, ...
    subject: Mapped[str] = Column(String(40), nullable=False)  # dossier, transcript, organisations, ...
    subject_id: Mapped[str | None] = Column(String(255), index=True)
    detail: Mapped[str | None] = Column(Text)


class CandidateNote(Base):
    """A counsellor's note on a candidate: never on printouts or exports for others; part of
    the person's copy of their data when they ask for it (Law 25's right of access)."""

    __tablename__ = "candidate_notes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    sender_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    author: Mapped[str] = Column(String(254), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class ConversationLabel(Base):
    __tablename__ = "conversation_labels"

    sender_id: Mapped[str] = Column(String(255), primary_key=True)
    label: Mapped[str] = Column(String(60), primary_key=True)
    added_by: Mapped[str] = Column(String(254), nullable=False)
    added_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class CounsellorReply(BackgroundRound, Base):
    """A counsellor's answer typed in the console, waiting for the Telegram bridge to
    deliver it (the bridge owns the channel; the console only writes here)."""

    __tablename__ = "counsellor_replies"

    id: Mapped[int] = Column(Integer, primary_key=True)
    handoff_id: Mapped[int] = Column(Integer, ForeignKey("handoffs.id"), nullable=False, index=True)
    sender_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    author: Mapped[str] = Column(String(254), nullable=False)
    # "reply": the counsellor's words; "resumed": tell the person the assistant is back.
    kind: Mapped[str] = Column(String(10), nullable=False, default="reply")
    text: Mapped[str] = Column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = Column(UtcDateTime())
    # Retried with back-off (app/inbox.py retry_delay), given up after handoffs.MAX_REPLY_ATTEMPTS
    # or at once when the channel refuses for good.
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = Column(UtcDateTime())


class Webinar(Base):
    """A short webinar about regions; its code makes the Telegram deep link."""

    __tablename__ = "webinars"

    id: Mapped[int] = Column(Integer, primary_key=True)
    code: Mapped[str] = Column(String(20), nullable=False, unique=True)
    title: Mapped[str] = Column(String(200), nullable=False)
    regions: Mapped[list[str]] = Column(JSON, nullable=False, default=list)
    starts_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False)
    language: Mapped[str] = Column(String(2), nullable=False, default="fr")
    presenter: Mapped[str] = Column(String(200), nullable=False, default="")
    # Days after the webinar for each follow-up step (app/webinars.py STEPS).
    schedule: Mapped[dict[str, int]] = Column(JSON, nullable=False, default=dict)
    cancelled_at: Mapped[datetime | None] = Column(UtcDateTime())
    # How many conversations opened the link: counted without keeping who (Law 25); an
    # attendee row exists only once the person says yes to the follow-ups.
    link_opens: Mapped[int] = Column(Integer, nullable=False, default=0)
    created_by: Mapped[str] = Column(String(254), nullable=False)
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class WebinarAttendee(Base):
    """Someone who opened a webinar's link; follow-ups only with their own consent."""

    __tablename__ = "webinar_attendees"
    __table_args__ = (UniqueConstraint("webinar_id", "sender_id"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    webinar_id: Mapped[int] = Column(Integer, ForeignKey("webinars.id"), nullable=False, index=True)
    sender_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    joined_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    followups_consent: Mapped[bool | None] = Column(Boolean)
    consent_at: Mapped[datetime | None] = Column(UtcDateTime())
    stopped_at: Mapped[datetime | None] = Column(UtcDateTime())  # /stop
    answered_at: Mapped[datetime | None] = Column(UtcDateTime())  # first reply after a follow-up


class FollowupDelivery(BackgroundRound, Base):
    """One follow-up step for one attendee: the schedule, kept in the database so that a
    restart loses nothing and a step goes out once."""

    __tablename__ = "followup_deliveries"
    __table_args__ = (UniqueConstraint("attendee_id", "step"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    attendee_id: Mapped[int] = Column(Integer, ForeignKey("webinar_attendees.id"), nullable=False, index=True)
    step: Mapped[str] = Column(String(20), nullable=False)
    due_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False)
    next_attempt_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, index=True)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    sent_at: Mapped[datetime | None] = Column(UtcDateTime())
    skipped: Mapped[str | None] = Column(String(20))  # stopped, cancelled, no_consent, removed, failed


class ConsoleSession(Base):
    """A console log-in, kept on the server so that log-out and password changes end it.
    Only the sha256 of its random id is stored; the id itself lives in the signed cookie."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    token_hash: Mapped[str] = Column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = Column(Integer, ForeignKey("console_users.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, index=True)
    revoked_at: Mapped[datetime | None] = Column(UtcDateTime())


class ConsoleLoginAttempt(Base):
    """A failed (or in-progress) console log-in from one client address, for the per-address
    throttle; rows older than the throttle's window are pruned."""

    __tablename__ = "console_login_attempts"

    id: Mapped[int] = Column(Integer, primary_key=True)
    address: Mapped[str] = Column(String(64), nullable=False, index=True)
    at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow, index=True)


class GroupMessage(Base):
    """A message about a person in the counsellors' Telegram group (a relayed message or a
    counsellor's reply; the card itself is Handoff.card_message_id): known so that erasure
    also removes it from the group."""

    __tablename__ = "group_messages"

    id: Mapped[int] = Column(Integer, primary_key=True)
    handoff_id: Mapped[int] = Column(Integer, ForeignKey("handoffs.id"), nullable=False, index=True)
    message_id: Mapped[str] = Column(String(64), nullable=False, index=True)


class GroupDeletion(Base):
    """A group message to delete through the Bot API once its person was erased (no sender
    id kept); the bridge works through them (bot/counsellors.py)."""

    __tablename__ = "group_deletions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    message_id: Mapped[str] = Column(String(64), nullable=False)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    queued_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)


class RetentionRun(Base):
    """One run of the Law 25 retention purge (app/retention.py) and what it deleted."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = Column(Integer, primary_key=True)
    at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow, index=True)
    counts: Mapped[dict[str, int]] = Column(JSON, nullable=False, default=dict)


class ConfidentialityIncident(Base):
    """One entry of the register of confidentiality incidents that Québec's Law 25 requires
    (s. 3.8): what happened, to whose information, the risk of serious injury, and who was
    told when. Kept by admins in the console."""

    __tablename__ = "confidentiality_incidents"

    id: Mapped[int] = Column(Integer, primary_key=True)
    occurred_on: Mapped[date] = Column(Date, nullable=False)
    discovered_on: Mapped[date] = Column(Date, nullable=False)
    description: Mapped[str] = Column(Text, nullable=False)
    whose_data: Mapped[str | None] = Column(Text)  # whose information: candidates, mentors, ...
    information_kinds: Mapped[str | None] = Column(Text)  # which kinds of personal information
    people_count: Mapped[int] = Column(Integer, nullable=False)
    serious_risk: Mapped[bool] = Column(Boolean, nullable=False)
    risk_assessment: Mapped[str | None] = Column(Text)
    measures: Mapped[str | None] = Column(Text)
    cai_notified_on: Mapped[date | None] = Column(Date)  # Commission d'accès à l'information
    people_notified_on: Mapped[date | None] = Column(Date)
    notified_notes: Mapped[str | None] = Column(Text)  # who else was told, and how
    recorded_by: Mapped[str] = Column(String(254), nullable=False)
    recorded_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = Column(UtcDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
