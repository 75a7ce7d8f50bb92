"""Answers about the procedures of a move, from knowledge/procedures.yml: each statement
with the ids of its sources, resolved in knowledge/sources.yml.

An answer has its essentials and, for a long one, details (statements marked `detail`),
said after the essentials so a phone screen shows what matters first."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.settings import get_settings

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Source:
    label: str
    url: str | None = None
    short: str = ""  # the label said in chat, next to its link; the full label when empty

    @property
    def shown(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class AnswerPart:
    text: dict[str, str]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ProcedureAnswer:
    topic: str
    essentials: AnswerPart
    details: AnswerPart | None = None
    unconfirmed: dict[str, str] | None = None

    @property
    def text(self) -> dict[str, str]:
        """Everything the answer states, essentials then details."""
        parts = [self.essentials, *([self.details] if self.details else [])]
        return {lang: "\n".join(p.text[lang] for p in parts) for lang in LANGUAGES}

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.essentials.sources + (self.details.sources if self.details else ())


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cited_ids(parts: list[dict]) -> list[str]:
    """The source ids of these statements (or notes), in order, once each."""
    return list(dict.fromkeys(i for part in parts for i in part.get("sources", ())))


def _part(statements: list[dict], ids: list[str], sources: dict[str, dict]) -> AnswerPart:
    return AnswerPart(
        text={lang: "\n".join(s[lang].strip() for s in statements) for lang in LANGUAGES},
        sources=tuple(Source(sources[i]["label"], sources[i].get("url"), sources[i].get("short", "")) for i in ids),
    )


def _answer(topic: str, entry: dict, sources: dict[str, dict]) -> ProcedureAnswer:
    """The essentials cite their sources and the unconfirmed note's; the details, only the
    sources not cited already."""
    unconfirmed = entry.get("unconfirmed")
    essentials = [s for s in entry["statements"] if not s.get("detail")]
    details = [s for s in entry["statements"] if s.get("detail")]
    essential_ids = cited_ids([*essentials, unconfirmed or {}])
    detail_ids = [i for i in cited_ids(details) if i not in essential_ids]
    return ProcedureAnswer(
        topic=topic,
        essentials=_part(essentials, essential_ids, sources),
        details=_part(details, detail_ids, sources) if details else None,
        unconfirmed={lang: unconfirmed[lang] for lang in LANGUAGES} if unconfirmed else None,
    )


@lru_cache(maxsize=1)
def load_procedures() -> dict[str, ProcedureAnswer]:
    knowledge = get_settings().knowledge_dir
    sources = _read(knowledge / "sources.yml")["sources"]
    return {topic: _answer(topic, entry, sources) for topic, entry in _read(knowledge / "procedures.yml").items()}


def procedure(topic: str) -> ProcedureAnswer:
    return load_procedures()[topic]
