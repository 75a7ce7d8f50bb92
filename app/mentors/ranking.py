"""Ranking mentors for a candidate, pure over plain dataclasses: nearest first, then shared
language, field of work, family situation and the topics asked for. Before the mentor's yes, a
candidate sees only a first name, a municipality and topics (`Suggestion`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from app.catalogue import say
from app.mentors.rules import (
    ACTIVE,
    DEFAULT_MAX_CONTACTS,
    NEARBY_KM,
    REACH_KM,
    TOPICS,
    WITHIN_HOUR_KM,
)
from app.places import distance_km
from app.text import fold


@dataclass(frozen=True)
class Destination:
    """Where the candidate is going: a municipality (with its coordinates when known) or a
    whole region (kind "region": no distance, mentors of the region only)."""

    name: str
    region_code: str
    lat: float | None = None
    lon: float | None = None
    kind: str = "city"


@dataclass(frozen=True)
class MentorProfile:
    id: int
    first_name: str
    municipality: str
    region_code: str
    lat: float | None = None
    lon: float | None = None
    languages: tuple[str, ...] = ()
    field_of_work: str | None = None
    family_situation: str | None = None
    topics: tuple[str, ...] = ()
    status: str = ACTIVE
    max_contacts_per_month: int = DEFAULT_MAX_CONTACTS
    contacts_this_month: int = 0


@dataclass(frozen=True)
class CandidateProfile:
    languages: tuple[str, ...] = ("fr",)  # in the candidate's order of preference
    field_of_work: str | None = None
    family_situation: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """What a candidate may see of a mentor before the mentor's yes, and why them."""

    mentor_id: int
    first_name: str
    municipality: str
    topics: tuple[str, ...]
    reason_fr: str
    reason_en: str
    distance_km: float | None = None

    def reason(self, language: str) -> str:
        return self.reason_en if language == "en" else self.reason_fr


def _band(mentor: MentorProfile, destination: Destination, km: float | None) -> int | None:
    """How near: 0 same municipality, 1 nearby, 2 within an hour, 3 same region,
    4 another region within reach; None when out of reach."""
    same_region = mentor.region_code == destination.region_code
    if destination.kind == "city" and same_region and fold(mentor.municipality) == fold(destination.name):
        return 0
    if km is not None and km <= NEARBY_KM:
        return 1
    if km is not None and km <= WITHIN_HOUR_KM:
        return 2
    if same_region:
        return 3
    if km is not None and km <= REACH_KM:
        return 4
    return None


def _same_field(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = fold(a), fold(b)
    return a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _reasons(
    mentor: MentorProfile,
    band: int,
    km: float | None,
    language: str | None,
    same_field: bool,
    same_family: bool,
    covered: list[str],
) -> tuple[str, str]:
    """The one-line "why this mentor", in French and in English."""
    where = "here" if band == 0 else "near" if km is not None else "at"
    keys = [f"mentor_reason.{where}"]
    # Before the mentor's yes, a candidate sees first name, place and topics only: what
    # else matched (language, field, family) is said without saying what it is.
    if language or (same_field and mentor.field_of_work) or (same_family and mentor.family_situation):
        keys.append("mentor_reason.close_background")
    keys += [f"mentor_reason.topic_{t}" for t in covered]

    def said(language_: str) -> str:
        parts = [say(key, language_, place=mentor.municipality, km=round(km or 0)) for key in keys]
        if band == 3:
            parts[0] += say("mentor_reason.same_region", language_)
        return " · ".join(parts)

    return said("fr"), said("en")


def rank_mentors(
    mentors: Iterable[MentorProfile],
    destination: Destination,
    candidate: CandidateProfile,
    exclude: Collection[int] = (),
    limit: int | None = None,
) -> list[Suggestion]:
    """Active mentors within reach of the destination, best first.

    Order: how near (same municipality, within NEARBY_KM, within WITHIN_HOUR_KM, same
    region, another region within REACH_KM), then a shared language, the same field of
    work, the same family situation, how many of the requested topics they cover, and
    the distance. Mentors who paused, withdrew, reached their contacts for the month or
    are in `exclude` (already asked by this candidate) are left out."""
    ranked: list[tuple[tuple, Suggestion]] = []
    for mentor in mentors:
        if mentor.status != ACTIVE or mentor.id in exclude:
            continue
        if mentor.contacts_this_month >= mentor.max_contacts_per_month:
            continue
        km = None
        if None not in (mentor.lat, mentor.lon, destination.lat, destination.lon):
            km = distance_km(destination.lat, destination.lon, mentor.lat, mentor.lon)
        band = _band(mentor, destination, km)
        if band is None:
            continue
        language = next((lang for lang in candidate.languages if lang in mentor.languages), None)
        same_field = _same_field(candidate.field_of_work, mentor.field_of_work)
        same_family = bool(candidate.family_situation) and candidate.family_situation == mentor.family_situation
        covered = [t for t in TOPICS if t in candidate.topics and t in mentor.topics]
        reason_fr, reason_en = _reasons(mentor, band, km, language, same_field, same_family, covered)
        key = (
            band,
            language is None,
            not same_field,
            not same_family,
            -len(covered),
            km if km is not None else float("inf"),
            fold(mentor.first_name),
            mentor.id,
        )
        suggestion = Suggestion(
            mentor_id=mentor.id,
            first_name=mentor.first_name,
            municipality=mentor.municipality,
            topics=tuple(t for t in TOPICS if t in mentor.topics),
            reason_fr=reason_fr,
            reason_en=reason_en,
            distance_km=None if km is None else round(km, 1),
        )
        ranked.append((key, suggestion))
    ranked.sort(key=lambda pair: pair[0])
    suggestions = [s for _, s in ranked]
    return suggestions[:limit] if limit is not None else suggestions
