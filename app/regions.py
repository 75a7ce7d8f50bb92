"""Region questions: a region's figures, its three reference cities, what it offers.

The report presents each region with three cities of three sizes (Tool 3); they are
picked from census 2021 populations by `three_cities`:
  large  — the most populous municipality of the region (its main city);
  medium — the most populous municipality of 5,000–24,999 inhabitants (a mid-sized town);
  small  — the most populous municipality of 1,000–4,999 inhabitants (a small municipality).
If a band is empty (Laval is one city; Nord-du-Québec has no town over 10,000), the
next municipality by population that is not already chosen fills it. A city's size is
then named by its own population (`size_of`), never by the band it fills: Nord-du-Québec's
second town, of 2,091 inhabitants, is a small municipality, not a mid-sized town.
Only municipalities are candidates: Indigenous reserves, Cree, Naskapi and northern
villages and unorganised territories are governed by their own nations or have no
residents, and are not destinations of the regionalisation services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AdultEducationCentre, GrowthSectors, Municipality, Region, SchoolCentre
from app.sources import confidence_rank, latest_year

MUNICIPAL_DESIGNATIONS = frozenset({"Ville", "Municipalité", "Paroisse", "Canton", "Village", "Cantons unis"})
MEDIUM_BAND = (5_000, 25_000)
SMALL_BAND = (1_000, 5_000)
# Sizes named by population, largest first: (size, lowest population of that size).
SIZES = (("city", 25_000), ("medium", MEDIUM_BAND[0]), ("small", SMALL_BAND[0]), ("village", 0))


@dataclass(frozen=True)
class CityFigures:
    name: str
    population: int
    density: float | None
    size: str  # large (the main city), or by population: city, medium, small, village


@dataclass(frozen=True)
class SectorSource:
    sectors: str
    sectors_fr: str | None
    source_url: str
    year: str
    confidence: str


@dataclass
class RegionProfile:
    code: str
    name: str
    population_2021: int
    population_2016: int
    land_area_km2: float
    cities: list[CityFigures] = field(default_factory=list)
    sectors: SectorSource | None = None
    school_centres_fr: list[str] = field(default_factory=list)
    school_centres_en: list[str] = field(default_factory=list)
    adult_education_places: list[str] = field(default_factory=list)  # most populous first
    adult_education_count: int = 0

    @property
    def density(self) -> float:
        return self.population_2021 / self.land_area_km2

    @property
    def growth_pct(self) -> float:
        return 100 * (self.population_2021 - self.population_2016) / self.population_2016


def size_of(population: int) -> str:
    return next(size for size, lowest in SIZES if population >= lowest)


def three_cities(municipalities: list[tuple[str, str, int | None, float | None]]) -> list[CityFigures]:
    """Pick the large, medium and small reference cities.

    municipalities: (name, designation, population_2021, density_2021) of one region.
    """
    eligible = sorted(
        (m for m in municipalities if m[1] in MUNICIPAL_DESIGNATIONS and m[2]),
        key=lambda m: (-m[2], m[0]),
    )
    chosen: list[CityFigures] = []

    def take(low: int, high: int) -> None:
        taken = {c.name for c in chosen}
        in_band = [m for m in eligible if low <= m[2] < high and m[0] not in taken]
        fallback = [m for m in eligible if m[0] not in taken and (not chosen or m[2] < chosen[-1].population)]
        pick = (in_band or fallback or [None])[0]
        if pick:
            chosen.append(CityFigures(pick[0], pick[2], pick[3], size_of(pick[2])))

    if eligible:
        top = eligible[0]
        chosen.append(CityFigures(top[0], top[2], top[3], "large"))
        take(*MEDIUM_BAND)
        take(*SMALL_BAND)
    return chosen


def best_sector_source(sources: list[SectorSource]) -> SectorSource | None:
    """The most reliable source: highest confidence, then the most recent year."""
    if not sources:
        return None
    return min(sources, key=lambda s: (confidence_rank(s.confidence), -(latest_year(s.year) or 0)))


def region_by_name(session: Session, name: str) -> Region | None:
    return session.execute(select(Region).where(Region.name == name)).scalar_one_or_none()


def region_profile(session: Session, code: str) -> RegionProfile | None:
    region = session.get(Region, code)
    if region is None:
        return None
    municipalities = session.execute(
        select(
            Municipality.name,
            Municipality.designation,
            Municipality.population_2021,
            Municipality.density_2021,
        ).where(Municipality.region_code == code)
    ).all()
    sectors = session.execute(select(GrowthSectors).where(GrowthSectors.region_code == code)).scalars()
    schools = session.execute(
        select(SchoolCentre.name, SchoolCentre.language)
        .where(SchoolCentre.region_code == code)
        .order_by(SchoolCentre.buildings_in_region.desc(), SchoolCentre.name)
    ).all()
    adult = (
        session.execute(select(AdultEducationCentre.municipalities).where(AdultEducationCentre.region_code == code))
        .scalars()
        .all()
    )
    population = {m[0]: m[2] or 0 for m in municipalities}
    places = sorted(
        {p for row in adult for p in row.split("; ") if p},
        key=lambda p: (-population.get(p, 0), p),
    )
    return RegionProfile(
        code=region.code,
        name=region.name,
        population_2021=region.population_2021,
        population_2016=region.population_2016,
        land_area_km2=region.land_area_km2,
        cities=three_cities([tuple(m) for m in municipalities]),
        sectors=best_sector_source(
            [SectorSource(s.sectors, s.sectors_fr, s.source_url, s.year, s.confidence) for s in sectors]
        ),
        school_centres_fr=[n for n, lang in schools if lang == "fr"],
        school_centres_en=[n for n, lang in schools if lang == "en"],
        adult_education_places=places,
        adult_education_count=len(adult),
    )


def municipality_figures(session: Session, code: str) -> Municipality | None:
    return session.get(Municipality, code)
