"""What every action needs: the person's language, the place they talk about, buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker

from actions.messages import text
from app.choices import payload
from app.places import MONTREAL_REGION, PlaceRef, load_gazetteer, ruled_out
from app.text import fold


def language_of(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "fr"


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    """What the channel sent with the latest message (e.g. Telegram's language_code)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}


def latest_entities(tracker: Tracker, entity: str, *, skip_ruled_out: bool = False) -> list[str]:
    """The values of one entity in the latest message, in order; with `skip_ruled_out`, not the
    ones the words before them refuse ("pas Rimouski", "instead of Gatineau")."""
    message = tracker.latest_message.get("text") or ""
    values = []
    for e in tracker.latest_message.get("entities", []):
        if e.get("entity") != entity or not isinstance(e.get("value"), str) or e["value"] in values:
            continue
        if skip_ruled_out and ruled_out(message, e.get("start", 0)):
            continue
        values.append(e["value"])
    return values


@dataclass
class PlaceLookup:
    """The place a message is about: found, unknown (with close matches), or not said."""

    place: PlaceRef | None = None
    unknown: str | None = None
    suggestions: list[PlaceRef] = field(default_factory=list)

    def offered_as_named(self) -> PlaceRef | None:
        """The close match that has exactly the name not recognised ("Padoue" for "padoue"):
        a real municipality whose name is also a word or a place abroad."""
        named = fold(self.unknown or "")
        return next((p for p in self.suggestions if named and fold(p.name) == named), None)


def place_in_message(tracker: Tracker, *, skip_ruled_out: bool = False) -> PlaceLookup:
    gazetteer = load_gazetteer()
    found: list[PlaceRef] = []
    unresolved: list[str] = []
    for kind in ("city", "region"):
        for value in latest_entities(tracker, kind, skip_ruled_out=skip_ruled_out):
            ref = gazetteer.resolve(value, prefer=kind)
            if ref is None:
                unresolved.append(value)
            elif ref not in found:
                found.append(ref)
    message = tracker.latest_message.get("text") or ""
    if (
        skip_ruled_out
        and not (found or unresolved)
        and (latest_entities(tracker, "city") or latest_entities(tracker, "region"))
    ):
        return PlaceLookup()  # the only places named are the ones left behind: the new one is not said
    if not found:
        found = gazetteer.find_in_text(message)
    # People write from Montréal about going elsewhere: the other place is the subject.
    elsewhere = [p for p in found if p.region_code != MONTREAL_REGION]
    if elsewhere:
        found = elsewhere
    if found:
        return PlaceLookup(place=_prefer_cities(found)[0])
    guess = gazetteer.guess_in_text(message)
    if unresolved and not (guess and fold(unresolved[0]) in fold(guess[0])):
        # The words around an entity often complete it ("trois [riviere]").
        return PlaceLookup(unknown=unresolved[0], suggestions=gazetteer.suggest(unresolved[0]))
    if guess:
        fragment, suggestions = guess
        return PlaceLookup(unknown=fragment, suggestions=suggestions)
    return PlaceLookup()


def _prefer_cities(places: list[PlaceRef]) -> list[PlaceRef]:
    """A city says more than its region ("Rimouski, dans le BSL")."""
    return sorted(places, key=lambda p: 0 if p.kind == "city" else 1)


def place_from_context(tracker: Tracker) -> PlaceRef | None:
    """The place the conversation was last about (slots), when the message names none."""
    gazetteer = load_gazetteer()
    if city := tracker.get_slot("city"):
        return gazetteer.city(city)
    if region := tracker.get_slot("region"):
        return gazetteer.region(region)
    return None


def region_name(place: PlaceRef) -> str:
    if place.kind == "region":
        return place.name
    return load_gazetteer().region_name(place.region_code)


def button(title: str, intent: str, **entities: str) -> dict[str, Any]:
    return {"title": title, "payload": payload(intent, **entities)}


def region_buttons(intent: str) -> list[dict[str, Any]]:
    return [button(name, intent, region=name) for name in load_gazetteer().destination_regions()]


def place_buttons(places: list[PlaceRef], intent: str) -> list[dict[str, Any]]:
    return [button(p.name, intent, **{p.kind: p.name}) for p in places]


def unknown_place_reply(lookup: PlaceLookup, language: str, intent: str) -> tuple[str, list[dict[str, Any]]]:
    """Close names to a place not recognised; a municipality whose name is also a word or a
    place abroad ("Padoue") is asked about ("Padoue, la municipalité du Bas-Saint-Laurent?"),
    never said to be unknown while being offered."""
    if place := lookup.offered_as_named():
        others = [p for p in lookup.suggestions if p != place]
        question = text("confirm_place", language, city=place.name, region=region_name(place))
        return question, [button(text("btn_yes", language), intent, city=place.name), *place_buttons(others, intent)]
    if lookup.suggestions:
        return text("unknown_place", language, place=lookup.unknown), place_buttons(lookup.suggestions, intent)
    return text("unknown_place_no_match", language, place=lookup.unknown), region_buttons(intent)


def consent_buttons(language: str) -> list[dict[str, Any]]:
    return [
        button(text("consent_yes_button", language), "give_consent"),
        button(text("consent_no_button", language), "refuse_consent"),
    ]
