"""The questionnaire's actions: forms that ask, read and keep answers, the menu, resume,
the self-assessment summary and the decision report."""

from __future__ import annotations

import pytest

from actions import questionnaire as actions
from app import questionnaire
from tests.conftest import all_text, entity, make_tracker, run_action, slot_events

FAMILY = next(c for c in actions.THEME_VALIDATIONS if c.theme_key == "family")
PROJECT = next(c for c in actions.THEME_VALIDATIONS if c.theme_key == "project")
SELF = next(c for c in actions.THEME_VALIDATIONS if c.theme_key == "self_assessment")


def button_payloads(dispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


def leaves_the_form(events) -> bool:
    return any(e["event"] == "active_loop" and e["name"] is None for e in events)


def theme_started(events) -> str | None:
    """The theme whose form the rules start next (data/rules/questionnaire_forms.yml)."""
    return slot_events(events).get("questionnaire_theme")


def test_one_validation_action_per_form():
    names = {c().name() for c in actions.THEME_VALIDATIONS}
    assert names == {f"validate_{t.form}" for t in questionnaire.all_forms()}
    assert len(names) == 12  # ten themes, the self-assessment, becoming a mentor


def test_the_form_asks_its_first_question_with_buttons(dispatcher):
    tracker = make_tracker("on fait la partie famille", "choose_theme", latest_action="action_start_theme")
    events = run_action(FAMILY(), dispatcher, tracker)
    assert slot_events(events) == {"requested_slot": "q_family_household"}
    assert "Conjoint et famille · question 1" in all_text(dispatcher)
    assert "Avec qui partez-vous?" in all_text(dispatcher)
    payloads = button_payloads(dispatcher)
    assert '/inform{"choice": "couple_children"}' in payloads
    assert {"/dont_know", "/skip_question", "/pause_questionnaire"} <= set(payloads)


def test_a_button_answer_is_kept_and_the_next_question_asked(dispatcher):
    tracker = make_tracker(
        '/inform{"choice": "couple_children"}', "inform", [entity("choice", "couple_children")],
        slots={"requested_slot": "q_family_household"},
    )  # fmt: skip
    events = run_action(FAMILY(), dispatcher, tracker)
    assert slot_events(events) == {"q_family_household": "couple_children", "requested_slot": "q_family_children_ages"}
    assert "Quel âge ont vos enfants?" in all_text(dispatcher)


def test_questions_that_do_not_apply_are_skipped_and_the_form_ends(dispatcher):
    tracker = make_tracker("seul", "inform", slots={"requested_slot": "q_family_household"})
    events = run_action(FAMILY(), dispatcher, tracker)
    assert slot_events(events) == {"q_family_household": "alone", "requested_slot": None}
    assert dispatcher.messages == []


def test_an_unclear_answer_is_explained_and_the_question_asked_again(dispatcher):
    tracker = make_tracker("couple", "inform", slots={"requested_slot": "q_family_household"})
    events = run_action(FAMILY(), dispatcher, tracker)
    assert slot_events(events) == {"q_family_household": None, "requested_slot": "q_family_household"}
    assert "Choisissez une réponse" in dispatcher.messages[0]["text"]
    assert "Avec qui partez-vous?" in dispatcher.messages[1]["text"]


def test_out_of_range_ages_are_not_stored(dispatcher):
    slots = {"requested_slot": "q_family_children_ages", "q_family_household": "alone_children"}
    events = run_action(FAMILY(), dispatcher, make_tracker("4 et 43", "inform", slots=slots))
    assert slot_events(events)["q_family_children_ages"] is None
    assert "dépasse 25 ans" in all_text(dispatcher)


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("je veux parler à une conseillère", "request_counsellor"),
        ("est-ce que je peux casser mon bail?", "ask_lease"),
        ("on arrête pour aujourd'hui", "pause_questionnaire"),
    ],
)
def test_another_request_leaves_the_question_silently(dispatcher, message, intent):
    tracker = make_tracker(message, intent, slots={"requested_slot": "q_family_household"})
    assert run_action(FAMILY(), dispatcher, tracker) == []
    assert dispatcher.messages == []


def test_free_text_takes_the_words_unless_they_ask_something(dispatcher):
    slots = {"requested_slot": "q_project_why"}
    answer = make_tracker("parce qu'il y a du travail en soins", "ask_jobs", slots=slots)
    assert slot_events(run_action(PROJECT(), dispatcher, answer))["q_project_why"] == (
        "parce qu'il y a du travail en soins"
    )
    question = make_tracker("il y a du travail en soins là-bas?", "ask_jobs", slots=slots)
    assert run_action(PROJECT(), dispatcher, question) == []


def test_places_are_read_with_the_gazetteer(database_url, dispatcher):
    slots = {"requested_slot": "q_project_regions"}
    found = [
        {"entity": "region", "value": "Bas-Saint-Laurent", "start": 15},
        {"entity": "city", "value": "Rimouski", "start": 0},
    ]
    tracker = make_tracker("rimouski ou le BSL", "inform", found, slots=slots)
    assert slot_events(run_action(PROJECT(), dispatcher, tracker))["q_project_regions"] == [
        "Rimouski",
        "Bas-Saint-Laurent",
    ]


def test_dont_know_and_skip_move_on(dispatcher):
    slots = {"requested_slot": "q_project_activator"}
    events = run_action(PROJECT(), dispatcher, make_tracker("je sais pas", "dont_know", slots=slots))
    assert slot_events(events) == {"q_project_activator": "unknown", "requested_slot": "q_project_regions"}


def test_coming_back_after_another_answer_asks_the_same_question_again(dispatcher):
    tracker = make_tracker(
        "est-ce que je peux casser mon bail?", "ask_lease",
        slots={"requested_slot": "q_family_household"}, latest_action="action_answer_procedure",
    )  # fmt: skip
    events = run_action(FAMILY(), dispatcher, tracker)
    assert slot_events(events) == {"requested_slot": "q_family_household"}
    assert "Avec qui partez-vous?" in all_text(dispatcher)


def test_answers_reach_the_database_only_with_consent(database_url, dispatcher):
    from app.db import session_scope

    for sender, consent in (("q-consent", True), ("q-no-consent", None)):
        tracker = make_tracker(
            "en couple", "inform", slots={"requested_slot": "q_family_household", "consent": consent}, sender_id=sender
        )
        run_action(FAMILY(), dispatcher, tracker)
    with session_scope() as session:
        assert questionnaire.stored_answers(session, "q-consent") == {"family.household": "couple"}
        assert questionnaire.stored_answers(session, "q-no-consent") == {}


def test_the_menu_shows_progress_and_leaves_any_form(dispatcher):
    slots = {"q_family_household": "alone", "q_project_activator": "job"}
    events = run_action(actions.ActionQuestionnaireMenu(), dispatcher, make_tracker("préparer", slots=slots))
    titles = [b["title"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert "✅ Conjoint et famille" in titles and "◐ Projet et région" in titles and "☐ Emploi" in titles
    assert "Auto-évaluation (facultatif)" in titles
    assert leaves_the_form(events)
    assert "Deux choses comptent" not in all_text(dispatcher)  # the introduction is for the first time


def test_the_menu_introduces_the_questionnaire_the_first_time(dispatcher):
    run_action(actions.ActionQuestionnaireMenu(), dispatcher, make_tracker("préparer"))
    assert "un emploi" in all_text(dispatcher) and "un réseau" in all_text(dispatcher)


def test_a_chosen_theme_starts_its_form(dispatcher):
    tracker = make_tracker("emploi", "choose_theme", [entity("theme", "employment")])
    events = run_action(actions.ActionStartTheme(), dispatcher, tracker)
    assert slot_events(events) == {"questionnaire_theme": "employment"}


def test_a_finished_theme_chosen_again_starts_over(dispatcher):
    tracker = make_tracker(
        "famille", "choose_theme", [entity("theme", "family")], slots={"q_family_household": "alone"}
    )
    events = run_action(actions.ActionStartTheme(), dispatcher, tracker)
    assert slot_events(events)["q_family_household"] is None
    assert theme_started(events) == "family"
    assert "remplaceront" in all_text(dispatcher)


def test_an_unknown_theme_shows_the_menu(dispatcher):
    tracker = make_tracker("la partie cuisine", "choose_theme", [entity("theme", "cooking")])
    events = run_action(actions.ActionStartTheme(), dispatcher, tracker)
    assert theme_started(events) is None and "questionnaire_theme" in slot_events(events)
    assert "Choisissez un thème" in all_text(dispatcher)


def test_resume_goes_to_the_theme_left_half_way():
    slots = {"q_family_household": "alone", "q_housing_lease_end": "no_lease"}
    events = run_action(actions.ActionResumeQuestionnaire(), None, make_tracker("on reprend", slots=slots))
    assert theme_started(events) == "housing"
    events = run_action(actions.ActionResumeQuestionnaire(), None, make_tracker("on reprend"))
    assert theme_started(events) == "project"


def test_resume_with_everything_answered_shows_the_report(dispatcher):
    from tests.test_report import READY

    slots = {questionnaire.theme(path.split(".")[0]).question(path.split(".")[1]).slot: v for path, v in READY.items()}
    events = run_action(actions.ActionResumeQuestionnaire(), dispatcher, make_tracker("on reprend", slots=slots))
    assert theme_started(events) is None
    assert "🟢 Votre bilan de préparation : Tous les thèmes sont au vert." in all_text(dispatcher)


def test_a_finished_theme_tells_its_colour_and_offers_the_next(dispatcher):
    slots = {"questionnaire_theme": "family", "q_family_household": "couple", "q_family_spouse_view": "against",
             "q_family_spouse_job": "searching"}  # fmt: skip
    run_action(actions.ActionThemeDone(), dispatcher, make_tracker("x", slots=slots))
    said = all_text(dispatcher)
    assert "« Conjoint et famille » est terminé" in said and "🔴 Conjoint et famille" in said
    assert '/choose_theme{"theme": "project"}' in button_payloads(dispatcher)


def test_pausing_without_consent_says_answers_may_be_lost(dispatcher):
    events = run_action(actions.ActionQuestionnairePaused(), dispatcher, make_tracker("pause"))
    assert "peuvent se perdre" in all_text(dispatcher)
    assert leaves_the_form(events)


def test_the_report_is_told_and_sent_as_data(dispatcher):
    slots = {"q_family_household": "couple", "q_family_spouse_view": "against", "q_project_visited": "no",
             "language": "en"}  # fmt: skip
    run_action(actions.ActionShowReport(), dispatcher, make_tracker("my report", slots=slots))
    said = all_text(dispatcher)
    assert said.startswith("🔴 Your preparation report:") and "🟡 Project and region" in said
    report = next(m["custom"]["decision_report"] for m in dispatcher.messages if m.get("custom"))
    statuses = {t["key"]: t["status"] for t in report["themes"]}
    assert statuses["family"] == "red" and statuses["project"] == "yellow" and statuses["housing"] == "not_covered"


def test_no_report_before_any_answer(dispatcher):
    run_action(actions.ActionShowReport(), dispatcher, make_tracker("mon bilan"))
    assert "pas encore répondu" in all_text(dispatcher)
    assert not any(m.get("custom") for m in dispatcher.messages)


def test_the_self_assessment_asks_a_key_moment_then_statements_on_a_scale(dispatcher):
    tracker = make_tracker(
        "Mes premières semaines étaient dures mais j'ai trouvé un groupe d'entraide.", "inform",
        slots={"requested_slot": "sa_key_moment"},
    )  # fmt: skip
    events = run_action(SELF(), dispatcher, tracker)
    assert slot_events(events)["requested_slot"] == "sa_initiative_1"
    assert "Tout à fait moi" in [b["title"] for b in dispatcher.messages[-1]["buttons"]]


def test_the_self_assessment_summary_is_kind_and_scores_are_kept(database_url, dispatcher):
    from app.db import session_scope

    ratings = {"initiative": "5", "stress": "2", "change": "3", "sociability": "3", "assertion": "4"}
    slots = {f"sa_{key}_{n}": value for key, value in ratings.items() for n in (1, 2)}
    tracker = make_tracker("5", slots={**slots, "consent": True}, sender_id="sa-kept")
    events = run_action(actions.ActionSelfAssessmentSummary(), dispatcher, tracker)
    said = all_text(dispatcher)
    assert "💪 Sens de l'initiative" in said and "🌱 Gestion du stress" in said
    assert "Adaptation au changement" not in said  # a middle score is not commented
    assert slot_events(events)["competency_scores"]["initiative"] == 5.0
    with session_scope() as session:
        assert questionnaire.stored_scores(session, "sa-kept")["stress"] == 2.0


def test_only_a_message_since_the_last_question_is_read_as_an_answer():
    user = {"event": "user", "text": "oui"}
    form = {"event": "action", "name": "theme_family_form"}
    other = {"event": "action", "name": "action_answer_procedure"}
    slot = {"event": "slot", "name": "requested_slot", "value": "q_family_household"}

    def answered(events):
        tracker = make_tracker("oui")
        tracker.events = events
        return actions.just_answered(tracker, "theme_family_form")

    # Rasa's copy of the conversation ends with the form's own run.
    assert answered([form, slot, {"event": "action", "name": "action_listen"}, user, slot, form])
    assert not answered([user, other, {"event": "bot", "text": "Le bail…"}, slot, form])  # back after a detour
    assert not answered([user, {"event": "action", "name": "action_start_theme"}, slot, form])  # starting
