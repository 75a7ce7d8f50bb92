"""The region matcher (app/recommendation/), its rules (knowledge/recommendation.yml) and
the personas a counsellor wrote from the sourced data (tests/recommendation_personas.yml)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest
import yaml

from app.recommendation import (
    Line,
    Profile,
    Recommendation,
    RegionMatch,
    answers_in_message,
    check_rules,
    fields_of,
    km_between,
    load_facts,
    load_rules,
    profile_from_answers,
    questions_left,
    questions_to_ask,
    read_rules_file,
    read_typed_answer,
    recommend,
    rules_from,
)
from bench.recommendation import agreement_of, load_personas
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def facts(database_url: str):
    from app.db import session_scope

    with session_scope() as session:
        return load_facts(session, load_rules())


def test_the_rules_file_counsellors_edit_is_valid() -> None:
    assert check_rules(read_rules_file()) == []


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda r: r["weights"].pop("field"), "weights: field is missing"),
        (lambda r: r["weights"].update(setting="beaucoup"), "weights: setting must be a number >= 0"),
        (
            lambda r: r["texts"]["distance"].update(fr="{ville} est loin"),
            "texts: distance (fr) has no placeholder {ville}",
        ),
        (lambda r: r["texts"]["named"].pop("en"), "texts: named needs fr, en and sources"),
        (lambda r: r["fields"]["health"].pop("sectors"), "fields: health needs words and sectors"),
        (
            lambda r: r["questions"]["field"]["buttons"].append("plumbing"),
            "questions: field button plumbing is not a field",
        ),
    ],
)
def test_a_counsellors_typo_is_caught(edit, problem: str) -> None:
    raw = copy.deepcopy(read_rules_file())
    edit(raw)
    assert problem in check_rules(raw)


def test_every_field_is_found_from_its_own_label() -> None:
    """The field question's buttons send the label: each must read as its own field."""
    rules = load_rules()
    for f in rules.fields:
        for language in ("fr", "en"):
            assert f in fields_of(f.label[language], rules), (f.key, language)


def test_trades_as_people_write_them() -> None:
    rules = load_rules()
    assert [f.key for f in fields_of("Infirmière auxiliaire", rules)] == ["health"]
    assert [f.key for f in fields_of("soudeur-monteur", rules)] == ["manufacturing"]
    assert "ict" in [f.key for f in fields_of("IT support", rules)]
    assert fields_of("italien", rules) == ()  # "it" is a whole word only
    assert fields_of(None, rules) == ()


def test_distance_from_coordinates() -> None:
    montreal, quebec = (45.50884, -73.58781), (46.81228, -71.21454)
    assert 225 < km_between(montreal, quebec) < 240


def test_sixteen_regions_without_montreal(facts) -> None:
    ranking = recommend(facts, Profile(), load_rules())
    assert len(ranking.regions) == 16
    assert "Montréal" not in [m.name for m in ranking.regions]


@pytest.mark.parametrize("persona", load_personas(), ids=lambda p: p.name)
def test_persona_regions_are_in_the_top_three(facts, persona) -> None:
    top = [m.name for m in recommend(facts, persona.profile, load_rules()).top]
    assert set(persona.expected) <= set(top), top


def test_the_bench_figure(facts) -> None:
    result = agreement_of(facts, load_personas(), load_rules())
    assert result["personas"] >= 15
    assert result["agreement"] == 1.0, result["missed"]


def test_every_suggestion_says_why_with_sources(facts) -> None:
    profile = Profile(field="infirmière", setting="rural", car=False)
    for match in recommend(facts, profile, load_rules()).top:
        assert match.reasons, match.name
        field_line = match.reasons[0]
        assert field_line.text.startswith("Santé : « ") and field_line.source_url.startswith("http")
        assert any("voiture" in line.text for line in match.against), match.against
        assert len(match.towns) <= 3


def test_english_reasons(facts) -> None:
    match = recommend(facts, Profile(field="nurse"), load_rules(), "en").top[0]
    assert match.reasons[0].text.startswith("Health: ")


def test_too_far_moves_a_region_down_and_says_so(facts) -> None:
    rules = load_rules()
    far = Profile(field="mineur")
    near = replace(far, max_km=150)
    assert "Côte-Nord" in [m.name for m in recommend(facts, far, rules).top]
    cote_nord = next(m for m in recommend(facts, near, rules).regions if m.name == "Côte-Nord")
    assert cote_nord not in recommend(facts, near, rules).top
    assert any("150 km" in line.text for line in cote_nord.against)


def test_a_weight_counsellors_change_changes_the_ranking(facts) -> None:
    raw = copy.deepcopy(read_rules_file())
    profile = Profile(field="cuisinier", named=("01",))
    assert recommend(facts, profile, rules_from(raw)).top[0].name == "Bas-Saint-Laurent"
    raw["weights"]["named"] = 0
    raw["weights"]["ties"] = 0
    assert recommend(facts, profile, rules_from(raw)).top[0].name != "Bas-Saint-Laurent"


def test_questionnaire_answers_make_the_profile() -> None:
    answers = {
        "employment.field": "soudeur",
        "project.setting": "small_town",
        "project.regions": ["Rimouski", "Mauricie"],
        "network.contacts": "few",
        "family.household": "couple_children",
        "family.children_ages": [4, 9],
        "mobility.licence": "none",
        "mobility.car": "yes",
        "services.francisation": "unknown",
        "eligibility.french": "beginner",
    }
    regions = {"Rimouski": "01", "Mauricie": "04"}
    profile = profile_from_answers(answers, regions.get)
    assert profile == Profile(
        field="soudeur",
        household="couple_children",
        children_ages=(4, 9),
        setting="small_town",
        car=False,
        francisation=True,
        ties=("01", "04"),
        named=("01", "04"),
    )
    assert profile.unknown() == ["max_km"]


def test_it_asks_only_what_changes_the_ranking(facts) -> None:
    rules = load_rules()
    asked = questions_to_ask(facts, Profile(), rules)
    assert asked and len(asked) <= 3 and asked[0] == "field"
    known = Profile(field="infirmière", setting="city", car=True, max_km=1000, francisation=False)
    assert questions_to_ask(facts, known, rules) == []


@pytest.mark.parametrize(
    ("key", "typed", "intent", "value"),
    [
        ("setting", "à la campagne", None, "rural"),
        ("setting", "2", None, "small_town"),  # the second button
        ("setting", "une petite ville proche d'une grande ville", None, "small_town"),
        ("setting", "in the countryside", None, "rural"),
        ("setting", "je ne sais pas", "dont_know", "unknown"),
        ("max_km", "pas plus de 200 km", None, "200"),
        ("max_km", "250", None, "250"),
        ("max_km", "2", None, "400"),
        ("max_km", "Peu importe", None, "any"),
        ("car", "non, pas de voiture", None, "no"),
        ("car", "oui", None, "yes"),
        ("car", "bien sûr", "affirm", "yes"),
        ("francisation", "ma femme a besoin de cours de français", None, "yes"),
        ("field", "1", None, "Santé"),
        ("field", "je suis soudeur", None, "je suis soudeur"),
    ],
)
def test_typed_answers_to_the_matchers_questions(key: str, typed: str, intent: str | None, value: str) -> None:
    reading = read_typed_answer(key, typed, load_rules(), intent)
    assert reading.ok and reading.value == value


@pytest.mark.parametrize(
    ("key", "typed", "problem"),
    [
        ("setting", "bof", "choose_an_option"),
        ("field", "bof", "rec_field_not_understood"),
        ("max_km", "loin", "rec_max_km_not_understood"),
    ],
)
def test_what_is_not_an_answer_says_why(key: str, typed: str, problem: str) -> None:
    assert read_typed_answer(key, typed, load_rules()).problem == problem


def test_a_first_message_answers_by_words_only() -> None:
    rules = load_rules()
    said = "on est une famille avec deux enfants, on veut une petite ville pas trop loin"
    assert answers_in_message(said, rules) == {"setting": "small_town", "max_km": "150"}
    assert answers_in_message("oui, 2", rules) == {}  # numbers and yes/no need a question
    assert answers_in_message("is it far from a big city?", rules) == {"setting": "city"}  # "it" is no trade here
    trade = "conseille-moi une région pour un ingénieur en mécanique"
    assert answers_in_message(trade, rules) == {"field": trade}


def test_the_questions_left_stay_within_the_allowed_number(facts) -> None:
    rules = load_rules()
    assert questions_left(facts, Profile(), {}, rules)[0] == "field"
    answered = {"field": "unknown", "setting": "unknown", "car": "unknown"}
    assert questions_left(facts, Profile(), answered, rules) == []
    assert "field" not in questions_left(facts, Profile(), {"field": "unknown"}, rules)


def test_a_region_without_a_reason_is_never_suggested() -> None:
    bare = RegionMatch("01", "Bas-Saint-Laurent", 9.0, (), (), ())
    reasoned = RegionMatch("02", "Saguenay–Lac-Saint-Jean", 1.0, (), (Line("x", 1.0, sources=("geonames",)),), ())
    assert Recommendation((bare, reasoned), (), 3).top == (reasoned,)


def test_every_reason_names_known_sources(facts) -> None:
    registry = set(yaml.safe_load((ROOT / "knowledge" / "sources.yml").read_text(encoding="utf-8"))["sources"])
    profile = Profile(
        field="soudeur", spouse_field="infirmière", children_ages=(6,), setting="small_town", car=False,
        max_km=300, francisation=True, ties=("04",), named=("04",),
    )  # fmt: skip
    lines = [line for m in recommend(facts, profile, load_rules()).regions for line in (*m.reasons, *m.against)]
    assert lines and all(line.sources and set(line.sources) <= registry for line in lines)


def test_a_weak_organisation_is_no_reason_until_verified(database_url: str) -> None:
    """As in the directory candidates see (app/organisations.py): a low-confidence row is
    kept for counsellors and becomes a reason once a counsellor verified it."""
    from app.db import session_scope
    from app.models import Organisation

    with session_scope() as session:
        weak = session.query(Organisation).filter_by(confidence="low", verified_on=None).first()
        name, region = weak.name, weak.region_code

    def listed() -> bool:
        with session_scope() as session:
            facts = load_facts(session, load_rules())
        return name in {o.name for r in facts.regions if r.code == region for o in r.organisations}

    assert not listed()
    with session_scope() as session:
        session.query(Organisation).filter_by(name=name, region_code=region).update({"verified_on": date.today()})
    try:
        assert listed()
    finally:
        with session_scope() as session:
            session.query(Organisation).filter_by(name=name, region_code=region).update({"verified_on": None})
