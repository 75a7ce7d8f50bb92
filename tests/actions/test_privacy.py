from actions.privacy import ActionEraseMyData
from app import candidates, handoffs
from app.models import Candidate, Handoff
from tests.conftest import make_tracker, run_action


def test_erasure_deletes_every_app_row_of_the_person_only(database_url, session, dispatcher):
    for sender in ("leaving", "staying"):
        candidates.record_consent(session, sender, "fr")
        handoffs.open_handoff(session, sender, "asked", "help", "fr")
    session.commit()

    run_action(ActionEraseMyData(), dispatcher, make_tracker("oui", "affirm", sender_id="leaving"))

    session.expire_all()
    assert session.get(Candidate, "leaving") is None
    assert session.query(Handoff).filter_by(sender_id="leaving").count() == 0
    assert session.get(Candidate, "staying") is not None
    assert "effacées" in dispatcher.messages[0]["text"]
