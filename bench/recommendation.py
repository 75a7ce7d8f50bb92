"""Agreement of the region matcher with counsellors: the personas of
tests/recommendation_personas.yml, each with the regions a counsellor reading the sourced
data would put first; a persona agrees when all of them are in the matcher's top three."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from app.recommendation import Facts, Profile, Rules, load_facts, load_rules, recommend

PERSONAS = Path(__file__).resolve().parent.parent / "tests" / "recommendation_personas.yml"


@dataclass(frozen=True)
class Persona:
    name: str
    profile: Profile
    expected: tuple[str, ...]  # region names


def load_personas(path: Path = PERSONAS) -> list[Persona]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["personas"]
    return [
        Persona(
            p["name"],
            Profile(**{k: tuple(v) if isinstance(v, list) else v for k, v in p["profile"].items()}),
            tuple(p["expected"]),
        )
        for p in raw
    ]


def top_names(facts: Facts, persona: Persona, rules: Rules) -> list[str]:
    return [m.name for m in recommend(facts, persona.profile, rules).top]


def agreement_of(facts: Facts, personas: list[Persona], rules: Rules) -> dict[str, Any]:
    """Pure: the share of personas whose expected regions are all in the top three, and the
    share of expected regions found, with the personas that disagree."""
    missed, found, expected = [], 0, 0
    for persona in personas:
        top = top_names(facts, persona, rules)
        hits = [r for r in persona.expected if r in top]
        found += len(hits)
        expected += len(persona.expected)
        if len(hits) < len(persona.expected):
            missed.append({"persona": persona.name, "expected": list(persona.expected), "top": top})
    return {
        "personas": len(personas),
        "agreement": round((len(personas) - len(missed)) / len(personas), 3) if personas else 0.0,
        "expected_regions_found": round(found / expected, 3) if expected else 0.0,
        "missed": missed,
    }


def agreement(session: Session) -> dict[str, Any]:
    """For `make bench`: the matcher against the personas, on the database's facts."""
    rules = load_rules()
    return agreement_of(load_facts(session, rules), load_personas(), rules)
