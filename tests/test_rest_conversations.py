"""The real Rasa server and action server, spoken to over the REST channel."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text as sql

from app.db import session_scope
from app.models import Candidate

pytestmark = pytest.mark.servers


def new_sender() -> str:
    return f"rest-{uuid.uuid4().hex[:12]}"


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def stored_events(sender: str) -> int:
    with session_scope() as session:
        return session.execute(sql("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar_one()


def consent(servers, sender: str) -> None:
    replies = servers.say(sender, "bonjour")
    assert "assistant virtuel" in texts(replies)
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/give_consent", "/refuse_consent"]
    assert "Merci" in texts(servers.say(sender, "/give_consent"))


def test_rimouski_question_answers_with_the_census_figures_and_three_cities(servers):
    sender = new_sender()
    consent(servers, sender)
    reply = texts(servers.say(sender, "c'est comment la vie à Rimouski?"))
    assert "Rimouski est dans la région du Bas-Saint-Laurent" in reply
    assert "199\u00a0039 habitants" in reply  # census 2021
    for city in ("Rimouski", "Rivière-du-Loup", "Saint-Antonin"):
        assert city in reply


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("parle-moi du BSL", "Bas-Saint-Laurent : 199\u00a0039 habitants"),
        ("tell me about the Eastern Townships", "Estrie: 495,283 inhabitants"),
        ("c'est comment au Lac-St-Jean?", "Saguenay–Lac-Saint-Jean : 275\u00a0552 habitants"),
        ("infos sur la Gaspésie svp", "Gaspésie–Îles-de-la-Madeleine : 89\u00a0342 habitants"),
        ("c'est comment vivre dans la ville de Saguenay?", "Saguenay est dans la région du Saguenay–Lac-Saint-Jean"),
        ("la vie au Saguenay c'est comment?", "Saguenay–Lac-Saint-Jean : 275\u00a0552 habitants"),
    ],
)
def test_region_names_people_type_resolve_to_the_right_region(servers, message, expected):
    assert expected in texts(servers.say(new_sender(), message))


def test_transcript_is_stored_only_after_consent(servers):
    sender = new_sender()
    servers.say(sender, "c'est comment la vie à Matane?")
    assert stored_events(sender) == 0  # no consent yet: nothing on disk
    consent(servers, sender)
    assert stored_events(sender) > 0
    with session_scope() as session:
        assert session.get(Candidate, sender).consent_given_at is not None
    events = servers.tracker(sender)["events"]
    assert any(e.get("text") == "c'est comment la vie à Matane?" for e in events)


def test_refusing_consent_keeps_nothing_but_still_answers(servers):
    sender = new_sender()
    servers.say(sender, "bonjour")
    servers.say(sender, "/refuse_consent")
    assert "Sherbrooke" in texts(servers.say(sender, "parle-moi de l'Estrie"))
    assert stored_events(sender) == 0


def test_delete_my_data_erases_the_conversation_after_confirmation(servers):
    sender = new_sender()
    consent(servers, sender)
    servers.say(sender, "parle-moi de Rimouski")
    assert "effacer" in texts(servers.say(sender, "je veux supprimer mes données"))
    assert "effacées" in texts(servers.say(sender, "/affirm"))
    assert stored_events(sender) == 0
    with session_scope() as session:
        assert session.get(Candidate, sender) is None
    assert "assistant virtuel" in texts(servers.say(sender, "bonjour"))  # asked again, from scratch


def test_counsellor_request_and_procedure_answer(servers):
    sender = new_sender()
    assert "Sources :" in texts(servers.say(sender, "est-ce que je peux casser mon bail pour partir en région?"))
    assert "enregistrée" in texts(servers.say(sender, "je veux parler à un conseiller"))


def test_unknown_place_gets_closest_matches(servers):
    replies = servers.say(new_sender(), "parle-moi de Rimousky")
    assert "Je ne connais pas" in texts(replies)
    assert "Rimouski" in [b["title"] for r in replies for b in r.get("buttons", [])]


@pytest.mark.parametrize(
    "message",
    [
        "",
        "😀😀😀",
        "<script>alert('x')</script>",
        "Bonjour, I want to move to Sherbrooke avec ma famille, c'est possible?",
        "jveu demenagé a trois riviere mai je sai pa comen",
        "la vie à Rimouski " * 600,
    ],
    ids=["empty", "emoji", "html", "mixed", "misspelled", "10000-chars"],
)
def test_bad_input_always_gets_a_reply(servers, message):
    replies = servers.say(new_sender(), message)
    assert replies, "no reply"
    assert all(r.get("text") for r in replies)
