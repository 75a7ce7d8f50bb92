"""Mentor pairing over the REST channel with the real servers: suggestions, a request,
the mentor's yes from their own conversation, the contact passed on by the bridge's round;
becoming a mentor through its form; /mentor."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import pytest

from app import mentors
from app.db import session_scope
from app.mentors import MentorAnswers
from app.models import Mentor
from bot import mentors as rounds
from tests.bot.test_mentor_rounds import Bot
from tests.test_rest_conversations import consent, new_sender, texts

pytestmark = pytest.mark.servers


def test_suggestion_request_and_the_mentors_yes(servers):
    mentor_chat = new_sender()
    answers = MentorAnswers(
        "Malik", "Rivière-du-Loup", "01", date(2022, 6, 1), ["fr"], ["employment", "tour"], "telegram", "@malik_rdl"
    )
    with session_scope() as session:
        for other in session.query(Mentor).filter(Mentor.status == "active"):
            other.status = "paused"  # this test's mentor only
        mentor_id = mentors.become_mentor(session, mentor_chat, answers, consent=True).id
    candidate = new_sender()
    consent(servers, candidate)
    found = servers.say(candidate, "j'aimerais parler avec quelqu'un qui habite déjà à Rivière-du-Loup")
    said = texts(found)
    assert "Malik — À Rivière-du-Loup même" in said and "@malik" not in said
    ask = f'/request_mentor{{"mentor_id": "{mentor_id}"}}'
    assert ask in [b["payload"] for r in found for b in r.get("buttons", [])]
    assert "J'ai demandé à Malik" in texts(servers.say(candidate, ask))

    bot = Bot()
    asyncio.run(rounds.ask_mentors(bot))
    [(question, payloads)] = bot.to(mentor_chat)
    assert "Rivière-du-Loup" in question
    yes = payloads[0]
    assert "/mentor_answer" in yes and json.loads(yes.split("mentor_answer", 1)[1])["choice"] == "yes"
    # Someone else sending the mentor's button changes nothing.
    assert "Je ne trouve pas cette demande" in texts(servers.say(candidate, yes))
    assert "Merci beaucoup" in texts(servers.say(mentor_chat, yes))
    asyncio.run(rounds.tell_candidates(bot))
    [(told, _)] = bot.to(candidate)
    assert "Malik accepte de vous parler" in told and "@malik_rdl" in told


def test_becoming_a_mentor_then_pausing(servers):
    sender = new_sender()
    consent(servers, sender)
    assert "Merci de vouloir aider" in texts(servers.say(sender, "/become_mentor"))
    script = {
        "m_first_name": "Sofia", "m_municipality": "Trois-Rivières", "m_since": "2023",
        "m_languages": "/inform{\"choice\": \"fr_en\"}",
        "m_origin": "/dont_know", "m_field": "/skip_question", "m_family": "/inform{\"choice\": \"couple\"}",
        "m_topic_employment": "oui", "m_topic_housing": "non", "m_topic_social_life": "oui", "m_topic_tour": "non",
        "m_topic_meet_in_person": "oui", "m_channel": "/inform{\"choice\": \"email\"}", "m_contact": "pas un contact",
        "m_frequency": "/inform{\"choice\": \"2\"}", "m_consent": "/inform{\"choice\": \"yes\"}",
    }  # fmt: skip
    replies = ""
    for _ in range(20):
        slot = servers.tracker(sender)["slots"].get("requested_slot")
        if slot is None:
            break
        replies = texts(servers.say(sender, script[slot]))
        if slot == "m_contact" and "courriel" in replies:  # a bad contact is asked again
            script["m_contact"] = "sofia@example.org"
    assert "Vous êtes maintenant personne-ressource à Trois-Rivières" in replies
    with session_scope() as session:
        mentor = mentors.mentor_of(session, sender)
        assert (mentor.contact_value, mentor.topics) == (
            "sofia@example.org",
            ["employment", "social_life", "meet_in_person"],
        )
    assert servers.tracker(sender)["slots"]["m_contact"] is None
    status = servers.say(sender, "/mentor_settings")
    assert "vous recevez des demandes" in texts(status)
    assert "en pause" in texts(servers.say(sender, '/mentor_settings{"choice": "paused"}'))
    with session_scope() as session:
        assert mentors.mentor_of(session, sender).status == "paused"
