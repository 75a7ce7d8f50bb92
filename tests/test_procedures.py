import re

import pytest
import yaml

from app.procedures import cited_ids, load_procedures
from tests.conftest import ROOT

KNOWLEDGE = ROOT / "knowledge"

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
    assert "pendant 6 mois" in procedures["driving_licence"].text["fr"]  # SAAQ
    assert "15 jours" in procedures["lease"].text["fr"]  # art. 1871 C.c.Q.
    assert "5 ans" in procedures["eligibility"].text["fr"]  # report 6.1.1


def test_eligibility_is_the_programme_s_as_the_report_says_it():
    answer = load_procedures()["eligibility"]
    assert "« être résidant permanent ou un immigrant reçu depuis moins de cinq ans »" in answer.text["fr"]
    assert "PROMIS (2015–2017)" in answer.text["fr"] and "PROMIS (2015–2017)" in answer.text["en"]
    assert "arrivé au Canada" in answer.text["fr"] and "arrived in Canada" in answer.text["en"]
    assert "citoyen" not in answer.text["fr"].lower() and "citizen" not in answer.text["en"].lower()
    assert [s.label for s in answer.sources] == [
        "Rapport PROMIS–IRIPI sur la régionalisation (2015–2017), section 6.1.1 : prérequis du programme de PROMIS"
    ]


def test_licence_counts_from_settling_in_quebec_and_keeps_every_path():
    essentials = load_procedures()["driving_licence"].essentials.text["fr"]
    assert "comptent depuis votre installation au Québec, pas depuis votre déménagement en région" in essentials
    assert "s'il couvre ce type de véhicule" in essentials
    assert "s'échange sans examen" in essentials
    assert "Avec moins d'un an, il faut un cours de conduite et l'accès graduel au permis" in essentials


def test_the_licence_answer_says_its_essentials_first_and_the_countries_after():
    answer = load_procedures()["driving_licence"]
    assert "Corée du Sud" not in answer.essentials.text["fr"]
    assert "France, Corée du Sud, Autriche, Japon, Belgique, Suisse" in answer.details.text["fr"]
    assert "États-Unis sont traités de la même façon" in answer.details.text["fr"]  # as the source says
    assert [s.shown for s in answer.essentials.sources] == [
        "SAAQ : pays avec entente",
        "SAAQ : pays sans entente",
        "Rapport PROMIS–IRIPI (2015–2017), section 4.2.3",
    ]
    assert "Corée du Sud" in " ".join(s.shown for s in answer.details.sources)


def test_every_source_a_statement_cites_is_shown_once():
    raw = yaml.safe_load((KNOWLEDGE / "procedures.yml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((KNOWLEDGE / "sources.yml").read_text(encoding="utf-8"))["sources"]
    for topic, answer in load_procedures().items():
        cited = cited_ids([*raw[topic]["statements"], raw[topic].get("unconfirmed") or {}])
        assert sorted(s.label for s in answer.sources) == sorted(registry[i]["label"] for i in cited), topic


def test_short_source_labels_stay_dated_and_flagged():
    registry = yaml.safe_load((KNOWLEDGE / "sources.yml").read_text(encoding="utf-8"))["sources"]
    shown = {s.label: s.shown for a in load_procedures().values() for s in a.sources}
    for source in registry.values():
        if source["label"] not in shown:
            continue
        assert len(shown[source["label"]]) <= 60, source["label"]
        if source["kind"] == "field_report":
            assert "(2015–2017)" in shown[source["label"]]
        if source["kind"] == "secondary":
            assert "source secondaire" in shown[source["label"]]


def test_the_ramq_deduction_is_said_to_be_one_in_the_answer():
    answer = load_procedures()["health_insurance"]
    assert "Nous en déduisons qu'un déménagement à l'intérieur du Québec ne le relance pas" in answer.text["fr"]
    assert "We deduce that a move within Québec does not restart it" in answer.text["en"]
    assert "ne change pas votre couverture" not in answer.text["fr"]


def test_each_statement_shows_its_own_source():
    procedures = load_procedures()
    labels = {topic: " ".join(s.label for s in a.sources) for topic, a in procedures.items()}
    assert "enfants mineurs" in labels["health_insurance"]  # the 2021 communiqué
    assert "en cours d'année" in labels["school"]  # mid-year enrolment (secondary)
    assert "CSS du Lac-Témiscamingue" in labels["school"] and "Laurentides" not in labels["school"]
    assert "Corée du Sud" in labels["driving_licence"] and "Japon" in labels["driving_licence"]
    assert "2015–2017" in labels["financial_help"] and "2015–2017" in procedures["financial_help"].text["fr"]


def test_credential_evaluation_binds_no_employer():
    fr = load_procedures()["credentials"].text["fr"]
    assert "ne lie ni les employeurs" in fr and "vérifiez d'abord si vous en avez besoin" in fr
