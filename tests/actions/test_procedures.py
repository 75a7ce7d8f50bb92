import pytest

from actions.procedures import TOPIC_OF_INTENT, ActionAnswerProcedure
from tests.conftest import all_text, make_tracker, run_action


@pytest.mark.parametrize("intent", sorted(TOPIC_OF_INTENT))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_procedure_question_is_answered_with_sources(database_url, dispatcher, intent, language):
    run_action(ActionAnswerProcedure(), dispatcher, make_tracker("?", intent, slots={"language": language}))
    reply = all_text(dispatcher)
    assert ("Sources :" if language == "fr" else "Sources:") in reply
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == "/request_counsellor"


def test_lease_answer_says_what_is_not_confirmed(database_url, dispatcher):
    run_action(ActionAnswerProcedure(), dispatcher, make_tracker("casser mon bail", "ask_lease"))
    reply = all_text(dispatcher)
    assert "cession" in reply
    assert "À confirmer : Depuis février 2024" in reply
    assert "https://www.tal.gouv.qc.ca" in reply


def test_eligibility_answer_is_the_programme_s_with_its_source(database_url, dispatcher):
    run_action(ActionAnswerProcedure(), dispatcher, make_tracker("j'ai droit au service?", "ask_eligibility"))
    reply = all_text(dispatcher)
    assert "programme de régionalisation de l'organisme PROMIS (2015–2017)" in reply
    assert "« être résidant permanent ou un immigrant reçu depuis moins de cinq ans »" in reply
    assert "et être arrivé au Canada il y a moins de 5 ans" in reply
    assert "citoyenneté" not in reply and "arrivées au Québec" not in reply
    assert "• Rapport PROMIS–IRIPI (2015–2017), section 6.1.1" in reply


def test_licence_answer_counts_from_settling_in_quebec(database_url, dispatcher):
    run_action(ActionAnswerProcedure(), dispatcher, make_tracker("mon permis?", "ask_driving_licence"))
    reply = all_text(dispatcher)
    assert "depuis votre installation au Québec, pas depuis votre déménagement en région" in reply
    assert "cours de conduite et l'accès graduel au permis" in reply
    assert "https://legisquebec.gouv.qc.ca/fr/document/rc/C-24.2,%20r.%2014%20" in reply  # South Korea


@pytest.mark.parametrize("language", ["fr", "en"])
def test_licence_answer_comes_in_two_short_messages(database_url, dispatcher, language):
    """The essentials and their sources first; the countries, with theirs, after."""
    tracker = make_tracker("?", "ask_driving_licence", slots={"language": language})
    run_action(ActionAnswerProcedure(), dispatcher, tracker)
    essentials, details = (m["text"] for m in dispatcher.messages)
    assert all(len(m) < 1_300 for m in (essentials, details))
    assert "saaq.gouv.qc.ca" in essentials and "legisquebec" not in essentials
    assert details.startswith("Plus de détails :" if language == "fr" else "More details:")
    korea = "https://legisquebec.gouv.qc.ca/fr/document/rc/C-24.2,%20r.%2014%20"
    assert f"• LégisQuébec : Corée du Sud — {korea}" in details
    assert "SAAQ : pays avec entente" not in details  # a source is listed once
    assert not dispatcher.messages[0]["buttons"]  # the counsellor button comes last


def test_a_short_answer_stays_one_message(database_url, dispatcher):
    run_action(ActionAnswerProcedure(), dispatcher, make_tracker("mon bail", "ask_lease"))
    assert len(dispatcher.messages) == 1
