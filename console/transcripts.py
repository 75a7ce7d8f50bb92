"""Conversations as counsellors read them, from Rasa's tracker store (the `events` table
in the same database; only people who consented are there): a summary per person for the
list, and the turns of one conversation with time, intent and confidence."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from app.choices import written
from app.models import Candidate, Checklist, ConversationLabel, Handoff

# Below this, an understood message is shown as "low confidence" (the NLU fallback is 0.45).
LOW_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Turn:
    at: datetime
    speaker: str  # "user" or "bot"
    text: str
    intent: str | None = None
    confidence: float | None = None

    @property
    def low_confidence(self) -> bool:
        return self.speaker == "user" and (
            self.intent == "nlu_fallback" or (self.confidence is not None and self.confidence < LOW_CONFIDENCE)
        )


def turn_of(type_name: str, timestamp: float | None, data: str) -> Turn | None:
    """One row of Rasa's events as a turn; other events (slots, actions) are not turns."""
    if type_name not in ("user", "bot"):
        return None
    event = json.loads(data or "{}")
    at = datetime.fromtimestamp(timestamp or event.get("timestamp") or 0, tz=timezone.utc)
    if type_name == "bot":
        return Turn(at, "bot", event.get("text") or "")
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return Turn(at, "user", written(event), intent.get("name"), intent.get("confidence"))


def turns(session: Session, sender_id: str) -> list[Turn]:
    rows = _events(
        session, "SELECT type_name, timestamp, data FROM events WHERE sender_id = :s ORDER BY id", s=sender_id
    )
    return [t for row in rows if (t := turn_of(*row))]


def _events(session: Session, query: str, **params: Any) -> list[Any]:
    try:
        return list(session.execute(sql(query), params))
    except (OperationalError, ProgrammingError):  # Rasa has not created its table yet
        session.rollback()
        return []


@dataclass
class ConversationSummary:
    sender_id: str
    first_at: datetime
    last_at: datetime
    messages: int = 0
    low_confidence: int = 0
    language: str | None = None
    region: str | None = None
    handoff: str | None = None  # the latest handoff's status
    labels: list[str] = field(default_factory=list)
    preview: str = ""
    matched: bool = False  # the search words are in one of the person's messages


@dataclass(frozen=True)
class Filters:
    search: str = ""
    since: date | None = None
    until: date | None = None
    region: str = ""
    language: str = ""
    handoff: bool = False
    low_confidence: bool = False
    label: str = ""


def summaries(session: Session, filters: Filters) -> list[ConversationSummary]:
    """One line per person who talked with the assistant (and consented), newest first."""
    found: dict[str, ConversationSummary] = {}
    for sender_id, type_name, timestamp, data in _events(
        session, "SELECT sender_id, type_name, timestamp, data FROM events WHERE type_name = 'user' ORDER BY id"
    ):
        turn = turn_of(type_name, timestamp, data)
        summary = found.get(sender_id)
        if summary is None:
            summary = found[sender_id] = ConversationSummary(sender_id, turn.at, turn.at)
        summary.last_at, summary.messages = turn.at, summary.messages + 1
        summary.low_confidence += turn.low_confidence
        if not turn.text.startswith("/"):
            summary.preview = turn.text[:120]
        if filters.search and filters.search.lower() in turn.text.lower():
            summary.matched = True
    _add_people(session, found)
    return sorted((s for s in found.values() if _kept(s, filters)), key=lambda s: s.last_at, reverse=True)


def _add_people(session: Session, found: dict[str, ConversationSummary]) -> None:
    for candidate in session.query(Candidate).filter(Candidate.sender_id.in_(found)):
        found[candidate.sender_id].language = candidate.language
    for checklist in session.query(Checklist).filter(Checklist.sender_id.in_(found)):
        found[checklist.sender_id].region = checklist.region
    for handoff in session.query(Handoff).filter(Handoff.sender_id.in_(found)).order_by(Handoff.opened_at):
        found[handoff.sender_id].handoff = handoff.status
    for label in session.query(ConversationLabel).filter(ConversationLabel.sender_id.in_(found)):
        found[label.sender_id].labels.append(label.label)
    for sender_id, data in _events(session, "SELECT sender_id, data FROM events WHERE type_name = 'slot'"):
        event = json.loads(data or "{}")
        if event.get("name") == "region" and event.get("value") and sender_id in found:
            found[sender_id].region = found[sender_id].region or event["value"]


def _kept(summary: ConversationSummary, filters: Filters) -> bool:
    checks = (
        not filters.search or summary.matched or filters.search.lower() in summary.sender_id.lower(),
        not filters.since or summary.last_at.date() >= filters.since,
        not filters.until or summary.first_at.date() <= filters.until,
        not filters.region or summary.region == filters.region,
        not filters.language or summary.language == filters.language,
        not filters.handoff or summary.handoff is not None,
        not filters.low_confidence or summary.low_confidence > 0,
        not filters.label or filters.label in summary.labels,
    )
    return all(checks)


def as_csv(sender_id: str, conversation: list[Turn]) -> str:
    """The transcript for a spreadsheet; cells that a spreadsheet would run as a formula
    are quoted with an apostrophe (CSV injection)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sender_id", "time_utc", "speaker", "text", "intent", "confidence"])
    for turn in conversation:
        confidence = f"{turn.confidence:.2f}" if turn.confidence is not None else ""
        writer.writerow(
            [
                sender_id,
                turn.at.isoformat(timespec="seconds"),
                turn.speaker,
                safe_cell(turn.text),
                turn.intent or "",
                confidence,
            ]
        )
    return buffer.getvalue()


def safe_cell(value: str) -> str:
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
