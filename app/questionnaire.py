"""The preparation questionnaire (Tool 1): its themes and questions from
knowledge/questionnaire.yml, the adaptation-to-change self-assessment from
knowledge/self_assessment.yml, reading an answer as people type it, and keeping the
answers of people who consented (with the time each was given). The questions of
becoming a mentor (knowledge/mentor_signup.yml) are asked the same way.

Reading answers is pure (no Rasa, no database) so that every rule is tested directly;
actions/questionnaire.py turns it into a conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.catalogue import both
from app.dates import parse_start_date
from app.models import CompetencyScore, QuestionnaireAnswer, utcnow
from app.settings import get_settings
from app.text import fold

# What is stored besides real answers.
UNKNOWN, SKIPPED = "unknown", "skipped"
NOT_ANSWERED = (None, UNKNOWN, SKIPPED)
SELF_ASSESSMENT = "self_assessment"
MENTOR_SIGNUP = "mentor_signup"
MAX_TEXT = 1000
MAX_CHILD_AGE = 25


@dataclass(frozen=True)
class Question:
    theme: str
    key: str
    kind: str  # choice, text, places, date, year, ages, scale, contact
    ask: dict[str, str]
    options: dict[str, dict[str, str]] = field(default_factory=dict)
    # {question ("key" in this theme or "theme.key"): accepted values}; see answer_matches.
    ask_if: dict[str, list[str]] = field(default_factory=dict)
    minimum: int | None = None

    @property
    def slot(self) -> str:
        return slot_name(self.theme, self.key)

    @property
    def path(self) -> str:
        return f"{self.theme}.{self.key}"

    def label(self, value: Any, language: str) -> str:
        """An answer as the person would read it."""
        if isinstance(value, str) and value in self.options:
            return self.options[value][language]
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)


@dataclass(frozen=True)
class Theme:
    key: str
    title: dict[str, str]
    questions: tuple[Question, ...]

    @property
    def form(self) -> str:
        return form_name(self.key)

    def question(self, key: str) -> Question:
        return next(q for q in self.questions if q.key == key)

    def to_ask(self, answers: Answers) -> list[Question]:
        """The questions that apply to this person, in order (see `ask_if`)."""
        return [q for q in self.questions if applies(q, answers)]

    def next_question(self, answers: Answers) -> Question | None:
        return next((q for q in self.to_ask(answers) if answers.get(q.path) is None), None)

    def answered(self, answers: Answers) -> int:
        return sum(1 for q in self.to_ask(answers) if answers.get(q.path) is not None)

    def covered(self, answers: Answers) -> bool:
        """At least one real answer (not only "je ne sais pas" or skipped)."""
        return any(answers.get(q.path) not in NOT_ANSWERED for q in self.questions)


# Answers by "theme.question"; None (or absent) means not asked yet.
Answers = dict[str, Any]


def slot_name(theme: str, key: str) -> str:
    prefix = {SELF_ASSESSMENT: "sa", MENTOR_SIGNUP: "m"}.get(theme)
    return f"{prefix}_{key}" if prefix else f"q_{theme}_{key}"


def form_name(theme: str) -> str:
    return f"{theme}_form" if theme in (SELF_ASSESSMENT, MENTOR_SIGNUP) else f"theme_{theme}_form"


def _as_text(value: Any) -> str:
    # YAML 1.1 reads yes/no as booleans: a counsellor who writes `no` means "no".
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def as_values(raw: Any) -> list[str]:
    """One value or a list, as stored texts (`no` written unquoted in YAML is \"no\")."""
    return [_as_text(v) for v in (raw if isinstance(raw, list) else [raw])]


def _question(theme: str, raw: dict[str, Any]) -> Question:
    return Question(
        theme=theme,
        key=raw["key"],
        kind=raw["kind"],
        ask=raw["ask"],
        options={_as_text(k): v for k, v in (raw.get("options") or {}).items()},
        ask_if={k: as_values(v) for k, v in (raw.get("ask_if") or {}).items()},
        minimum=raw.get("min"),
    )


@lru_cache(maxsize=1)
def load_themes() -> tuple[Theme, ...]:
    raw = yaml.safe_load((get_settings().knowledge_dir / "questionnaire.yml").read_text(encoding="utf-8"))
    return tuple(
        Theme(key=t["key"], title=t["title"], questions=tuple(_question(t["key"], q) for q in t["questions"]))
        for t in raw["themes"]
    )


@dataclass(frozen=True)
class Competency:
    key: str
    title: dict[str, str]
    strength: dict[str, str]
    to_build: dict[str, str]
    statements: int


@dataclass(frozen=True)
class SelfAssessment:
    theme: Theme  # the key moment, then the statements, as questions of a form
    scale: dict[str, dict[str, str]]
    competencies: tuple[Competency, ...]
    source: str

    def scores(self, answers: Answers) -> dict[str, float]:
        """The mean rating (1 to 5) per competency, for the ones rated at all."""
        found = {}
        for competency in self.competencies:
            ratings = [
                int(v)
                for n in range(1, competency.statements + 1)
                if str(v := answers.get(f"{SELF_ASSESSMENT}.{competency.key}_{n}", "")).isdigit()
            ]
            if ratings:
                found[competency.key] = round(sum(ratings) / len(ratings), 1)
        return found


@lru_cache(maxsize=1)
def load_self_assessment() -> SelfAssessment:
    raw = yaml.safe_load((get_settings().knowledge_dir / "self_assessment.yml").read_text(encoding="utf-8"))
    scale = {str(k): v for k, v in raw["scale"].items()}
    questions = [Question(SELF_ASSESSMENT, "key_moment", "text", raw["key_moment"])]
    competencies = []
    for c in raw["competencies"]:
        for n, statement in enumerate(c["statements"], start=1):
            questions.append(Question(SELF_ASSESSMENT, f"{c['key']}_{n}", "scale", statement, options=scale))
        competencies.append(Competency(c["key"], c["title"], c["strength"], c["to_build"], len(c["statements"])))
    title = both("questionnaire.self_assessment_title")
    return SelfAssessment(Theme(SELF_ASSESSMENT, title, tuple(questions)), scale, tuple(competencies), raw["source"])


@lru_cache(maxsize=1)
def load_mentor_signup() -> Theme:
    raw = yaml.safe_load((get_settings().knowledge_dir / "mentor_signup.yml").read_text(encoding="utf-8"))
    return Theme(MENTOR_SIGNUP, raw["title"], tuple(_question(MENTOR_SIGNUP, q) for q in raw["questions"]))


def theme(key: str) -> Theme | None:
    return next((t for t in all_forms() if t.key == key), None)


def all_forms() -> tuple[Theme, ...]:
    """Every set of questions asked with a form: the questionnaire's themes, the
    self-assessment, and becoming a mentor."""
    return (*load_themes(), load_self_assessment().theme, load_mentor_signup())


def answers_from_slots(slots: dict[str, Any]) -> Answers:
    return {q.path: slots.get(q.slot) for t in all_forms() for q in t.questions if slots.get(q.slot) is not None}


# --- when a question applies ---------------------------------------------------------


def _reference(question: Question, name: str) -> str:
    return name if "." in name else f"{question.theme}.{name}"


def answer_matches(value: Any, accepted: list[str]) -> bool:
    """`any_date` accepts a date answer; other values are compared as they are stored."""
    if "any_date" in accepted and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return True
    return _as_text(value) in accepted


def applies(question: Question, answers: Answers) -> bool:
    """Asked unless an earlier answer rules it out; an answer still to come (another
    theme not done yet) does not rule anything out."""
    for name, accepted in question.ask_if.items():
        value = answers.get(_reference(question, name))
        if value is not None and not answer_matches(value, accepted):
            return False
    return True


# --- reading an answer --------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What a message says for a question: a value to store, or why it cannot be stored
    (`problem` is a message key; `details` fill it in)."""

    value: Any = None
    problem: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None and self.value is not None


def read_choice(question: Question, text: str, choice: str | None = None, intent: str | None = None) -> Reading:
    """A button (`choice`), the number of an option, its words, or yes/no."""
    if choice in question.options:
        return Reading(choice)
    words = fold(text)
    keys = list(question.options)
    if words.isdigit() and 1 <= int(words) <= len(keys):
        return Reading(keys[int(words) - 1])
    labels = {k: {fold(v) for v in question.options[k].values()} for k in keys}
    exact = [k for k in keys if words in labels[k]]
    # "oui, en couple avec 2 enfants" has every word of "En couple avec enfants" (the
    # option with the most words wins); "couple" alone is only part of two options.
    typed = set(words.split())
    said = [(len(label.split()), k) for k in keys for label in labels[k] if set(label.split()) <= typed]
    partial = [k for k in keys if len(words) >= 3 and any(f" {words} " in f" {label} " for label in labels[k])]
    if exact:
        return Reading(exact[0])
    if said:
        return Reading(max(said)[1])
    if len(partial) == 1:
        return Reading(partial[0])
    if intent == "affirm" and "yes" in question.options:
        return Reading("yes")
    if intent == "deny" and "no" in question.options:
        return Reading("no")
    return Reading(problem="choose_an_option")


def read_date(question: Question, text: str, today: date) -> Reading:
    parsed = parse_start_date(text, today)
    if parsed is None:
        return Reading(problem="date_not_understood")
    if not parsed.known:
        return Reading(UNKNOWN)
    if parsed.day < today:
        return Reading(problem="date_in_past", details={"day": parsed.day})
    return Reading(parsed.day.isoformat())


YEARS_AGO = re.compile(r"\b(\d{1,2})\s*(ans|an|years?)\b")


def read_year(question: Question, text: str, today: date) -> Reading:
    """ "2021", or "il y a 3 ans"; a year to come or before `min` is refused."""
    words = fold(text)
    if found := re.search(r"\b(\d{4})\b", words):
        year = int(found.group(1))
    elif found := YEARS_AGO.search(words):
        year = today.year - int(found.group(1))
    else:
        return Reading(problem="year_not_understood")
    lowest = question.minimum or 1900
    if not lowest <= year <= today.year:
        return Reading(problem="year_out_of_range", details={"lowest": lowest, "highest": today.year})
    return Reading(year)


def read_ages(text: str) -> Reading:
    ages = [int(n) for n in re.findall(r"\b\d{1,3}\b", text)]
    if not ages:
        return Reading(problem="ages_not_understood")
    if any(a > MAX_CHILD_AGE for a in ages):
        return Reading(problem="ages_out_of_range", details={"highest": MAX_CHILD_AGE})
    return Reading(ages)


EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")


TELEGRAM_USERNAME = re.compile(r"^@[A-Za-z][A-Za-z0-9_]{4,31}$")


def read_contact(text: str) -> Reading:
    """A Telegram username, an e-mail address or a phone number (10 or 11 digits)."""
    cleaned = text.strip()
    if TELEGRAM_USERNAME.match(cleaned):
        return Reading(cleaned)
    if EMAIL.match(cleaned):
        return Reading(cleaned.lower())
    digits = re.sub(r"\D", "", cleaned)
    if re.fullmatch(r"1?\d{10}", digits) and not re.search(r"[A-Za-z]", cleaned):
        return Reading(digits[-10:])
    return Reading(problem="contact_not_understood")


def read_text(text: str) -> Reading:
    cleaned = " ".join(text.split())
    if not any(c.isalpha() for c in cleaned):
        return Reading(problem="text_empty")
    return Reading(cleaned[:MAX_TEXT])


def read_answer(
    question: Question,
    text: str,
    today: date,
    *,
    intent: str | None = None,
    choice: str | None = None,
    places: list[str] | None = None,
) -> Reading:
    """One answer; "je ne sais pas" and "passer" are answers too. `places` are the
    regions or towns found in the message (the gazetteer is the caller's)."""
    if intent == "dont_know":
        return Reading(UNKNOWN)
    if intent == "skip_question":
        return Reading(SKIPPED)
    if question.options:
        reading = read_choice(question, text, choice, intent)
        if reading.ok or question.kind == "choice":
            return reading
        if question.kind == "scale":
            return Reading(problem="choose_on_scale", details={"highest": len(question.options)})
    if question.kind == "date":
        return read_date(question, text, today)
    if question.kind == "year":
        return read_year(question, text, today)
    if question.kind == "ages":
        return read_ages(text)
    if question.kind == "places":
        return Reading(places) if places else Reading(problem="place_not_found", details={"text": text})
    if question.kind == "contact":
        return read_contact(text)
    return read_text(text)


# --- keeping answers (people who consented) -----------------------------------------


def save_answer(session: Session, sender_id: str, question: Question, value: Any, at: datetime | None = None) -> None:
    row = session.get(QuestionnaireAnswer, (sender_id, question.theme, question.key))
    if row is None:
        row = QuestionnaireAnswer(sender_id=sender_id, theme=question.theme, question=question.key)
        session.add(row)
    row.value = value
    row.answered_at = at or utcnow()


def forget_theme(session: Session, sender_id: str, theme_key: str) -> None:
    session.execute(
        delete(QuestionnaireAnswer).where(
            QuestionnaireAnswer.sender_id == sender_id, QuestionnaireAnswer.theme == theme_key
        )
    )


def stored_answers(session: Session, sender_id: str) -> Answers:
    rows = session.scalars(select(QuestionnaireAnswer).where(QuestionnaireAnswer.sender_id == sender_id))
    return {f"{r.theme}.{r.question}": r.value for r in rows}


def save_scores(session: Session, sender_id: str, scores: dict[str, float]) -> None:
    for competency, score in scores.items():
        row = session.get(CompetencyScore, (sender_id, competency))
        if row is None:
            row = CompetencyScore(sender_id=sender_id, competency=competency)
            session.add(row)
        row.score = score
        row.assessed_at = utcnow()


def stored_scores(session: Session, sender_id: str) -> dict[str, float]:
    rows = session.scalars(select(CompetencyScore).where(CompetencyScore.sender_id == sender_id))
    return {r.competency: r.score for r in rows}


def erase(session: Session, sender_id: str) -> int:
    answers = session.execute(delete(QuestionnaireAnswer).where(QuestionnaireAnswer.sender_id == sender_id))
    scores = session.execute(delete(CompetencyScore).where(CompetencyScore.sender_id == sender_id))
    return (answers.rowcount or 0) + (scores.rowcount or 0)
