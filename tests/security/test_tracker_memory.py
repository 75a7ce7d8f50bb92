"""Issue #14, hole 3 (d): conversations without consent live in the Rasa server's memory
only. Anyone can start them and make them grow, so that memory must stay bounded: a total
size (least recently used dropped first) and a size per conversation (one that grows past it
starts again)."""

from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from app import tracker_store
from app.tracker_store import CandidateTrackerStore, UnconsentedConversations
from tests.test_tracker_store import DOMAIN, rows


def test_the_total_size_is_bounded_least_recently_used_first():
    memory = UnconsentedConversations(max_count=1_000, max_bytes=1_000)
    for n in range(3):
        memory.put(f"p{n}", b"x" * 300, events=2)
    memory.get("p0")  # read again: now the most recently used
    memory.put("p3", b"x" * 300, events=2)
    assert memory.total_bytes <= 1_000
    assert "p0" in memory and "p3" in memory and "p1" not in memory


def test_many_conversations_stay_within_the_byte_budget():
    memory = UnconsentedConversations(max_count=1_000_000, max_bytes=50_000)
    for n in range(5_000):
        memory.put(f"visitor-{n}", b"y" * 1_000, events=4)
    assert memory.total_bytes <= 50_000 and len(memory) == 50
    assert "visitor-4999" in memory and "visitor-0" not in memory


@pytest.mark.parametrize(("size", "events"), [(2_001, 10), (100, 51)])
def test_a_conversation_over_its_cap_is_dropped_not_kept_growing(size, events):
    memory = UnconsentedConversations(max_events=50, max_conversation_bytes=2_000)
    memory.put("grower", b"z" * 100, events=10)
    assert not memory.put("grower", b"z" * size, events=events)
    assert "grower" not in memory and memory.total_bytes == 0


def test_the_store_starts_a_runaway_conversation_again(database_url, monkeypatch):
    store = CandidateTrackerStore(domain=DOMAIN)
    monkeypatch.setattr(store, "_unconsented", UnconsentedConversations(max_events=40))
    tracker = DialogueStateTracker.from_events("runaway", [], DOMAIN.slots)
    for n in range(30):  # 60 events: past the cap of 40
        tracker.update(UserUttered(f"message {n} " + "a" * 500))
        tracker.update(BotUttered("réponse"))
        asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("runaway")) is None  # gone from memory; nothing was written either
    assert rows("runaway") == 0 and store._unconsented.total_bytes == 0


def test_the_store_keeps_its_memory_within_the_budget(database_url, monkeypatch):
    store = CandidateTrackerStore(domain=DOMAIN)
    monkeypatch.setattr(store, "_unconsented", UnconsentedConversations(max_bytes=20_000))
    for n in range(100):
        tracker = DialogueStateTracker.from_events(f"visitor-{n}", [UserUttered("b" * 1_000)], DOMAIN.slots)
        asyncio.run(store.save(tracker))
    assert store._unconsented.total_bytes <= 20_000
    assert asyncio.run(store.retrieve("visitor-99")) is not None  # the latest are still answered


def test_the_default_store_is_bounded_by_size(database_url):
    memory = CandidateTrackerStore(domain=DOMAIN)._unconsented
    assert memory.max_bytes == tracker_store.MAX_UNCONSENTED_BYTES
    assert memory.max_conversation_bytes == tracker_store.MAX_CONVERSATION_BYTES
