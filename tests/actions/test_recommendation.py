"""The region matcher in the conversation (actions/recommendation.py): the action that starts
it or shows the ranking, and the form that asks only what moves the ranking, read from a
button or typed words."""

from __future__ import annotations

import pytest

from actions.recommendation import ActionRecommendRegion, ValidateRecommendationForm
from tests.conftest import all_text, entity, make_tracker, run_action, slot_events

QUESTIONNAIRE = {
    "q_employment_field": "infirmière",
    "q_project_setting": "rural",
    "q_mobility_licence": "quebec",
    "q_mobility_car": "yes",
    "q_services_francisation": "no",
}
FORM_RUN = {"event": "action", "name": "recommendation_form"}


@pytest.fixture(autouse=True)
def _db(database_url: str) -> None:
    """The matcher reads the seeded database."""


def payloads(dispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


def answer(text: str, intent: str, requested: str, slots: dict | None = None, entities: list | None = None):
    """The person's reply to the question in `requested`, as the form's validation gets it."""
    tracker = make_tracker(text, intent, entities, slots={**(slots or {}), "requested_slot": requested})
    tracker.events.append(FORM_RUN)  # Rasa's copy of the conversation ends with the form's run
    return tracker


def validate(dispatcher, tracker) -> list[dict]:
    return run_action(ValidateRecommendationForm(), dispatcher, tracker)


# --- the action: ask first, or show -------------------------------------------------------


def test_without_answers_it_leaves_the_questions_to_the_form(dispatcher) -> None:
    events = run_action(
        ActionRecommendRegion(), dispatcher, make_tracker("quelle région pour moi?", "recommend_region")
    )
    assert slot_events(events) == {"rec_asking": True}
    assert "quelques questions d'abord (3 au plus)" in all_text(dispatcher)
    assert "1. " not in all_text(dispatcher)  # no ranking yet


def test_the_form_starts_with_the_question_that_matters_most(dispatcher) -> None:
    tracker = make_tracker("quelle région pour moi?", "recommend_region", latest_action="action_recommend_region")
    events = validate(dispatcher, tracker)
    assert slot_events(events) == {"requested_slot": "rec_field"}
    assert "domaine" in all_text(dispatcher)
    assert '/recommend_region{"rec_answer": "field=Santé"}' in payloads(dispatcher)
    assert '/recommend_region{"rec_answer": "field=unknown"}' in payloads(dispatcher)


def test_what_the_first_message_says_is_kept(dispatcher) -> None:
    message = "on est une famille avec deux enfants, on veut une petite ville pas trop loin"
    events = run_action(ActionRecommendRegion(), dispatcher, make_tracker(message, "recommend_region"))
    assert slot_events(events) == {"rec_setting": "small_town", "rec_max_km": "150", "rec_asking": True}


def test_with_the_questionnaire_it_asks_only_what_is_missing(dispatcher) -> None:
    tracker = make_tracker("", slots=QUESTIONNAIRE, latest_action="action_recommend_region")
    validate(dispatcher, tracker)
    assert "distance de Montréal" in all_text(dispatcher)
    assert "domaine" not in all_text(dispatcher)


def test_with_the_questionnaire_it_suggests_with_reasons_sources_and_next_steps(dispatcher) -> None:
    slots = {**QUESTIONNAIRE, "rec_max_km": "unknown"}
    events = run_action(ActionRecommendRegion(), dispatcher, make_tracker("quelle région pour moi?", slots=slots))
    assert slot_events(events) == {"rec_asking": False}
    said = all_text(dispatcher)
    assert "1. Gaspésie–Îles-de-la-Madeleine" in said or "1. Abitibi-Témiscamingue" in said
    assert "Santé : « " in said and "unbelavenir.gouv.qc.ca, 2019" in said
    assert "pas une décision" in said
    assert "Je ne savais pas : la distance de Montréal acceptée" in said
    buttons = payloads(dispatcher)
    assert any(p.startswith("/ask_region_info") for p in buttons)
    assert any(p.startswith("/find_mentor") for p in buttons)
    assert "/request_counsellor" in buttons


def test_the_trade_in_the_message_is_used(dispatcher) -> None:
    tracker = make_tracker(
        "conseille-moi une région pour un mineur",
        "recommend_region",
        entities=[entity("profession", "mineur")],
        slots={"rec_setting": "unknown", "rec_car": "yes", "rec_max_km": "any"},
    )
    run_action(ActionRecommendRegion(), dispatcher, tracker)
    said = all_text(dispatcher)
    assert "Mines : « " in said
    assert "Abitibi-Témiscamingue" in said


def test_a_trade_written_without_entity_is_read_from_the_message(dispatcher) -> None:
    message = "conseille-moi une région pour un ingénieur en mécanique"
    events = run_action(ActionRecommendRegion(), dispatcher, make_tracker(message, "recommend_region"))
    assert slot_events(events)["rec_field"] == message


def test_a_button_pressed_after_the_ranking_is_kept(dispatcher) -> None:
    tracker = make_tracker(
        '/recommend_region{"rec_answer": "setting=city"}',
        "recommend_region",
        entities=[entity("rec_answer", "setting=city")],
        slots={**QUESTIONNAIRE, "rec_max_km": "any"},
    )
    events = run_action(ActionRecommendRegion(), dispatcher, tracker)
    assert slot_events(events) == {"rec_setting": "city", "rec_asking": False}
    assert "habitants (recensement 2021)" in all_text(dispatcher)


# --- the form: typed answers and buttons ------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "message", "intent", "stored"),
    [
        ("rec_setting", "à la campagne", "inform", "rural"),
        ("rec_setting", "2", "nlu_fallback", "small_town"),
        ("rec_max_km", "pas plus de 200 km", "inform", "200"),
        ("rec_car", "non", "deny", "no"),
        ("rec_field", "je suis soudeur", "inform", "je suis soudeur"),
        ("rec_setting", "je ne sais pas", "dont_know", "unknown"),
        ("rec_setting", "in the countryside", "inform", "rural"),
        ("rec_setting", "la campagne", "ask_region_info", "rural"),  # an answer whatever the intent
    ],
)
def test_a_typed_answer_is_kept(dispatcher, requested, message, intent, stored) -> None:
    events = validate(dispatcher, answer(message, intent, requested))
    assert slot_events(events)[requested] == stored


def test_a_button_answer_is_kept_and_the_next_question_asked(dispatcher) -> None:
    tracker = answer(
        '/recommend_region{"rec_answer": "field=Santé"}', "recommend_region", "rec_field",
        entities=[entity("rec_answer", "field=Santé")],
    )  # fmt: skip
    events = validate(dispatcher, tracker)
    found = slot_events(events)
    assert found["rec_field"] == "Santé"
    assert found["requested_slot"] not in (None, "rec_field")
    assert "field=" not in " ".join(payloads(dispatcher))


def test_an_unclear_answer_is_explained_and_the_question_asked_again(dispatcher) -> None:
    events = validate(dispatcher, answer("bof", "inform", "rec_setting", slots={"rec_field": "infirmière"}))
    assert slot_events(events) == {"rec_setting": None, "requested_slot": "rec_setting"}
    assert "Choisissez une réponse" in dispatcher.messages[0]["text"]
    assert "Où aimeriez-vous vivre?" in dispatcher.messages[1]["text"]


def test_an_unknown_trade_is_explained(dispatcher) -> None:
    events = validate(dispatcher, answer("bof", "inform", "rec_field"))
    assert slot_events(events) == {"rec_field": None, "requested_slot": "rec_field"}
    assert "Je ne connais pas ce domaine" in all_text(dispatcher)


@pytest.mark.parametrize(
    ("message", "intent"),
    [("c'est comment la vie à Rimouski?", "ask_region_info"), ("je veux parler à quelqu'un", "request_counsellor")],
)
def test_something_else_leaves_the_question(dispatcher, message, intent) -> None:
    assert validate(dispatcher, answer(message, intent, "rec_setting", slots={"rec_field": "infirmière"})) == []
    assert dispatcher.messages == []


def test_after_a_detour_the_same_question_again(dispatcher) -> None:
    tracker = make_tracker(
        "c'est comment la vie à Rimouski?", "ask_region_info",
        slots={"requested_slot": "rec_setting", "rec_field": "infirmière"}, latest_action="action_region_info",
    )  # fmt: skip
    tracker.events.append(FORM_RUN)
    events = validate(dispatcher, tracker)
    assert slot_events(events) == {"requested_slot": "rec_setting"}
    assert "Où aimeriez-vous vivre?" in all_text(dispatcher)


def test_the_form_ends_after_the_last_question_worth_asking(dispatcher) -> None:
    slots = {**QUESTIONNAIRE}
    events = validate(dispatcher, answer("peu importe", "inform", "rec_max_km", slots=slots))
    assert slot_events(events) == {"rec_max_km": "any", "requested_slot": None}
    assert dispatcher.messages == []


def test_no_more_than_the_questions_allowed(dispatcher) -> None:
    slots = {"rec_field": "unknown", "rec_setting": "unknown"}
    events = validate(dispatcher, answer("je ne sais pas", "dont_know", "rec_car", slots=slots))
    assert slot_events(events) == {"rec_car": "unknown", "requested_slot": None}


def test_in_english(dispatcher) -> None:
    slots = {**QUESTIONNAIRE, "language": "en", "rec_max_km": "unknown"}
    run_action(ActionRecommendRegion(), dispatcher, make_tracker("which region?", "recommend_region", slots=slots))
    said = all_text(dispatcher)
    assert "not a decision" in said and "Health: " in said and "I did not know" in said


def test_questions_in_english(dispatcher) -> None:
    slots = {"language": "en"}
    tracker = make_tracker("which region?", "recommend_region", slots=slots, latest_action="action_recommend_region")
    validate(dispatcher, tracker)
    assert "What field do you work in?" in all_text(dispatcher)
    assert any(b["title"] == "Health" for b in dispatcher.messages[0]["buttons"])


def test_asked_again_mid_questions_with_nothing_left_the_questions_end(dispatcher) -> None:
    tracker = make_tracker("quelle région pour moi?", "recommend_region", slots={**QUESTIONNAIRE, "rec_max_km": "any"})
    tracker.active_loop = {"name": "recommendation_form"}
    events = run_action(ActionRecommendRegion(), dispatcher, tracker)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert "1. " in all_text(dispatcher)
