"""Greeting and consent, language, counsellor requests and the fallback."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.common import button, consent_buttons, language_of, latest_metadata
from actions.messages import text
from actions.regions import PLACE_TO_CONFIRM, answer_place_of_message, no_place_to_confirm
from actions.webinars import greet_attendee, no_question_pending
from app import candidates, handoffs
from app.choices import offered
from app.db import session_scope
from app.language import detect_language
from app.settings import ROOT, get_settings
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


MISSES_BEFORE_HANDOFF = 3
MISS_INTENTS = ("nlu_fallback", "out_of_scope")
MENU_RESPONSE = ROOT / "domain" / "conversation.yml"


def user_turns(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The conversation cut at each message of the person: the message, then what followed."""
    turns: list[list[dict[str, Any]]] = []
    for event in events:
        if event.get("event") == "user":
            turns.append([event])
        elif turns:
            turns[-1].append(event)
    return turns


def was_missed(turn: list[dict[str, Any]]) -> bool:
    """Whether the fallback answered this message without a place to show (a place's card
    or its confirmation set a place's slot): a misunderstanding."""
    actions = [e.get("name") for e in turn if e.get("event") == "action" and e.get("name") != "action_listen"]
    if not actions or actions[0] != "action_default_fallback":
        return False
    places = ("region", "city", PLACE_TO_CONFIRM)
    return not any(e.get("event") == "slot" and e.get("name") in places and e.get("value") for e in turn)


def misses_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many messages in a row the assistant has not understood, this one included."""
    earlier = user_turns(events)[:-1]
    count = 1
    for turn in reversed(earlier):
        if not was_missed(turn):
            break
        count += 1
    return count


def choices_of_the_moment(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All the buttons of the assistant's last answer, in the order shown: the list a typed
    number or title is read against (rasa_components/turns.py), or none when it offered none."""
    turns = user_turns(events)
    last_answer = turns[-2] if len(turns) > 1 else []
    return [b for e in last_answer if e.get("event") == "bot" for b in (e.get("data") or {}).get("buttons") or []]


@lru_cache(maxsize=1)
def main_menu() -> dict[str, list[dict[str, Any]]]:
    """The main menu's buttons by language, read from its response in the domain (the
    domain is not sent to the action server)."""
    variants = yaml.safe_load(MENU_RESPONSE.read_text(encoding="utf-8"))["responses"]["utter_help"]
    return {(v.get("condition") or [{"value": "fr"}])[0]["value"]: v["buttons"] for v in variants}


def miss_choices(events: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """What to offer after a misunderstanding: the choices of the moment, else the main
    menu, with a counsellor always among them."""
    choices = list(choices_of_the_moment(events) or main_menu().get(language) or main_menu()["fr"])
    if not any(c.get("payload") == "/request_counsellor" for c in choices):
        choices.append(button(text("btn_counsellor", language), "request_counsellor"))
    return choices


def numbered(choices: list[dict[str, Any]]) -> str:
    """The choices one a line, with the numbers a typed answer picks them by (app/choices.py)."""
    return "\n".join(f"{c.number}. {c.title}" if c.number else c.title for c in offered(choices))


class ActionDefaultFallback(Action):
    """A message not understood (or out of scope): a place in it still gets its answer, a
    misspelt place close matches; anything else the choices of the moment, numbered, and
    only after three misses in a row a counsellor (repeated misses show the assistant
    cannot help; a single one is often a typo or a typed choice)."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        if not has_words(tracker.latest_message.get("text")):
            dispatcher.utter_message(text=text("empty_message", language), buttons=menu_buttons(language))
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "out_of_scope" and (events := answer_place_of_message(dispatcher, tracker)) is not None:
            return events
        misses = misses_in_a_row(tracker.events)
        if misses >= MISSES_BEFORE_HANDOFF:
            return hand_over(dispatcher, tracker, "fallback")
        key = "out_of_scope" if intent == "out_of_scope" else "fallback" if misses == 1 else "fallback_again"
        choices = miss_choices(tracker.events, language)
        dispatcher.utter_message(text=f"{text(key, language)}\n{numbered(choices)}", buttons=choices)
        return no_place_to_confirm(tracker)


def menu_buttons(language: str) -> list[dict[str, Any]]:
    return [
        button(text("btn_menu", language), "help"),
        button(text("btn_counsellor", language), "request_counsellor"),
    ]
