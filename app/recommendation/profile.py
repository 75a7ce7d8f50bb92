"""What the candidate said, as the matcher reads it: from the questionnaire's answers or
the questions it asked itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.places import load_gazetteer
from app.questionnaire import NOT_ANSWERED, Answers
from app.recommendation.rules import QUESTION_KEYS


@dataclass(frozen=True)
class Profile:
    """What the person said; None means not known (never guessed)."""

    field: str | None = None
    spouse_field: str | None = None
    household: str | None = None
    children_ages: tuple[int, ...] = ()
    setting: str | None = None  # city, small_town, rural
    min_city_population: int | None = None  # "a city of 100,000"
    car: bool | None = None  # a car and a licence
    max_km: int | None = None  # from Montréal, straight line
    francisation: bool | None = None  # the person or the spouse wants French courses
    ties: tuple[str, ...] = ()  # region codes where they know people
    named: tuple[str, ...] = ()  # region codes they named

    def unknown(self) -> list[str]:
        return [k for k in QUESTION_KEYS if getattr(self, k) is None]


def _real(answers: Answers, path: str) -> Any:
    value = answers.get(path)
    return None if value in NOT_ANSWERED else value


def place_region(place: str) -> str | None:
    """The region code of a region or town the person named (reads the gazetteer)."""
    ref = load_gazetteer().resolve(place)
    return ref.region_code if ref else None


def profile_from_answers(answers: Answers, region_of: Callable[[str], str | None]) -> Profile:
    """The questionnaire's answers as a profile; `region_of` gives a place's region code."""
    licence, car = _real(answers, "mobility.licence"), _real(answers, "mobility.car")
    has_car = None
    if licence == "none" or car == "no":
        has_car = False
    elif licence in ("quebec", "to_exchange") and car in ("yes", "planned"):
        has_car = True
    francisation = {"yes": True, "already": True, "no": False}.get(_real(answers, "services.francisation"))
    if francisation is None:
        francisation = {"beginner": True, "intermediate": True, "advanced": False, "native": False}.get(
            _real(answers, "eligibility.french")
        )
    named = tuple(dict.fromkeys(c for p in _real(answers, "project.regions") or [] if (c := region_of(p))))
    knows_people = _real(answers, "network.contacts") in ("several", "few")
    return Profile(
        field=_real(answers, "employment.field"),
        household=_real(answers, "family.household"),
        children_ages=tuple(_real(answers, "family.children_ages") or ()),
        setting=_real(answers, "project.setting"),
        car=has_car,
        francisation=francisation,
        ties=named if knows_people else (),
        named=named,
    )
