"""Greeting and consent, language, counsellor requests and the fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.common import button, consent_buttons, language_of, latest_metadata, place_in_message, unknown_place_reply
from actions.messages import text
from actions.regions import answer_region
from actions.webinars import greet_attendee, no_question_pending
from app import candidates, handoffs
from app.db import session_scope
from app.language import detect_language
from app.settings import get_settings
from app.text import fold, has_words


class ValidateSlotMappings(ValidationAction):
    """Runs after every message: follows the language the person writes in."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return ["language"]

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("language_chosen"):
            return {}
        message = tracker.latest_message.get("text") or ""
        # A button's payload ("/inform{"city": ...}") says nothing of the person's language.
        detected = None if message.startswith("/") else detect_language(message)
        if detected is None:
            # Too short to tell ("ok", "Rimouski"): Telegram's language of the app decides
            # on the first message only; afterwards the language stays as it was.
            code = str(latest_metadata(tracker).get("language_code") or "").lower()
            if code[:2] in ("fr", "en") and len(tracker.events) <= 6:
                detected = code[:2]
        if detected and detected != tracker.get_slot("language"):
            return {"language": detected}
        return {}


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        webinar_greeting = greet_attendee(dispatcher, tracker)
        if webinar_greeting is not None:
            return webinar_greeting
        if tracker.get_slot("consent") is None:
            dispatcher.utter_message(text=text("welcome", language))
            dispatcher.utter_message(text=text("ask_consent", language), buttons=consent_buttons(language))
        else:
            dispatcher.utter_message(text=text("greet_again", language))
            dispatcher.utter_message(response="utter_help")
        return no_question_pending()  # a yes now answers this greeting, not a webinar's earlier question


class ActionRecordConsent(Action):
    def name(self) -> str:
        return "action_record_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        with session_scope() as session:
            candidates.record_consent(session, tracker.sender_id, language)
        dispatcher.utter_message(text=text("consent_recorded", language))
        dispatcher.utter_message(response="utter_help")
        return [SlotSet("consent", True)]


class ActionRefuseConsent(Action):
    def name(self) -> str:
        return "action_refuse_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with session_scope() as session:
            candidates.erase(session, tracker.sender_id, keep_followups=True)
        dispatcher.utter_message(text=text("consent_refused", language_of(tracker)))
        dispatcher.utter_message(response="utter_help")
        return [SlotSet("consent", False)]


class ActionChangeLanguage(Action):
    """An explicit choice ("in English please", "/langue") wins over detection."""

    def name(self) -> str:
        return "action_change_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = requested_language(tracker.latest_message.get("text") or "", language_of(tracker))
        with session_scope() as session:
            candidates.set_language(session, tracker.sender_id, language)
        dispatcher.utter_message(text=text("language_switched", language))
        return [SlotSet("language", language), SlotSet("language_chosen", True)]


def requested_language(message: str, current: str) -> str:
    words = set(fold(message).split())
    if words & {"english", "anglais", "inglés", "ingles"}:
        return "en"
    if words & {"french", "francais", "français"}:
        return "fr"
    return "en" if current == "fr" else "fr"  # "/langue" alone toggles


class ActionRequestCounsellor(Action):
    """Hands over to a counsellor: stores the request for the team (announced in their
    Telegram group by the bridge) and pauses the assistant until a counsellor resumes it."""

    def name(self) -> str:
        return "action_request_counsellor"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return hand_over(dispatcher, tracker, "distress" if intent == "distress" else "asked")


def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[EventType]:
    """Opens a handoff and pauses the assistant; in the web chat, where no counsellor's
    answer can arrive, says so and gives the team's contact instead (on distress, the advice
    to call the emergency services still comes first)."""
    language = language_of(tracker)
    if reason == "distress":
        dispatcher.utter_message(text=text("distress", language))
    if from_web_chat(tracker):
        dispatcher.utter_message(text=f"{text('web_no_counsellor', language)} {team_contact(language)}")
        return []
    # The message itself is kept and shown on the card only for people who consented.
    said = (tracker.latest_message.get("text") or "") if tracker.get_slot("consent") is True else ""
    with session_scope() as session:
        handoffs.open_handoff(session, tracker.sender_id, reason=reason, last_message=said, language=language)
    dispatcher.utter_message(text=with_counsellor_hours("handed_over", language))
    return [ConversationPaused()]


def from_web_chat(tracker: Tracker) -> bool:
    """Whether the person writes from a webinar's public web chat (the console sends
    `channel: web`, its senders are `web-…`): a counsellor's reply cannot reach them there."""
    return latest_metadata(tracker).get("channel") == "web" or tracker.sender_id.startswith("web-")


def with_counsellor_hours(key: str, language: str, **values: object) -> str:
    """The text `key` with the counsellors' hours, or its `_no_hours` variant when none are
    configured: hours are never invented."""
    settings = get_settings()
    hours = settings.counsellor_hours_en if language == "en" else settings.counsellor_hours_fr
    return text(key, language, hours=hours, **values) if hours else text(f"{key}_no_hours", language, **values)


def team_contact(language: str) -> str:
    """How to reach the team from outside this chat: the organisation's contact when it is
    set, else the Telegram bot (where counsellors answer), else the webinar itself."""
    settings = get_settings()
    contact = settings.organisation_contact_en if language == "en" else settings.organisation_contact_fr
    if contact:
        return text("web_team_contact", language, contact=contact)
    if settings.telegram_bot_username:
        link = f"https://t.me/{settings.telegram_bot_username}"
        return with_counsellor_hours("web_team_telegram", language, link=link)
    return text("web_team_webinar", language)


def second_fallback_in_a_row(tracker: Tracker) -> bool:
    """Whether the message before this one was not understood either."""
    intents = [
        (e.get("parse_data") or {}).get("intent", {}).get("name") for e in tracker.events if e.get("event") == "user"
    ]
    return len(intents) >= 2 and intents[-2] == "nlu_fallback"


class ActionDefaultFallback(Action):
    """Low confidence: a place in the message still gets its answer; a misspelt place
    gets close matches; anything else a short "say it another way" and a counsellor."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        if not has_words(tracker.latest_message.get("text")):
            dispatcher.utter_message(text=text("empty_message", language), buttons=menu_buttons(language))
            return []
        lookup = place_in_message(tracker)
        if lookup.place:
            return answer_region(dispatcher, lookup.place, language)
        if lookup.unknown:
            reply, buttons = unknown_place_reply(lookup, language, "ask_region_info")
            dispatcher.utter_message(text=reply, buttons=buttons)
            return []
        if second_fallback_in_a_row(tracker):
            return hand_over(dispatcher, tracker, "fallback")
        dispatcher.utter_message(text=text("fallback", language), buttons=menu_buttons(language))
        return []


def menu_buttons(language: str) -> list[dict[str, Any]]:
    return [
        button(text("btn_menu", language), "help"),
        button(text("btn_counsellor", language), "request_counsellor"),
    ]
