"""Mentor pairing (Tool 5): a candidate about to leave talks with someone who already
settled near their destination, with consent on both sides.

- Ranking is pure (`rank_mentors` over plain dataclasses): nearest first, then shared
  language, field of work, family situation and the topics asked for. Before the mentor's
  yes, a candidate sees only a first name, a municipality and topics (`Suggestion`).
- Double opt-in: a candidate asks (`request_contact`), the mentor answers
  (`answer_request`), and only an accepted request gives the mentor's contact
  (`contact_details_for_candidate`). A request unanswered for a week expires.
- Mentors decide how often they are asked (`max_contacts_per_month`) and can pause or
  withdraw at any time, with immediate effect (`set_status`).
- Six months after their departure, people are invited to become mentors in turn
  (`due_for_invitation`): the report pairs candidates with people settled for at least
  six months.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from app import rounds
from app.models import Candidate, Checklist, Mentor, MentorRequest, Municipality, utcnow
from app.places import PlaceRef, distance_km
from app.settings import get_settings
from app.text import fold

# Mentor statuses.
ACTIVE, PAUSED, WITHDRAWN = "active", "paused", "withdrawn"
MENTOR_STATUSES = (ACTIVE, PAUSED, WITHDRAWN)
# Request statuses: only an accepted request gives the mentor's contact.
ASKED, ACCEPTED, DECLINED, EXPIRED = "asked", "accepted", "declined", "expired"
REQUEST_STATUSES = (ASKED, ACCEPTED, DECLINED, EXPIRED, WITHDRAWN)
OPEN_REQUESTS = (ASKED, ACCEPTED)  # what a mentor's withdrawal ends

TOPICS = ("employment", "housing", "social_life", "tour", "meet_in_person")
CHANNELS = ("telegram", "email", "phone")
FAMILY_SITUATIONS = ("alone", "couple", "family")

# Beyond this, a mentor in another region is too far to help; within the destination's
# region a mentor is always within reach (Côte-Nord or Nord-du-Québec are vast).
REACH_KM = 150.0
NEARBY_KM = 30.0  # the same town or its suburbs
WITHIN_HOUR_KM = 80.0  # a drive the report counts as "near a city"
ANSWER_WITHIN = timedelta(days=7)
CONTACT_WINDOW = timedelta(days=30)  # max_contacts_per_month counts requests in this window
INVITE_AFTER_MONTHS = 6
DEFAULT_MAX_CONTACTS = 2
DEMO_FILE = "demo_mentors.yml"

TOPIC_LABELS = {
    "employment": {"fr": "l'emploi", "en": "jobs"},
    "housing": {"fr": "le logement", "en": "housing"},
    "social_life": {"fr": "la vie sociale", "en": "social life"},
    "tour": {"fr": "une visite des lieux utiles", "en": "a tour of useful places"},
    "meet_in_person": {"fr": "une rencontre en personne", "en": "meeting in person"},
}
# How a suggestion says that the mentor covers a topic the candidate asked about.
_TOPIC_REASONS = {
    "employment": {"fr": "peut parler d'emploi", "en": "can talk about jobs"},
    "housing": {"fr": "connaît le logement", "en": "knows about housing"},
    "social_life": {"fr": "peut vous présenter du monde", "en": "can introduce you to people"},
    "tour": {"fr": "peut vous faire visiter", "en": "can show you around"},
    "meet_in_person": {"fr": "accepte de vous rencontrer", "en": "happy to meet in person"},
}


class PairingError(ValueError):
    """A pairing step that cannot happen; `reason` tells the caller what to say."""

    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"  # the mentor paused or withdrew
    FULL = "full"  # the mentor reached their contacts for the month
    SELF = "self"  # a mentor asking for themselves
    NOT_OPEN = "not_open"  # the request was already answered, expired or withdrawn
    NO_CONSENT = "no_consent"
    CONSENT_NEEDED = "consent_needed"  # a withdrawn mentor comes back through become_mentor
    INVALID = "invalid"

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# --- Ranking (pure)


@dataclass(frozen=True)
class Destination:
    """Where the candidate is going: a municipality (with its coordinates when known) or a
    whole region (kind "region": no distance, mentors of the region only)."""

    name: str
    region_code: str
    lat: float | None = None
    lon: float | None = None
    kind: str = "city"


@dataclass(frozen=True)
class MentorProfile:
    id: int
    first_name: str
    municipality: str
    region_code: str
    lat: float | None = None
    lon: float | None = None
    languages: tuple[str, ...] = ()
    field_of_work: str | None = None
    family_situation: str | None = None
    topics: tuple[str, ...] = ()
    status: str = ACTIVE
    max_contacts_per_month: int = DEFAULT_MAX_CONTACTS
    contacts_this_month: int = 0


@dataclass(frozen=True)
class CandidateProfile:
    languages: tuple[str, ...] = ("fr",)  # in the candidate's order of preference
    field_of_work: str | None = None
    family_situation: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """What a candidate may see of a mentor before the mentor's yes, and why them."""

    mentor_id: int
    first_name: str
    municipality: str
    topics: tuple[str, ...]
    reason_fr: str
    reason_en: str
    distance_km: float | None = None

    def reason(self, language: str) -> str:
        return self.reason_en if language == "en" else self.reason_fr


def _band(mentor: MentorProfile, destination: Destination, km: float | None) -> int | None:
    """How near: 0 same municipality, 1 nearby, 2 within an hour, 3 same region,
    4 another region within reach; None when out of reach."""
    same_region = mentor.region_code == destination.region_code
    if destination.kind == "city" and same_region and fold(mentor.municipality) == fold(destination.name):
        return 0
    if km is not None and km <= NEARBY_KM:
        return 1
    if km is not None and km <= WITHIN_HOUR_KM:
        return 2
    if same_region:
        return 3
    if km is not None and km <= REACH_KM:
        return 4
    return None


def _same_field(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = fold(a), fold(b)
    return a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _reasons(
    mentor: MentorProfile,
    band: int,
    km: float | None,
    language: str | None,
    same_field: bool,
    same_family: bool,
    covered: list[str],
) -> tuple[str, str]:
    """The one-line "why this mentor", in French and in English."""
    place = mentor.municipality
    if band == 0:
        fr, en = [f"À {place} même"], [f"In {place} itself"]
    elif km is not None:
        fr, en = [f"À {place}, à {round(km)} km"], [f"In {place}, {round(km)} km away"]
    else:
        fr, en = [f"À {place}"], [f"In {place}"]
    if band == 3:
        fr[0] += ", dans la même région"
        en[0] += ", same region"
    # Before the mentor's yes, a candidate sees first name, place and topics only: what
    # else matched (language, field, family) is said without saying what it is.
    if language or (same_field and mentor.field_of_work) or (same_family and mentor.family_situation):
        fr.append("un parcours proche du vôtre")
        en.append("a background close to yours")
    fr += [_TOPIC_REASONS[t]["fr"] for t in covered]
    en += [_TOPIC_REASONS[t]["en"] for t in covered]
    return " · ".join(fr), " · ".join(en)


def rank_mentors(
    mentors: Iterable[MentorProfile],
    destination: Destination,
    candidate: CandidateProfile,
    exclude: Collection[int] = (),
    limit: int | None = None,
) -> list[Suggestion]:
    """Active mentors within reach of the destination, best first.

    Order: how near (same municipality, within NEARBY_KM, within WITHIN_HOUR_KM, same
    region, another region within REACH_KM), then a shared language, the same field of
    work, the same family situation, how many of the requested topics they cover, and
    the distance. Mentors who paused, withdrew, reached their contacts for the month or
    are in `exclude` (already asked by this candidate) are left out."""
    ranked: list[tuple[tuple, Suggestion]] = []
    for mentor in mentors:
        if mentor.status != ACTIVE or mentor.id in exclude:
            continue
        if mentor.contacts_this_month >= mentor.max_contacts_per_month:
            continue
        km = None
        if None not in (mentor.lat, mentor.lon, destination.lat, destination.lon):
            km = distance_km(destination.lat, destination.lon, mentor.lat, mentor.lon)
        band = _band(mentor, destination, km)
        if band is None:
            continue
        language = next((lang for lang in candidate.languages if lang in mentor.languages), None)
        same_field = _same_field(candidate.field_of_work, mentor.field_of_work)
        same_family = bool(candidate.family_situation) and candidate.family_situation == mentor.family_situation
        covered = [t for t in TOPICS if t in candidate.topics and t in mentor.topics]
        reason_fr, reason_en = _reasons(mentor, band, km, language, same_field, same_family, covered)
        key = (
            band,
            language is None,
            not same_field,
            not same_family,
            -len(covered),
            km if km is not None else float("inf"),
            fold(mentor.first_name),
            mentor.id,
        )
        suggestion = Suggestion(
            mentor_id=mentor.id,
            first_name=mentor.first_name,
            municipality=mentor.municipality,
            topics=tuple(t for t in TOPICS if t in mentor.topics),
            reason_fr=reason_fr,
            reason_en=reason_en,
            distance_km=None if km is None else round(km, 1),
        )
        ranked.append((key, suggestion))
    ranked.sort(key=lambda pair: pair[0])
    suggestions = [s for _, s in ranked]
    return suggestions[:limit] if limit is not None else suggestions


# --- Reading the database


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return utcnow()
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def municipality_coordinates(
    session: Session, places: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, float]]:
    """(name, region_code) -> (lat, lon) for the municipalities that have coordinates;
    the most populous wins a name shared within a region (as the gazetteer does)."""
    wanted = set(places)
    if not wanted:
        return {}
    rows = session.execute(
        select(Municipality.name, Municipality.region_code, Municipality.lat, Municipality.lon)
        .where(Municipality.name.in_({name for name, _ in wanted}), Municipality.lat.is_not(None))
        .order_by(func.coalesce(Municipality.population_2021, 0))
    ).all()
    return {(n, r): (lat, lon) for n, r, lat, lon in rows if (n, r) in wanted}


def destination_for(session: Session, place: PlaceRef) -> Destination:
    """A gazetteer place as a ranking destination, with the municipality's coordinates."""
    if place.kind != "city":
        return Destination(place.name, place.region_code, kind="region")
    municipality = session.get(Municipality, place.code)
    lat, lon = (municipality.lat, municipality.lon) if municipality else (None, None)
    return Destination(place.name, place.region_code, lat, lon)


def _contacts_since(session: Session, since: datetime) -> dict[int, int]:
    rows = session.execute(
        select(MentorRequest.mentor_id, func.count())
        .where(MentorRequest.asked_at > since)
        .group_by(MentorRequest.mentor_id)
    ).all()
    return dict(rows)


def suggest_mentors(
    session: Session,
    destination: PlaceRef | Destination,
    candidate: CandidateProfile,
    candidate_sender_id: str | None = None,
    limit: int | None = 3,
    now: datetime | None = None,
) -> list[Suggestion]:
    """The best mentors for a candidate going to `destination`, leaving out the mentors
    this candidate already asked (whatever the answer) and the candidate themself."""
    if isinstance(destination, PlaceRef):
        destination = destination_for(session, destination)
    mentors = list(session.scalars(select(Mentor).where(Mentor.status == ACTIVE)))
    coordinates = municipality_coordinates(session, {(m.municipality, m.region_code) for m in mentors})
    contacts = _contacts_since(session, _utc(now) - CONTACT_WINDOW)
    exclude: set[int] = set()
    if candidate_sender_id is not None:
        exclude |= set(
            session.scalars(
                select(MentorRequest.mentor_id).where(MentorRequest.candidate_sender_id == candidate_sender_id)
            )
        )
        exclude |= {m.id for m in mentors if m.sender_id == candidate_sender_id}
    return rank_mentors(
        [_profile(m, coordinates.get((m.municipality, m.region_code)), contacts.get(m.id, 0)) for m in mentors],
        destination,
        candidate,
        exclude=exclude,
        limit=limit,
    )


def _profile(mentor: Mentor, where: tuple[float, float] | None, contacts: int) -> MentorProfile:
    lat, lon = where or (None, None)
    return MentorProfile(
        id=mentor.id,
        first_name=mentor.first_name,
        municipality=mentor.municipality,
        region_code=mentor.region_code,
        lat=lat,
        lon=lon,
        languages=tuple(mentor.languages or ()),
        field_of_work=mentor.field_of_work,
        family_situation=mentor.family_situation,
        topics=tuple(mentor.topics or ()),
        status=mentor.status,
        max_contacts_per_month=mentor.max_contacts_per_month,
        contacts_this_month=contacts,
    )


# --- Double opt-in


@dataclass(frozen=True)
class ContactDetails:
    first_name: str
    channel: str  # telegram, email, phone
    value: str


def request_contact(
    session: Session,
    candidate_sender_id: str,
    mentor_id: int,
    destination: str | None,
    topics: Iterable[str] = (),
    now: datetime | None = None,
) -> MentorRequest:
    """A candidate asks to talk with a mentor; the mentor is then asked (status "asked").
    Asking the same mentor again returns the first request, whatever its status (a
    mentor who said no is not asked twice)."""
    existing = session.execute(
        select(MentorRequest).where(
            MentorRequest.candidate_sender_id == candidate_sender_id, MentorRequest.mentor_id == mentor_id
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    mentor = session.get(Mentor, mentor_id)
    if mentor is None:
        raise PairingError(PairingError.NOT_FOUND, f"mentor {mentor_id}")
    if mentor.status != ACTIVE:
        raise PairingError(PairingError.UNAVAILABLE, mentor.status)
    if mentor.sender_id is not None and mentor.sender_id == candidate_sender_id:
        raise PairingError(PairingError.SELF)
    moment = _utc(now)
    if _contacts_since(session, moment - CONTACT_WINDOW).get(mentor.id, 0) >= mentor.max_contacts_per_month:
        raise PairingError(PairingError.FULL)
    request = MentorRequest(
        candidate_sender_id=candidate_sender_id,
        mentor_id=mentor.id,
        destination=destination,
        topics=[t for t in TOPICS if t in set(topics)],
        status=ASKED,
        asked_at=moment,
    )
    session.add(request)
    session.flush()
    return request


def answer_request(
    session: Session,
    request_id: int,
    accepted: bool,
    mentor_sender_id: str | None = None,
    now: datetime | None = None,
) -> MentorRequest:
    """The mentor's yes or no. Answering the same way twice is harmless; answering a
    request that expired or was withdrawn is refused. With `mentor_sender_id`, only that
    mentor may answer."""
    request = session.get(MentorRequest, request_id)
    if request is None or (mentor_sender_id is not None and request.mentor.sender_id != mentor_sender_id):
        raise PairingError(PairingError.NOT_FOUND, f"request {request_id}")
    answer = ACCEPTED if accepted else DECLINED
    if request.status == answer:
        return request
    if request.status != ASKED:
        raise PairingError(PairingError.NOT_OPEN, request.status)
    request.status, request.answered_at = answer, _utc(now)
    return request


def contact_details_for_candidate(
    session: Session,
    request_id: int,
    candidate_sender_id: str | None = None,
    now: datetime | None = None,
) -> ContactDetails | None:
    """The mentor's contact, only once the mentor said yes (and has not withdrawn since);
    None otherwise. Records when it was first shared. With `candidate_sender_id`, only
    for the candidate who asked."""
    request = session.get(MentorRequest, request_id)
    if request is None or request.status != ACCEPTED or request.mentor.status == WITHDRAWN:
        return None
    if candidate_sender_id is not None and request.candidate_sender_id != candidate_sender_id:
        return None
    if request.contact_shared_at is None:
        request.contact_shared_at = _utc(now)
    mentor = request.mentor
    return ContactDetails(mentor.first_name, mentor.contact_channel, mentor.contact_value)


def expire_unanswered(session: Session, now: datetime | None = None) -> list[MentorRequest]:
    """Requests asked ANSWER_WITHIN ago or more without an answer become expired; they
    are returned so that each candidate can be told and offered another mentor."""
    requests = list(
        session.scalars(
            select(MentorRequest)
            .where(MentorRequest.status == ASKED, MentorRequest.asked_at <= _utc(now) - ANSWER_WITHIN)
            .order_by(MentorRequest.id)
        )
    )
    for request in requests:
        request.status = EXPIRED
    return requests


def requests_of_candidate(session: Session, candidate_sender_id: str) -> list[MentorRequest]:
    return list(
        session.scalars(
            select(MentorRequest)
            .where(MentorRequest.candidate_sender_id == candidate_sender_id)
            .order_by(MentorRequest.id)
        )
    )


def pending_for_mentor(session: Session, mentor_sender_id: str) -> list[MentorRequest]:
    """Requests waiting for this mentor's answer, oldest first."""
    return list(
        session.scalars(
            select(MentorRequest)
            .join(Mentor, Mentor.id == MentorRequest.mentor_id)
            .where(Mentor.sender_id == mentor_sender_id, MentorRequest.status == ASKED)
            .order_by(MentorRequest.asked_at, MentorRequest.id)
        )
    )


def _retry_after(attempts: int) -> timedelta:
    """The next round tries once more (a blip), then 2 minutes, doubling, at most 2 hours:
    about four hours of trying before giving up."""
    return min(timedelta(minutes=2) * 2 ** (attempts - 2), timedelta(hours=2)) if attempts > 1 else timedelta(0)


MAX_SEND_ATTEMPTS = 8
# The bridge's messages about pairing are background rounds (app/rounds.py), at most once:
# a mentor asked twice, or a contact given twice, is worse than one message lost in the
# seconds a bridge dies while sending it (the console shows it as given up).
MENTOR_ASKS = rounds.Queue(MentorRequest, "mentor_asked_at", MAX_SEND_ATTEMPTS, _retry_after, resend_after_crash=False)
OUTCOMES = rounds.Queue(MentorRequest, "candidate_told_at", MAX_SEND_ATTEMPTS, _retry_after, resend_after_crash=False)
INVITATIONS = rounds.Queue(Candidate, "invited_to_mentor_at", MAX_SEND_ATTEMPTS, _retry_after, resend_after_crash=False)


def _due(model: type, now: datetime | None) -> list:
    """Not given up, not held by a bridge, and past its back-off."""
    moment = _utc(now)
    return [*rounds.available(model, moment), or_(model.next_attempt_at.is_(None), model.next_attempt_at <= moment)]


def requests_to_ask(session: Session, now: datetime | None = None) -> list[MentorRequest]:
    """Requests whose mentor chose to be asked here (Telegram) and was not asked yet.
    Mentors reached by e-mail or phone are asked by a counsellor (the console)."""
    return list(
        session.scalars(
            select(MentorRequest)
            .join(Mentor, Mentor.id == MentorRequest.mentor_id)
            .where(
                MentorRequest.status == ASKED,
                MentorRequest.mentor_asked_at.is_(None),
                Mentor.contact_channel == "telegram",
                Mentor.sender_id.is_not(None),
                *_due(MentorRequest, now),
            )
            .order_by(MentorRequest.id)
        )
    )


def outcomes_to_tell(session: Session, now: datetime | None = None) -> list[MentorRequest]:
    """Requests answered (yes or no), expired or withdrawn whose candidate was not told."""
    return list(
        session.scalars(
            select(MentorRequest)
            .where(MentorRequest.status != ASKED, MentorRequest.candidate_told_at.is_(None), *_due(MentorRequest, now))
            .order_by(MentorRequest.id)
        )
    )


# --- Mentors: joining, pausing, withdrawing


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
    moment = _utc(now)
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


# --- Six months after leaving: invitation to become a mentor


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
    cutoff = months_before(_utc(now).date(), INVITE_AFTER_MONTHS)
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
    candidate.invited_to_mentor_at = _utc(now)
    rounds.done(candidate)
    return True


# --- Law 25


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


# --- Demo mentors (never in production)


def read_demo_mentors(path: Path | None = None) -> list[dict]:
    path = path or get_settings().knowledge_dir / DEMO_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_demo_mentors(session: Session, confirm: bool = False, path: Path | None = None) -> int:
    """Load the fictional mentors of knowledge/demo_mentors.yml (is_demo), idempotently
    (keyed by their demo sender id). Refuses unless `confirm` (`python -m app
    seed-demo-mentors` passes it; `setup` never does), and refuses a database that holds
    real mentors: candidates must never be paired with someone who does not exist."""
    if not confirm:
        raise PermissionError("demo mentors are loaded only on request: python -m app seed-demo-mentors")
    real = session.execute(select(func.count()).select_from(Mentor).where(Mentor.is_demo.is_(False))).scalar_one()
    if real:
        raise PermissionError(f"this database holds {real} real mentors: demo mentors are not mixed with them")
    entries = read_demo_mentors(path)
    for entry in entries:
        sender_id = entry["sender_id"]
        if not sender_id.startswith("demo-"):
            raise ValueError(f"a demo mentor's sender id starts with 'demo-': {sender_id!r}")
        answers = MentorAnswers(
            first_name=entry["first_name"],
            municipality=entry["municipality"],
            region_code=str(entry["region_code"]),
            settled_since=entry["settled_since"],
            languages=entry["languages"],
            topics=entry["topics"],
            contact_channel=entry["contact_channel"],
            contact_value=entry["contact_value"],
            max_contacts_per_month=entry.get("max_contacts_per_month", DEFAULT_MAX_CONTACTS),
            origin=entry.get("origin"),
            field_of_work=entry.get("field_of_work"),
            family_situation=entry.get("family_situation"),
        )
        existing = mentor_of(session, sender_id)
        consented = existing.consent_given_at if existing is not None else None
        mentor = become_mentor(session, sender_id, answers, consent=True, is_demo=True)
        if consented is not None:  # reloading keeps the first load's time
            mentor.consent_given_at = consented
    return len(entries)


def remove_demo_mentors(session: Session) -> int:
    """Delete the demo mentors and the requests made to them."""
    ids = list(session.scalars(select(Mentor.id).where(Mentor.is_demo.is_(True))))
    session.execute(
        delete(MentorRequest).where(MentorRequest.mentor_id.in_(ids)).execution_options(synchronize_session="fetch")
    )
    result = session.execute(delete(Mentor).where(Mentor.id.in_(ids)).execution_options(synchronize_session="fetch"))
    return result.rowcount or 0
