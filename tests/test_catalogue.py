"""The one catalogue of sentences (app/catalogue): both languages everywhere, the same
placeholders in each, every key the code and the console's pages use, one rule for a
missing key, and numbers, dates and lists as Babel writes them for fr_CA and en_CA."""

from __future__ import annotations

import re
import string
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from app import candidates, checklists, mindmap, webinars
from app.catalogue import CATALOGUE, day_name, hour, listed, number, say, signed_percent
from app.mentors import TOPICS
from app.models import HandoffStatus, MentorStatus, RequestStatus
from app.settings import ROOT, get_settings
from app.webinars import MONTREAL
from bot.counsellors import REASONS
from console.views import incidents

# How each surface names its sentences: the call, and the section its plain keys are in.
CALLS = [
    (("actions", "rasa_components"), r"\b(?:text|counted)\(\s*(f?)\"([^\"]+)\"", "chat"),
    (("bot",), r"\b(?:say|bridge_says)\(\s*(f?)\"([^\"]+)\"", "bridge"),
    (("bot",), r"\bgroup_says\(\s*(f?)[\"']([^\"']+)[\"']", "group"),
    # In the pages, t('status_' ~ s) makes its key at run time, as an f-string does.
    (("console",), r"\b(?:texts\.)?t\(\s*(f?)[\"']([^\"']+)[\"'](\s*~)?", "console"),
    (("app", "bot", "actions", "console"), r"\b(?:say|both|catalogue_say)\(\s*(f?)\"([a-z_]+\.[^\"]+)\"", None),
]


def names(text: str) -> set[str]:
    """The placeholders; French's `region_of` ("de l'Estrie") is made from `region`."""
    fields = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    return {"region" if field == "region_of" else field for field in fields}


def uses() -> list[tuple[str, str, bool]]:
    """(where, key, dynamic) for every sentence named in the code and templates."""
    found: list[tuple[str, str, bool]] = []
    for folders, pattern, section in CALLS:
        for path in sorted(p for folder in folders for p in (ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".html") or "catalogue" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            for match in re.finditer(pattern, source):
                f_string, key, *joined = match.groups()
                if section is not None and "." in key:
                    continue  # a full key, read by the last pattern
                if joined and joined[0]:
                    key, f_string = key + "{…}", "f"
                where = f"{path.relative_to(ROOT)}:{source[: match.start()].count(chr(10)) + 1}"
                found.append((where, key if section is None else f"{section}.{key}", bool(f_string) and "{" in key))
    return found


def test_every_sentence_is_in_french_and_english_with_the_same_placeholders():
    for key, entry in CATALOGUE.items():
        assert set(entry) == {"fr", "en"}, key
        assert entry["fr"].strip() and entry["en"].strip(), key
        assert names(entry["fr"]) == names(entry["en"]), (key, names(entry["fr"]), names(entry["en"]))


def test_every_key_the_code_and_the_pages_use_exists():
    found = uses()
    assert len(found) > 500  # the scan reads the code at all
    missing = [(where, key) for where, key, dynamic in found if not dynamic and key not in CATALOGUE]
    assert not missing, missing
    # A key made at run time ("status_{status}") names at least one sentence of the catalogue.
    for where, key, dynamic in found:
        if dynamic:
            shape = re.compile(re.sub(r"\\\{[^}]*\\\}", r"\\w+", re.escape(key)) + "$")
            assert any(shape.match(k) for k in CATALOGUE), (where, key)


def test_the_keys_made_from_the_products_own_lists_all_exist():
    expected = [f"report.{colour}" for colour in ("green", "yellow", "red", "not_covered", "missing")]
    expected += [f"mindmap.legend_{colour}" for colour in mindmap.COLOURS]
    expected += [f"copy.section_{name}" for name in candidates.SECTIONS]
    expected += [f"copy.kept_{kind}" for kind in get_settings().retention_days()]
    expected += [f"stored.{name}" for name in {"consent_given_on", "language", *candidates.SECTIONS} - {"candidate"}]
    expected += [f"mentor_topic.{topic}" for topic in TOPICS]
    expected += [f"mentor_reason.topic_{topic}" for topic in TOPICS]
    expected += [f"group.reason_{reason}" for reason in REASONS]
    expected += [f"console.reason_{reason}" for reason in REASONS]
    expected += [f"console.status_{status}" for status in HandoffStatus]
    expected += [f"console.{kind}_{status}" for kind in ("mentor", "set") for status in MentorStatus]
    expected += [f"console.request_{status}" for status in RequestStatus]
    expected += [f"console.funnel_{stage}" for stage in webinars.FUNNEL]
    expected += [f"console.step_{step}" for step in webinars.STEPS]
    expected += [f"console.incident_{field}" for field in incidents.FIELDS]
    # The dossier's t(theme.status) and t(status): the report's colours, the checklist's states.
    expected += [f"console.{colour}" for colour in ("green", "yellow", "red", "not_covered")]
    expected += [f"console.{status}" for status in checklists.STATUSES]
    assert [key for key in expected if key not in CATALOGUE] == []


def test_one_rule_for_a_missing_key_and_for_languages():
    with pytest.raises(KeyError):
        say("chat.no_such_sentence", "fr")
    assert say("bridge.resumed", "en-CA") == CATALOGUE["bridge.resumed"]["en"]
    assert say("bridge.resumed", "es") == say("bridge.resumed", None) == CATALOGUE["bridge.resumed"]["fr"]


def test_numbers_dates_hours_and_lists_as_babel_writes_them():
    assert number(199039, "fr") == "199\u00a0039" and number(199039, "en") == "199,039"
    assert number(0.84, "fr", 1) == "0,8" and number(0.84, "en", 1) == "0.8"
    assert signed_percent(-4.44, "fr") == "−4,4\u00a0%" and signed_percent(6.4, "en") == "+6.4%"
    assert day_name(date(2026, 11, 30), "fr") == "lundi 30 novembre"
    assert day_name(date(2026, 11, 30), "en") == "Monday, November 30"
    evening = datetime(2026, 11, 24, 18, 0, tzinfo=MONTREAL)
    assert hour(evening, "fr") == "18 h 00" and hour(evening, "en").startswith("6:00")
    assert hour(evening.astimezone(timezone.utc), "fr") == "23 h 00"  # in the moment's own zone
    assert listed(["Estrie", "Mauricie", "Outaouais"], "fr") == "Estrie, Mauricie et Outaouais"
    assert listed(["Estrie", "Mauricie"], "en") == "Estrie and Mauricie"
    assert listed([], "fr") == ""


def test_no_sentence_table_is_left_outside_the_catalogue():
    """A `{"fr": …, "en": …}` literal of words outside app/catalogue is a sentence that
    escaped it (data such as a language list is not words)."""
    stray = []
    for folder in ("app", "actions", "bot", "console"):
        for path in (ROOT / folder).rglob("*.py"):
            if "catalogue" in path.parts or "migrations" in path.parts:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\{\s*\"fr\": \"[^\"]*[a-zà-ÿ]{3}", line):
                    stray.append(f"{Path(path).relative_to(ROOT)}:{n}")
    assert stray == []
