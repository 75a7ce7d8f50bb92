"""Every statement knowledge/ shows a candidate names its sources (knowledge/sources.yml)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest
import yaml

from tests.conftest import ROOT

KNOWLEDGE = ROOT / "knowledge"
# Files that hold no fact shown to a candidate: how people name places, demonstration people,
# and the code that builds the rest.
NOT_FACTS = {
    "region_aliases.yml",
    "city_aliases.yml",
    "ambiguous_place_names.txt",
    "demo_mentors.yml",
    "sources.yml",
    "SOURCES.md",
}
# Rows sourced one by one: each must carry its own address.
ROW_SOURCED = ("organisations.csv", "growth_sectors.csv")


def load(name: str) -> dict:
    return yaml.safe_load((KNOWLEDGE / name).read_text(encoding="utf-8"))


REGISTRY = load("sources.yml")
SOURCE_IDS = set(REGISTRY["sources"])


def statements() -> Iterator[tuple[str, dict]]:
    """(where, statement) for every candidate-facing statement of the YAML files."""
    for topic, entry in load("procedures.yml").items():
        for n, statement in enumerate(entry["statements"]):
            yield f"procedures.yml {topic} #{n}", statement
        if entry.get("unconfirmed"):
            yield f"procedures.yml {topic} unconfirmed", entry["unconfirmed"]
    checklist = load("checklist.yml")
    for block in ("before_leaving", "first_days"):
        for item in checklist[block]:
            yield f"checklist.yml {item['key']}", item
    for n, rule in enumerate(load("report_rules.yml")["rules"]):
        yield f"report_rules.yml #{n} ({rule['theme']})", rule
    for theme in load("questionnaire.yml")["themes"]:
        yield f"questionnaire.yml {theme['key']}", theme
    yield "self_assessment.yml", load("self_assessment.yml")
    yield "mentor_signup.yml", load("mentor_signup.yml")
    recommendation = load("recommendation.yml")
    yield "recommendation.yml", recommendation
    for key, wording in recommendation["texts"].items():
        yield f"recommendation.yml texts {key}", wording


STATEMENT_FILES = {
    "procedures.yml",
    "checklist.yml",
    "report_rules.yml",
    "questionnaire.yml",
    "self_assessment.yml",
    "mentor_signup.yml",
    "recommendation.yml",
}


@pytest.mark.parametrize("where,statement", list(statements()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_statement_names_known_sources(where, statement):
    cited = statement.get("sources")
    assert cited, f"{where}: no source id"
    assert set(cited) <= SOURCE_IDS, f"{where}: unknown source ids {set(cited) - SOURCE_IDS}"


def test_every_source_is_described():
    for key, source in REGISTRY["sources"].items():
        assert source["label"].strip(), key
        assert source["kind"] in {"official", "secondary", "field_report", "open_data"}, key
        assert source.get("url") is None or source["url"].startswith("http"), key
        if source["kind"] == "field_report":
            assert "2015–2017" in source["label"], key  # the report is dated: say so


def test_every_knowledge_file_is_sourced_or_holds_no_fact():
    data_files = {p.name for p in KNOWLEDGE.iterdir() if p.suffix in {".csv", ".yml", ".txt", ".md"}}
    unaccounted = data_files - NOT_FACTS - STATEMENT_FILES - set(REGISTRY["files"])
    assert not unaccounted, f"say where these come from in sources.yml: {sorted(unaccounted)}"
    for name, cited in REGISTRY["files"].items():
        assert (KNOWLEDGE / name).exists(), name
        assert cited and set(cited) <= SOURCE_IDS, name


@pytest.mark.parametrize("name", ROW_SOURCED)
def test_hand_sourced_rows_carry_their_address(name):
    with (KNOWLEDGE / name).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert row["source_url"].startswith("http"), row


def test_sources_md_lists_what_each_file_draws_from():
    listed = (KNOWLEDGE / "SOURCES.md").read_text(encoding="utf-8")
    for name in STATEMENT_FILES | set(REGISTRY["files"]) | {"sources.yml"}:
        assert f"`{name}`" in listed, name


def test_questionnaire_rules_and_answer_agree_on_eligibility():
    """Report 6.1.1: permanent residents (landed immigrants) arrived in Canada less than five
    years ago. Citizens are not named: checked by a counsellor, neither excluded nor promised."""
    from app.procedures import load_procedures
    from app.report import load_rules

    colour_of = {r.when[0]["eligibility.status"]: r.colour for r in load_rules() if "eligibility.status" in r.when[0]}
    assert colour_of == {"other": "red", "citizen": "yellow"}
    status = next(q for t in load("questionnaire.yml")["themes"] for q in t["questions"] if q["key"] == "status")
    assert set(status["options"]) == {"permanent_resident", *colour_of}
    reasons = " ".join(r.reason["fr"] for r in load_rules() if r.theme == "eligibility")
    assert "aux citoyens" not in reasons and "arrivées au Canada" in reasons
    assert "aide les employeurs" not in reasons and "sans lier les employeurs" in reasons
    assert "arrivé au Canada" in load_procedures()["eligibility"].text["fr"]
