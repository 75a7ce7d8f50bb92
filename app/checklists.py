"""The emergency-departure checklist (Tool 2): items from knowledge/checklist.yml, the
person's progress, what is left in the order it must be done, and the liaison note
for the regional organisation.

The conversation keeps the progress in a slot (so it follows the consent rules of the
tracker store); `save_for_counsellors` mirrors it into the database for the team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.catalogue import say
from app.models import Checklist, ChecklistItemStatus, LiaisonNote
from app.settings import get_settings
from app.text import fold

BLOCKS = ("before_leaving", "first_days")
TODO, DONE, NOT_FOR_ME = "todo", "done", "not_applicable"
STATUSES = (TODO, DONE, NOT_FOR_ME)
UNKNOWN_DATE = "unknown"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    block: str
    title: dict[str, str]
    todo: dict[str, str]
    topic: str | None = None
    source: str | None = None


@lru_cache(maxsize=1)
def load_items() -> tuple[ChecklistItem, ...]:
    path = get_settings().knowledge_dir / "checklist.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        ChecklistItem(
            key=entry["key"],
            block=block,
            title=entry["title"],
            todo=entry["todo"],
            topic=entry.get("topic"),
            source=entry.get("source"),
        )
        for block in BLOCKS
        for entry in raw[block]
    )


def item(key: str) -> ChecklistItem | None:
    return next((i for i in load_items() if i.key == key), None)


# What people type to say a task is not done, or does not concern them (folded: no accents, lower case).
# A typed "pas encore fait" must not tick the task: the buttons carry their status, typed words do not.
_TYPED_STATUSES = (
    (
        NOT_FOR_ME,
        re.compile(
            r"\b(pas pour (moi|nous)|(s )?applique pas|ne s applique|(me|nous) concerne pas|"
            r"pas concerne|pas applicable|non applicable|not for (me|us)|"
            r"(doesn t|does not|don t|do not) apply|not applicable)\b"
        ),
    ),
    (
        TODO,
        re.compile(
            r"\b(pas encore|pas (fait|fini|termine|complete)|toujours pas|en cours|a faire|a refaire|"
            r"decoch\w*|(haven t|have not|hasn t|didn t|did not) (done|finish\w*|do|yet|started)|not yet|"
            r"not done|not finished|still (working|doing)|in progress|uncheck\w*|todo)\b"
        ),
    ),
)


def typed_status(message: str) -> str | None:
    """The status a typed message gives a task, or None when it names none (it then means "done")."""
    folded = fold(message)
    return next((status for status, pattern in _TYPED_STATUSES if pattern.search(folded)), None)


@dataclass
class ChecklistState:
    """One person's checklist, as kept in the `checklist` slot."""

    start_date: str | None = None  # ISO date, UNKNOWN_DATE, or None if not asked yet
    destination: str | None = None  # official municipality (or region) name
    region: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_slot(cls, value: Any) -> ChecklistState | None:
        if not isinstance(value, dict):
            return None
        return cls(
            start_date=value.get("start_date"),
            destination=value.get("destination"),
            region=value.get("region"),
            statuses={k: v for k, v in (value.get("statuses") or {}).items() if v in STATUSES},
        )

    def to_slot(self) -> dict[str, Any]:
        return {
            "start_date": self.start_date,
            "destination": self.destination,
            "region": self.region,
            "statuses": dict(self.statuses),
        }

    def status(self, key: str) -> str:
        return self.statuses.get(key, TODO)

    def mark(self, key: str, status: str) -> None:
        if item(key) is None or status not in STATUSES:
            raise ValueError(f"unknown checklist item or status: {key!r}, {status!r}")
        self.statuses[key] = status

    def start_day(self) -> date | None:
        if self.start_date and self.start_date != UNKNOWN_DATE:
            return date.fromisoformat(self.start_date)
        return None

    def days_left(self, today: date) -> int | None:
        day = self.start_day()
        return (day - today).days if day else None

    def remaining(self) -> list[ChecklistItem]:
        """Items still to do: what must happen before leaving Montréal first, each block
        in the order counsellors gave (the lease and housing are the usual pain points)."""
        return [i for i in load_items() if self.status(i.key) == TODO]


# Regional organisations read French.
LIAISON_LANGUAGE = "fr"


def liaison_note(state: ChecklistState, organisation: str | None, today: date) -> str:
    """A short note, in French, for the regional organisation (sent by a counsellor)."""
    language, start = LIAISON_LANGUAGE, state.start_day()
    destination = state.destination or state.region or say("liaison.destination_unknown", language)
    if state.region and state.destination != state.region:
        destination += f" ({state.region})"
    in_days = say("liaison.in_days", language, days=(start - today).days) if start and start >= today else "."
    lines = [
        say("liaison.hello", language),
        say("liaison.moving", language, destination=destination),
        say("liaison.start", language, start=start.isoformat() if start else say("liaison.start_unknown", language))
        + in_days,
    ]
    remaining = [i.title[language] for i in state.remaining() if i.block == "before_leaving"]
    remaining += [i.title[language] for i in state.remaining() if i.block == "first_days"]
    if remaining:
        lines.append(say("liaison.remaining", language, tasks="; ".join(remaining)))
    lines.append(say("liaison.ask", language))
    if organisation:
        lines.insert(0, say("liaison.to", language, organisation=organisation))
    return "\n".join(lines)


def save_for_counsellors(session: Session, sender_id: str, state: ChecklistState) -> None:
    """Mirror the progress into the database (only for people who consented)."""
    checklist = session.get(Checklist, sender_id) or Checklist(sender_id=sender_id)
    checklist.start_date = state.start_day()
    checklist.start_date_known = state.start_date not in (None, UNKNOWN_DATE)
    checklist.destination = state.destination
    checklist.region = state.region
    session.add(checklist)
    session.execute(delete(ChecklistItemStatus).where(ChecklistItemStatus.sender_id == sender_id))
    session.add_all(
        ChecklistItemStatus(sender_id=sender_id, item_key=key, status=status) for key, status in state.statuses.items()
    )


def save_liaison_note(
    session: Session, sender_id: str, region: str | None, organisation: str | None, text: str
) -> None:
    session.add(LiaisonNote(sender_id=sender_id, region=region, organisation=organisation, text=text))


def erase(session: Session, sender_id: str) -> int:
    deleted = 0
    for table in (ChecklistItemStatus, Checklist, LiaisonNote):
        deleted += session.execute(delete(table).where(table.sender_id == sender_id)).rowcount or 0
    return deleted
