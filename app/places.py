"""Resolve what people write to one of Québec's regions or municipalities.

Pure logic over an in-memory gazetteer (built once from the database by
`load_gazetteer`), so it is tested without servers and answers in microseconds.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import session_scope
from app.language import ENGLISH, FRENCH
from app.models import Municipality, Region
from app.settings import get_settings
from app.text import fold, split_words

# Montréal, the region people leave: the others are the destinations.
MONTREAL_REGION = "06"
_FUZZY_CUTOFF = 0.6
# A word of a message is taken for a misspelt place only when it is this close to one.
_GUESS_CUTOFF = 0.8
_COMMON_WORDS = FRENCH | ENGLISH
_GUESS_MAX_WORDS = 60  # a pasted essay is not searched word by word


# "au Québec", "in Quebec", "Revenu Québec": the province or a government body, not the city.
PROVINCE_MARKERS = frozenset(
    {
        *("au", "du", "le", "hors", "partout", "in", "of", "across", "outside", "whole"),
        *(
            "revenu",
            "services",
            "francisation",
            "accompagnement",
            "retraite",
            "immigration",
            "emploi",
            "sante",
            "hydro",
        ),
    }
)


# The ways people ask about one place, on folded text (app/text.py `fold`): where it is, which
# region, how far from Montréal, what it is like. `place` is what is left once the question's
# words are taken off; it must then be a place's whole name (`Gazetteer.place_asked_about`).
_IN = r"(?:a |au |aux |en |dans |dans la |dans le |dans les |dans l |in |at )?"
_SAYS = r"(?:c est |cest |c |ca |ca se trouve |se trouve |se situe |est |est situe |est situee |is |s )?"
_FROM_HERE = r"(?:de |du |d |from )(?:montreal|mtl|ici|here)"
_WHICH_REGION = r"(?:dans |en )?(?:quelle|quel|kel|kelle) (?:region|coin)(?: du quebec)?"
_HOW_FAR = r"(?:tu )?(?:loin|proche|pres|a combien de (?:km|kilometres|temps|minutes|heures)|a quelle distance)"
_TELL_ME = (
    r"(?:(?:parle moi|parlez moi|dis moi|dites moi)(?: un peu)?(?: plus)? (?:de |du |des |d |sur )"
    r"|(?:des |je veux des |j aimerais des |plus d )?(?:infos?|informations?|renseignements?) (?:sur |de |du |d ))"
    r"(?:la ville de |la region de )?"
)
PLACE_QUESTIONS = tuple(
    re.compile(pattern)
    for pattern in (
        # "Waterville c'est dans quelle région?", "Terrebonne est dans quel coin"
        rf"^(?:est ce que )?(?P<place>.+?) {_SAYS}{_WHICH_REGION}(?: exactement| au juste| svp| stp)?$",
        # "dans quelle région se trouve Waterville?", "quelle région c'est Amqui"
        rf"^(?:c est |cest |c )?{_WHICH_REGION} {_SAYS}{_IN}(?P<place>.+)$",
        # "où se trouve X", "c'est où X", "où est situé X"
        rf"^(?:c est |cest |c |ca se trouve )?ou {_SAYS}{_IN}(?P<place>.+?)(?: exactement| au juste)?$",
        # "X c'est où?", "X se trouve où exactement"
        rf"^(?P<place>.+?) {_SAYS}ou(?: exactement| au juste| ca| svp| stp)?$",
        # "X c'est loin de Montréal?", "est-ce que X est à combien de km d'ici"
        rf"^(?:est ce que )?(?P<place>.+?) {_SAYS}{_HOW_FAR} {_FROM_HERE}$",
        # "c'est loin de Montréal X?", "c'est-tu loin Rimouski"
        rf"^(?:c est|cest|c|est ce que c est) (?:tu )?(?:loin|proche)(?: {_FROM_HERE})? {_IN}(?P<place>.+)$",
        # "c'est comment aux Îles-de-la-Madeleine", "c'est comment la vie à X", "comment c'est à X"
        rf"^(?:c est |cest |c )?comment (?:c est |cest |la vie |vivre |ca se passe |est la vie )?{_IN}(?P<place>.+)$",
        # "X c'est comment?", "X ça ressemble à quoi", "X c'est quoi"
        r"^(?P<place>.+?) (?:c est |cest |c |ca )?(?:comment|quoi|ca ressemble a quoi|ressemble a quoi)$",
        # "parle-moi de X", "infos sur X", "des informations sur la ville de X"
        rf"^{_TELL_ME}(?P<place>.+?)(?: svp| stp| s il vous plait)?$",
        # "what region is X in", "which region is X", "X is in which region"
        r"^(?:in )?(?:what|which) region (?:is |s )?(?P<place>.+?)(?: in| located in| part of)?$",
        r"^(?P<place>.+?) is (?:in )?(?:what|which) region$",
        # "where is X", "where's X located", "how far is X from Montreal", "is X far from here"
        r"^where (?:is |s )?(?P<place>.+?)(?: located| exactly)?$",
        rf"^how far (?:is |s )?(?:it to )?(?P<place>.+?) {_FROM_HERE}$",
        rf"^is (?P<place>.+?) (?:far|close) {_FROM_HERE}$",
        # "tell me about X", "what is X like", "what about X"
        r"^(?:tell me about|what about|how about|info on|information on|infos on) (?:the )?(?P<place>.+?)(?: please)?$",
        r"^(?:what is|what s|whats|how is) (?:life )?(?:in )?(?P<place>.+?)(?: like)?$",
    )
)
# What may surround a place named alone: "à Rimouski", "Rimouski svp", "peut-être Amqui".
_ALONE = re.compile(
    r"^(?:a |au |aux |en |le |la |les |l |de |du |des |in |the |et |pis |ok |alors |and )?(?P<place>.+?)"
    r"(?: svp| stp| please| alors| donc)?$"
)
_ARTICLES = ("le ", "la ", "les ", "l ", "the ")


# Words that rule out the place after them in a change of plan: "pas Rimouski", "plus à Matane",
# "au lieu de Sherbrooke", "instead of Gatineau", "not Laval". Prepositions and articles in between
# are skipped.
_RULING_OUT = ("pas", "plus", "non", "not", "instead", "lieu", "plutot", "rather", "longer")
_BETWEEN = frozenset({
    "a", "au", "aux", "en", "dans", "le", "la", "les", "l", "de", "d", "du", "des", "que", "qu",
    "of", "than", "to", "in", "at", "the", "for", "pour", "vers",
})  # fmt: skip


def ruled_out(message: str, start: int) -> bool:
    """Whether the place named at `start` in the message is the one left behind or refused."""
    words = fold(message[:start]).split()
    while words and words[-1] in _BETWEEN:
        words.pop()
    return bool(words) and words[-1] in _RULING_OUT


def quebec_means_province(previous_word: str) -> bool:
    """Whether "Québec" after this word names the province (or a body), not the city."""
    return fold(previous_word) in PROVINCE_MARKERS


@dataclass(frozen=True)
class PlaceRef:
    kind: str  # "region" or "city"
    name: str  # official name
    region_code: str
    code: str  # region code or municipality code


class Gazetteer:
    def __init__(
        self,
        regions: list[tuple[str, str]],
        aliases: dict[str, list[str]],
        municipalities: list[tuple[str, str, str, int]],
        ambiguous: frozenset[str] = frozenset(),
        city_aliases: dict[str, list[str]] | None = None,
    ) -> None:
        """regions: (code, name); aliases: official region name -> aliases;
        municipalities: (code, name, region_code, population); ambiguous: municipality
        names that are also everyday words, never picked out of free text; city_aliases:
        official municipality name -> short names ("Victo", "Chicoutimi")."""
        self._regions: dict[str, PlaceRef] = {}
        for code, name in regions:
            ref = PlaceRef("region", name, code, code)
            for label in [name, *aliases.get(name, [])]:
                self._regions[fold(label)] = ref
        self._cities: dict[str, PlaceRef] = {}
        # The most populous municipality wins a shared name (Hatley the town vs the canton).
        for code, name, region_code, _pop in sorted(municipalities, key=lambda m: m[3]):
            self._cities[fold(name)] = PlaceRef("city", name, region_code, code)
        for name, names in (city_aliases or {}).items():
            ref = self._cities[fold(name)]
            for alias in names:
                self._cities.setdefault(fold(alias), ref)
        self._ambiguous = {fold(name) for name in ambiguous}
        self._region_names = {code: name for code, name in regions}
        self._max_words = max(len(k.split()) for k in [*self._regions, *self._cities])

    def region_name(self, code: str) -> str:
        return self._region_names[code]

    def destination_regions(self) -> list[str]:
        """Every region but Montréal, by code (knowledge/regions.csv)."""
        return [name for code, name in sorted(self._region_names.items()) if code != MONTREAL_REGION]

    def is_ambiguous(self, place: PlaceRef) -> bool:
        """Whether the place's name is also a common word or a place abroad ("Padoue", "Hope")."""
        return place.kind == "city" and fold(place.name) in self._ambiguous

    def whole_name(self, words: str) -> PlaceRef | None:
        """The place these folded words name entirely, with or without their article
        ("les iles de la madeleine", "iles de la madeleine"); ambiguous names included."""
        candidates = [words] + [words[len(a) :] for a in _ARTICLES if words.startswith(a)]
        for candidate in candidates:
            if len(candidate) > 2 and (ref := self.resolve(candidate)):
                return ref
        return None

    def place_named_alone(self, text: str) -> PlaceRef | None:
        """The place a message names and nothing else ("Waterville?", "à Terrebonne svp")."""
        folded = fold(text)
        match = _ALONE.match(folded)
        return self.whole_name(folded) or (self.whole_name(match["place"]) if match else None)

    def place_asked_about(self, text: str) -> PlaceRef | None:
        """The place a message only asks about: named alone, or in a question on where it is
        or what it is like ("Waterville c'est dans quelle région?", "what region is Hope in").
        The shape says a place is meant, so ambiguous names count (the actions confirm them)."""
        folded = fold(text)
        if not folded or len(folded.split()) > self._max_words + 8:
            return None
        for pattern in PLACE_QUESTIONS:
            if (match := pattern.match(folded)) and (ref := self.whole_name(match["place"])):
                return ref
        return self.place_named_alone(text)

    def region(self, text: str) -> PlaceRef | None:
        return self._regions.get(fold(text))

    def city(self, text: str) -> PlaceRef | None:
        return self._cities.get(fold(text))

    def resolve(self, text: str, prefer: str = "region") -> PlaceRef | None:
        """An exact (folded) match as a region or a city, trying `prefer` first."""
        order = (self.region, self.city) if prefer == "region" else (self.city, self.region)
        for lookup in order:
            if ref := lookup(text):
                return ref
        return None

    def find_in_text(self, text: str) -> list[PlaceRef]:
        """Places named in a free-text message, longest names first, left to right."""
        tokens = fold(text).split()
        found: list[PlaceRef] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._max_words, len(tokens) - i), 0, -1):
                phrase = " ".join(tokens[i : i + size])
                ref = self._regions.get(phrase)
                if (
                    ref is None
                    and phrase not in self._ambiguous
                    and not (phrase == "quebec" and quebec_means_province(tokens[i - 1] if i else ""))
                ):
                    ref = self._cities.get(phrase)
                if ref and len(phrase) > 2:
                    if ref not in found:
                        found.append(ref)
                    i += size
                    break
            else:
                i += 1
        return found

    def guess_in_text(self, text: str) -> tuple[str, list[PlaceRef]] | None:
        """A misspelt place in a free-text message ("la vie à Rimousky"): the words as the
        person wrote them and their close matches, or None when no word looks like a place."""
        words = [(w, fold(w)) for w in split_words(text)]
        words = [(w, f) for w, f in words if f and f not in _COMMON_WORDS][:_GUESS_MAX_WORDS]
        best: tuple[float, str] | None = None
        names = [*self._regions, *self._cities]
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                fragment = " ".join(f for _, f in words[i : i + size])
                if len(fragment) < 4:
                    continue
                for name in difflib.get_close_matches(fragment, names, n=1, cutoff=_GUESS_CUTOFF):
                    ratio = difflib.SequenceMatcher(None, fragment, name).ratio()
                    if best is None or ratio > best[0]:
                        best = (ratio, " ".join(w for w, _ in words[i : i + size]))
        if best is None:
            return None
        return best[1], self.suggest(best[1])

    def suggest(self, text: str, limit: int = 3) -> list[PlaceRef]:
        """Closest known places to an unknown name, best first."""
        key = fold(text)
        if not key:
            return []
        names = list(self._regions) + list(self._cities)
        close = difflib.get_close_matches(key, names, n=limit * 3, cutoff=_FUZZY_CUTOFF)
        refs: list[PlaceRef] = []
        for name in close:
            ref = self._regions.get(name) or self._cities[name]
            if ref not in refs:
                refs.append(ref)
        return refs[:limit]


def read_region_aliases() -> dict[str, list[str]]:
    path = get_settings().knowledge_dir / "region_aliases.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_city_aliases() -> dict[str, list[str]]:
    path = get_settings().knowledge_dir / "city_aliases.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_ambiguous_names() -> frozenset[str]:
    path = get_settings().knowledge_dir / "ambiguous_place_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def build_gazetteer(regions: list[tuple[str, str]], municipalities: list[tuple[str, str, str, int]]) -> Gazetteer:
    """A gazetteer of these places, with the aliases and ambiguous names of knowledge/."""
    return Gazetteer(regions, read_region_aliases(), municipalities, read_ambiguous_names(), read_city_aliases())


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    with session_scope() as session:
        regions = session.execute(select(Region.code, Region.name)).all()
        municipalities = session.execute(
            select(
                Municipality.code,
                Municipality.name,
                Municipality.region_code,
                Municipality.population_2021,
            )
        ).all()
    return build_gazetteer([tuple(r) for r in regions], [(c, n, r, p or 0) for c, n, r, p in municipalities])


@lru_cache(maxsize=1)
def knowledge_gazetteer() -> Gazetteer:
    """The same gazetteer read from knowledge/'s files, for the NLU pipeline: it also runs
    where no database is set up (training, `rasa test nlu`, cross-validation)."""
    knowledge = get_settings().knowledge_dir
    with (knowledge / "regions.csv").open(encoding="utf-8", newline="") as f:
        regions = [(r["code"], r["name"]) for r in csv.DictReader(f)]
    with (knowledge / "municipalities.csv").open(encoding="utf-8", newline="") as f:
        municipalities = [
            (m["code"], m["name"], m["region_code"], int(m["population_2021"] or 0)) for m in csv.DictReader(f)
        ]
    return build_gazetteer(regions, municipalities)


def nearest_municipality(session: Session, lat: float, lon: float, max_km: float = 40.0) -> tuple[str, str] | None:
    """(municipality, region) nearest to a shared location, if one is within max_km."""
    rows = session.execute(
        select(Municipality.name, Region.name, Municipality.lat, Municipality.lon)
        .join(Region, Region.code == Municipality.region_code)
        .where(Municipality.lat.is_not(None), Municipality.population_2021 > 0)
    ).all()
    best = min(rows, key=lambda r: distance_km(lat, lon, r[2], r[3]), default=None)
    if best is None or distance_km(lat, lon, best[2], best[3]) > max_km:
        return None
    return best[0], best[1]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
