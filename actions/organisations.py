"""Organisation look-up (Tool 4 of the report) and housing help in a region."""

from __future__ import annotations

from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, language_of, latest_entities, region_name
from actions.messages import shorten, text, years
from actions.procedures import procedure_message
from actions.regions import ask_for_place, place_slots
from app.db import session_scope
from app.organisations import OrganisationCard, find_organisations, is_stale, offers
from app.places import PlaceRef

SHOWN = 3


def organisation_card(card: OrganisationCard, language: str, today: date) -> str:
    services = card.services_fr if language == "fr" and card.services_fr else card.services
    return text(
        "organisation_card",
        language,
        name=card.name,
        city=f" ({card.city})" if card.city else "",
        services=shorten(services),
        website=f"\n{card.website}" if card.website else "",
        source=card.source_url,
        seen=years(card.date_seen),
        stale=text("organisation_stale", language) if is_stale(card.last_checked(), today) else "",
    )


def organisations_reply(dispatcher: CollectingDispatcher, place: PlaceRef, service: str | None, language: str) -> None:
    region = region_name(place)
    city = place.name if place.kind == "city" else None
    with session_scope() as session:
        cards = find_organisations(session, place.region_code, service, city)[:SHOWN]
    if not cards:
        dispatcher.utter_message(
            text=text("no_organisations", language, region=region),
            buttons=[button(text("btn_counsellor", language), "request_counsellor")],
        )
        return
    lines = [text("organisations_intro", language, region=region)]
    if service and not any(offers(c, service) for c in cards):
        lines.append(text("organisations_for_service_missing", language))
    today = date.today()
    lines += [organisation_card(c, language, today) for c in cards]
    if any(c.verified_on is None for c in cards):
        lines.append(text("organisations_unverified", language))
    dispatcher.utter_message(
        text="\n\n".join(lines),
        buttons=[button(text("btn_counsellor", language), "request_counsellor")],
    )


class ActionFindOrganisation(Action):
    def name(self) -> str:
        return "action_find_organisation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        services = latest_entities(tracker, "service") or [tracker.get_slot("service")]
        place = ask_for_place(dispatcher, tracker, "find_organisation")
        if place is None:
            # Remembered only until the person says where.
            return [SlotSet("service", services[0])]
        organisations_reply(dispatcher, place, services[0], language_of(tracker))
        return [*place_slots(place), SlotSet("service", None)]


class ActionHousing(Action):
    """How to find housing (knowledge/procedures.yml), and who helps in the region."""

    def name(self) -> str:
        return "action_housing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        dispatcher.utter_message(text=procedure_message("housing", language))
        place = ask_for_place(dispatcher, tracker, "ask_housing")
        if place is None:
            return []
        with session_scope() as session:
            cards = find_organisations(session, place.region_code, "welcome")[:2]
        if cards:
            names = "; ".join(f"{c.name} ({c.city})" if c.city else c.name for c in cards)
            dispatcher.utter_message(
                text=text("housing_region_organisations", language, region=region_name(place), names=names),
                buttons=[
                    button(text("btn_organisations", language), "find_organisation", region=region_name(place)),
                    button(text("btn_counsellor", language), "request_counsellor"),
                ],
            )
        return place_slots(place)
