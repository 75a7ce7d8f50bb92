"""A typed choice handled as a tap, on real Rasa trackers (no servers): the buttons of the
latest turn are read from the tracker, the message becomes the picked button's payload with
the typed words in its metadata, an ambiguous choice is answered with its candidates, and
the turn reads the tracker store once (rasa_components/turns.py, app/tracker_store.py)."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from app import candidates
from app.choices import TYPED_CHOICE
from app.db import session_scope
from app.tracker_store import CandidateTrackerStore
from console.transcripts import turns
from rasa_components.turns import buttons_offered, handle_once, take_typed_choice

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
slots:
  consent: {type: bool, influence_conversation: false, mappings: [{type: custom}]}
  language: {type: text, influence_conversation: false, mappings: [{type: custom}]}
"""
)
MAIN_MENU = [
    {"title": "Découvrir une région", "payload": "/ask_region_info"},
    {"title": "Préparer mon départ", "payload": "/start_preparation"},
]
THEMES = [
    {"title": "☐ Projet et région", "payload": '/choose_theme{"theme": "project"}'},
    {"title": "☐ Emploi", "payload": '/choose_theme{"theme": "employment"}'},
    {"title": "☐ Réseau et vie sociale", "payload": '/choose_theme{"theme": "network"}'},
]
REPORT = [{"title": "Voir mon bilan", "payload": "/show_report"}]
RESSOURCES = [{"title": "☐ Ressources", "payload": '/choose_theme{"theme": "resources"}'}]


def conversation(sender: str = "typing", language: str = "fr", consent: bool = False) -> DialogueStateTracker:
    """The main menu, then "préparer", then the theme menu in two messages (the second
    with the report's button), as the assistant sends them."""
    events = [
        SlotSet("language", language),
        SlotSet("consent", consent),
        BotUttered("Que voulez-vous faire?", {"buttons": MAIN_MENU}),
        UserUttered("/start_preparation"),
        BotUttered("Il y a dix thèmes."),
        BotUttered("Choisissez un thème.", {"buttons": THEMES + RESSOURCES}),
        BotUttered("Ou votre bilan.", {"buttons": REPORT}),
    ]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def test_the_buttons_offered_are_those_of_the_latest_turn_in_the_order_shown():
    assert buttons_offered(conversation()) == THEMES + RESSOURCES + REPORT
    assert buttons_offered(None) == []
    answered = conversation()
    answered.update(UserUttered("merci"))
    assert buttons_offered(answered) == []


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        ("l'emploi", '/choose_theme{"theme": "employment"}'),
        ("2", '/choose_theme{"theme": "employment"}'),
        ("emploie", '/choose_theme{"theme": "employment"}'),
        ("5", "/show_report"),  # numbered across the turn's messages
        ("bilan", "/show_report"),
    ],
)
def test_a_typed_choice_becomes_the_payload_and_keeps_the_words_typed(typed, payload):
    message = UserMessage(typed, sender_id="typing", metadata={"language_code": "fr"})
    assert take_typed_choice(conversation(), message) is None
    assert message.text == payload
    assert message.metadata == {"language_code": "fr", TYPED_CHOICE: typed}


@pytest.mark.parametrize("typed", ["est-ce que l'emploi est facile à trouver?", "Rimouski", "9", "/help"])
def test_what_is_not_a_choice_is_left_as_typed(typed):
    message = UserMessage(typed, sender_id="typing")
    assert take_typed_choice(conversation(), message) is None
    assert message.text == typed and not message.metadata


def test_digits_without_buttons_offered_are_left_to_the_understanding():
    """The letterless guard still says that only words are understood."""
    tracker = DialogueStateTracker.from_events("typing", [UserUttered("bonjour"), BotUttered("Bonjour!")])
    for candidate_tracker in (tracker, None):
        message = UserMessage("2", sender_id="typing")
        assert take_typed_choice(candidate_tracker, message) is None
        assert message.text == "2"


@pytest.mark.parametrize(
    ("language", "question"),
    [("fr", "Lequel voulez-vous dire?"), ("en", "Which one do you mean?")],
)
def test_an_ambiguous_choice_is_answered_with_its_candidates_and_their_numbers(language, question):
    message = UserMessage("res", sender_id="typing")
    answer = take_typed_choice(conversation(language=language), message)
    assert message.text == "res"  # not handled: nothing of it is kept
    assert answer is not None and len(answer) == 1
    assert answer[0]["recipient_id"] == "typing"
    lines = answer[0]["text"].splitlines()
    assert lines[0].startswith(question)
    assert lines[1:] == ["3. ☐ Réseau et vie sociale", "4. ☐ Ressources"]
    assert [b["payload"] for b in answer[0]["buttons"]] == [THEMES[2]["payload"], RESSOURCES[0]["payload"]]


# --- the whole step in handle_once, with the real tracker store ---------------------------


class RecordingProcessor:
    """Rasa's processor as far as handle_once sees it: it reads the tracker from the store,
    as MessageProcessor.log_message does, and records what it was given."""

    def __init__(self, store: FailSafeTrackerStore) -> None:
        self.tracker_store, self.action_endpoint = store, None
        self.handled: list[tuple[str, dict, DialogueStateTracker]] = []

    async def handle_message(self, message: UserMessage) -> list[dict]:
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        self.handled.append((message.text, dict(message.metadata or {}), tracker))
        return [{"recipient_id": message.sender_id, "text": "handled"}]


@pytest.fixture()
def store(database_url: str) -> FailSafeTrackerStore:
    return FailSafeTrackerStore(CandidateTrackerStore(domain=DOMAIN))


@pytest.fixture()
def reads(monkeypatch) -> list[str]:
    """Each read of the database by the tracker store."""
    done: list[str] = []
    original = SQLTrackerStore.retrieve

    async def counted(self, sender_id):
        done.append(sender_id)
        return await original(self, sender_id)

    monkeypatch.setattr(SQLTrackerStore, "retrieve", counted)
    return done


def agent_with(store: FailSafeTrackerStore) -> SimpleNamespace:
    return SimpleNamespace(lock_store=InMemoryLockStore(), tracker_store=store, processor=RecordingProcessor(store))


def test_handle_once_rewrites_the_typed_choice_and_reads_the_store_once(store, reads):
    sender = f"typing-{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(conversation(sender, consent=True)))  # consented: kept in the database
    agent = agent_with(store)
    answer = asyncio.run(handle_once(agent, UserMessage("l'emploi", sender_id=sender)))
    assert answer == [{"recipient_id": sender, "text": "handled"}]
    [(text, metadata, tracker)] = agent.processor.handled
    assert text == '/choose_theme{"theme": "employment"}' and metadata == {TYPED_CHOICE: "l'emploi"}
    assert buttons_offered(tracker) == THEMES + RESSOURCES + REPORT  # the tracker of the conversation
    assert reads == [sender]  # read once for the whole turn

    async def read_again() -> DialogueStateTracker | None:
        return await store.retrieve(sender)

    assert asyncio.run(read_again()) is not None and reads == [sender, sender]  # outside a turn: the store


def test_handle_once_answers_an_ambiguous_choice_without_handling_the_turn(store, reads):
    sender = f"typing-{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(conversation(sender, consent=True)))
    agent = agent_with(store)
    answer = asyncio.run(handle_once(agent, UserMessage("res", sender_id=sender)))
    assert "Lequel" in answer[0]["text"] and len(answer[0]["buttons"]) == 2
    assert agent.processor.handled == []
    assert reads == [sender]


def test_a_new_conversation_is_read_once_too(store, reads):
    sender = f"typing-{uuid.uuid4().hex[:8]}"
    agent = agent_with(store)
    asyncio.run(handle_once(agent, UserMessage("2", sender_id=sender)))
    [(text, _, tracker)] = agent.processor.handled
    assert text == "2" and tracker.sender_id == sender
    assert reads == [sender]


def test_the_transcript_and_the_persons_copy_show_what_was_typed(store):
    sender = f"typing-{uuid.uuid4().hex[:8]}"
    tracker = conversation(sender, consent=True)
    tracker.update(UserUttered('/choose_theme{"theme": "employment"}', metadata={TYPED_CHOICE: "l'emploi"}))
    asyncio.run(store.save(tracker))
    with session_scope() as session:
        said = [t.text for t in turns(session, sender) if t.speaker == "user"]
        copy = candidates.export_about(session, sender)
    assert said == ["/start_preparation", "l'emploi"]  # a tap shows its payload, a typed choice its words
    assert [m["text"] for m in copy["conversation"] if m["from"] == "you"] == said
