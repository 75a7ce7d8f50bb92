"""Which region suits me? A transparent matcher: from what a candidate said (field, spouse's
field, family, the kind of place wanted, car, distance from Montréal, French courses, ties),
it ranks the 16 regions outside Montréal and suggests 2-3 towns in each, every point of
the score being a line the person reads, with the fact behind it and its source.

The facts come from the database, which `make db` loads from knowledge/ (census sizes and
coordinates, growth sectors with their sources, school and adult-education centres,
organisations, mentors): `load_facts` is the only function that reads them. The weights and
texts are knowledge/recommendation.yml, which counsellors edit (`load_rules`, checked by
`check_rules`). Everything else is pure: facts and a profile in, a ranking out. It suggests;
it never decides.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalogue import number
from app.mentors import ACTIVE
from app.models import GrowthSectors, Mentor, Municipality, Region
from app.organisations import OrganisationCard, offers, organisations_in_region, shown_to_candidates
from app.places import MONTREAL_REGION, distance_km, load_gazetteer
from app.questionnaire import MAX_TEXT, NOT_ANSWERED, UNKNOWN, Answers, Question, Reading, read_choice, read_text
from app.regions import MUNICIPAL_DESIGNATIONS, SectorSource, region_profile, three_cities
from app.settings import get_settings
from app.sources import confidence_rank
from app.text import fold

MONTREAL_CITY = "Montréal"
SETTINGS = ("city", "small_town", "rural")
# What the matcher asks about when it does not know, in knowledge/recommendation.yml.
QUESTION_KEYS = ("field", "setting", "car", "max_km", "francisation")
WEIGHT_KEYS = (
    "field",
    "spouse_field",
    "leading",
    "setting",
    "no_car",
    "too_far",
    "francisation",
    "adult_education",
    "ties",
    "named",
    "welcome",
    "pairing",
)


# --- the rules (knowledge/recommendation.yml) ---------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    label: dict[str, str]
    words: tuple[str, ...]
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    weights: dict[str, float]
    confidence_factor: dict[str, float]
    places: dict[str, Any]
    fields: tuple[Field, ...]
    leading_words: tuple[str, ...]
    questions: dict[str, Any]
    texts: dict[str, dict[str, Any]]

    def text(self, key: str, language: str, **values: Any) -> str:
        return self.texts[key][language].format(**values)

    def sources(self, key: str) -> tuple[str, ...]:
        """The ids (knowledge/sources.yml) of what a text states."""
        return tuple(self.texts[key]["sources"])


def rules_from(raw: dict[str, Any]) -> Rules:
    return Rules(
        weights={k: float(v) for k, v in raw["weights"].items()},
        confidence_factor={k: float(v) for k, v in raw["confidence_factor"].items()},
        places=raw["places"],
        fields=tuple(
            Field(key, f["label"], tuple(fold(w) for w in f["words"]), tuple(fold(s) for s in f["sectors"]))
            for key, f in raw["fields"].items()
        ),
        leading_words=tuple(fold(w) for w in raw["leading_words"]),
        questions=raw["questions"],
        texts=raw["texts"],
    )


def read_rules_file() -> dict[str, Any]:
    return yaml.safe_load((get_settings().knowledge_dir / "recommendation.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    return rules_from(read_rules_file())


# The placeholders each text may use: a typo in a counsellor's edit is caught by the tests.
TEXT_PLACEHOLDERS = {
    "field": {"field", "sector", "source"},
    "spouse_field": {"field", "sector", "source"},
    "field_missing": {"field"},
    "setting_city": {"town", "population"},
    "setting_city_missing": {"minimum"},
    "setting_small_town": {"town", "population", "km", "city"},
    "setting_small_town_missing": set(),
    "setting_rural": {"share", "size"},
    "setting_rural_missing": {"share"},
    "no_car": {"share", "size", "town"},
    "car_needed": set(),
    "distance": {"town", "km"},
    "too_far": {"limit", "town", "km"},
    "francisation": {"organisation", "source"},
    "adult_education": {"town"},
    "francisation_missing": set(),
    "children": {"schools"},
    "ties": set(),
    "named": set(),
    "welcome": {"organisation", "source"},
    "pairing": {"organisation"},
    "mentors": {"count"},
    "qualified_jobs_in_cities": {"town"},
}
PLACES_KEYS = {
    "regional_city_min",
    "small_town",
    "near_city_km",
    "city_min",
    "countryside",
    "countryside_share",
    "transit_city_min",
    "towns_shown",
    "regions_shown",
}


def check_rules(raw: dict[str, Any]) -> list[str]:
    """What is wrong in the rules file, in words a counsellor can act on."""
    problems = []
    weights = raw.get("weights") or {}
    problems += [f"weights: {k} is missing" for k in WEIGHT_KEYS if k not in weights]
    problems += [f"weights: unknown weight {k}" for k in weights if k not in WEIGHT_KEYS]
    problems += [f"weights: {k} must be a number >= 0" for k, v in weights.items() if not _non_negative(v)]
    factors = raw.get("confidence_factor") or {}
    problems += [f"confidence_factor: {c} is missing" for c in ("high", "medium", "low") if c not in factors]
    problems += [f"confidence_factor: {c} must be a number >= 0" for c, v in factors.items() if not _non_negative(v)]
    places = raw.get("places") or {}
    problems += [f"places: {k} is missing" for k in PLACES_KEYS if k not in places]
    if not raw.get("leading_words"):
        problems.append("leading_words: the list is missing")
    for key, entry in (raw.get("fields") or {}).items():
        if set(entry.get("label") or {}) != {"fr", "en"}:
            problems.append(f"fields: {key} needs a label in fr and en")
        if not entry.get("words") or not entry.get("sectors"):
            problems.append(f"fields: {key} needs words and sectors")
    questions = raw.get("questions") or {}
    for key in QUESTION_KEYS:
        if set((questions.get(key) or {}).get("ask") or {}) != {"fr", "en"}:
            problems.append(f"questions: {key} needs ask in fr and en")
    problems += [
        f"questions: field button {b} is not a field"
        for b in questions.get("field", {}).get("buttons", [])
        if b not in (raw.get("fields") or {})
    ]
    problems += _option_problems(questions)
    problems += _text_problems(raw.get("texts") or {})
    return problems


def _non_negative(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _option_problems(questions: dict[str, Any]) -> list[str]:
    problems = []
    for key in QUESTION_KEYS:
        for option, entry in ((questions.get(key) or {}).get("options") or {}).items():
            if not {"fr", "en"} <= set(entry):
                problems.append(f"questions: {key} option {option} needs fr and en")
            if not isinstance(entry.get("words", []), list):
                problems.append(f"questions: {key} option {option}: words must be a list")
    return problems


def _text_problems(texts: dict[str, Any]) -> list[str]:
    problems = [f"texts: {k} is missing" for k in TEXT_PLACEHOLDERS if k not in texts]
    for key, entry in texts.items():
        if key not in TEXT_PLACEHOLDERS:
            problems.append(f"texts: unknown text {key}")
            continue
        if set(entry) != {"fr", "en", "sources"}:
            problems.append(f"texts: {key} needs fr, en and sources")
        if not entry.get("sources"):
            problems.append(f"texts: {key} needs the ids of its sources")
        for language, wording in ((k, v) for k, v in entry.items() if k in ("fr", "en")):
            used = {name for _, name, _, _ in string.Formatter().parse(wording) if name}
            problems += [f"texts: {key} ({language}) has no placeholder {{{n}}}" for n in used - TEXT_PLACEHOLDERS[key]]
    return problems


# --- the facts (the one function that reads them) ----------------------------------


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


# --- the profile ----------------------------------------------------------------------


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


# --- matching -------------------------------------------------------------------------


def _says(text: str, word: str) -> bool:
    """A word of 3 letters or fewer must be a whole word ("it"); a longer one may start a word."""
    end = r"\b" if len(word) <= 3 else ""
    return re.search(rf"\b{re.escape(word)}{end}", text) is not None


def fields_of(text: str | None, rules: Rules, shortest: int = 0) -> tuple[Field, ...]:
    """The fields a person's words name ("infirmière" → health), by words of at least
    `shortest` letters."""
    if not text:
        return ()
    folded = fold(text)
    return tuple(f for f in rules.fields if any(_says(folded, w) for w in f.words if len(w) >= shortest))


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
    return next((part for part in _parts(text or "") if any(_says(fold(part), w) for w in words)), None)


def sector_matches(region: RegionFacts, wanted: tuple[Field, ...], leading_words: tuple[str, ...]) -> list[SectorMatch]:
    """Every source listing one of the fields as a growth sector of the region."""
    found = []
    for f in wanted:
        for source in region.sectors:
            en, fr = _fragment(source.sectors, f.sectors), _fragment(source.sectors_fr, f.sectors)
            if en or fr:
                leading = any(_says(fold(f"{en or ''} {fr or ''}"), w) for w in leading_words)
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


# --- what to ask when the profile is thin --------------------------------------------


def question_values(key: str, rules: Rules) -> list[Any]:
    """The profile values an answer to a question can give."""
    if key == "field":
        return [f.label["fr"] for f in rules.fields]
    if key == "max_km":
        return [None if v == "any" else int(v) for v in rules.questions["max_km"]["options"]]
    if key in ("car", "francisation"):
        return [True, False]
    return list(rules.questions[key]["options"])


def answer_value(key: str, option: str, rules: Rules) -> Any:
    """An answer's value as the profile holds it; "je ne sais pas" is not known."""
    if option == UNKNOWN:
        return None
    if key in ("car", "francisation"):
        return option == "yes"
    if key == "max_km":
        return None if option == "any" else int(option)
    return option


def with_answers(profile: Profile, answers: dict[str, str], rules: Rules) -> Profile:
    """The profile with the answers given to the matcher's own questions ({question: option})."""
    return replace(profile, **{k: answer_value(k, v, rules) for k, v in answers.items() if k in QUESTION_KEYS})


def questions_to_ask(facts: Facts, profile: Profile, rules: Rules) -> list[str]:
    """The questions whose answer moves the top regions most (mean number of regions that
    change in the top, over the possible answers), at most questions.max_questions."""
    current = set(top_codes(facts, profile, rules))
    impact = {}
    for key in profile.unknown():
        values = question_values(key, rules)
        moved = [len(current - set(top_codes(facts, replace(profile, **{key: v}), rules))) for v in values]
        impact[key] = sum(moved) / len(moved)
    ranked = sorted((k for k in impact if impact[k] > 0), key=lambda k: (-impact[k], QUESTION_KEYS.index(k)))
    return ranked[: rules.questions["max_questions"]]


def questions_left(facts: Facts, profile: Profile, answered: Collection[str], rules: Rules) -> list[str]:
    """What is still worth asking: the questions that move the ranking, not answered yet,
    within questions.max_questions answers in all."""
    room = rules.questions["max_questions"] - len(answered)
    return [k for k in questions_to_ask(facts, profile, rules) if k not in answered][: max(room, 0)]


# --- typed answers --------------------------------------------------------------------


def question_for_reading(key: str, rules: Rules) -> Question:
    """A question as app/questionnaire.py reads answers to it: the options are the buttons,
    in the order shown (so "2" is the second); the field takes any trade as words."""
    question = rules.questions[key]
    if key == "field":
        by_key = {f.key: f for f in rules.fields}
        options = {by_key[k].label["fr"]: by_key[k].label for k in question["buttons"]}
    else:
        options = {str(k): {"fr": v["fr"], "en": v["en"]} for k, v in question["options"].items()}
    return Question("recommendation", key, "text" if key == "field" else "choice", question["ask"], options)


KM = re.compile(r"\b(\d{2,4})\s*(km|kilometres?|kilometers?)\b")


def option_in_words(key: str, text: str, rules: Rules) -> str | None:
    """The option whose `words` the text says (the longest such words win); for the
    distance, a number of km ("pas plus de 200 km" -> "200")."""
    folded = fold(text)
    options = rules.questions[key].get("options") or {}
    said = [(len(fold(w)), str(k)) for k, v in options.items() for w in v.get("words", ()) if _says(folded, fold(w))]
    if said:
        return max(said)[1]
    km = KM.search(folded) if key == "max_km" else None
    return km.group(1) if km else None


def read_typed_answer(key: str, text: str, rules: Rules, intent: str | None = None) -> Reading:
    """A typed answer to one of the matcher's questions: "je ne sais pas", an option's
    number, label or words, yes/no, a distance ("200", "pas plus de 200 km"), a trade."""
    if intent in ("dont_know", "skip_question"):
        return Reading(UNKNOWN)
    question = question_for_reading(key, rules)
    reading = read_choice(question, text, intent=intent)
    if reading.ok:
        return reading
    if option := option_in_words(key, text, rules):
        return Reading(option)
    if key == "max_km" and (number := fold(text)).isdigit() and int(number) >= 10:
        return Reading(number)
    if key == "field" and fields_of(text, rules):
        return read_text(text)
    return Reading(problem=f"rec_{key}_not_understood" if key in ("field", "max_km") else "choose_an_option")


# A trade named in a first message, by words of at least this many letters ("it" is too common in English).
TRADE_WORD_MIN = 4


def answers_in_message(text: str, rules: Rules) -> dict[str, str]:
    """What a first message already answers, by the counsellors' words only ("on veut une
    petite ville pas trop loin", "pour un ingénieur"): numbers and yes/no mean nothing
    outside a question."""
    found = {key: option_in_words(key, text, rules) for key in QUESTION_KEYS if key != "field"}
    if fields_of(text, rules, shortest=TRADE_WORD_MIN):
        found["field"] = " ".join(text.split())[:MAX_TEXT]
    return {k: v for k, v in found.items() if v}
