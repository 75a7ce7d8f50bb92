"""The matcher's rules: knowledge/recommendation.yml (weights, fields and their words,
questions, sentences), read and checked."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from app.settings import get_settings
from app.text import fold

SETTINGS = ("city", "small_town", "rural")
# What the matcher asks about when it does not know, in knowledge/recommendation.yml.
QUESTION_KEYS = ("field", "setting", "car", "max_km", "francisation")
WEIGHT_KEYS = (
    "field",
    "spouse_field",
    "leading",
    "setting",
    "no_car",
    "too_far",
    "francisation",
    "adult_education",
    "ties",
    "named",
    "welcome",
    "pairing",
)


@dataclass(frozen=True)
class Field:
    key: str
    label: dict[str, str]
    words: tuple[str, ...]
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    weights: dict[str, float]
    confidence_factor: dict[str, float]
    places: dict[str, Any]
    fields: tuple[Field, ...]
    leading_words: tuple[str, ...]
    questions: dict[str, Any]
    texts: dict[str, dict[str, Any]]

    def text(self, key: str, language: str, **values: Any) -> str:
        return self.texts[key][language].format(**values)

    def sources(self, key: str) -> tuple[str, ...]:
        """The ids (knowledge/sources.yml) of what a text states."""
        return tuple(self.texts[key]["sources"])


def rules_from(raw: dict[str, Any]) -> Rules:
    return Rules(
        weights={k: float(v) for k, v in raw["weights"].items()},
        confidence_factor={k: float(v) for k, v in raw["confidence_factor"].items()},
        places=raw["places"],
        fields=tuple(
            Field(key, f["label"], tuple(fold(w) for w in f["words"]), tuple(fold(s) for s in f["sectors"]))
            for key, f in raw["fields"].items()
        ),
        leading_words=tuple(fold(w) for w in raw["leading_words"]),
        questions=raw["questions"],
        texts=raw["texts"],
    )


def read_rules_file() -> dict[str, Any]:
    return yaml.safe_load((get_settings().knowledge_dir / "recommendation.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    return rules_from(read_rules_file())


# The placeholders each text may use: a typo in a counsellor's edit is caught by the tests.
TEXT_PLACEHOLDERS = {
    "field": {"field", "sector", "source"},
    "spouse_field": {"field", "sector", "source"},
    "field_missing": {"field"},
    "setting_city": {"town", "population"},
    "setting_city_missing": {"minimum"},
    "setting_small_town": {"town", "population", "km", "city"},
    "setting_small_town_missing": set(),
    "setting_rural": {"share", "size"},
    "setting_rural_missing": {"share"},
    "no_car": {"share", "size", "town"},
    "car_needed": set(),
    "distance": {"town", "km"},
    "too_far": {"limit", "town", "km"},
    "francisation": {"organisation", "source"},
    "adult_education": {"town"},
    "francisation_missing": set(),
    "children": {"schools"},
    "ties": set(),
    "named": set(),
    "welcome": {"organisation", "source"},
    "pairing": {"organisation"},
    "mentors": {"count"},
    "qualified_jobs_in_cities": {"town"},
}
PLACES_KEYS = {
    "regional_city_min",
    "small_town",
    "near_city_km",
    "city_min",
    "countryside",
    "countryside_share",
    "transit_city_min",
    "towns_shown",
    "regions_shown",
}


def check_rules(raw: dict[str, Any]) -> list[str]:
    """What is wrong in the rules file, in words a counsellor can act on."""
    problems = []
    weights = raw.get("weights") or {}
    problems += [f"weights: {k} is missing" for k in WEIGHT_KEYS if k not in weights]
    problems += [f"weights: unknown weight {k}" for k in weights if k not in WEIGHT_KEYS]
    problems += [f"weights: {k} must be a number >= 0" for k, v in weights.items() if not _non_negative(v)]
    factors = raw.get("confidence_factor") or {}
    problems += [f"confidence_factor: {c} is missing" for c in ("high", "medium", "low") if c not in factors]
    problems += [f"confidence_factor: {c} must be a number >= 0" for c, v in factors.items() if not _non_negative(v)]
    places = raw.get("places") or {}
    problems += [f"places: {k} is missing" for k in PLACES_KEYS if k not in places]
    if not raw.get("leading_words"):
        problems.append("leading_words: the list is missing")
    for key, entry in (raw.get("fields") or {}).items():
        if set(entry.get("label") or {}) != {"fr", "en"}:
            problems.append(f"fields: {key} needs a label in fr and en")
        if not entry.get("words") or not entry.get("sectors"):
            problems.append(f"fields: {key} needs words and sectors")
    questions = raw.get("questions") or {}
    for key in QUESTION_KEYS:
        if set((questions.get(key) or {}).get("ask") or {}) != {"fr", "en"}:
            problems.append(f"questions: {key} needs ask in fr and en")
    problems += [
        f"questions: field button {b} is not a field"
        for b in questions.get("field", {}).get("buttons", [])
        if b not in (raw.get("fields") or {})
    ]
    problems += _option_problems(questions)
    problems += _text_problems(raw.get("texts") or {})
    return problems


def _non_negative(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _option_problems(questions: dict[str, Any]) -> list[str]:
    problems = []
    for key in QUESTION_KEYS:
        for option, entry in ((questions.get(key) or {}).get("options") or {}).items():
            if not {"fr", "en"} <= set(entry):
                problems.append(f"questions: {key} option {option} needs fr and en")
            if not isinstance(entry.get("words", []), list):
                problems.append(f"questions: {key} option {option}: words must be a list")
    return problems


def _text_problems(texts: dict[str, Any]) -> list[str]:
    problems = [f"texts: {k} is missing" for k in TEXT_PLACEHOLDERS if k not in texts]
    for key, entry in texts.items():
        if key not in TEXT_PLACEHOLDERS:
            problems.append(f"texts: unknown text {key}")
            continue
        if set(entry) != {"fr", "en", "sources"}:
            problems.append(f"texts: {key} needs fr, en and sources")
        if not entry.get("sources"):
            problems.append(f"texts: {key} needs the ids of its sources")
        for language, wording in ((k, v) for k, v in entry.items() if k in ("fr", "en")):
            used = {name for _, name, _, _ in string.Formatter().parse(wording) if name}
            problems += [f"texts: {key} ({language}) has no placeholder {{{n}}}" for n in used - TEXT_PLACEHOLDERS[key]]
    return problems
