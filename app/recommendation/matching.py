"""Matching, pure: each region scored from the facts and the profile, every point a line
the person reads with the fact behind it and its source; towns suggested in each."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

import yaml

from app.catalogue import number
from app.recommendation.facts import Facts, Organisation, RegionFacts, Town
from app.recommendation.profile import Profile
from app.recommendation.rules import Field, Rules
from app.regions import SectorSource, three_cities
from app.settings import get_settings
from app.sources import confidence_rank
from app.text import fold


def says(text: str, word: str) -> bool:
    """A word of 3 letters or fewer must be a whole word ("it"); a longer one may start a word."""
    end = r"\b" if len(word) <= 3 else ""
    return re.search(rf"\b{re.escape(word)}{end}", text) is not None


def fields_of(text: str | None, rules: Rules, shortest: int = 0) -> tuple[Field, ...]:
    """The fields a person's words name ("infirmière" → health), by words of at least
    `shortest` letters."""
    if not text:
        return ()
    folded = fold(text)
    return tuple(f for f in rules.fields if any(says(folded, w) for w in f.words if len(w) >= shortest))


@dataclass(frozen=True)
class SectorMatch:
    field: Field
    source: SectorSource
    quote: dict[str, str]  # the source's words for the sector, fr and en
    leading: bool  # the source says the sector leads (its share of jobs, a shortage…)


def _parts(text: str) -> list[str]:
    """A source's sectors, split on the semicolons outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth <= 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [p for p in (*parts, current.strip()) if p]


def _fragment(text: str | None, words: tuple[str, ...]) -> str | None:
    return next((part for part in _parts(text or "") if any(says(fold(part), w) for w in words)), None)


def sector_matches(region: RegionFacts, wanted: tuple[Field, ...], leading_words: tuple[str, ...]) -> list[SectorMatch]:
    """Every source listing one of the fields as a growth sector of the region."""
    found = []
    for f in wanted:
        for source in region.sectors:
            en, fr = _fragment(source.sectors, f.sectors), _fragment(source.sectors_fr, f.sectors)
            if en or fr:
                leading = any(says(fold(f"{en or ''} {fr or ''}"), w) for w in leading_words)
                found.append(SectorMatch(f, source, {"en": en or fr, "fr": fr or en}, leading))
    return found


def source_label(url: str, year: str | None = None) -> str:
    """ "unbelavenir.gouv.qc.ca, 2019": short enough for a chat line."""
    host = urlparse(url).netloc.removeprefix("www.")
    when = (year or "").split("(")[0].strip()
    return f"{host}, {when}" if when and when != "n.d." else host


@dataclass(frozen=True)
class Line:
    text: str
    points: float = 0.0
    source_url: str | None = None
    against: bool = False  # a warning that does not change the score
    sources: tuple[str, ...] = ()  # ids of knowledge/sources.yml


@dataclass(frozen=True)
class SuggestedTown:
    name: str
    population: int
    km_from_montreal: int


@dataclass(frozen=True)
class RegionMatch:
    code: str
    name: str
    score: float
    towns: tuple[SuggestedTown, ...]
    reasons: tuple[Line, ...]  # what speaks for it, the strongest first
    against: tuple[Line, ...]  # what speaks against it

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "score": round(self.score, 2),
            "towns": [t.__dict__ for t in self.towns],
            "reasons": [line.__dict__ for line in self.reasons],
            "against": [line.__dict__ for line in self.against],
        }


@dataclass(frozen=True)
class Context:
    """What every criterion needs, to keep their signatures short."""

    region: RegionFacts
    profile: Profile
    rules: Rules
    language: str
    towns: tuple[Town, ...]

    def line(
        self, key: str, points: float = 0.0, source_url: str | None = None, against: bool = False, **values: Any
    ) -> Line:
        """A reason in the person's language, with the sources of what it states."""
        return Line(self.rules.text(key, self.language, **values), points, source_url, against, self.rules.sources(key))

    def number(self, value: float) -> str:
        return number(round(value), self.language)


def _share(region: RegionFacts, keep: Callable[[Town], bool]) -> float:
    return sum(t.population for t in region.towns if keep(t)) / region.population if region.population else 0.0


def city_minimum(profile: Profile, rules: Rules) -> int:
    return profile.min_city_population or rules.places["regional_city_min"]


def candidate_towns(region: RegionFacts, profile: Profile, rules: Rules) -> tuple[Town, ...]:
    """The towns of the kind wanted, nearest-accepted first, those with French courses first
    when someone needs them; without a wanted kind, the region's three reference cities."""
    places = rules.places
    low, high = places["small_town"]
    kinds: dict[str | None, Callable[[Town], bool]] = {
        "city": lambda t: t.population >= city_minimum(profile, rules),
        "small_town": lambda t: (
            low <= t.population < high and t.nearest_city_km is not None and t.nearest_city_km <= places["near_city_km"]
        ),
        "rural": lambda t: places["countryside"][0] <= t.population < places["countryside"][1],
    }
    if profile.setting in kinds:
        towns = [t for t in region.towns if kinds[profile.setting](t)]
    else:
        names = [c.name for c in three_cities([(t.name, "Ville", t.population, None) for t in region.towns])]
        towns = [t for t in region.towns if t.name in names]
        if profile.car is False:
            towns.sort(key=lambda t: t.population < places["transit_city_min"])
    if profile.max_km is not None:
        towns.sort(key=lambda t: t.km_from_montreal > profile.max_km)
    if profile.francisation:
        towns.sort(key=lambda t: not t.adult_education)
    return tuple(towns)


def sector_points(match: SectorMatch, weight: float, rules: Rules) -> float:
    leading = rules.weights["leading"] if match.leading else 0.0
    return (weight + leading) * rules.confidence_factor.get(match.source.confidence, 0.0)


def field_lines(c: Context) -> list[Line]:
    lines = []
    for key, missing in (("field", True), ("spouse_field", False)):
        wanted = fields_of(getattr(c.profile, key), c.rules)
        if not wanted:
            continue
        matches = sector_matches(c.region, wanted, c.rules.leading_words)
        if not matches:
            lines += [c.line("field_missing", against=True, field=wanted[0].label[c.language])] if missing else []
            continue
        weight = c.rules.weights[key]
        found = max(matches, key=lambda m: sector_points(m, weight, c.rules))
        line = c.line(
            key,
            sector_points(found, weight, c.rules),
            found.source.source_url,
            field=found.field.label[c.language],
            sector=found.quote[c.language],
            source=source_label(found.source.source_url, found.source.year),
        )
        lines.append(line)
    return lines


def setting_lines(c: Context) -> list[Line]:
    places, weight, setting = c.rules.places, c.rules.weights["setting"], c.profile.setting
    if setting == "city":
        if not c.towns:
            return [c.line("setting_city_missing", -weight, minimum=c.number(city_minimum(c.profile, c.rules)))]
        town = c.towns[0]
        return [c.line("setting_city", weight, town=town.name, population=c.number(town.population))]
    if setting == "small_town":
        if not c.towns:
            return [c.line("setting_small_town_missing", -weight)]
        town = c.towns[0]
        line = c.line(
            "setting_small_town",
            weight,
            town=town.name,
            population=c.number(town.population),
            km=c.number(town.nearest_city_km),
            city=town.nearest_city,
        )
        return [line]
    if setting == "rural":
        size = places["countryside"][1]
        share = _share(c.region, lambda t: t.population < size)
        if share < places["countryside_share"]:
            return [c.line("setting_rural_missing", -weight, share=round(100 * share))]
        return [c.line("setting_rural", weight, share=round(100 * share), size=c.number(size))]
    return []


def car_lines(c: Context) -> list[Line]:
    if c.profile.car is not False:
        return []
    size = c.rules.places["transit_city_min"]
    share = _share(c.region, lambda t: t.population >= size)
    lines = []
    if share > 0:
        largest = c.region.towns[0].name
        points = c.rules.weights["no_car"] * share
        lines.append(c.line("no_car", points, share=round(100 * share), size=c.number(size), town=largest))
    if c.profile.setting in ("rural", "small_town") or share == 0:
        lines.append(c.line("car_needed", against=True))
    return lines


def distance_lines(c: Context) -> list[Line]:
    if c.profile.max_km is None or not c.towns:
        return []
    town = c.towns[0]
    km = c.number(town.km_from_montreal)
    if town.km_from_montreal > c.profile.max_km:
        return [c.line("too_far", -c.rules.weights["too_far"], limit=c.number(c.profile.max_km), town=town.name, km=km)]
    return [c.line("distance", town=town.name, km=km)]


def _organisation_with(region: RegionFacts, kind: str) -> Organisation | None:
    found = sorted((o for o in region.organisations if kind in o.kinds), key=lambda o: confidence_rank(o.confidence))
    return found[0] if found else None


def francisation_lines(c: Context) -> list[Line]:
    if not c.profile.francisation:
        return []
    lines = []
    organisation = _organisation_with(c.region, "french")
    if organisation:
        source = source_label(organisation.source_url, organisation.date_seen)
        points, url = c.rules.weights["francisation"], organisation.source_url
        lines.append(c.line("francisation", points, url, organisation=organisation.name, source=source))
    else:
        lines.append(c.line("francisation_missing", against=True))
    with_courses = [t for t in c.towns[: c.rules.places["towns_shown"]] if t.adult_education]
    if with_courses:
        lines.append(c.line("adult_education", c.rules.weights["adult_education"], town=with_courses[0].name))
    return lines


def family_lines(c: Context) -> list[Line]:
    if not c.profile.children_ages or not c.region.school_centres:
        return []
    return [c.line("children", schools=", ".join(c.region.school_centres[:2]))]


def network_lines(c: Context) -> list[Line]:
    weights, lines = c.rules.weights, []
    if c.region.code in c.profile.ties:
        lines.append(c.line("ties", weights["ties"]))
    if c.region.code in c.profile.named:
        lines.append(c.line("named", weights["named"]))
    welcome = _organisation_with(c.region, "welcome")
    if welcome:
        source = source_label(welcome.source_url, welcome.date_seen)
        points, url = weights["welcome"], welcome.source_url
        lines.append(c.line("welcome", points, url, organisation=welcome.name, source=source))
    if c.region.code not in c.profile.ties:
        pairing = _organisation_with(c.region, "pairing")
        if c.region.mentors:
            lines.append(c.line("mentors", weights["pairing"], count=c.region.mentors))
        elif pairing and pairing != welcome:
            lines.append(c.line("pairing", weights["pairing"], pairing.source_url, organisation=pairing.name))
    return lines


def jobs_lines(c: Context) -> list[Line]:
    """Away from the cities, qualified jobs are fewer (4.2.3): said, not scored."""
    if c.profile.setting not in ("rural", "small_town") or not fields_of(c.profile.field, c.rules):
        return []
    return [c.line("qualified_jobs_in_cities", against=True, town=c.region.towns[0].name)]


CRITERIA = (
    field_lines,
    setting_lines,
    car_lines,
    distance_lines,
    francisation_lines,
    family_lines,
    network_lines,
    jobs_lines,
)


def match_region(region: RegionFacts, profile: Profile, rules: Rules, language: str = "fr") -> RegionMatch:
    towns = candidate_towns(region, profile, rules)
    c = Context(region, profile, rules, language, towns)
    lines = [line for criterion in CRITERIA for line in criterion(c)]
    against = [line for line in lines if line.points < 0 or line.against]
    reasons = sorted((line for line in lines if line not in against), key=lambda line: -line.points)
    shown = towns[: rules.places["towns_shown"]]
    return RegionMatch(
        code=region.code,
        name=region.name,
        score=sum(line.points for line in lines),
        towns=tuple(SuggestedTown(t.name, t.population, round(t.km_from_montreal)) for t in shown),
        reasons=tuple(reasons),
        against=tuple(sorted(against, key=lambda line: line.points)),
    )


@dataclass(frozen=True)
class Recommendation:
    regions: tuple[RegionMatch, ...]  # all 16, best first
    unknown: tuple[str, ...]  # what the person did not say (keys of QUESTION_KEYS)
    shown: int

    @property
    def top(self) -> tuple[RegionMatch, ...]:
        """The regions suggested: never one without a reason to give."""
        return tuple(m for m in self.regions if m.reasons)[: self.shown]

    def as_dict(self) -> dict[str, Any]:
        return {"regions": [r.as_dict() for r in self.regions], "unknown": list(self.unknown), "shown": self.shown}


def recommend(facts: Facts, profile: Profile, rules: Rules, language: str = "fr") -> Recommendation:
    """Every region matched, best score first; equal scores: the region that grew most."""
    matches = {r.code: match_region(r, profile, rules, language) for r in facts.regions}
    growth = {r.code: r.growth_pct for r in facts.regions}
    ranked = sorted(matches.values(), key=lambda m: (-round(m.score, 6), -growth[m.code], m.name))
    return Recommendation(tuple(ranked), tuple(profile.unknown()), rules.places["regions_shown"])


def rank_moves(before: Recommendation, after: Recommendation) -> dict[str, int]:
    """How many places each region went up (positive) or down when answers changed."""
    was = {m.code: i for i, m in enumerate(before.regions)}
    return {m.code: was[m.code] - i for i, m in enumerate(after.regions)}


@lru_cache(maxsize=1)
def source_labels() -> dict[str, str]:
    """The label of each source id (knowledge/sources.yml), for the counsellors' view."""
    register = yaml.safe_load((get_settings().knowledge_dir / "sources.yml").read_text(encoding="utf-8"))
    return {key: source["label"] for key, source in register["sources"].items()}


def top_codes(facts: Facts, profile: Profile, rules: Rules) -> tuple[str, ...]:
    return tuple(m.code for m in recommend(facts, profile, rules).top)
