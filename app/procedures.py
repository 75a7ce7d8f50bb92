"""Answers about the procedures of a move, from knowledge/procedures.yml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from app.settings import get_settings

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Source:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class ProcedureAnswer:
    topic: str
    text: dict[str, str]
    sources: tuple[Source, ...]
    unconfirmed: dict[str, str] | None = None


@lru_cache(maxsize=1)
def load_procedures() -> dict[str, ProcedureAnswer]:
    path = get_settings().knowledge_dir / "procedures.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        topic: ProcedureAnswer(
            topic=topic,
            text={lang: entry[lang].strip() for lang in LANGUAGES},
            sources=tuple(Source(s["label"], s.get("url")) for s in entry["sources"]),
            unconfirmed=entry.get("unconfirmed"),
        )
        for topic, entry in raw.items()
    }


def procedure(topic: str) -> ProcedureAnswer:
    return load_procedures()[topic]
