"""The emergency-departure aide-mémoire over the REST channel, with the real servers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import session_scope
from app.models import ChecklistItemStatus, Handoff, LiaisonNote
from tests.test_rest_conversations import consent, new_sender, texts

pytestmark = pytest.mark.servers


def test_first_message_with_place_and_date_gives_the_whole_checklist(servers):
    replies = servers.say(new_sender(), "j'ai trouvé un emploi à Rimouski, je commence lundi")
    reply = texts(replies)
    assert "Félicitations" in reply
    assert "Avant de quitter Montréal (début lundi" in reply
    assert "Dans les premiers jours à Rimouski" in reply
    assert "Accueil et intégration Bas-Saint-Laurent" in reply
    assert len(replies) == 3  # the intro, then one message per block


def test_missing_facts_are_asked_and_bad_answers_handled(servers):
    sender = new_sender()
    assert "quelle ville" in texts(servers.say(sender, "je dois déménager vite, ma job en région commence bientôt"))
    unknown = servers.say(sender, "Rimousky")
    assert "Je ne connais pas « Rimousky »" in texts(unknown)
    assert "Quand commence" in texts(servers.say(sender, '/inform{"city": "Rimouski"}'))
    assert "déjà passée" in texts(servers.say(sender, "2025-01-05"))
    final = texts(servers.say(sender, "je sais pas encore"))
    assert "Dans les premiers jours à Rimouski" in final
    assert "date de début quand vous la connaîtrez" in final


def test_ticking_what_is_left_a_new_destination_and_resuming(servers):
    sender = new_sender()
    consent(servers, sender)
    servers.say(sender, "j'ai trouvé un emploi à Rimouski, je commence dans 2 semaines")
    marked = texts(servers.say(sender, '/checklist_mark{"checklist_item": "lease", "checklist_status": "done"}'))
    assert "Bail à Montréal" in marked and "Fait" in marked
    left = texts(servers.say(sender, "qu'est-ce qu'il me reste à faire?"))
    assert "Bail à Montréal" not in left and "Logement temporaire" in left
    moved = texts(servers.say(sender, "finalement c'est à Sherbrooke"))
    assert "Sherbrooke" in moved and "✅ Bail à Montréal" in moved
    with session_scope() as session:
        stored = session.execute(select(ChecklistItemStatus).where(ChecklistItemStatus.sender_id == sender)).scalars()
        assert [(s.item_key, s.status) for s in stored] == [("lease", "done")]
    resumed = texts(servers.say(sender, "/urgent_departure"))
    assert "✅ Bail à Montréal" in resumed and "Dans les premiers jours à Sherbrooke" in resumed


def test_liaison_note_is_sent_only_after_yes(servers):
    sender = new_sender()
    servers.say(sender, "j'ai trouvé un emploi à Rimouski, je commence lundi")
    assert "Voulez-vous qu'on l'envoie" in texts(servers.say(sender, "/prepare_liaison_note"))
    with session_scope() as session:
        assert session.execute(select(LiaisonNote).where(LiaisonNote.sender_id == sender)).first() is None
    assert "conseiller est prévenu" in texts(servers.say(sender, "/affirm"))
    with session_scope() as session:
        assert session.execute(select(LiaisonNote).where(LiaisonNote.sender_id == sender)).scalar_one()
        assert session.execute(select(Handoff).where(Handoff.sender_id == sender)).scalar_one().status == "open"


def test_english_speaker_gets_the_checklist_in_english(servers):
    reply = texts(servers.say(new_sender(), "I found a job in Gatineau and I start in two weeks, help!"))
    assert "Before leaving Montréal (start" in reply
    assert "In your first days in Gatineau" in reply
