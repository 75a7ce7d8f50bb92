"""Every sentence a person reads, in French and English, and the one rule for saying them.

The sentences live in this package, a module per audience: chat.py (the assistant with a
candidate), bridge.py (the Telegram bridge's own words and what /mesdonnees lists),
console.py (the counsellors' console), core.py (the access copy, the report and its mind
map, mentor suggestions, the counsellors' group, the liaison note). A key is
"section.name"; content that counsellors edit stays in knowledge/, with its sources.

The rule, for every surface: English when the language says so ("en", "en-CA"…), French
otherwise; a key that does not exist is an error, never a silent fallback
(tests/test_catalogue.py checks that every key the code uses exists in both languages,
with the same placeholders). Numbers and dates are written by Babel for fr_CA and en_CA.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from app.catalogue import bridge, chat, console, core

LANGUAGES = ("fr", "en")
LOCALES = {"fr": "fr_CA", "en": "en_CA"}

SECTIONS: dict[str, dict[str, dict[str, str]]] = {
    "chat": chat.TEXTS,
    "bridge": bridge.TEXTS,
    "stored": bridge.STORED,
    "console": console.TEXTS,
    "copy": core.COPY,
    "mentor_topic": core.MENTOR_TOPICS,
    "mentor_reason": core.MENTOR_REASONS,
    "report": core.REPORT,
    "mindmap": core.MINDMAP,
    "questionnaire": core.QUESTIONNAIRE,
    "group": core.COUNSELLOR_GROUP,
    "liaison": core.LIAISON_NOTE,
}
CATALOGUE: dict[str, dict[str, str]] = {
    f"{section}.{name}": entry for section, entries in SECTIONS.items() for name, entry in entries.items()
}


def language_of(language: str | None) -> str:
    """ "en" for any English ("en", "en-CA", a Telegram language code), else "fr"."""
    return "en" if (language or "").lower().startswith("en") else "fr"


def say(key: str, language: str | None, /, **values: object) -> str:
    return CATALOGUE[key][language_of(language)].format(**values)


def both(key: str) -> dict[str, str]:
    """The sentence in both languages, for what is kept and shown later in either."""
    return dict(CATALOGUE[key])


def locale_of(language: str | None) -> str:
    return LOCALES[language_of(language)]


def number(value: float, language: str | None, decimals: int = 0) -> str:
    """199 039 and 0,8 in French; 199,039 and 0.8 in English."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale_of(language))


# The locale's own percent pattern ("#,##0 %" in French) with one decimal, read once.
ONE_DECIMAL_PERCENT = {
    locale: Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.0", 1)
    for locale in LOCALES.values()
}


def signed_percent(value: float, language: str | None) -> str:
    """+1,2 % / −0,4 % in French; +1.2% / −0.4% in English (a true minus sign)."""
    locale = locale_of(language)
    shown = format_percent(abs(value) / 100, format=ONE_DECIMAL_PERCENT[locale], locale=locale)
    return ("+" if value >= 0 else "−") + shown


def day_name(day: date, language: str | None) -> str:
    """ "lundi 30 novembre" / "Monday, November 30"."""
    locale = locale_of(language)
    return format_date(day, "EEEE, MMMM d" if locale == LOCALES["en"] else "EEEE d MMMM", locale=locale)


def listed(items: list[str], language: str | None) -> str:
    """ "A, B et C" / "A, B and C"."""
    return format_list(items, locale=locale_of(language)) if items else ""


def hour(moment: datetime, language: str | None) -> str:
    """ "18 h 00" / "6:00 p.m.", in the moment's own time zone."""
    return format_time(moment, "short", locale=locale_of(language))
