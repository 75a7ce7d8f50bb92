"""The people who chat with the assistant: consent, language, erasure, and the copy of
everything held about them (Law 25)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import bindparam, delete, func, inspect, select, text, update
from sqlalchemy.orm import Session

from app import checklists, handoffs, inbox, mentors, questionnaire, webinars
from app.catalogue import say
from app.choices import written
from app.db import stored_utc
from app.models import (
    AuditEntry,
    Candidate,
    CandidateNote,
    Checklist,
    ChecklistItemStatus,
    CompetencyScore,
    ConversationLabel,
    CounsellorReply,
    FollowupDelivery,
    Handoff,
    InboundMessage,
    LiaisonNote,
    MentorRequest,
    QuestionnaireAnswer,
    Webinar,
    WebinarAttendee,
    utcnow,
)
from app.settings import get_settings

# The action that erases a person's data (actions/privacy.py); the tracker store
# deletes the conversation once it has run (app/tracker_store.py).
ERASE_ACTION = "action_erase_my_data"


def get_or_create(session: Session, sender_id: str) -> Candidate:
    candidate = session.get(Candidate, sender_id)
    if candidate is None:
        candidate = Candidate(sender_id=sender_id)
        session.add(candidate)
    return candidate


def record_consent(session: Session, sender_id: str, language: str) -> Candidate:
    candidate = get_or_create(session, sender_id)
    candidate.consent_given_at = utcnow()
    candidate.language = language
    return candidate


def has_consented(session: Session, sender_id: str) -> bool:
    candidate = session.get(Candidate, sender_id)
    return candidate is not None and candidate.consent_given_at is not None


def set_language(session: Session, sender_id: str, language: str) -> None:
    """Remember the language only for people who agreed that we store anything."""
    candidate = session.get(Candidate, sender_id)
    if candidate is not None:
        candidate.language = language


def erase(session: Session, sender_id: str, keep_followups: bool = False) -> int:
    """Delete every app row about this person; returns how many were deleted.
    Their conversation (Rasa's events) is erased by the tracker store.

    `keep_followups`: refusing to keep the conversation leaves a webinar's follow-ups
    alone, since they have a consent of their own (/stop ends them)."""
    deleted = (
        handoffs.erase(session, sender_id)
        + checklists.erase(session, sender_id)
        + inbox.erase(session, sender_id)
        + questionnaire.erase(session, sender_id)
        + mentors.erase(session, sender_id)
        + (0 if keep_followups else webinars.erase(session, sender_id))
    )
    for kept_by_the_team in (CandidateNote, ConversationLabel):
        rows = session.execute(delete(kept_by_the_team).where(kept_by_the_team.sender_id == sender_id))
        deleted += rows.rowcount or 0
    result = session.execute(delete(Candidate).where(Candidate.sender_id == sender_id))
    pseudonymise_audit(session, sender_id)
    return deleted + (result.rowcount or 0)


def pseudonymise_audit(session: Session, sender_id: str) -> None:
    """The audit log keeps what counsellors did, but no longer whom it was about: the chat
    id becomes a random label, the same for all of this person's entries and linked to
    nothing that remains."""
    label = f"effacé-{secrets.token_hex(6)}"
    session.execute(update(AuditEntry).where(AuditEntry.subject_id == sender_id).values(subject_id=label))
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.detail.contains(sender_id))
        .values(detail=func.replace(AuditEntry.detail, sender_id, label))
        .execution_options(synchronize_session=False)
    )


# --- Law 25: the right of access, a copy of everything held about a person
#
# The person (Telegram /mesdonnees) and the console (a request received by e-mail) get
# the same document. It includes the counsellors' private notes, under their own key,
# since the right of access covers them. Counsellors' identities (who claimed a request,
# who wrote a reply, a note or a label) are left out: they are the counsellors' personal
# information, not the person's. A mentor's contact appears only once it was given.

SERVICE = "Assistant de régionalisation"
NOTES_KEY = "internal_notes_counsellors"


def _when(moment: datetime | date | None) -> str | None:
    if isinstance(moment, datetime):
        return stored_utc(moment).isoformat(timespec="seconds")
    return moment.isoformat() if moment else None


def _unix(timestamp: float | None) -> str | None:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds") if timestamp else None


def has_events_table(session: Session) -> bool:
    """Rasa creates its `events` table at its first start; until then there is no conversation."""
    return inspect(session.connection()).has_table("events")


def _events(session: Session, sender_id: str, *types: str) -> list[tuple[float | None, dict[str, Any]]]:
    """The person's events of these types only: a long conversation is mostly other events."""
    if not has_events_table(session):
        return []
    query = text(
        "SELECT timestamp, data FROM events WHERE sender_id = :s AND type_name IN :types ORDER BY id"
    ).bindparams(bindparam("types", expanding=True))
    rows = session.execute(query, {"s": sender_id, "types": list(types)})
    return [(timestamp, json.loads(data or "{}")) for timestamp, data in rows]


def _candidate(session: Session, sender_id: str) -> dict[str, Any] | None:
    candidate = session.get(Candidate, sender_id)
    if candidate is None:
        return None
    return {
        "language": candidate.language,
        "consent_given_at": _when(candidate.consent_given_at),
        "first_seen_at": _when(candidate.created_at),
        "last_seen_at": _when(candidate.last_seen_at),
        "invited_to_mentor_at": _when(candidate.invited_to_mentor_at),
    }


def _conversation(session: Session, sender_id: str) -> list[dict[str, Any]]:
    return [
        {
            "at": _unix(timestamp or event.get("timestamp")),
            "from": "you" if event.get("event") == "user" else "assistant",
            "text": written(event),
        }
        for timestamp, event in _events(session, sender_id, "user", "bot")
        if event.get("text")
    ]


def _conversation_memory(session: Session, sender_id: str) -> list[dict[str, Any]]:
    latest: dict[str, Any] = {}
    for _, event in _events(session, sender_id, "slot"):
        latest[event.get("name")] = event.get("value")
    return [{"item": name, "value": value} for name, value in latest.items() if value not in (None, [], {}, "")]


def _messages_received(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(InboundMessage).where(InboundMessage.chat_id == sender_id).order_by(InboundMessage.id)
    )
    return [
        {
            "text": m.text,
            "received_at": _when(m.received_at),
            "handled_at": _when(m.delivered_at),
            "telegram_details": json.loads(m.metadata_json or "{}"),
        }
        for m in rows
    ]


def _questionnaire_answers(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(QuestionnaireAnswer)
        .where(QuestionnaireAnswer.sender_id == sender_id)
        .order_by(QuestionnaireAnswer.theme, QuestionnaireAnswer.question)
    )
    return [
        {"theme": a.theme, "question": a.question, "answer": a.value, "answered_at": _when(a.answered_at)} for a in rows
    ]


def _self_assessment_scores(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CompetencyScore).where(CompetencyScore.sender_id == sender_id).order_by(CompetencyScore.competency)
    )
    return [{"competency": c.competency, "score": c.score, "assessed_at": _when(c.assessed_at)} for c in rows]


def _checklist(session: Session, sender_id: str) -> dict[str, Any] | None:
    checklist = session.get(Checklist, sender_id)
    items = session.scalars(
        select(ChecklistItemStatus)
        .where(ChecklistItemStatus.sender_id == sender_id)
        .order_by(ChecklistItemStatus.item_key)
    ).all()
    if checklist is None and not items:
        return None
    return {
        "destination": checklist.destination if checklist else None,
        "region": checklist.region if checklist else None,
        "start_date": _when(checklist.start_date) if checklist else None,
        "updated_at": _when(checklist.updated_at) if checklist else None,
        "tasks": [{"task": i.item_key, "status": i.status, "updated_at": _when(i.updated_at)} for i in items],
    }


def _liaison_notes(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(LiaisonNote).where(LiaisonNote.sender_id == sender_id).order_by(LiaisonNote.id))
    return [
        {"region": n.region, "organisation": n.organisation, "text": n.text, "created_at": _when(n.created_at)}
        for n in rows
    ]


def _counsellor_requests(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(Handoff).where(Handoff.sender_id == sender_id).order_by(Handoff.id))
    return [
        {
            "reason": h.reason,
            "your_last_message": h.last_message,
            "status": h.status,
            "opened_at": _when(h.opened_at),
            "taken_by_a_counsellor_at": _when(h.claimed_at),
            "closed_at": _when(h.closed_at),
        }
        for h in rows
    ]


def _counsellor_replies(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CounsellorReply).where(CounsellorReply.sender_id == sender_id).order_by(CounsellorReply.id)
    )
    return [
        {"kind": r.kind, "text": r.text, "written_at": _when(r.created_at), "sent_at": _when(r.sent_at)} for r in rows
    ]


def _mentor_record(session: Session, sender_id: str) -> dict[str, Any] | None:
    mentor = mentors.mentor_of(session, sender_id)
    if mentor is None:
        return None
    return {
        "first_name": mentor.first_name,
        "municipality": mentor.municipality,
        "region_code": mentor.region_code,
        "settled_since": _when(mentor.settled_since),
        "languages": mentor.languages,
        "origin": mentor.origin,
        "field_of_work": mentor.field_of_work,
        "family_situation": mentor.family_situation,
        "topics": mentor.topics,
        "contact_channel": mentor.contact_channel,
        "contact": mentor.contact_value,
        "max_contacts_per_month": mentor.max_contacts_per_month,
        "status": mentor.status,
        "consent_given_at": _when(mentor.consent_given_at),
        "created_at": _when(mentor.created_at),
    }


def _mentor_requests(session: Session, sender_id: str) -> list[dict[str, Any]]:
    return [
        {
            "mentor": {"first_name": r.mentor.first_name, "municipality": r.mentor.municipality},
            "destination": r.destination,
            "topics": r.topics,
            "status": r.status,
            "asked_at": _when(r.asked_at),
            "answered_at": _when(r.answered_at),
            # Another person's contact: only the one they agreed to give, once given.
            "mentor_contact": (
                {"channel": r.mentor.contact_channel, "contact": r.mentor.contact_value}
                if r.contact_shared_at
                else None
            ),
            "contact_given_at": _when(r.contact_shared_at),
        }
        for r in mentors.requests_of_candidate(session, sender_id)
    ]


def _mentor_requests_received(session: Session, sender_id: str) -> list[dict[str, Any]]:
    """As a mentor: what was asked of them, without the candidate's identity."""
    mentor = mentors.mentor_of(session, sender_id)
    if mentor is None:
        return []
    rows = session.scalars(select(MentorRequest).where(MentorRequest.mentor_id == mentor.id).order_by(MentorRequest.id))
    return [
        {
            "destination": r.destination,
            "topics": r.topics,
            "status": r.status,
            "asked_at": _when(r.asked_at),
            "answered_at": _when(r.answered_at),
        }
        for r in rows
    ]


def _webinars(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(WebinarAttendee, Webinar)
        .join(Webinar, Webinar.id == WebinarAttendee.webinar_id)
        .where(WebinarAttendee.sender_id == sender_id)
        .order_by(WebinarAttendee.id)
    )
    return [
        {
            "webinar": webinar.title,
            "webinar_starts_at": _when(webinar.starts_at),
            "link_opened_at": _when(attendee.joined_at),
            "followups_consent": attendee.followups_consent,
            "consent_at": _when(attendee.consent_at),
            "stopped_at": _when(attendee.stopped_at),
            "answered_at": _when(attendee.answered_at),
            "followups": _followups(session, attendee.id),
        }
        for attendee, webinar in rows
    ]


def _followups(session: Session, attendee_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(FollowupDelivery).where(FollowupDelivery.attendee_id == attendee_id).order_by(FollowupDelivery.due_at)
    )
    return [
        {"step": f.step, "due_at": _when(f.due_at), "sent_at": _when(f.sent_at), "skipped": f.skipped} for f in rows
    ]


def _labels(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(ConversationLabel).where(ConversationLabel.sender_id == sender_id).order_by(ConversationLabel.added_at)
    )
    return [{"label": label.label, "added_at": _when(label.added_at)} for label in rows]


def _internal_notes(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CandidateNote).where(CandidateNote.sender_id == sender_id).order_by(CandidateNote.created_at)
    )
    return [{"counsellor_note": n.text, "written_at": _when(n.created_at)} for n in rows]


# The sections of the copy, in order, and how each one is read; what each holds is said
# in the catalogue (copy.section_<name>).
SECTIONS: dict[str, Callable[[Session, str], Any]] = {
    "candidate": _candidate,
    "conversation": _conversation,
    "conversation_memory": _conversation_memory,
    "messages_received": _messages_received,
    "questionnaire_answers": _questionnaire_answers,
    "self_assessment_scores": _self_assessment_scores,
    "checklist": _checklist,
    "liaison_notes": _liaison_notes,
    "counsellor_requests": _counsellor_requests,
    "counsellor_replies": _counsellor_replies,
    "mentor_record": _mentor_record,
    "mentor_requests": _mentor_requests,
    "mentor_requests_received": _mentor_requests_received,
    "webinars": _webinars,
    "labels": _labels,
    NOTES_KEY: _internal_notes,
}


def export_about(session: Session, sender_id: str, now: datetime | None = None) -> dict[str, Any]:
    """Everything held about a person, JSON-serialisable: a header saying what each
    section is and how long it is kept, then one key per section (None or [] if empty)."""
    candidate = session.get(Candidate, sender_id)
    language = candidate.language if candidate and candidate.language in ("fr", "en") else "fr"
    header = {
        "service": SERVICE,
        "about": say("copy.about", language),
        "person": sender_id,
        "generated_at": (now or utcnow()).isoformat(timespec="seconds"),
        "sections": {name: say(f"copy.section_{name}", language) for name in SECTIONS},
        "retention_days": [
            {"what": say(f"copy.kept_{kind}", language), "days": days}
            for kind, days in get_settings().retention_days().items()
        ],
    }
    return {"header": header, **{name: read(session, sender_id) for name, read in SECTIONS.items()}}


def holds_anything(copy: dict[str, Any]) -> bool:
    return any(copy[name] for name in SECTIONS)


def summary(copy: dict[str, Any]) -> dict[str, int | str]:
    """The copy in short: consent date and language, then how many of each section."""
    found: dict[str, int | str] = {}
    candidate = copy["candidate"]
    if candidate:
        if candidate["consent_given_at"]:
            found["consent_given_on"] = candidate["consent_given_at"][:10]
        found["language"] = candidate["language"]
    for name in SECTIONS:
        if name != "candidate" and copy[name]:
            found[name] = len(copy[name]) if isinstance(copy[name], list) else 1
    return found
