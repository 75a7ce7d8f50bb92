"""Contact requests, the double opt-in: a candidate asks (`request_contact`), the mentor
answers (`answer_request`), and only an accepted request gives the mentor's contact
(`contact_details_for_candidate`). A request unanswered for a week expires. The bridge's
rounds (asking mentors, telling outcomes) take their items here, exactly once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import rounds
from app.mentors.rules import (
    ACCEPTED,
    ACTIVE,
    ANSWER_WITHIN,
    ASKED,
    CONTACT_WINDOW,
    DECLINED,
    EXPIRED,
    TOPICS,
    WITHDRAWN,
    PairingError,
)
from app.mentors.suggestions import (
    as_utc,
    contacts_since,
)
from app.models import Candidate, Mentor, MentorRequest


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
    moment = as_utc(now)
    if contacts_since(session, moment - CONTACT_WINDOW).get(mentor.id, 0) >= mentor.max_contacts_per_month:
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
    request.status, request.answered_at = answer, as_utc(now)
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
        request.contact_shared_at = as_utc(now)
    mentor = request.mentor
    return ContactDetails(mentor.first_name, mentor.contact_channel, mentor.contact_value)


def expire_unanswered(session: Session, now: datetime | None = None) -> list[MentorRequest]:
    """Requests asked ANSWER_WITHIN ago or more without an answer become expired; they
    are returned so that each candidate can be told and offered another mentor."""
    requests = list(
        session.scalars(
            select(MentorRequest)
            .where(MentorRequest.status == ASKED, MentorRequest.asked_at <= as_utc(now) - ANSWER_WITHIN)
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
    moment = as_utc(now)
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
