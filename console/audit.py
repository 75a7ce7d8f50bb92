"""The audit log (Law 25): who viewed, exported or changed a dossier, a transcript or the
directory, and when."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import session_scope
from app.models import AuditEntry
from console.accounts import current_user


def record(action: str, subject: str, subject_id: str | None = None, detail: str | None = None) -> None:
    user = current_user()
    record_as(user.email if user else "?", action, subject, subject_id, detail)


def record_as(actor: str, action: str, subject: str, subject_id: str | None = None, detail: str | None = None) -> None:
    """The same with the actor given: a failed log-in has no current user."""
    with session_scope() as s:
        s.add(
            AuditEntry(
                user_email=actor,
                action=action,
                subject=subject,
                subject_id=subject_id,
                detail=detail,
            )
        )


def latest(session: Session, limit: int = 200, subject_id: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if subject_id:
        query = query.where(AuditEntry.subject_id == subject_id)
    return list(session.scalars(query))
