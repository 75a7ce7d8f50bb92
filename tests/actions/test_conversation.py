import dataclasses
import re

import pytest
from sqlalchemy import select

from actions import conversation
from actions.conversation import (
    ActionChangeLanguage,
    ActionDefaultFallback,
    ActionGreet,
    ActionRecordConsent,
    ActionRefuseConsent,
    ActionRequestCounsellor,
    ValidateSlotMappings,
    requested_language,
)
from app.models import Candidate, Handoff
from app.settings import get_settings
from tests.conftest import all_text, make_tracker, run_action, slot_events


def test_first_greeting_says_what_the_assistant_is_and_asks_consent(database_url, dispatcher):
    run_action(ActionGreet(), dispatcher, make_tracker("bonjour", "greet"))
    assert "assistant virtuel" in dispatcher.messages[0]["text"]
    assert "conseillère ou un conseiller" in dispatcher.messages[0]["text"]
    consent = dispatcher.messages[1]
    assert "effacer" in consent["text"]
    assert [b["payload"] for b in consent["buttons"]] == ["/give_consent", "/refuse_consent"]


def test_greeting_after_consent_shows_the_menu(database_url, dispatcher):
    run_action(ActionGreet(), dispatcher, make_tracker("salut", "greet", slots={"consent": True}))
    assert dispatcher.messages[-1]["response"] == "utter_help"


def test_consent_is_recorded_with_its_date(database_url, session, dispatcher):
    events = run_action(ActionRecordConsent(), dispatcher, make_tracker("oui", "affirm", sender_id="consenting"))
    assert slot_events(events) == {"consent": True}
    candidate = session.get(Candidate, "consenting")
    assert candidate.consent_given_at is not None


def test_refusal_stores_nothing(database_url, session, dispatcher):
    events = run_action(ActionRefuseConsent(), dispatcher, make_tracker("non", "deny", sender_id="refusing"))
    assert slot_events(events) == {"consent": False}
    assert session.get(Candidate, "refusing") is None
    assert "je ne garde rien" in all_text(dispatcher)


def test_language_follows_what_the_person_writes(dispatcher):
    extract = ValidateSlotMappings().extract_language
    import asyncio

    english = make_tracker("tell me about Rimouski please")
    assert asyncio.run(extract(dispatcher, english, {})) == {"language": "en"}
    short = make_tracker("ok", slots={"language": "en"})
    assert asyncio.run(extract(dispatcher, short, {})) == {}
    telegram_en = make_tracker("Rimouski", metadata={"language_code": "en-US"})
    assert asyncio.run(extract(dispatcher, telegram_en, {})) == {"language": "en"}
    payload = make_tracker('/inform{"city": "Rimouski"}', slots={"language": "fr"})
    assert asyncio.run(extract(dispatcher, payload, {})) == {}
    chosen = make_tracker("bonjour je veux", slots={"language": "en", "language_chosen": True})
    assert asyncio.run(extract(dispatcher, chosen, {})) == {}


def test_explicit_language_choice_is_kept(database_url, dispatcher):
    events = run_action(ActionChangeLanguage(), dispatcher, make_tracker("can we speak English?", "change_language"))
    assert slot_events(events) == {"language": "en", "language_chosen": True}
    assert requested_language("en français svp", "en") == "fr"
    assert requested_language("/langue", "fr") == "en"


def test_counsellor_request_is_stored_once(database_url, session, dispatcher):
    tracker = make_tracker("je veux parler à un conseiller", "request_counsellor", sender_id="needs-help")
    run_action(ActionRequestCounsellor(), dispatcher, tracker)
    run_action(ActionRequestCounsellor(), dispatcher, tracker)
    handoffs = session.execute(select(Handoff).where(Handoff.sender_id == "needs-help")).scalars().all()
    assert len(handoffs) == 1
    assert handoffs[0].status == "open"
    assert "enregistrée" in dispatcher.messages[0]["text"]


def test_fallback_still_answers_a_place(database_url, dispatcher):
    tracker = make_tracker("Rimouski???", "nlu_fallback", confidence=0.3)
    events = run_action(ActionDefaultFallback(), dispatcher, tracker)
    assert slot_events(events)["city"] == "Rimouski"


def test_empty_message_gets_a_clear_reply(database_url, dispatcher):
    run_action(ActionDefaultFallback(), dispatcher, make_tracker("   ", "nlu_fallback", confidence=0.0))
    assert "aucun mot" in dispatcher.messages[0]["text"]


def test_counsellor_request_pauses_the_assistant_and_invents_no_hours(database_url, dispatcher):
    events = run_action(ActionRequestCounsellor(), dispatcher, make_tracker("conseiller", "request_counsellor"))
    assert events == [{"event": "pause", "timestamp": None}]
    said = dispatcher.messages[-1]["text"]
    assert "vous répondra ici." in said and "/reprendre" in said
    assert not re.search(r"lundi|vendredi|\d+ h", said)  # no hours configured: none said


def test_configured_counsellor_hours_are_said(database_url, dispatcher, monkeypatch):
    hours = dataclasses.replace(get_settings(), counsellor_hours_fr="le mardi, de 10 h à 12 h")
    monkeypatch.setattr(conversation, "get_settings", lambda: hours)
    run_action(ActionRequestCounsellor(), dispatcher, make_tracker("conseiller", "request_counsellor"))
    assert "vous répondra ici, le mardi, de 10 h à 12 h." in dispatcher.messages[-1]["text"]


@pytest.mark.parametrize("hours", ["", "le mardi, de 10 h à 12 h"])
def test_the_web_chat_s_telegram_pointer_says_hours_only_when_set(monkeypatch, hours):
    settings = dataclasses.replace(
        get_settings(), organisation_contact_fr="", telegram_bot_username="Bot", counsellor_hours_fr=hours
    )
    monkeypatch.setattr(conversation, "get_settings", lambda: settings)
    said = conversation.team_contact("fr")
    assert "https://t.me/Bot" in said
    assert said.endswith(f"L'équipe vous répondra là, {hours}." if hours else "L'équipe vous répondra là.")


def test_distress_is_handed_over_with_the_emergency_services_first(database_url, session, dispatcher):
    tracker = make_tracker("je suis désespéré", "distress", sender_id="in-distress")
    run_action(ActionRequestCounsellor(), dispatcher, tracker)
    assert "appelez tout de suite les services d'urgence" in dispatcher.messages[0]["text"]
    assert not re.search(r"\d", dispatcher.messages[0]["text"])  # no number: none is sourced in knowledge/
    assert session.execute(select(Handoff).where(Handoff.sender_id == "in-distress")).scalar_one().reason == "distress"


MISS = {"intent": {"name": "nlu_fallback", "confidence": 0.2}, "entities": []}
THEMES = [{"title": "Emploi", "payload": "/choose_theme"}, {"title": "Logement", "payload": "/choose_theme"}]


def said(text: str, intent: dict = MISS["intent"]) -> dict:
    return {"event": "user", "text": text, "parse_data": {**MISS, "intent": intent, "text": text}}


def answered(action: str, buttons: list | None = None, **slots: str) -> list[dict]:
    """What followed a message: the action, its slots and its reply."""
    events = [{"event": "action", "name": action}]
    events += [{"event": "slot", "name": name, "value": value} for name, value in slots.items()]
    return [
        *events,
        {"event": "bot", "text": "…", "data": {"buttons": buttons}},
        {"event": "action", "name": "action_listen"},
    ]


def after(earlier: list[dict], text: str = "zzz", intent: str = "nlu_fallback", language: str = "fr"):
    """A tracker whose latest message `text` comes after the `earlier` events."""
    from rasa_sdk import Tracker

    latest = said(text, {"name": intent, "confidence": 0.2})
    return Tracker.from_dict(
        {
            "sender_id": "missed",
            "slots": {"language": language},
            "latest_message": latest["parse_data"],
            "events": [*earlier, latest],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def test_first_miss_offers_the_main_menu_numbered(database_url, dispatcher):
    events = run_action(ActionDefaultFallback(), dispatcher, after([]))
    [reply] = dispatcher.messages
    assert "Je ne suis pas sûr d'avoir compris" in reply["text"]
    assert "1. Découvrir une région" in reply["text"] and "5. Parler à une personne de l'équipe" in reply["text"]
    assert [b["payload"] for b in reply["buttons"]][:2] == ["/ask_region_info", "/find_organisation"]
    assert events == []


def test_first_miss_offers_the_choices_of_the_moment_numbered(database_url, dispatcher):
    earlier = [said("je veux préparer mon départ", {"name": "start_preparation"}), *answered("action_x", THEMES)]
    run_action(ActionDefaultFallback(), dispatcher, after(earlier))
    [reply] = dispatcher.messages
    assert reply["text"].endswith("1. Emploi\n2. Logement\n3. Parler à l'équipe")
    assert [b["title"] for b in reply["buttons"]] == ["Emploi", "Logement", "Parler à l'équipe"]


def test_choices_offered_before_the_last_answer_are_not_of_the_moment(database_url, dispatcher):
    earlier = [said("a", {"name": "start_preparation"}), *answered("action_x", THEMES)]
    earlier += [said("le bail?", {"name": "ask_lease"}), *answered("action_answer_procedure")]
    run_action(ActionDefaultFallback(), dispatcher, after(earlier))
    assert "Emploi" not in dispatcher.messages[0]["text"]


def test_english_miss(database_url, dispatcher):
    run_action(ActionDefaultFallback(), dispatcher, after([], language="en"))
    assert "1. Discover a region" in dispatcher.messages[0]["text"]


def test_out_of_scope_says_what_the_assistant_does_and_offers_the_choices(database_url, dispatcher):
    run_action(ActionDefaultFallback(), dispatcher, after([], "quelle est la météo demain?", "out_of_scope"))
    assert dispatcher.messages[0]["text"].startswith("Désolé, je ne peux pas vous aider pour cela.")
    assert "1. Découvrir une région" in dispatcher.messages[0]["text"]


def test_second_miss_in_a_row_offers_the_choices_again_without_a_handoff(database_url, dispatcher):
    earlier = [said("xyz"), *answered("action_default_fallback", THEMES)]
    events = run_action(ActionDefaultFallback(), dispatcher, after(earlier))
    assert "toujours pas" in dispatcher.messages[0]["text"]
    assert "1. Emploi" in dispatcher.messages[0]["text"]
    assert events == []


def test_third_miss_in_a_row_hands_over(database_url, dispatcher):
    earlier = [
        said("xyz"),
        *answered("action_default_fallback", THEMES),
        said("yyy"),
        *answered("action_default_fallback"),
    ]
    events = run_action(ActionDefaultFallback(), dispatcher, after(earlier))
    assert events[-1]["event"] == "pause"


def test_misses_are_counted_in_a_row_only(database_url, dispatcher):
    earlier = [said("xyz"), *answered("action_default_fallback"), said("le bail?", {"name": "ask_lease"})]
    earlier += [*answered("action_answer_procedure"), said("yyy"), *answered("action_default_fallback")]
    events = run_action(ActionDefaultFallback(), dispatcher, after(earlier))
    assert "toujours pas" in dispatcher.messages[0]["text"]
    assert events == []


def test_a_place_answered_by_the_fallback_is_not_a_miss(database_url, dispatcher):
    earlier = [said("xyz"), *answered("action_default_fallback"), said("Rimouski???")]
    earlier += [*answered("action_default_fallback", city="Rimouski", region="Bas-Saint-Laurent")]
    events = run_action(ActionDefaultFallback(), dispatcher, after(earlier))
    assert "Je ne suis pas sûr d'avoir compris" in dispatcher.messages[0]["text"]
    assert events == []


def test_a_doubtful_municipality_in_a_miss_is_asked_about(database_url, dispatcher):
    events = run_action(ActionDefaultFallback(), dispatcher, after([], "Padoue"))
    assert dispatcher.messages[0]["text"] == "Padoue, la municipalité du Bas-Saint-Laurent?"
    assert slot_events(events) == {"place_to_confirm": "Padoue"}
