"""Short webinars about regions and the assistant's follow-up of their attendees: the
webinar and its code, attendees (the same link twice records nothing new), the follow-up
consent (apart from the conversation's), /stop, the schedule in Montréal time with quiet
hours, the deliveries (one row per attendee and step: each follow-up goes out once), and
the funnel counsellors read.

The schedule lives in the database (`followup_deliveries`): a restart loses nothing, and a
step already sent is never sent again. Times are computed in America/Montreal wall-clock
time, so "the next day" is the next day at the same local time across a DST change.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app import rounds
from app.models import (
    FollowupDelivery,
    Handoff,
    QuestionnaireAnswer,
    Webinar,
    WebinarAttendee,
    utcnow,
)

MONTREAL = ZoneInfo("America/Montreal")
CODE_PREFIX = "webinar_"
# The follow-ups a webinar has by default, each with the Rasa intent that says it.
STEPS = {
    "day_after": "webinar_followup_day",
    "week_after": "webinar_followup_week",
    "month_after": "webinar_followup_month",
}
DEFAULT_SCHEDULE = {"day_after": 1, "week_after": 7, "month_after": 30}
WEBINAR_LENGTH = timedelta(hours=1)
LINK_VALID_FOR = timedelta(days=90)  # after that the link is "expired"
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class QuietHours:
    """No message between `start` and `end`, Montréal time (the night by default)."""

    start: time = time(21, 0)
    end: time = time(9, 0)

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """ "21:00-09:00" (an empty text means no quiet hours)."""
        if not text.strip():
            return cls(time(0, 0), time(0, 0))
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        return cls(start, end)

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment` itself, or the end of the quiet hours it falls in (as UTC)."""
        local = moment.astimezone(MONTREAL)
        if not self.contains(local.time()):
            return moment
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=MONTREAL).astimezone(timezone.utc)


def followup_times(starts_at: datetime, schedule: dict[str, int], quiet: QuietHours) -> dict[str, datetime]:
    """When each step is due (UTC): N calendar days after the webinar's end, at the same
    Montréal wall-clock time, moved out of the quiet hours."""
    end_local = (starts_at + WEBINAR_LENGTH).astimezone(MONTREAL)
    due = {}
    for step, days in schedule.items():
        local = datetime.combine(end_local.date() + timedelta(days=days), end_local.time(), tzinfo=MONTREAL)
        due[step] = quiet.next_allowed(local.astimezone(timezone.utc))
    return due


def days_from_today(moments: Iterable[datetime], now: datetime) -> list[int]:
    """In how many days (Montréal calendar days) the follow-ups come, soonest first, each
    count once; one already due goes out today."""
    today = now.astimezone(MONTREAL).date()
    return sorted({max(0, (moment.astimezone(MONTREAL).date() - today).days) for moment in moments})


def valid_schedule(raw: dict[str, Any]) -> dict[str, int]:
    """The steps a counsellor kept, with whole days between 0 and 365; unknown steps refused."""
    schedule = {}
    for step, days in raw.items():
        if step not in STEPS:
            raise ValueError(f"unknown step {step}")
        if days in (None, ""):
            continue  # a step left empty is not sent
        value = int(days)
        if not 0 <= value <= 365:
            raise ValueError(f"{step}: {value} days")
        schedule[step] = value
    return schedule


# --- Webinars


def new_code() -> str:
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")


def create(
    session: Session,
    title: str,
    regions: list[str],
    starts_at: datetime,
    language: str,
    presenter: str,
    created_by: str,
    schedule: dict[str, int] | None = None,
) -> Webinar:
    webinar = Webinar(
        code=new_code(),
        title=title,
        regions=regions,
        starts_at=starts_at,
        language=language,
        presenter=presenter,
        schedule=dict(schedule if schedule is not None else DEFAULT_SCHEDULE),
        created_by=created_by,
    )
    session.add(webinar)
    session.flush()
    return webinar


def by_code(session: Session, code: str) -> Webinar | None:
    return session.scalar(select(Webinar).where(Webinar.code == code))


def code_of_payload(payload: str | None) -> str | None:
    """The code of a deep link's payload ("webinar_AbC123"), if it is one."""
    if payload and payload.startswith(CODE_PREFIX) and len(payload) > len(CODE_PREFIX):
        return payload[len(CODE_PREFIX) :]
    return None


def link_state(webinar: Webinar | None, now: datetime) -> str:
    """unknown, cancelled, expired, upcoming (the webinar has not started) or open."""
    if webinar is None:
        return "unknown"
    if webinar.cancelled_at is not None:
        return "cancelled"
    if now > webinar.starts_at + LINK_VALID_FOR:
        return "expired"
    return "upcoming" if now < webinar.starts_at else "open"


def reschedule(session: Session, webinar: Webinar, quiet: QuietHours) -> int:
    """After a change of date or schedule: the follow-ups not sent yet move (or go)."""
    due = followup_times(webinar.starts_at, webinar.schedule, quiet)
    moved = 0
    for delivery in _unsent(session, webinar.id):
        if delivery.step in due:
            delivery.due_at, delivery.next_attempt_at = due[delivery.step], due[delivery.step]
        else:
            delivery.skipped = "removed"
        moved += 1
    for attendee in session.scalars(
        select(WebinarAttendee).where(
            WebinarAttendee.webinar_id == webinar.id, WebinarAttendee.followups_consent.is_(True)
        )
    ):
        _plan(session, attendee, webinar, quiet)
    return moved


def cancel(session: Session, webinar: Webinar) -> int:
    """A cancelled webinar sends nothing more; returns how many follow-ups were dropped."""
    webinar.cancelled_at = utcnow()
    dropped = 0
    for delivery in _unsent(session, webinar.id):
        delivery.skipped = "cancelled"
        dropped += 1
    return dropped


def _unsent(session: Session, webinar_id: int) -> list[FollowupDelivery]:
    return list(
        session.scalars(
            select(FollowupDelivery)
            .join(WebinarAttendee, WebinarAttendee.id == FollowupDelivery.attendee_id)
            .where(
                WebinarAttendee.webinar_id == webinar_id,
                FollowupDelivery.sent_at.is_(None),
                FollowupDelivery.skipped.is_(None),
            )
        )
    )


# --- Attendees


def count_open(session: Session, webinar: Webinar) -> None:
    """Someone opened the link: counted for the funnel, without keeping who."""
    session.execute(update(Webinar).where(Webinar.id == webinar.id).values(link_opens=Webinar.link_opens + 1))


def attendance(session: Session, webinar: Webinar, sender_id: str) -> WebinarAttendee | None:
    return session.scalar(
        select(WebinarAttendee).where(WebinarAttendee.webinar_id == webinar.id, WebinarAttendee.sender_id == sender_id)
    )


def join(session: Session, webinar: Webinar, sender_id: str) -> tuple[WebinarAttendee, bool]:
    """The attendee, and whether they are new (the same link twice changes nothing)."""
    attendee = attendance(session, webinar, sender_id)
    if attendee is not None:
        return attendee, False
    attendee = WebinarAttendee(webinar_id=webinar.id, sender_id=sender_id)
    session.add(attendee)
    session.flush()
    return attendee, True


def latest_attendance(session: Session, sender_id: str) -> WebinarAttendee | None:
    return session.scalar(
        select(WebinarAttendee)
        .where(WebinarAttendee.sender_id == sender_id)
        .order_by(WebinarAttendee.joined_at.desc(), WebinarAttendee.id.desc())
        .limit(1)
    )


def set_followup_consent(session: Session, attendee: WebinarAttendee, consent: bool, quiet: QuietHours) -> int:
    """Yes plans the follow-ups (once); no drops the ones not sent. Returns how many are planned."""
    attendee.followups_consent, attendee.consent_at = consent, utcnow()
    if not consent:
        for delivery in session.scalars(
            select(FollowupDelivery).where(
                FollowupDelivery.attendee_id == attendee.id, FollowupDelivery.sent_at.is_(None)
            )
        ):
            delivery.skipped = "no_consent"
        return 0
    attendee.stopped_at = None
    return _plan(session, attendee, session.get(Webinar, attendee.webinar_id), quiet)


def _plan(session: Session, attendee: WebinarAttendee, webinar: Webinar, quiet: QuietHours) -> int:
    existing = set(session.scalars(select(FollowupDelivery.step).where(FollowupDelivery.attendee_id == attendee.id)))
    due = followup_times(webinar.starts_at, webinar.schedule, quiet)
    for step, at in due.items():
        if step not in existing:
            session.add(FollowupDelivery(attendee_id=attendee.id, step=step, due_at=at, next_attempt_at=at))
    session.flush()
    return len(due)


def planned_times(session: Session, attendee: WebinarAttendee) -> list[datetime]:
    """When the attendee's follow-ups still to send are due."""
    return list(
        session.scalars(
            select(FollowupDelivery.due_at).where(
                FollowupDelivery.attendee_id == attendee.id,
                FollowupDelivery.sent_at.is_(None),
                FollowupDelivery.skipped.is_(None),
            )
        )
    )


def stop(session: Session, sender_id: str) -> int:
    """/stop: no more follow-ups from any webinar, at once. Returns how many were dropped."""
    dropped = 0
    for attendee in session.scalars(select(WebinarAttendee).where(WebinarAttendee.sender_id == sender_id)):
        attendee.stopped_at = utcnow()
        for delivery in session.scalars(
            select(FollowupDelivery).where(
                FollowupDelivery.attendee_id == attendee.id, FollowupDelivery.sent_at.is_(None)
            )
        ):
            delivery.skipped = "stopped"
            dropped += 1
    return dropped


def erase(session: Session, sender_id: str) -> int:
    ids = list(session.scalars(select(WebinarAttendee.id).where(WebinarAttendee.sender_id == sender_id)))
    deliveries = session.execute(delete(FollowupDelivery).where(FollowupDelivery.attendee_id.in_(ids))).rowcount or 0
    attendees = session.execute(delete(WebinarAttendee).where(WebinarAttendee.id.in_(ids))).rowcount or 0
    return deliveries + attendees


# --- Delivery


@dataclass(frozen=True)
class DueFollowup:
    delivery_id: int
    sender_id: str
    step: str
    intent: str
    webinar_code: str
    language: str


def _retry_after(attempts: int) -> timedelta:
    return RETRY_AFTER[min(attempts - 1, len(RETRY_AFTER) - 1)]


# A background round (app/rounds.py), at most once: a second "how was the webinar?" is
# worse than one lost in the seconds a bridge dies while sending it.
FOLLOWUPS = rounds.Queue(FollowupDelivery, "sent_at", MAX_ATTEMPTS, _retry_after, resend_after_crash=False)


def due_followups(session: Session, now: datetime, limit: int = 500) -> list[DueFollowup]:
    """Follow-ups to send now: due, consented, not stopped, webinar not cancelled, not
    given up, and not held by a bridge (app/rounds.py takes them before sending)."""
    rows = session.execute(
        select(FollowupDelivery, WebinarAttendee, Webinar)
        .join(WebinarAttendee, WebinarAttendee.id == FollowupDelivery.attendee_id)
        .join(Webinar, Webinar.id == WebinarAttendee.webinar_id)
        .where(
            FollowupDelivery.sent_at.is_(None),
            FollowupDelivery.skipped.is_(None),
            FollowupDelivery.next_attempt_at <= now,
            *rounds.available(FollowupDelivery, now),
            WebinarAttendee.followups_consent.is_(True),
            WebinarAttendee.stopped_at.is_(None),
            Webinar.cancelled_at.is_(None),
        )
        .order_by(FollowupDelivery.due_at, FollowupDelivery.id)
        .limit(limit)
    ).all()
    return [
        DueFollowup(d.id, a.sender_id, d.step, STEPS[d.step], w.code, w.language) for d, a, w in rows if d.step in STEPS
    ]


def mark_sent(session: Session, delivery_id: int, now: datetime) -> None:
    delivery = session.get(FollowupDelivery, delivery_id)
    delivery.sent_at = now
    rounds.done(delivery)


def mark_failed(session: Session, delivery_id: int, now: datetime, quiet: QuietHours, reason: str = "") -> None:
    """Any failure: retried with back-off outside the quiet hours, given up after MAX_ATTEMPTS."""
    delivery = session.get(FollowupDelivery, delivery_id)
    if delivery is None:  # erased meanwhile
        return
    if rounds.failed(delivery, FOLLOWUPS, reason or "failed", now):
        delivery.skipped = "failed"
    else:
        delivery.next_attempt_at = quiet.next_allowed(delivery.next_attempt_at)


def given_up(session: Session, webinar: Webinar) -> list[tuple[str, str, datetime, str]]:
    """The webinar's follow-ups the bridge gave up, for the console: who, step, when, why."""
    delivery = FollowupDelivery
    rows = session.execute(
        select(WebinarAttendee.sender_id, delivery.step, delivery.failed_at, delivery.failure_reason)
        .join(WebinarAttendee, WebinarAttendee.id == delivery.attendee_id)
        .where(WebinarAttendee.webinar_id == webinar.id, delivery.failed_at.is_not(None))
        .order_by(delivery.failed_at.desc())
    )
    return [tuple(row) for row in rows]


# What a person may choose in reply to a follow-up: its buttons' intents (actions/webinars.py).
FOLLOWUP_ANSWERS = frozenset(
    {"ask_region_info", "recommend_region", "start_preparation", "request_counsellor", "thank"}
)


def answers_a_followup(message: str) -> bool:
    """Whether a message counts as an answer in the funnel: what the person wrote, or a
    follow-up's button; a consent button, the greeting or a command does not."""
    message = message.strip()
    if not message.startswith("/"):
        return bool(message)
    return message[1:].split("{", 1)[0] in FOLLOWUP_ANSWERS


def record_answer(session: Session, sender_id: str, now: datetime) -> None:
    """The attendee wrote after a follow-up: counted in the funnel (first one only)."""
    for attendee in session.scalars(
        select(WebinarAttendee).where(WebinarAttendee.sender_id == sender_id, WebinarAttendee.answered_at.is_(None))
    ):
        sent_any = session.scalar(
            select(func.count())
            .select_from(FollowupDelivery)
            .where(FollowupDelivery.attendee_id == attendee.id, FollowupDelivery.sent_at.is_not(None))
        )
        if sent_any:
            attendee.answered_at = now


# --- Results


FUNNEL = ("attendees", "opted_in", "answered", "questionnaire", "counsellor")


def funnel(session: Session, webinar: Webinar) -> dict[str, int]:
    """Link opened → opted in → answered the first follow-up → started the questionnaire →
    met (asked for) a counsellor; each counted after joining the webinar."""
    attendees = select(WebinarAttendee).where(WebinarAttendee.webinar_id == webinar.id).subquery()

    def people(*where: Any, joined: Any = None) -> int:
        query = select(func.count(func.distinct(attendees.c.id))).select_from(attendees)
        if joined is not None:
            query = query.join(joined[0], joined[1])
        return session.scalar(query.where(*where)) or 0

    session.refresh(webinar, ["link_opens"])
    return {
        "attendees": webinar.link_opens,
        "opted_in": people(attendees.c.followups_consent.is_(True)),
        "answered": people(attendees.c.answered_at.is_not(None)),
        "questionnaire": people(
            joined=(
                QuestionnaireAnswer,
                (QuestionnaireAnswer.sender_id == attendees.c.sender_id)
                & (QuestionnaireAnswer.answered_at >= attendees.c.joined_at),
            )
        ),
        "counsellor": people(
            joined=(
                Handoff,
                (Handoff.sender_id == attendees.c.sender_id) & (Handoff.opened_at >= attendees.c.joined_at),
            )
        ),
    }
