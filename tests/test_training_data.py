"""Checks on the training data that Rasa's validator does not make."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from app.places import read_region_aliases
from app.text import fold
from tests.conftest import ROOT

ANNOTATION = re.compile(r'\[([^\]]+)\]\{"entity": "(\w+)", "value": "([^"]+)"\}')
CATALOGUE = {
    "greet", "goodbye", "affirm", "deny", "thank", "help", "bot_challenge", "out_of_scope",
    "start_preparation", "urgent_departure", "ask_region_info", "recommend_region",
    "find_organisation", "find_mentor", "request_counsellor", "ask_eligibility",
    "ask_financial_help", "ask_lease", "ask_driving_licence", "ask_francisation",
    "ask_housing", "ask_jobs", "delete_my_data", "inform",
}  # fmt: skip


def plain(example: str) -> str:
    """The text of an example without its entity annotations, folded."""
    return fold(re.sub(r"\{[^}]*\}|\(\w+\)|[\[\]]", "", example))


def nlu_files() -> list[Path]:
    return sorted((ROOT / "data" / "nlu").glob("*.yml"))


def examples_by_intent() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in nlu_files():
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                lines = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
                found.setdefault(block["intent"], []).extend(lines)
    return found


def test_every_intent_of_the_catalogue_has_at_least_twenty_examples():
    examples = examples_by_intent()
    for intent in CATALOGUE:
        assert len(examples.get(intent, [])) >= 20, intent


def test_no_heldout_example_is_in_the_training_data():
    training = {plain(e) for lines in examples_by_intent().values() for e in lines}
    heldout = [
        b for f in (ROOT / "tests" / "nlu").glob("*.yml") for b in yaml.safe_load(f.read_text(encoding="utf-8"))["nlu"]
    ]
    leaked = [
        line[2:]
        for block in heldout
        for line in block["examples"].splitlines()
        if line.startswith("- ") and plain(line[2:]) in training
    ]
    assert leaked == []


def test_a_municipality_name_is_never_a_synonym_of_a_region():
    """Rasa turns every annotation into a global synonym: `[Saguenay]{region}` would make
    the city of Saguenay answer as its region. Region annotations must carry their article
    ("au Saguenay") or be a region alias."""
    municipalities = {fold(line.split(",")[1]) for line in (ROOT / "knowledge" / "municipalities.csv").open()}
    aliases = {fold(a) for names in read_region_aliases().values() for a in names}
    for path in nlu_files():
        for surface, entity, _value in ANNOTATION.findall(path.read_text(encoding="utf-8")):
            if entity == "region":
                key = fold(surface)
                assert key not in municipalities or key in aliases, f"{path.name}: {surface}"


def test_no_region_alias_is_a_municipality_name():
    municipalities = {fold(line.split(",")[1]) for line in (ROOT / "knowledge" / "municipalities.csv").open()}
    for region, names in read_region_aliases().items():
        for alias in names:
            assert fold(alias) not in municipalities or fold(alias) == fold(region), alias
