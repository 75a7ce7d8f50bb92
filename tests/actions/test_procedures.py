import pytest

from actions.procedures import TOPIC_OF_INTENT, ActionAnswerProcedure
from tests.conftest import all_text, make_tracker, run_action


@pytest.mark.parametrize("intent", sorted(TOPIC_OF_INTENT))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_procedure_question_is_answered_with_sources(database_url, dispatcher, intent, language):
    run_action(ActionAnswerProcedure(), dispatcher, make_tracker("?", intent, slots={"language": language}))
    reply = all_text(dispatcher)
    assert ("Sources :" if language == "fr" else "Sources:") in reply
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_counsellor"


def test_lease_answer_says_what_is_not_confirmed(database_url, dispatcher):
    run_action(ActionAnswerProcedure(), dispatcher, make_tracker("casser mon bail", "ask_lease"))
    reply = all_text(dispatcher)
    assert "cession" in reply
    assert "À confirmer : Depuis février 2024" in reply
    assert "https://www.tal.gouv.qc.ca" in reply
