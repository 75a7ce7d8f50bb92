"""Demo mentors for trying the pairing out (never in production)."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.mentors.rules import (
    DEFAULT_MAX_CONTACTS,
    DEMO_FILE,
)
from app.mentors.signup import MentorAnswers, become_mentor, mentor_of
from app.models import Mentor, MentorRequest
from app.settings import get_settings


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
