from datetime import date

import pytest

from app.dates import parse_start_date

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("j'ai trouvé un emploi à Rimouski, je commence lundi", date(2026, 11, 30)),
        ("I start next Monday", date(2026, 11, 30)),
        ("mardi", date(2026, 12, 1)),  # a weekday is the next one, never today
        ("demain", date(2026, 11, 25)),
        ("dans 2 semaines", date(2026, 12, 8)),
        ("dans deux semaines", date(2026, 12, 8)),
        ("in ten days", date(2026, 12, 4)),
        ("d'ici un mois", date(2026, 12, 24)),
        ("la semaine prochaine", date(2026, 11, 30)),
        ("le 3 décembre", date(2026, 12, 3)),
        ("1er decembre", date(2026, 12, 1)),
        ("December 3rd", date(2026, 12, 3)),
        ("3/12", date(2026, 12, 3)),  # day/month, as written in Québec
        ("15/01/2027", date(2027, 1, 15)),
        ("2026-12-15", date(2026, 12, 15)),
        ("le 2 janvier", date(2027, 1, 2)),  # the next 2 January
    ],
)
def test_start_dates_people_write(message, expected):
    assert parse_start_date(message, TODAY).day == expected


@pytest.mark.parametrize("message", ["je sais pas encore", "pas encore sûr", "I don't know yet", "not sure", "jsp"])
def test_not_known_yet(message):
    parsed = parse_start_date(message, TODAY)
    assert parsed is not None and not parsed.known


def test_recent_past_dates_stay_past_so_they_can_be_refused():
    assert parse_start_date("le 20 novembre", TODAY).day == date(2026, 11, 20)
    assert parse_start_date("2025-01-05", TODAY).day == date(2025, 1, 5)


@pytest.mark.parametrize("message", ["Rimouski", "bonjour", "le 31 février", "", "😀"])
def test_no_date(message):
    assert parse_start_date(message, TODAY) is None
