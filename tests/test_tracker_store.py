"""Consent-gated persistence and erasure, on a real SQL tracker store (temp SQLite)."""

from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text as sql

from app.candidates import ERASE_ACTION
from app.db import session_scope
from app.tracker_store import CandidateTrackerStore, erasure_requested

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
slots:
  consent:
    type: bool
    influence_conversation: false
    mappings: [{type: custom}]
"""
)


@pytest.fixture()
def store(database_url: str) -> CandidateTrackerStore:
    return CandidateTrackerStore(domain=DOMAIN)


def conversation(sender: str, *events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, list(events), DOMAIN.slots)


def rows(sender: str) -> int:
    with session_scope() as session:
        return session.execute(sql("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar_one()


def test_nothing_is_written_before_consent_but_the_conversation_goes_on(store):
    tracker = conversation("t-before", UserUttered("bonjour"), BotUttered("Bonjour!"))
    asyncio.run(store.save(tracker))
    assert rows("t-before") == 0
    kept = asyncio.run(store.retrieve("t-before"))
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == ["bonjour"]


def test_consent_writes_the_whole_conversation(store):
    tracker = conversation("t-yes", UserUttered("bonjour"), BotUttered("Bonjour!"), UserUttered("oui"))
    asyncio.run(store.save(tracker))
    tracker.update(SlotSet("consent", True))
    asyncio.run(store.save(tracker))
    assert rows("t-yes") == len(tracker.events)


def test_withdrawn_consent_removes_what_was_written(store):
    tracker = conversation("t-withdraw", UserUttered("oui"), SlotSet("consent", True))
    asyncio.run(store.save(tracker))
    assert rows("t-withdraw") > 0
    tracker.update(SlotSet("consent", False))
    asyncio.run(store.save(tracker))
    assert rows("t-withdraw") == 0


def test_erase_action_deletes_the_conversation(store):
    tracker = conversation("t-erase", UserUttered("oui"), SlotSet("consent", True), BotUttered("ok"))
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("supprimer mes données"))
    tracker.update(ActionExecuted(ERASE_ACTION))
    tracker.update(BotUttered("C'est fait"))
    asyncio.run(store.save(tracker))
    assert rows("t-erase") == 0
    assert asyncio.run(store.retrieve("t-erase")) is None


def test_erasure_is_detected_only_in_the_latest_turn():
    earlier = conversation("x", UserUttered("a"), ActionExecuted(ERASE_ACTION), UserUttered("b"))
    assert not erasure_requested(earlier)
    assert erasure_requested(conversation("x", UserUttered("a"), ActionExecuted(ERASE_ACTION)))
