"""Start dates as people write them in French or English: "lundi", "dans 2 semaines",
"le 3 décembre", "12/01", "next Monday", "in ten days", "je sais pas encore".

Pure and small on purpose: the phrases of a chat, not a general date library (the ones
on PyPI need newer `regex` and `pytz` than Rasa 3.6 allows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.text import fold

WEEKDAYS = {
    **dict.fromkeys(["lundi", "monday", "mon"], 0),
    **dict.fromkeys(["mardi", "tuesday", "tue"], 1),
    **dict.fromkeys(["mercredi", "wednesday", "wed"], 2),
    **dict.fromkeys(["jeudi", "thursday", "thu"], 3),
    **dict.fromkeys(["vendredi", "friday", "fri"], 4),
    **dict.fromkeys(["samedi", "saturday", "sat"], 5),
    **dict.fromkeys(["dimanche", "sunday", "sun"], 6),
}
MONTHS = {
    **dict.fromkeys(["janvier", "january", "jan", "janv"], 1),
    **dict.fromkeys(["fevrier", "february", "feb", "fev", "fevr"], 2),
    **dict.fromkeys(["mars", "march", "mar"], 3),
    **dict.fromkeys(["avril", "april", "apr", "avr"], 4),
    **dict.fromkeys(["mai", "may"], 5),
    **dict.fromkeys(["juin", "june", "jun"], 6),
    **dict.fromkeys(["juillet", "july", "jul", "juil"], 7),
    **dict.fromkeys(["aout", "august", "aug"], 8),
    **dict.fromkeys(["septembre", "september", "sep", "sept"], 9),
    **dict.fromkeys(["octobre", "october", "oct"], 10),
    **dict.fromkeys(["novembre", "november", "nov"], 11),
    **dict.fromkeys(["decembre", "december", "dec"], 12),
}
NUMBERS = {
    "un": 1, "une": 1, "one": 1, "a": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7,
    "huit": 8, "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10, "quinze": 15, "fifteen": 15,
}  # fmt: skip
UNIT_DAYS = {
    "jour": 1, "jours": 1, "day": 1, "days": 1,
    "semaine": 7, "semaines": 7, "week": 7, "weeks": 7,
    "mois": 30, "month": 30, "months": 30,
}  # fmt: skip
RECENT_PAST_DAYS = 60
UNKNOWN = re.compile(
    r"\b(sais pas|sait pas|sais plus|pas encore|pas sur|pas certain|aucune idee|inconnu"
    r"|don ?t know|dont know|not sure|no idea|not yet|unknown|idk|jsp)\b"
)


@dataclass(frozen=True)
class StartDate:
    """A parsed start date; `day` is None when the person does not know it yet."""

    day: date | None

    @property
    def known(self) -> bool:
        return self.day is not None


def parse_start_date(text: str, today: date) -> StartDate | None:
    """The date a message gives, StartDate(None) for "I don't know yet", None if neither."""
    words = fold(text)
    if UNKNOWN.search(words):
        return StartDate(None)
    for parse in (_relative_day, _in_duration, _next_week, _weekday, _day_month_name, _numeric):
        day = parse(words, today)
        if day is not None:
            return StartDate(day)
    return None


def _relative_day(words: str, today: date) -> date | None:
    if re.search(r"\b(apres demain|day after tomorrow)\b", words):
        return today + timedelta(days=2)
    if re.search(r"\b(demain|tomorrow)\b", words):
        return today + timedelta(days=1)
    if re.search(r"\b(aujourd hui|today|ce matin|tonight)\b", words):
        return today
    return None


def _in_duration(words: str, today: date) -> date | None:
    match = re.search(r"\b(?:dans|in|d ici)\s+(\d+|[a-z]+)\s+(jours?|semaines?|mois|days?|weeks?|months?)\b", words)
    if not match:
        return None
    count = int(match.group(1)) if match.group(1).isdigit() else NUMBERS.get(match.group(1))
    return today + timedelta(days=count * UNIT_DAYS[match.group(2)]) if count else None


def _next_week(words: str, today: date) -> date | None:
    if re.search(r"\b(semaine prochaine|next week)\b", words) and not re.search("|".join(WEEKDAYS), words):
        return today + timedelta(days=7 - today.weekday())  # Monday of next week
    return None


def _weekday(words: str, today: date) -> date | None:
    for word in words.split():
        if word in WEEKDAYS and len(word) > 3:
            ahead = (WEEKDAYS[word] - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    return None


def _day_month_name(words: str, today: date) -> date | None:
    months = "|".join(sorted(MONTHS, key=len, reverse=True))
    match = re.search(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({months})\b(?:\s+(\d{{4}}))?", words) or re.search(
        rf"\b({months})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(\d{{4}}))?", words
    )
    if not match:
        return None
    first, second, year = match.groups()
    day, month = (int(first), MONTHS[second]) if first.isdigit() else (int(second), MONTHS[first])
    return _upcoming(day, month, int(year) if year else None, today)


def _numeric(words: str, today: date) -> date | None:
    iso = re.search(r"\b(\d{4}) (\d{1,2}) (\d{1,2})\b", words)
    if iso:
        return _upcoming(int(iso.group(3)), int(iso.group(2)), int(iso.group(1)), today)
    # Québec writes day/month (1/12 = 1 December); fold turned the slashes into spaces.
    match = re.search(r"\b(\d{1,2}) (\d{1,2})(?: (\d{2,4}))?\b", words)
    if not match:
        return None
    year = match.group(3)
    full_year = (2000 + int(year) if len(year) == 2 else int(year)) if year else None
    return _upcoming(int(match.group(1)), int(match.group(2)), full_year, today)


def _upcoming(day: int, month: int, year: int | None, today: date) -> date | None:
    """The date meant. Without a year: this year's, unless it passed more than two months
    ago (then next year's); a recent past date stays past, to be refused as such."""
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        if candidate >= today or (today - candidate).days <= RECENT_PAST_DAYS:
            return candidate
        return date(today.year + 1, month, day)
    except ValueError:
        return None
