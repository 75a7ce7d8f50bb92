"""The decision report: green / yellow / red per theme of the questionnaire and overall,
each colour with its reasons, from the rules a counsellor keeps in
knowledge/report_rules.yml. Pure: answers in, report out (JSON-ready)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from app.catalogue import say
from app.questionnaire import SKIPPED, UNKNOWN, Answers, Theme, answer_matches, as_values, load_themes
from app.settings import get_settings

GREEN, YELLOW, RED, NOT_COVERED = "green", "yellow", "red", "not_covered"
SEVERITY = {GREEN: 0, YELLOW: 1, RED: 2}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Rule:
    theme: str
    colour: str
    when: tuple[Any, ...]
    reason: dict[str, str]


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    raw = yaml.safe_load((get_settings().knowledge_dir / "report_rules.yml").read_text(encoding="utf-8"))
    return tuple(Rule(r["theme"], r["colour"], tuple(r["when"]), r["reason"]) for r in raw["rules"])


def check_rules(rules: tuple[Rule, ...], themes: tuple[Theme, ...]) -> list[str]:
    """What is wrong in a rules file (unknown theme, question, option or colour), so that
    a counsellor's typo is caught by the tests instead of silently never matching."""
    questions = {q.path: q for t in themes for q in t.questions}
    problems = []
    for n, rule in enumerate(rules, start=1):
        if rule.theme not in {t.key for t in themes}:
            problems.append(f"rule {n}: unknown theme {rule.theme}")
        if rule.colour not in (YELLOW, RED):
            problems.append(f"rule {n}: colour must be yellow or red, not {rule.colour}")
        if set(rule.reason) != {"fr", "en"}:
            problems.append(f"rule {n}: reason needs fr and en")
        for path, expected in _conditions(rule.when):
            question = questions.get(path)
            if question is None:
                problems.append(f"rule {n}: unknown question {path}")
                continue
            if isinstance(expected, dict):
                continue
            known = {*question.options, "unanswered", UNKNOWN, "skipped", "any_date"}
            problems += [f"rule {n}: {path} has no option {v}" for v in as_values(expected) if v not in known]
    return problems


def _conditions(when: tuple[Any, ...] | list[Any]) -> list[tuple[str, Any]]:
    found = []
    for condition in when:
        for key, expected in condition.items():
            found += _conditions(expected) if key == "any" else [(key, expected)]
    return found


def holds(condition: dict[str, Any], answers: Answers, today: date, finished: frozenset[str] = frozenset()) -> bool:
    """One condition of a rule (see the header of knowledge/report_rules.yml).
    `finished` are the themes gone through to the end: there, a question never answered
    counts as unanswered; elsewhere it may simply not be asked yet."""
    for path, expected in condition.items():
        if path == "any":
            if not any(holds(c, answers, today, finished) for c in expected):
                return False
        elif not _value_holds(answers.get(path), expected, today, path.split(".")[0] in finished):
            return False
    return True


def _value_holds(value: Any, expected: Any, today: date, theme_finished: bool) -> bool:
    if isinstance(expected, dict):
        if "within_days" in expected:
            return (
                isinstance(value, str)
                and bool(ISO_DAY.fullmatch(value))
                and (date.fromisoformat(value) - today).days < int(expected["within_days"])
            )
        if "years_ago_more_than" in expected:
            return isinstance(value, int) and today.year - value > int(expected["years_ago_more_than"])
        raise ValueError(f"unknown comparison {expected}")
    accepted = as_values(expected)
    if "unanswered" in accepted and (value in (UNKNOWN, SKIPPED) or (value is None and theme_finished)):
        return True
    return value is not None and answer_matches(value, accepted)


def finished_themes(answers: Answers) -> frozenset[str]:
    return frozenset(t.key for t in load_themes() if t.next_question(answers) is None)


def theme_report(
    theme: Theme, answers: Answers, rules: tuple[Rule, ...], today: date, language: str, finished: frozenset[str]
) -> dict:
    to_ask = theme.to_ask(answers)
    entry: dict[str, Any] = {
        "key": theme.key,
        "title": theme.title[language],
        "answered": theme.answered(answers),
        "questions": len(to_ask),
        "status": NOT_COVERED,
        "reasons": [],
    }
    if not theme.covered(answers):
        return entry
    matching = [r for r in rules if r.theme == theme.key and all(holds(c, answers, today, finished) for c in r.when)]
    entry["status"] = max((r.colour for r in matching), key=SEVERITY.__getitem__, default=GREEN)
    # The reasons of the theme's colour first, then the lighter ones.
    entry["reasons"] = [r.reason[language] for r in sorted(matching, key=lambda r: -SEVERITY[r.colour])]
    return entry


def build_report(answers: Answers, today: date, language: str = "fr") -> dict[str, Any]:
    """Per theme: status, reasons, how many questions answered; overall: the worst
    colour (green only when every theme is covered), with a one-line summary."""
    rules = load_rules()
    finished = finished_themes(answers)
    themes = [theme_report(t, answers, rules, today, language, finished) for t in load_themes()]
    covered = [t for t in themes if t["status"] != NOT_COVERED]
    missing = len(themes) - len(covered)
    if not covered:
        overall = NOT_COVERED
    else:
        overall = max((t["status"] for t in covered), key=SEVERITY.__getitem__)
        if overall == GREEN and missing:
            overall = YELLOW
    summary = [say(f"report.{overall}", language)]
    if missing and covered:
        summary.append(say("report.missing", language, count=missing))
    return {
        "generated_on": today.isoformat(),
        "language": language,
        "overall": {"status": overall, "summary": " ".join(summary)},
        "themes": themes,
    }
