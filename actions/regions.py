"""Region answers (Tool 3 of the report): figures, three cities, what the region offers."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    PlaceLookup,
    button,
    language_of,
    latest_entities,
    place_from_context,
    place_in_message,
    region_buttons,
    region_name,
    unknown_place_reply,
)
from actions.messages import counted, text, years
from app.catalogue import number, signed_percent
from app.db import session_scope
from app.places import MONTREAL_REGION, PlaceRef, load_gazetteer
from app.regions import RegionProfile, SectorSource, municipality_figures, region_profile

SCHOOL_NAMES_SHOWN = 3
ADULT_EDUCATION_PLACES_SHOWN = 3
# The municipality whose name is also a word or a place abroad, asked about just before:
# a typed "oui" then means it (data/rules/regions.yml).
PLACE_TO_CONFIRM = "place_to_confirm"


def place_slots(place: PlaceRef) -> list[EventType]:
    return [
        SlotSet("region", region_name(place)),
        SlotSet("city", place.name if place.kind == "city" else None),
    ]


def answer_region(dispatcher: CollectingDispatcher, place: PlaceRef, language: str) -> list[EventType]:
    """The region card, in two short messages, introduced by the city when one was named."""
    with session_scope() as session:
        profile = region_profile(session, place.region_code)
        city = municipality_figures(session, place.code) if place.kind == "city" else None
        lines = [city_line(city.name, profile.name, city.population_2021, city.density_2021, language)] if city else []
    lines += figures_lines(profile, language)
    dispatcher.utter_message(text="\n".join(lines))
    dispatcher.utter_message(
        text="\n".join(offer_lines(profile, language)), buttons=next_step_buttons(profile.name, language)
    )
    return place_slots(place)


def city_line(city: str, region: str, population: int | None, density: float | None, language: str) -> str:
    if population is None or density is None:
        return text("city_in_region_no_census", language, city=city, region=region)
    return text(
        "city_in_region",
        language,
        city=city,
        region=region,
        population=number(population, language),
        density=density_figure(density, language),
    )


def density_figure(density: float, language: str, decimals: int = 0) -> str:
    """A density people can read: 0,4 rather than 0 for sparse places, and "under 0.1"
    rather than 0 where the census rounds to nothing (Nord-du-Québec)."""
    if density < 0.1:
        return text("density_below", language, limit=number(0.1, language, 1))
    return number(density, language, max(decimals, 1 if density < 1 else 0))


def figures_lines(profile: RegionProfile, language: str) -> list[str]:
    lines = [
        text(
            "region_figures",
            language,
            region=profile.name,
            population=number(profile.population_2021, language),
            growth=signed_percent(profile.growth_pct, language),
            area=number(profile.land_area_km2, language),
            density=density_figure(profile.density, language, 1),
        )
    ]
    if profile.code == MONTREAL_REGION:
        lines.append(text("montreal_note", language))
    if len(profile.cities) > 1:
        lines.append(text("three_cities", language))
        lines += [
            text(
                "city_line",
                language,
                city=c.name,
                size=text(f"size_{c.size}", language),
                population=number(c.population, language),
                density=density_figure(c.density or 0, language),
            )
            for c in profile.cities
        ]
    return lines


def sector_lines(sectors: SectorSource | None, language: str) -> list[str]:
    if sectors is None:
        return [text("no_sectors", language)]
    listed = sectors.sectors_fr if language == "fr" and sectors.sectors_fr else sectors.sectors
    lines = [
        text("sectors", language, sectors=listed.rstrip(". ")),
        text("sectors_source", language, url=sectors.source_url, year=years(sectors.year)),
    ]
    if sectors.confidence == "low":
        lines.append(text("sectors_low_confidence", language))
    return lines


def offer_lines(profile: RegionProfile, language: str) -> list[str]:
    lines = sector_lines(profile.sectors, language)
    if profile.school_centres_fr:
        shown = profile.school_centres_fr[:SCHOOL_NAMES_SHOWN]
        names = ", ".join(shown) + (", …" if len(profile.school_centres_fr) > len(shown) else "")
        lines.append(counted("schools", len(profile.school_centres_fr), language, names=names))
    if profile.school_centres_en:
        lines.append(text("schools_en", language, names=", ".join(profile.school_centres_en)))
    if profile.adult_education_count:
        places = ", ".join(profile.adult_education_places[:ADULT_EDUCATION_PLACES_SHOWN])
        lines.append(counted("adult_education", profile.adult_education_count, language, places=places))
    lines.append(text("region_sources", language))
    lines.append(text("what_next", language))
    return lines


def next_step_buttons(region: str, language: str) -> list[dict]:
    return [
        button(text("btn_organisations", language), "find_organisation", region=region),
        button(text("btn_jobs", language), "ask_jobs", region=region),
        button(text("btn_housing", language), "ask_housing", region=region),
        button(text("btn_counsellor", language), "request_counsellor"),
    ]


def read_place(tracker: Tracker) -> PlaceLookup:
    """The place of the message: the one it only asks about ("Hope c'est dans quelle région?",
    ambiguous names included: the shape says a place is meant), else what the entities and
    the gazetteer find in it."""
    message = tracker.latest_message.get("text") or ""
    asked = None if message.startswith("/") else load_gazetteer().place_asked_about(message)
    return PlaceLookup(place=asked) if asked else place_in_message(tracker)


def doubtful_place(tracker: Tracker, lookup: PlaceLookup) -> PlaceRef | None:
    """A municipality named by a word that is also a common word or a place abroad
    ("Padoue", "Hope", "Champlain"), typed rather than tapped and without its region
    beside it: to be confirmed rather than assumed, or said to be unknown."""
    message = tracker.latest_message.get("text") or ""
    if message.startswith("/"):
        return None
    gazetteer = load_gazetteer()
    if lookup.place is None:
        return lookup.offered_as_named()
    if not gazetteer.is_ambiguous(lookup.place):
        return None
    named_regions = {p.code for p in gazetteer.find_in_text(message) if p.kind == "region"}
    return None if lookup.place.region_code in named_regions else lookup.place


def ask_to_confirm(dispatcher: CollectingDispatcher, place: PlaceRef, intent: str, language: str) -> None:
    """ "Padoue, la municipalité du Bas-Saint-Laurent?" with yes (the place, for `intent`) and no."""
    dispatcher.utter_message(
        text=text("confirm_place", language, city=place.name, region=region_name(place)),
        buttons=[button(text("btn_yes", language), intent, city=place.name), button(text("btn_no", language), "deny")],
    )


def ask_for_place(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, question: str = "which_region"
) -> PlaceRef | None:
    """The place of the message, else of the conversation; when there is none, it is
    unknown or its name needs confirming, ask (with close matches, the regions, or yes/no
    as buttons) and return None."""
    language = language_of(tracker)
    lookup = read_place(tracker)
    if doubtful := doubtful_place(tracker, lookup):
        ask_to_confirm(dispatcher, doubtful, intent, language)
        return None
    if lookup.place:
        return lookup.place
    if lookup.unknown:
        reply, buttons = unknown_place_reply(lookup, language, intent)
        dispatcher.utter_message(text=reply, buttons=buttons)
        return None
    place = place_from_context(tracker)
    if place is None:
        dispatcher.utter_message(text=text(question, language), buttons=region_buttons(intent))
    return place


def answer_place_of_message(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The card of the place the message names, or the question confirming a doubtful name
    (remembered for a typed yes), or the closest names to an unknown one; None, with nothing
    said, when the message names no place."""
    language = language_of(tracker)
    lookup = read_place(tracker)
    if doubtful := doubtful_place(tracker, lookup):
        ask_to_confirm(dispatcher, doubtful, "ask_region_info", language)
        return [SlotSet(PLACE_TO_CONFIRM, doubtful.name)]
    if lookup.place:
        return [*answer_region(dispatcher, lookup.place, language), *no_place_to_confirm(tracker)]
    if lookup.unknown:
        reply, buttons = unknown_place_reply(lookup, language, "ask_region_info")
        dispatcher.utter_message(text=reply, buttons=buttons)
        return no_place_to_confirm(tracker)
    return None


def answer_confirmation(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """A typed yes or no to "Padoue, la municipalité du Bas-Saint-Laurent?": the card, or
    the regions to choose from; None when no such question is pending."""
    pending = tracker.get_slot(PLACE_TO_CONFIRM)
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if not pending or intent not in ("affirm", "deny"):
        return None
    language = language_of(tracker)
    place = load_gazetteer().city(pending)
    if intent == "affirm" and place:
        return [*answer_region(dispatcher, place, language), SlotSet(PLACE_TO_CONFIRM, None)]
    dispatcher.utter_message(
        text=f"{text('place_not_confirmed', language)} {text('which_region', language)}",
        buttons=region_buttons("ask_region_info"),
    )
    return [SlotSet(PLACE_TO_CONFIRM, None)]


def no_place_to_confirm(tracker: Tracker) -> list[EventType]:
    """Forget a confirmation asked earlier: a later yes is not its answer."""
    return [SlotSet(PLACE_TO_CONFIRM, None)] if tracker.get_slot(PLACE_TO_CONFIRM) else []


class ActionRegionInfo(Action):
    def name(self) -> str:
        return "action_region_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        for answer in (answer_confirmation, answer_place_of_message):
            if (events := answer(dispatcher, tracker)) is not None:
                return events
        if (tracker.latest_message.get("intent") or {}).get("name") in ("affirm", "deny"):
            dispatcher.utter_message(response="utter_ok")  # a yes or no to no pending question
            return []
        language = language_of(tracker)
        place = place_from_context(tracker)
        if place is None:
            dispatcher.utter_message(text=text("which_region", language), buttons=region_buttons("ask_region_info"))
            return no_place_to_confirm(tracker)
        return [*answer_region(dispatcher, place, language), *no_place_to_confirm(tracker)]


class ActionJobs(Action):
    """Growth sectors of the region, with their source; the trade goes to a counsellor."""

    def name(self) -> str:
        return "action_jobs"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        place = ask_for_place(dispatcher, tracker, "ask_jobs", question="jobs_general")
        if place is None:
            return []
        with session_scope() as session:
            profile = region_profile(session, place.region_code)
        lines = [text("jobs_intro", language, region=profile.name), *sector_lines(profile.sectors, language)]
        professions = latest_entities(tracker, "profession") or [tracker.get_slot("profession")]
        if professions[0]:
            lines.append(text("jobs_profession", language, profession=professions[0]))
        dispatcher.utter_message(
            text="\n".join(lines),
            buttons=[
                button(
                    text("btn_organisations", language), "find_organisation", region=profile.name, service="employment"
                ),
                button(text("btn_counsellor", language), "request_counsellor"),
            ],
        )
        return place_slots(place)
