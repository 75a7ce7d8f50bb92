from datetime import date

from app.organisations import OrganisationCard, find_organisations, offers, rank, shown_to_candidates


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


def test_old_and_unverified_entries_are_stale():
    today = date(2026, 11, 24)
    assert card("old", seen="2019-09").is_stale(today)
    assert not card("recent", seen="2024-05").is_stale(today)
    assert not card("verified", seen="2019", verified=date(2026, 1, 10)).is_stale(today)


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
