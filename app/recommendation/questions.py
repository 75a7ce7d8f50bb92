"""When the profile is thin: the questions that move the ranking most, and the answers
people type or tap to them."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from app.questionnaire import MAX_TEXT, UNKNOWN, Question, Reading, read_choice, read_text
from app.recommendation.facts import Facts
from app.recommendation.matching import fields_of, says, top_codes
from app.recommendation.profile import Profile
from app.recommendation.rules import QUESTION_KEYS, Rules
from app.text import fold


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
    said = [(len(fold(w)), str(k)) for k, v in options.items() for w in v.get("words", ()) if says(folded, fold(w))]
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
