"""The facts the matcher reasons on, read once from the database (`load_facts`, the only
function here that reads anything): regions, towns, sectors, schools, organisations, mentors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.mentors import ACTIVE
from app.models import GrowthSectors, Mentor, Municipality, Region
from app.organisations import OrganisationCard, offers, organisations_in_region, shown_to_candidates
from app.places import MONTREAL_REGION, distance_km
from app.recommendation.rules import Rules, load_rules
from app.regions import MUNICIPAL_DESIGNATIONS, SectorSource, region_profile

MONTREAL_CITY = "Montréal"


@dataclass(frozen=True)
class Town:
    name: str
    population: int
    km_from_montreal: float
    nearest_city: str | None  # the nearest city of places.city_min people or more (itself excluded)
    nearest_city_km: float | None
    adult_education: bool


@dataclass(frozen=True)
class Organisation:
    name: str
    kinds: frozenset[str]  # welcome, french, pairing
    source_url: str
    date_seen: str
    confidence: str


@dataclass(frozen=True)
class RegionFacts:
    code: str
    name: str
    growth_pct: float
    population: int  # the sum of its municipalities' census populations
    towns: tuple[Town, ...]  # municipalities with a census population, most populous first
    sectors: tuple[SectorSource, ...]
    organisations: tuple[Organisation, ...]
    school_centres: tuple[str, ...]  # French school service centres, most buildings first
    mentors: int


@dataclass(frozen=True)
class Facts:
    regions: tuple[RegionFacts, ...]


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    return distance_km(*a, *b)


def load_facts(session: Session, rules: Rules | None = None) -> Facts:
    rules = rules or load_rules()
    rows = session.execute(
        select(
            Municipality.name,
            Municipality.designation,
            Municipality.region_code,
            Municipality.population_2021,
            Municipality.density_2021,
            Municipality.lat,
            Municipality.lon,
        )
    ).all()
    placed = [r for r in rows if r.population_2021 and r.lat is not None and r.lon is not None]
    montreal = next((r.lat, r.lon) for r in placed if r.name == MONTREAL_CITY and r.region_code == MONTREAL_REGION)
    cities = [r for r in placed if r.population_2021 >= rules.places["city_min"]]
    sectors: dict[str, list[SectorSource]] = {}
    for s in session.execute(select(GrowthSectors)).scalars():
        sectors.setdefault(s.region_code, []).append(
            SectorSource(s.sectors, s.sectors_fr, s.source_url, s.year, s.confidence)
        )
    mentors = dict(
        session.execute(
            select(Mentor.region_code, func.count()).where(Mentor.status == ACTIVE).group_by(Mentor.region_code)
        ).all()
    )
    regions = []
    for region in session.execute(select(Region).where(Region.code != MONTREAL_REGION).order_by(Region.code)).scalars():
        profile = region_profile(session, region.code)
        adult = set(profile.adult_education_places)
        towns = [
            _town(r, montreal, cities, r.name in adult)
            for r in placed
            if r.region_code == region.code and r.designation in MUNICIPAL_DESIGNATIONS
        ]
        towns.sort(key=lambda t: (-t.population, t.name))
        regions.append(
            RegionFacts(
                code=region.code,
                name=region.name,
                growth_pct=profile.growth_pct,
                population=sum(r.population_2021 for r in rows if r.region_code == region.code and r.population_2021),
                towns=tuple(towns),
                sectors=tuple(sectors.get(region.code, [])),
                # As in the directory candidates see: a weak source is no reason until verified.
                organisations=tuple(
                    _organisation(o) for o in shown_to_candidates(organisations_in_region(session, region.code))
                ),
                school_centres=tuple(profile.school_centres_fr),
                mentors=mentors.get(region.code, 0),
            )
        )
    return Facts(tuple(regions))


def _town(row: Any, montreal: tuple[float, float], cities: list[Any], adult_education: bool) -> Town:
    here = (row.lat, row.lon)
    others = [(km_between(here, (c.lat, c.lon)), c.name) for c in cities if c.name != row.name]
    km, city = min(others) if others else (None, None)
    return Town(row.name, row.population_2021, km_between(here, montreal), city, km, adult_education)


ORGANISATION_KINDS = ("welcome", "french", "pairing")


def _organisation(card: OrganisationCard) -> Organisation:
    return Organisation(
        name=card.name,
        kinds=frozenset(k for k in ORGANISATION_KINDS if offers(card, k)),
        source_url=card.source_url,
        date_seen=card.date_seen,
        confidence=card.confidence,
    )
