"""The emergency-departure aide-mémoire (Tool 2): destination and start date (a form),
the whole checklist in two blocks, ticking, what is left, a change of destination, and
the liaison note for the regional organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    PlaceLookup,
    button,
    language_of,
    latest_entities,
    place_in_message,
    unknown_place_reply,
)
from actions.conversation import from_web_chat, team_contact
from actions.messages import text
from app import checklists, handoffs
from app.catalogue import day_name
from app.checklists import DONE, NOT_FOR_ME, TODO, UNKNOWN_DATE, ChecklistItem, ChecklistState, typed_status
from app.dates import parse_start_date
from app.db import session_scope
from app.organisations import find_organisations
from app.places import PlaceRef, load_gazetteer

ICONS = {TODO: "☐", DONE: "✅", NOT_FOR_ME: "➖"}
# "En savoir plus" on an item opens the sourced answer of its topic.
INTENT_OF_TOPIC = {
    "lease": "ask_lease",
    "housing": "ask_housing",
    "financial_help": "ask_financial_help",
    "driving_licence": "ask_driving_licence",
    "school": "ask_school",
    "change_address": "ask_change_address",
    "health_insurance": "ask_health_insurance",
}


def today() -> date:
    return date.today()


def current_state(tracker: Tracker) -> ChecklistState | None:
    return ChecklistState.from_slot(tracker.get_slot("checklist"))


def requested_item(tracker: Tracker) -> ChecklistItem | None:
    """The task a button (or the message) names."""
    keys = latest_entities(tracker, "checklist_item")
    return checklists.item(keys[0]) if keys else None


def keep(tracker: Tracker, state: ChecklistState) -> list[EventType]:
    """The new state in the slot, and in the database for people who consented."""
    if tracker.get_slot("consent") is True:
        with session_scope() as session:
            checklists.save_for_counsellors(session, tracker.sender_id, state)
    return [SlotSet("checklist", state.to_slot())]


def welcome_organisation(region_code: str | None) -> str | None:
    if not region_code:
        return None
    with session_scope() as session:
        found = find_organisations(session, region_code, "welcome")
    return f"{found[0].name} ({found[0].city})" if found and found[0].city else (found[0].name if found else None)


def resolve(name: str | None) -> PlaceRef | None:
    return load_gazetteer().resolve(name, prefer="city") if name else None


def item_line(entry: ChecklistItem, state: ChecklistState, language: str) -> str:
    todo = entry.todo[language]
    if entry.key == "welcome_organisation":
        region = resolve(state.destination)
        organisation = welcome_organisation(region.region_code if region else None)
        todo = todo.format(
            organisation=text("welcome_organisation_known", language, name=organisation)
            if organisation
            else text("welcome_organisation_unknown", language)
        )
    return text("checklist_line", language, icon=ICONS[state.status(entry.key)], title=entry.title[language], todo=todo)


def deadline(state: ChecklistState, language: str) -> str:
    day = state.start_day()
    if day is None:
        return ""
    days = (day - today()).days
    if days <= 0:
        return text("deadline_today", language)
    return text("deadline", language, day=day_name(day, language), days=days)


def item_button(entry: ChecklistItem, state: ChecklistState, language: str) -> dict[str, Any]:
    return button(
        f"{ICONS[state.status(entry.key)]} {entry.title[language]}", "checklist_item", checklist_item=entry.key
    )


def show_blocks(dispatcher: CollectingDispatcher, state: ChecklistState, language: str) -> None:
    """The whole checklist at once: one message per block, each item a button to tick."""
    for block, header in (
        ("before_leaving", text("block_before", language, deadline=deadline(state, language))),
        ("first_days", text("block_after", language, destination=state.destination or "?")),
    ):
        entries = [i for i in checklists.load_items() if i.block == block]
        lines = [header, *(item_line(i, state, language) for i in entries)]
        buttons = [item_button(i, state, language) for i in entries]
        if block == "first_days":
            lines.append(text("checklist_tap", language))
            buttons += [
                button(text("btn_remaining", language), "checklist_remaining"),
                button(text("btn_liaison", language), "prepare_liaison_note"),
            ]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)


# What a person who is answering the form's question is understood as saying; anything
# else ("je veux parler à un conseiller", a menu button) interrupts the form instead.
ANSWER_INTENTS = frozenset(
    {"inform", "change_destination", "ask_region_info", "urgent_departure", "nlu_fallback", "dont_know"}
)


def answers_the_question(tracker: Tracker) -> bool:
    return (tracker.latest_message.get("intent") or {}).get("name") in ANSWER_INTENTS


class ValidateUrgentDepartureForm(FormValidationAction):
    """Destination and start date, taken from the first message when it says them
    ("j'ai trouvé un emploi à Rimouski, je commence lundi"), asked otherwise."""

    def name(self) -> str:
        return "validate_urgent_departure_form"

    async def extract_destination(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = tracker.get_slot("requested_slot") == "destination"
        if tracker.get_slot("destination") and not asked:
            return {}
        lookup = place_in_message(tracker)
        if lookup.place:
            return {"destination": lookup.place.name}
        if asked and answers_the_question(tracker):
            return {"destination": lookup.unknown or tracker.latest_message.get("text") or ""}
        return {}

    def validate_destination(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        place = resolve(str(value))
        if place:
            return {"destination": place.name}
        lookup = PlaceLookup(unknown=str(value), suggestions=load_gazetteer().suggest(str(value)))
        reply, buttons = unknown_place_reply(lookup, language_of(tracker), "inform")
        dispatcher.utter_message(text=reply, buttons=buttons)
        return {"destination": None}

    async def extract_start_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        message = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") == "start_date" and (
            parse_start_date(message, today()) or answers_the_question(tracker)
        ):
            return {"start_date": message}
        if not tracker.get_slot("start_date") and parse_start_date(message, today()):
            return {"start_date": message}
        return {}

    def validate_start_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        language = language_of(tracker)
        parsed = parse_start_date(str(value), today())
        if parsed is None:
            dispatcher.utter_message(text=text("date_not_understood", language))
            return {"start_date": None}
        if not parsed.known:
            return {"start_date": UNKNOWN_DATE}
        if parsed.day < today():
            dispatcher.utter_message(text=text("date_in_past", language, day=day_name(parsed.day, language)))
            return {"start_date": None}
        return {"start_date": parsed.day.isoformat()}


class ActionShowChecklist(Action):
    """After the form: the checklist for this destination and date, ticks kept."""

    def name(self) -> str:
        return "action_show_checklist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        state = current_state(tracker) or ChecklistState()
        state.destination = tracker.get_slot("destination") or state.destination
        state.start_date = tracker.get_slot("start_date") or state.start_date
        place = resolve(state.destination)
        state.region = load_gazetteer().region_name(place.region_code) if place else state.region
        show_blocks(dispatcher, state, language)
        if state.start_date == UNKNOWN_DATE:
            dispatcher.utter_message(text=text("date_unknown_note", language))
        return keep(tracker, state)


class ActionChecklistItem(Action):
    """One item: what to do, where it comes from, and done / to do / not for me."""

    def name(self) -> str:
        return "action_checklist_item"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        state, entry = current_state(tracker), requested_item(tracker)
        if state is None or entry is None:
            return offer_checklist(dispatcher, tracker, state)
        lines = [item_line(entry, state, language)]
        if entry.source:
            lines.append(text("item_source", language, source=entry.source))
        buttons = [
            button(f"{ICONS[status]} {text(f'status_{status}', language)}", "checklist_mark",
                   checklist_item=entry.key, checklist_status=status)
            for status in (DONE, TODO, NOT_FOR_ME)
        ]  # fmt: skip
        if entry.topic in INTENT_OF_TOPIC:
            buttons.append(button(text("btn_more", language), INTENT_OF_TOPIC[entry.topic]))
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


def offer_checklist(dispatcher: CollectingDispatcher, tracker: Tracker, state: ChecklistState | None) -> list:
    language = language_of(tracker)
    if state is None:
        dispatcher.utter_message(
            text=text("no_checklist", language),
            buttons=[button(text("btn_start_checklist", language), "urgent_departure")],
        )
    else:
        remaining = state.remaining() or list(checklists.load_items())
        dispatcher.utter_message(
            text=text("which_item", language), buttons=[item_button(i, state, language) for i in remaining]
        )
    return []


class ActionChecklistMark(Action):
    def name(self) -> str:
        return "action_checklist_mark"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        state, entry = current_state(tracker), requested_item(tracker)
        statuses = latest_entities(tracker, "checklist_status")
        if state is None or entry is None:
            return offer_checklist(dispatcher, tracker, state)
        typed = tracker.latest_message.get("text") or ""
        status = statuses[0] if statuses and statuses[0] in ICONS else typed_status(typed) or DONE
        state.mark(entry.key, status)
        dispatcher.utter_message(
            text=text(
                "marked",
                language,
                title=entry.title[language],
                status=text(f"status_{status}", language),
                count=len(state.remaining()),
            ),
            buttons=[button(text("btn_remaining", language), "checklist_remaining")],
        )
        return keep(tracker, state)


class ActionChecklistRemaining(Action):
    """What's left, in the order it must happen: before leaving first."""

    def name(self) -> str:
        return "action_checklist_remaining"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        state = current_state(tracker)
        if state is None:
            return offer_checklist(dispatcher, tracker, None)
        remaining = state.remaining()
        if not remaining:
            dispatcher.utter_message(text=text("remaining_none", language))
            return []
        lines = [text("remaining_intro", language, deadline=deadline(state, language))]
        lines += [item_line(i, state, language) for i in remaining]
        dispatcher.utter_message(text="\n".join(lines), buttons=[item_button(i, state, language) for i in remaining])
        return []


class ActionChangeDestination(Action):
    """A new destination midway: the ticks stay, the regional organisation follows."""

    def name(self) -> str:
        return "action_change_destination"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        lookup = place_in_message(tracker, skip_ruled_out=True)  # "Amqui, pas Rimouski": the new one
        if lookup.place is None:
            if lookup.unknown:
                reply, buttons = unknown_place_reply(lookup, language, "change_destination")
            else:
                reply, buttons = text("which_region", language), []
            dispatcher.utter_message(text=reply, buttons=buttons)
            return []
        state = current_state(tracker) or ChecklistState()
        state.destination = lookup.place.name
        state.region = load_gazetteer().region_name(lookup.place.region_code)
        dispatcher.utter_message(text=text("destination_changed", language, destination=state.destination))
        show_blocks(dispatcher, state, language)
        return [SlotSet("destination", state.destination), *keep(tracker, state)]


def liaison_note_for(state: ChecklistState) -> tuple[str | None, str]:
    """The destination's welcome organisation and the note addressed to it."""
    place = resolve(state.destination)
    organisation = welcome_organisation(place.region_code if place else None)
    return organisation, checklists.liaison_note(state, organisation, today())


class ActionLiaisonNote(Action):
    """The note for the regional organisation, shown before anything is sent."""

    def name(self) -> str:
        return "action_liaison_note"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        state = current_state(tracker)
        if state is None:
            return offer_checklist(dispatcher, tracker, None)
        _, note = liaison_note_for(state)
        dispatcher.utter_message(text=text("liaison_preview", language))
        dispatcher.utter_message(
            text=note,
            buttons=[
                button(text("btn_send", language), "affirm"),
                button(text("btn_dont_send", language), "deny"),
            ],
        )
        return []


class ActionSendLiaisonNote(Action):
    """On the person's yes: the note is stored and a counsellor alerted (handoff); not from the
    web chat, where the team could not answer."""

    def name(self) -> str:
        return "action_send_liaison_note"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        state = current_state(tracker)
        if state is None:
            return offer_checklist(dispatcher, tracker, None)
        if from_web_chat(tracker):  # no counsellor could answer there: nothing is sent
            dispatcher.utter_message(text=f"{text('web_liaison_not_sent', language)} {team_contact(language)}")
            return []
        organisation, note = liaison_note_for(state)
        with session_scope() as session:
            checklists.save_liaison_note(session, tracker.sender_id, state.region, organisation, note)
            handoffs.open_handoff(session, tracker.sender_id, "urgent_departure", note, language)
        dispatcher.utter_message(text=text("liaison_sent", language))
        return []
