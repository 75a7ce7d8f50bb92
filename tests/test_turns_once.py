"""A message is handled once, whoever sends it again and whatever Redis does meanwhile
(rasa_components/turns.py, rasa_components/lock_store.py). Seen in the store-restart test:
a Redis restarted during a turn made the lock's release fail after the turn was saved, the
channel answered 503, the front sent the same body to the other replica, and the message
was handled twice."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_components.lock_store import ConversationLockStore
from rasa_components.turns import answer_already_given, handle_once


class MemoryStore:
    def __init__(self, tracker: DialogueStateTracker) -> None:
        self.tracker = tracker

    async def retrieve(self, sender_id: str) -> DialogueStateTracker:
        return self.tracker


class CountingProcessor:
    action_endpoint = None

    def __init__(self) -> None:
        self.handled: list[str] = []

    async def handle_message(self, message: UserMessage) -> list[dict]:
        self.handled.append(message.message_id)
        return [{"recipient_id": message.sender_id, "text": "nouvelle réponse"}]


def answered(sender: str, message_id: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered("bonjour", message_id=message_id))
    tracker.update(BotUttered("Bonjour!", data={"buttons": [{"title": "Menu", "payload": "/help"}]}))
    tracker.update(UserUttered("merci", message_id="later"))
    tracker.update(BotUttered("De rien"))
    return tracker


def test_a_message_already_handled_gets_its_answer_again_without_a_retry_flag():
    sender, message_id = "once-1", uuid.uuid4().hex
    processor = CountingProcessor()
    agent = SimpleNamespace(
        lock_store=InMemoryLockStore(), tracker_store=MemoryStore(answered(sender, message_id)), processor=processor
    )
    # As the front resends it after a 503: the same body, nothing says it is a second try.
    answer = asyncio.run(handle_once(agent, UserMessage("bonjour", sender_id=sender, message_id=message_id)))
    assert answer == [{"recipient_id": sender, "text": "Bonjour!", "buttons": [{"title": "Menu", "payload": "/help"}]}]
    assert processor.handled == []
    fresh = uuid.uuid4().hex
    assert asyncio.run(handle_once(agent, UserMessage("bonjour", sender_id=sender, message_id=fresh)))[0]["text"] == (
        "nouvelle réponse"
    )
    assert processor.handled == [fresh]


def test_only_the_messages_that_followed_that_one_are_its_answer():
    tracker = answered("once-2", "first")
    assert [m["text"] for m in answer_already_given(tracker, "later")] == ["De rien"]
    assert answer_already_given(tracker, "never-sent") is None
    assert answer_already_given(None, "first") is None


def test_the_lock_keeps_a_second_holder_out_until_freed(redis):
    store = ConversationLockStore(url=redis.url, lifetime=5, max_wait=5)
    order: list[str] = []

    async def turn(name: str, hold: float) -> None:
        async with store.lock("conversation-a"):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    async def both() -> None:
        first = asyncio.create_task(turn("first", 0.3))
        await asyncio.sleep(0.05)
        await turn("second", 0)
        await first

    asyncio.run(both())
    assert order == ["first in", "first out", "second in", "second out"]


def test_redis_restarted_during_a_turn_does_not_fail_the_turn(redis):
    store = ConversationLockStore(url=redis.url, lifetime=5, max_wait=5)

    async def turn_across_a_restart() -> str:
        async with store.lock("conversation-b"):
            await asyncio.to_thread(redis.restart)  # the lock is gone with Redis's memory
            return "handled and saved"

    assert asyncio.run(turn_across_a_restart()) == "handled and saved"

    async def next_turn() -> str:
        async with store.lock("conversation-b"):
            return "next"

    assert asyncio.run(next_turn()) == "next"  # and the conversation is free again
