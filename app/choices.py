"""Which of the buttons just offered a typed message picks: "l'emploi", "EMPLOI", "2",
"le deuxième", "empl", "emploie" and "oui" (to a yes/no pair) all pick as a tap would.

One decision for every list of choices (menus, themes, questions, checklist tasks, mentors,
consent): the REST channel (rasa_components/turns.py) replaces a message that picks one
button by that button's payload, and asks which one when it could be several. Pure: no
Rasa, no database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.text import strip_accents

# The metadata key that keeps what the person wrote when it is handled as a tap.
TYPED_CHOICE = "typed_choice"
# Longer messages are sentences ("est-ce que l'emploi est facile à trouver?"), not a pick,
# unless they are a whole title.
MAX_WORDS = 5
# Shorter starts say too little ("em" is half the menu).
MIN_START = 3
ARTICLES = frozenset({"le", "la", "l", "les", "un", "une", "des", "the", "a", "an"})
# Buttons that step aside from a question instead of answering it. The forms number only
# their answers ("2" is the second answer, app/questionnaire.read_choice), and a free answer
# ("3" for a child's age, "passé") must not be taken for one: they are picked by their whole
# title only. So are buttons that send plain words (a suggested reply, not an intent).
ASIDE_INTENTS = frozenset({"dont_know", "skip_question", "pause_questionnaire"})
# Words that name no button on their own, though some titles hold them ("Nord-du-Québec").
TOO_COMMON = frozenset({"quebec", "region", "regions", "ville", "city"})

NUMBER_WORDS = {
    "un": 1, "une": 1, "premier": 1, "premiere": 1, "first": 1, "one": 1,
    "deux": 2, "deuxieme": 2, "second": 2, "seconde": 2, "two": 2,
    "trois": 3, "troisieme": 3, "third": 3, "three": 3,
    "quatre": 4, "quatrieme": 4, "fourth": 4, "four": 4,
    "cinq": 5, "cinquieme": 5, "fifth": 5, "five": 5,
    "six": 6, "sixieme": 6, "sixth": 6,
    "sept": 7, "septieme": 7, "seventh": 7, "seven": 7,
    "huit": 8, "huitieme": 8, "eighth": 8, "eight": 8,
    "neuf": 9, "neuvieme": 9, "ninth": 9, "nine": 9,
    "dix": 10, "dixieme": 10, "tenth": 10, "ten": 10,
}  # fmt: skip
# "2", "2.", "n° 2", "no 2", "option 2", "2e", "1er", "2nd".
NUMBER = re.compile(r"(?:(?:n|no|num|numero|number|option|choix|choice)\s)?(\d{1,2})(?:er|re|e|eme|st|nd|rd|th)?")
YES = frozenset({
    "oui", "ouais", "ouai", "ouaip", "ouep", "yes", "yeah", "yep", "yup", "ok", "okay", "oki", "d accord",
    "dac", "daccord", "bien sur", "certainement", "volontiers", "absolument", "sure", "of course", "j accepte",
    "i agree", "oui oui",
})  # fmt: skip
NO = frozenset({"non", "no", "nope", "nah", "nan", "non non", "pas du tout", "jamais", "never", "not at all"})
POLITE = frozenset({"merci", "svp", "stp", "please", "thanks", "thx", "beaucoup"})


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str
    number: int | None  # its number in the list; None for the buttons picked by whole title only

    @property
    def key(self) -> str:
        """What the title is matched on."""
        return normalise(self.title)


@dataclass(frozen=True)
class Ambiguous:
    """A typed choice that could be any of these."""

    candidates: tuple[Choice, ...]

    def lines(self) -> list[str]:
        """The candidates with the numbers they have in the list, so "2" still means the same."""
        return [f"{c.number}. {c.title}" if c.number else f"• {c.title}" for c in self.candidates]

    def buttons(self) -> list[dict[str, str]]:
        return [{"title": c.title, "payload": c.payload} for c in self.candidates]


def normalise(text: str) -> str:
    """Lower case, no accents, no signs, marks or emoji, no articles: "☐ L'Emploi!" -> "emploi"."""
    words = "".join(c if c.isalnum() else " " for c in strip_accents(text).lower()).split()
    return " ".join([w for w in words if w not in ARTICLES] or words)  # "Une" (one) is a title too


def payload(intent: str, **entities: str) -> str:
    """A button's payload in Rasa's form: "/ask_region_info{"city": "Padoue"}" (what the
    assistant, the bridge and the counsellors' group all send)."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def payload_intent(payload: str) -> str | None:
    """ "/choose_theme{...}" -> "choose_theme"; None for a payload of plain words."""
    if not payload.startswith("/"):
        return None
    return re.split(r"[{@\s]", payload[1:], maxsplit=1)[0]


def offered(buttons: Iterable[dict[str, Any]]) -> list[Choice]:
    """The buttons as shown, numbered from 1 except those that step aside; a button that
    sends nothing (a link) is no choice."""
    choices: list[Choice] = []
    number = 0
    for button in buttons:
        title, payload = str(button.get("title") or ""), str(button.get("payload") or "")
        if not payload:
            continue
        intent = payload_intent(payload)
        numbered = intent is not None and intent not in ASIDE_INTENTS
        number += numbered
        choices.append(Choice(title, payload, number if numbered else None))
    return choices


def pick(typed: str, choices: Sequence[Choice]) -> Choice | Ambiguous | None:
    """The button a typed message picks, the buttons it could be, or None when it is not a pick."""
    said = normalise(typed)
    if not said or not choices or typed.lstrip().startswith("/"):
        return None
    exact = [c for c in choices if c.key == said]
    if exact:
        return one_of(exact)
    if len(said.split()) > MAX_WORDS or not without_politeness(said):
        return None  # a sentence; a "merci" alone is no "Non merci"
    numbered = [c for c in choices if c.number is not None]
    for matcher in (by_number, by_yes_or_no, by_start, by_words, by_spelling):
        found = matcher(said, numbered)
        if found:
            return one_of(found)
    return None


def one_of(found: list[Choice]) -> Choice | Ambiguous:
    """Buttons that send the same payload are one choice."""
    distinct: dict[str, Choice] = {}
    for choice in found:
        distinct.setdefault(choice.payload, choice)
    return found[0] if len(distinct) == 1 else Ambiguous(tuple(distinct.values()))


def number_said(said: str) -> int | None:
    if said in NUMBER_WORDS:
        return NUMBER_WORDS[said]
    match = NUMBER.fullmatch(said)
    return int(match.group(1)) if match else None


def by_number(said: str, choices: Sequence[Choice]) -> list[Choice]:
    number = number_said(said)
    return [c for c in choices if c.number == number]


def without_politeness(said: str) -> str:
    return " ".join(w for w in said.split() if w not in POLITE)


def title_answer(key: str) -> str | None:
    """ "yes" for a title that starts with a yes ("Oui, j'accepte"), "no" for a no ("Non merci")."""
    first = key.split()[:1]
    return "yes" if first in (["oui"], ["yes"]) else "no" if first in (["non"], ["no"]) else None


def by_yes_or_no(said: str, choices: Sequence[Choice]) -> list[Choice]:
    """A message that is only a yes or a no ("ouais", "non merci") picks the button of that
    answer when the buttons hold exactly one of each."""
    kept = without_politeness(said)
    kind = "yes" if kept in YES else "no" if kept in NO else None
    kinds = [title_answer(c.key) for c in choices]
    if kind is None or kinds.count("yes") != 1 or kinds.count("no") != 1:
        return []
    return [c for c, k in zip(choices, kinds, strict=True) if k == kind]


def by_start(said: str, choices: Sequence[Choice]) -> list[Choice]:
    if len(said) < MIN_START or said in TOO_COMMON:
        return []
    return [c for c in choices if c.key.startswith(said)]


def by_words(said: str, choices: Sequence[Choice]) -> list[Choice]:
    """Whole words of the title: "lac saint jean", "Marie" in "Parler avec Marie"."""
    if len(said) < MIN_START or said in TOO_COMMON:
        return []
    return [c for c in choices if f" {said} " in f" {c.key} "]


def typos_allowed(said: str) -> int:
    length = len(said.replace(" ", ""))
    return 0 if length < 5 else 1 if length <= 8 else 2


def by_spelling(said: str, choices: Sequence[Choice]) -> list[Choice]:
    """The closest titles (or title words, for one typed word) within a few typos."""
    allowed = typos_allowed(said)
    if not allowed or said in TOO_COMMON:
        return []
    distances = {}
    for choice in choices:
        targets = [choice.key, *(choice.key.split() if " " not in said else [])]
        distances[choice] = min(edit_distance(said, t) for t in targets)
    closest = min(distances.values(), default=allowed + 1)
    return [c for c, d in distances.items() if d == closest <= allowed]


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment): a swap of two letters is one typo."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def written(event: dict[str, Any]) -> str:
    """What the person wrote, for a user event kept as the tap its words picked."""
    return str((event.get("metadata") or {}).get(TYPED_CHOICE) or event.get("text") or "")
