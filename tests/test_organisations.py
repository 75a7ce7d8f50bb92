from datetime import date

from app.models import Organisation
from app.organisations import OrganisationCard, find_organisations, is_stale, offers, rank, shown_to_candidates
from app.settings import get_settings
from console import directory


def card(name, services="welcome and settlement", city=None, confidence="high", seen="2022", verified=None):
    return OrganisationCard(
        name=name,
        city=city,
        org_type="welcome & integration organisation",
        org_type_fr=None,
        services=services,
        services_fr=None,
        website=None,
        source_url="https://example.org/source",
        date_seen=seen,
        confidence=confidence,
        verified_on=verified,
    )


def test_service_filter_then_city_then_confidence():
    cards = [
        card("Low in town", "francisation courses", city="Matane", confidence="low"),
        card("High elsewhere", "francisation and literacy", city="Rimouski"),
        card("Welcome only", city="Matane"),
    ]
    ranked = rank(cards, service="french", city="Matane")
    assert [c.name for c in ranked] == ["Low in town", "High elsewhere"]


def test_no_match_for_the_service_keeps_every_organisation():
    cards = [card("A", confidence="medium"), card("B")]
    assert [c.name for c in rank(cards, service="entrepreneurship", city=None)] == ["B", "A"]


def test_service_keywords_match_french_and_english_descriptions():
    assert offers(card("x", "jumelage interculturel"), "pairing")
    assert offers(card("x", "Place aux jeunes support for 18-35"), "youth")
    assert not offers(card("x", "welcome and settlement"), "employment")


def test_one_staleness_rule_for_chat_and_console(monkeypatch):
    today = date(2026, 11, 24)
    assert is_stale(card("old", seen="2024-05").last_checked(), today)
    assert not is_stale(card("recent", seen="2025-05").last_checked(), today)  # read as the end of 2025
    assert not is_stale(card("verified", seen="2019", verified=date(2026, 1, 10)).last_checked(), today)
    assert is_stale(card("undated", seen="undated").last_checked(), today)
    assert directory.freshness(Organisation(verified_on=date(2025, 11, 1)), today) == "stale"
    monkeypatch.setenv("ORGANISATION_STALE_AFTER_DAYS", str(3 * 365))
    get_settings.cache_clear()
    try:
        assert not is_stale(card("old", seen="2024-05").last_checked(), today)
        assert directory.freshness(Organisation(verified_on=date(2025, 11, 1)), today) == "verified"
    finally:
        monkeypatch.delenv("ORGANISATION_STALE_AFTER_DAYS")
        get_settings.cache_clear()


def test_rimouski_welcome_organisation_comes_first_in_bas_saint_laurent(session):
    found = find_organisations(session, "01", service="welcome", city="Rimouski")
    assert found[0].name.startswith("Accueil et intégration Bas-Saint-Laurent")
    assert all(c.source_url.startswith("http") for c in found)


def test_montreal_has_no_regional_organisation(session):
    assert find_organisations(session, "06") == []


def test_a_weak_source_is_shown_to_candidates_only_once_verified():
    weak, verified = card("Weak", confidence="low"), card("Checked", confidence="low", verified=date(2026, 1, 10))
    assert shown_to_candidates([weak, verified, card("Sure")]) == [verified, card("Sure")]


def test_an_old_source_of_unknown_status_is_not_given_to_candidates(session):
    # organisations.csv: "Old source; current status unknown." (confidence low)
    names = [c.name for c in find_organisations(session, "12")]
    assert names and "Liaison immigration Bellechasse" not in names
