import pytest
from sqlalchemy import text as sql_text

from app import handoffs
from bot.counsellors import card_text


@pytest.mark.parametrize(
    "message",
    ["je suis désespéré", "Je suis desesperee", "mon mari est violent", "on m'expulse aujourd'hui", "I feel hopeless",
     "je suis à la rue avec mes enfants", "I am in danger"],
)  # fmt: skip
def test_distress_is_recognised(message):
    assert handoffs.shows_distress(message)


@pytest.mark.parametrize("message", ["je veux parler à un conseiller", "la rue principale de Rimouski", "merci"])
def test_ordinary_messages_are_not_distress(message):
    assert not handoffs.shows_distress(message)


def test_one_active_handoff_per_person_first_claim_wins_and_close(session):
    first = handoffs.open_handoff(session, "h-person", "asked", "aide", "fr")
    again = handoffs.open_handoff(session, "h-person", "fallback", "???", "fr")
    assert first.id == again.id and again.last_message == "???"
    assert handoffs.claim(first, handoffs.console_counsellor("amina@example.org"), "Amina")
    assert not handoffs.claim(first, handoffs.telegram_counsellor(42), "Luc")
    assert (first.claimed_by, first.claimed_by_name) == ("console:amina@example.org", "Amina")
    assert handoffs.held_by(first, handoffs.console_counsellor("amina@example.org"))
    handoffs.close(first)
    assert handoffs.active_for(session, "h-person") is None


def test_card_tells_who_why_and_the_last_messages(session):
    handoff = handoffs.open_handoff(session, "h-card", "distress", "au secours", "fr")
    text = card_text(handoff, "Nadia", ["bonjour", "au secours"], "2 tâche(s) faite(s), destination Rimouski")
    assert "Nadia" in text and "DÉTRESSE" in text and "« au secours »" in text and "Rimouski" in text


def test_statuses_are_stored_and_read_as_their_plain_words(session):
    from app.models import Handoff, HandoffStatus

    handoff = handoffs.open_handoff(session, "tg-status", "asked", "bonjour", "fr")
    session.flush()
    stored = session.execute(sql_text("SELECT status FROM handoffs WHERE id = :id"), {"id": handoff.id}).scalar()
    assert stored == "open" and type(stored) is str
    assert f"{HandoffStatus.CLAIMED}" == str(HandoffStatus.CLAIMED) == "claimed"
    assert session.get(Handoff, handoff.id).status == HandoffStatus.OPEN
