"""The people who chat with the assistant: consent, language, and erasure (Law 25)."""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from app import checklists, handoffs, inbox, mentors, questionnaire, webinars
from app.models import Candidate, CandidateNote, ConversationLabel, utcnow

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
    return deleted + (result.rowcount or 0)


def stored_about(session: Session, sender_id: str) -> dict[str, int | str]:
    """What the service keeps about a person (Law 25: the right to know)."""
    found: dict[str, int | str] = {}
    candidate = session.get(Candidate, sender_id)
    if candidate is not None and candidate.consent_given_at is not None:
        found["consent_given_on"] = candidate.consent_given_at.date().isoformat()
        found["language"] = candidate.language
    counts = {
        "conversation_events": "SELECT count(*) FROM events WHERE sender_id = :s",
        "checklist_items": "SELECT count(*) FROM checklist_items WHERE sender_id = :s",
        "counsellor_requests": "SELECT count(*) FROM handoffs WHERE sender_id = :s",
        "liaison_notes": "SELECT count(*) FROM liaison_notes WHERE sender_id = :s",
        "questionnaire_answers": "SELECT count(*) FROM questionnaire_answers WHERE sender_id = :s",
        "self_assessment_scores": "SELECT count(*) FROM competency_scores WHERE sender_id = :s",
        "mentor_record": "SELECT count(*) FROM mentors WHERE sender_id = :s",
        "mentor_requests": "SELECT count(*) FROM mentor_requests WHERE candidate_sender_id = :s",
        "webinars_attended": "SELECT count(*) FROM webinar_attendees WHERE sender_id = :s",
    }
    for name, query in counts.items():
        try:
            count = session.execute(text(query), {"s": sender_id}).scalar_one()
        except (OperationalError, ProgrammingError):  # Rasa has not created its table yet
            session.rollback()
            count = 0
        if count:
            found[name] = count
    return found
