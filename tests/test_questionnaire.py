"""The questionnaire's content and how answers are read (app/questionnaire.py), and the
Rasa files generated from it (knowledge/generate_forms.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app import questionnaire
from app.questionnaire import SKIPPED, UNKNOWN, read_answer
from knowledge import generate_forms

TODAY = date(2026, 11, 24)


def question(path: str):
    theme_key, key = path.split(".")
    return questionnaire.theme(theme_key).question(key)


def read(path: str, message: str, **kwargs):
    return read_answer(question(path), message, TODAY, **kwargs)


def test_every_theme_of_the_report_is_asked_in_french_and_english():
    themes = questionnaire.load_themes()
    assert [t.key for t in themes] == [
        "project", "employment", "family", "housing", "mobility",
        "services", "network", "moving", "resources", "eligibility",
    ]  # fmt: skip
    for theme in themes:
        assert set(theme.title) == {"fr", "en"}
        for q in theme.questions:
            assert q.ask["fr"] and q.ask["en"], q.path
            assert all(set(labels) == {"fr", "en"} for labels in q.options.values()), q.path
            assert q.kind in {"choice", "text", "places", "date", "year", "ages"}, q.path
            if q.kind == "choice":
                assert len(q.options) >= 2, q.path
            for name, accepted in q.ask_if.items():
                referred = question(name if "." in name else f"{theme.key}.{name}")
                assert set(accepted) <= {*referred.options, "any_date", UNKNOWN}, q.path


def test_the_four_activators_and_three_kinds_of_places_are_choices():
    assert set(question("project.activator").options) == {"job", "no_job", "training", "business"}
    assert set(question("project.setting").options) == {"city", "small_town", "rural"}


@pytest.mark.parametrize(
    ("path", "message", "value"),
    [
        ("family.household", "en couple", "couple"),
        ("family.household", "oui, en couple avec 2 enfants", "couple_children"),
        ("family.household", "je suis seul avec mes enfants", "alone_children"),
        ("family.household", "2", "couple"),
        ("project.visited", "non pas encore", "no"),
        ("project.visited", "Oui", "yes"),
        ("mobility.licence", "pas de permis", "none"),
        ("employment.job_found", "I have interviews", "interviews"),
    ],
)
def test_a_typed_answer_is_read_as_the_option_it_names(path, message, value):
    assert read(path, message).value == value


def test_a_button_sends_the_option_itself():
    assert read("project.activator", "/inform", choice="training").value == "training"


def test_yes_and_no_intents_answer_a_yes_no_question():
    assert read("network.mentor", "ouais certain", intent="affirm").value == "yes"
    assert read("network.mentor", "nope", intent="deny").value == "no"


def test_an_answer_that_names_no_option_is_refused_not_stored():
    reading = read("family.household", "couple")  # part of two options
    assert (reading.value, reading.problem) == (None, "choose_an_option")
    assert read("project.setting", "7").problem == "choose_an_option"


def test_dont_know_and_skip_are_answers():
    assert read("employment.field", "aucune idée", intent="dont_know").value == UNKNOWN
    assert read("project.setting", "passe", intent="skip_question").value == SKIPPED


def test_dates_to_come_are_kept_past_ones_refused():
    assert read("moving.date", "30 juin").value == "2027-06-30"
    assert read("moving.date", "dans 2 mois").value == "2027-01-23"
    past = read("housing.lease_end", "le 3 novembre 2026")
    assert past.problem == "date_in_past" and past.value is None
    assert read("moving.date", "bientôt peut-être").problem == "date_not_understood"
    assert read("housing.lease_end", "je n'ai pas de bail").value == "no_lease"


def test_years_out_of_range_are_refused():
    assert read("eligibility.arrival_year", "2022").value == 2022
    assert read("eligibility.arrival_year", "il y a 3 ans").value == 2023
    assert read("eligibility.arrival_year", "2031").problem == "year_out_of_range"
    assert read("eligibility.arrival_year", "1890").problem == "year_out_of_range"
    assert read("eligibility.arrival_year", "l'an passé").problem == "year_not_understood"


def test_children_ages():
    assert read("family.children_ages", "4 et 9 ans").value == [4, 9]
    assert read("family.children_ages", "40").problem == "ages_out_of_range"
    assert read("family.children_ages", "petits").problem == "ages_not_understood"


def test_free_text_and_places():
    assert read("employment.field", "  soins   infirmiers ").value == "soins infirmiers"
    assert read("employment.field", "???").problem == "text_empty"
    assert read("project.regions", "Rimouski et Matane", places=["Rimouski", "Matane"]).value == ["Rimouski", "Matane"]
    assert read("project.regions", "quelque part", places=[]).problem == "place_not_found"


def test_questions_that_do_not_apply_are_not_asked():
    family = questionnaire.theme("family")
    alone = {"family.household": "alone"}
    assert [q.key for q in family.to_ask(alone)] == ["household"]
    with_kids = {"family.household": "alone_children"}
    assert [q.key for q in family.to_ask(with_kids)] == ["household", "children_ages", "childcare"]
    # Another theme not answered yet rules nothing out.
    assert "school" in [q.key for q in questionnaire.theme("services").to_ask({})]
    assert "school" not in [q.key for q in questionnaire.theme("services").to_ask(alone)]
    housing = questionnaire.theme("housing")
    assert "lease_transfer" in [q.key for q in housing.to_ask({"housing.lease_end": "2027-06-30"})]
    assert "lease_transfer" not in [q.key for q in housing.to_ask({"housing.lease_end": "no_lease"})]


def test_next_question_and_coverage():
    mobility = questionnaire.theme("mobility")
    assert mobility.next_question({}).key == "licence"
    answers = {"mobility.licence": UNKNOWN, "mobility.car": SKIPPED}
    assert mobility.next_question(answers).key == "transit"
    assert not mobility.covered(answers)  # only "don't know" and skipped
    assert mobility.covered({**answers, "mobility.transit": "yes"})


def test_self_assessment_has_the_five_competencies_rated_one_to_five():
    assessment = questionnaire.load_self_assessment()
    assert [c.key for c in assessment.competencies] == ["initiative", "stress", "change", "sociability", "assertion"]
    theme = assessment.theme
    assert theme.questions[0].key == "key_moment" and theme.questions[0].kind == "text"
    assert all(q.kind == "scale" and list(q.options) == ["1", "2", "3", "4", "5"] for q in theme.questions[1:])
    assert read_answer(theme.questions[1], "7", TODAY).problem == "choose_on_scale"
    answers = {
        "self_assessment.initiative_1": "5",
        "self_assessment.initiative_2": "4",
        "self_assessment.stress_1": "2",
    }
    assert assessment.scores(answers) == {"initiative": 4.5, "stress": 2.0}


def test_slots_from_the_tracker_become_answers():
    slots = {"q_family_household": "couple", "sa_initiative_1": "3", "q_moving_date": None, "language": "fr"}
    assert questionnaire.answers_from_slots(slots) == {
        "family.household": "couple",
        "self_assessment.initiative_1": "3",
    }


def test_the_generated_domain_and_rules_match_the_knowledge_files():
    for path, content in generate_forms.outputs().items():
        assert path.read_text(encoding="utf-8") == content, f"run `make knowledge`: {path} is out of date"


def test_answers_are_kept_with_their_time_and_erased(database_url):
    from app import candidates
    from app.db import session_scope
    from app.models import QuestionnaireAnswer

    q = question("family.household")
    with session_scope() as session:
        questionnaire.save_answer(session, "kept-1", q, "couple")
    with session_scope() as session:
        questionnaire.save_answer(session, "kept-1", q, "alone")  # the latest replaces
        questionnaire.save_scores(session, "kept-1", {"initiative": 4.5})
    with session_scope() as session:
        assert questionnaire.stored_answers(session, "kept-1") == {"family.household": "alone"}
        assert questionnaire.stored_scores(session, "kept-1") == {"initiative": 4.5}
        assert session.get(QuestionnaireAnswer, ("kept-1", "family", "household")).answered_at is not None
        assert candidates.summary(candidates.export_about(session, "kept-1"))["questionnaire_answers"] == 1
    with session_scope() as session:
        assert candidates.erase(session, "kept-1") == 2
    with session_scope() as session:
        assert questionnaire.stored_answers(session, "kept-1") == {}
