import re

import pytest

from app.procedures import load_procedures

TOPICS = {
    "eligibility",
    "financial_help",
    "lease",
    "driving_licence",
    "francisation",
    "health_insurance",
    "school",
    "change_address",
    "credentials",
    "housing",
}


def test_every_topic_is_answered_in_both_languages_with_sources():
    procedures = load_procedures()
    assert set(procedures) == TOPICS
    for answer in procedures.values():
        assert answer.text["fr"] and answer.text["en"]
        assert answer.sources
        for source in answer.sources:
            assert source.label
            assert source.url is None or source.url.startswith("http")


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_answers_fit_a_phone_screen_and_hold_no_phone_number(topic):
    answer = load_procedures()[topic]
    for language in ("fr", "en"):
        assert len(answer.text[language]) < 800
        assert not re.search(r"\d{3}[ .-]\d{3}[ .-]\d{4}", answer.text[language])


def test_what_is_not_confirmed_is_said():
    procedures = load_procedures()
    assert "Loi 31" in procedures["lease"].unconfirmed["fr"]
    assert "pas encore vérifié" in procedures["lease"].unconfirmed["fr"]
    assert procedures["francisation"].unconfirmed


def test_key_facts_from_the_sources():
    procedures = load_procedures()
    assert "1 000 $" in procedures["financial_help"].text["fr"]  # report 4.1.3
    assert "6 premiers mois" in procedures["driving_licence"].text["fr"]  # SAAQ
    assert "15 jours" in procedures["lease"].text["fr"]  # art. 1871 C.c.Q.
    assert "5 ans" in procedures["eligibility"].text["fr"]  # report 6.1.1
