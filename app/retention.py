"""Law 25 retention: how long each kind of data is kept, and the purge that deletes what
is past its period (`python -m app purge`; the Procfile's `retention` process runs it once
a day). The periods, in days, are in app/settings.py (RETENTION_*_DAYS):

- conversations: a person with no activity that long (no event in their conversation, no
  Telegram message, no change to their record) is erased as on their own request
  (candidates.erase), conversation included. Active or paused mentors are kept: their
  record has its own consent, and `/mentor` ends it.
- inbound_messages: Telegram messages handed to Rasa that long ago (the transcript is in
  the tracker store); messages not yet handed over stay.
- handoffs: requests closed that long ago, with their replies and their messages in the
  counsellors' group; counsellors' replies sent (or given up) that long ago.
- button_payloads: button keys created that long ago (nothing personal, but it grows).
- audit_log: entries that old, pseudonymised ones included.
- mentor_requests: ended requests (declined, expired, withdrawn) answered, or asked if
  never answered, that long ago.
- webinar_attendees: attendees, and their follow-ups, of webinars that started that long ago.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Delete

from app import candidates, handoffs, mentors
from app.db import stored_utc
from app.models import (
    AuditEntry,
    ButtonPayload,
    Candidate,
    CounsellorReply,
    FollowupDelivery,
    Handoff,
    InboundMessage,
    Mentor,
    MentorRequest,
    RetentionRun,
    Webinar,
    WebinarAttendee,
)
from app.settings import Settings

ENDED_REQUESTS = (mentors.DECLINED, mentors.EXPIRED, mentors.WITHDRAWN)
KEPT_MENTORS = (mentors.ACTIVE, mentors.PAUSED)


def cutoffs(settings: Settings, now: datetime) -> dict[str, datetime]:
    """For each kind of data, the moment before which it is past its retention period."""
    return {kind: now - timedelta(days=days) for kind, days in settings.retention_days().items()}


def purge(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    """Delete everything past its period; returns how many of each kind, and records the run."""
    limits = cutoffs(settings, now)
    counts = {
        **_inactive_people(session, limits["conversations"]),
        "inbound_messages": _delete(
            session,
            delete(InboundMessage).where(
                InboundMessage.delivered_at.is_not(None), InboundMessage.delivered_at < limits["inbound_messages"]
            ),
        ),
        **_handoffs(session, limits["handoffs"]),
        "button_payloads": _delete(
            session, delete(ButtonPayload).where(ButtonPayload.created_at < limits["button_payloads"])
        ),
        "audit_entries": _delete(session, delete(AuditEntry).where(AuditEntry.at < limits["audit_log"])),
        "mentor_requests": _delete(
            session,
            delete(MentorRequest).where(
                MentorRequest.status.in_(ENDED_REQUESTS),
                func.coalesce(MentorRequest.answered_at, MentorRequest.asked_at) < limits["mentor_requests"],
            ),
        ),
        **_webinar_attendees(session, limits["webinar_attendees"]),
    }
    session.add(RetentionRun(at=now, counts=counts))
    return counts


def _delete(session: Session, statement: Delete) -> int:
    # Rows are deleted in the database only: nothing of them is loaded in this session.
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def last_activity(session: Session) -> dict[str, datetime]:
    """Each known person's latest activity: conversation event, Telegram message, record."""
    latest: dict[str, datetime] = {}

    def seen(sender_id: str, moment: datetime) -> None:
        if sender_id not in latest or moment > latest[sender_id]:
            latest[sender_id] = moment

    if candidates.has_events_table(session):
        for sender_id, timestamp in session.execute(text("SELECT sender_id, max(timestamp) FROM events GROUP BY 1")):
            seen(sender_id, datetime.fromtimestamp(timestamp or 0, tz=timezone.utc))
    received = select(InboundMessage.chat_id, func.max(InboundMessage.received_at)).group_by(InboundMessage.chat_id)
    for chat_id, moment in session.execute(received):
        seen(chat_id, stored_utc(moment))
    for sender_id, moment in session.execute(select(Candidate.sender_id, Candidate.last_seen_at)):
        seen(sender_id, stored_utc(moment))
    return latest


def _inactive_people(session: Session, cutoff: datetime) -> dict[str, int]:
    kept_mentors = set(session.scalars(select(Mentor.sender_id).where(Mentor.status.in_(KEPT_MENTORS))))
    inactive = [s for s, moment in last_activity(session).items() if moment < cutoff and s not in kept_mentors]
    rows = sum(candidates.erase(session, sender_id) for sender_id in inactive)
    events = 0
    if inactive and candidates.has_events_table(session):
        their_events = text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
            bindparam("senders", expanding=True)
        )
        events = session.execute(their_events, {"senders": inactive}).rowcount or 0
    return {"inactive_people": len(inactive), "inactive_people_rows": rows, "conversation_events": events}


def _handoffs(session: Session, cutoff: datetime) -> dict[str, int]:
    closed = list(
        session.scalars(select(Handoff.id).where(Handoff.status == handoffs.CLOSED, Handoff.closed_at < cutoff))
    )
    removed = handoffs.remove(session, closed)
    done_replies = delete(CounsellorReply).where(
        func.coalesce(CounsellorReply.sent_at, CounsellorReply.failed_at) < cutoff
    )
    return {
        "counsellor_replies": removed["counsellor_replies"] + _delete(session, done_replies),
        "handoffs": removed["handoffs"],
    }


def _webinar_attendees(session: Session, cutoff: datetime) -> dict[str, int]:
    past = select(WebinarAttendee.id).join(Webinar, Webinar.id == WebinarAttendee.webinar_id)
    attendees = list(session.scalars(past.where(Webinar.starts_at < cutoff)))
    return {
        "followup_deliveries": _delete(
            session, delete(FollowupDelivery).where(FollowupDelivery.attendee_id.in_(attendees))
        ),
        "webinar_attendees": _delete(session, delete(WebinarAttendee).where(WebinarAttendee.id.in_(attendees))),
    }
