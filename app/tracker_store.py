"""Rasa's tracker store, on the app's own database (DATABASE_URL).

Law 25 in one place: a conversation is written to the database only once the person
has consented (slot `consent` true). Before that, or after a refusal, it is kept in
this process's memory only, so the assistant can still answer, and it is gone at the
next restart. When the erase action has run, the whole conversation is deleted.

That memory is bounded whatever people send: a number of conversations and a total size
(the least recently used go first), and a size per conversation (one that grows past it is
dropped and starts again, rather than kept growing).

endpoints.yml: `tracker_store: {type: app.tracker_store.CandidateTrackerStore}`.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from app.candidates import ERASE_ACTION
from app.settings import get_settings

logger = logging.getLogger(__name__)

# Conversations without consent kept in memory; the least recently used are dropped past
# these (serialised sizes, in bytes).
MAX_UNCONSENTED = 10_000
MAX_UNCONSENTED_BYTES = 256 * 1024 * 1024
# One such conversation past either is dropped: a long questionnaire stays well under both.
MAX_CONVERSATION_EVENTS = 5_000
MAX_CONVERSATION_BYTES = 2 * 1024 * 1024


def erasure_requested(tracker: DialogueStateTracker) -> bool:
    """Whether the erase action ran in the latest turn (since the last user message)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return True
    return False


class UnconsentedConversations:
    """Serialised conversations kept in memory only, least recently used first out: at most
    `max_count` of them and `max_bytes` in all; one over `max_events` events or
    `max_conversation_bytes` is not kept."""

    def __init__(
        self,
        max_count: int = MAX_UNCONSENTED,
        max_bytes: int = MAX_UNCONSENTED_BYTES,
        max_events: int = MAX_CONVERSATION_EVENTS,
        max_conversation_bytes: int = MAX_CONVERSATION_BYTES,
    ) -> None:
        self.max_count, self.max_bytes = max_count, max_bytes
        self.max_events, self.max_conversation_bytes = max_events, max_conversation_bytes
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._total_bytes = 0

    def __contains__(self, sender_id: str) -> bool:
        return sender_id in self._kept

    @property
    def total_bytes(self) -> int:
        return self._total_bytes

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, sender_id: str) -> bytes | None:
        if sender_id not in self._kept:
            return None
        self._kept.move_to_end(sender_id)
        return self._kept[sender_id]

    def put(self, sender_id: str, serialised: bytes, events: int) -> bool:
        """Keeps the conversation (dropping the least recently used past the limits), or
        drops it when it is over the size of one conversation; says whether it is kept."""
        self.pop(sender_id)
        if events > self.max_events or len(serialised) > self.max_conversation_bytes:
            return False
        self._kept[sender_id] = serialised
        self._total_bytes += len(serialised)
        while len(self._kept) > self.max_count or self._total_bytes > self.max_bytes:
            self.pop(next(iter(self._kept)))
        return True

    def pop(self, sender_id: str) -> None:
        serialised = self._kept.pop(sender_id, None)
        if serialised is not None:
            self._total_bytes -= len(serialised)


# Redis scripts of SharedUnconsentedConversations: each change and its bookkeeping (the
# least-recently-used order, the total size) in one step, whichever replica makes it.
_PUT = """
local key = ARGV[1] .. ARGV[2]
redis.call('DECRBY', KEYS[2], redis.call('STRLEN', key))
redis.call('SET', key, ARGV[3])
redis.call('INCRBY', KEYS[2], string.len(ARGV[3]))
redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[3]), ARGV[2])
while redis.call('ZCARD', KEYS[1]) > tonumber(ARGV[4]) or tonumber(redis.call('GET', KEYS[2])) > tonumber(ARGV[5]) do
  local oldest = redis.call('ZPOPMIN', KEYS[1])[1]
  redis.call('DECRBY', KEYS[2], redis.call('STRLEN', ARGV[1] .. oldest))
  redis.call('DEL', ARGV[1] .. oldest)
end
"""
_GET = """
local kept = redis.call('GET', ARGV[1] .. ARGV[2])
if kept then redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[3]), ARGV[2]) end
return kept
"""
_POP = """
local key = ARGV[1] .. ARGV[2]
redis.call('DECRBY', KEYS[2], redis.call('STRLEN', key))
redis.call('DEL', key)
redis.call('ZREM', KEYS[1], ARGV[2])
"""


class SharedUnconsentedConversations(UnconsentedConversations):
    """The same bounded memory, shared by the Rasa replicas of production mode through
    Redis (run without persistence: nothing reaches a disk), so a person's next message
    may go to any replica. A Redis restart forgets them, as a process restart does."""

    PREFIX = "unconsented:conversation:"
    KEYS = ("unconsented:order", "unconsented:bytes", "unconsented:clock")

    def __init__(self, redis_url: str, **limits: int) -> None:
        import redis  # only production mode needs it

        super().__init__(**limits)
        self._redis = redis.Redis.from_url(redis_url)
        self._put, self._get, self._pop = (self._redis.register_script(s) for s in (_PUT, _GET, _POP))

    def __contains__(self, sender_id: str) -> bool:
        return bool(self._redis.exists(self.PREFIX + sender_id))

    def __len__(self) -> int:
        return int(self._redis.zcard(self.KEYS[0]))

    @property
    def total_bytes(self) -> int:
        return int(self._redis.get(self.KEYS[1]) or 0)

    def get(self, sender_id: str) -> bytes | None:
        return self._get(keys=self.KEYS, args=[self.PREFIX, sender_id])

    def put(self, sender_id: str, serialised: bytes, events: int) -> bool:
        if events > self.max_events or len(serialised) > self.max_conversation_bytes:
            self.pop(sender_id)
            return False
        self._put(keys=self.KEYS, args=[self.PREFIX, sender_id, serialised, self.max_count, self.max_bytes])
        return True

    def pop(self, sender_id: str) -> None:
        self._pop(keys=self.KEYS, args=[self.PREFIX, sender_id])


# The tracker the REST channel read at the start of a turn (rasa_components/turns.py), given
# to the processor's own retrieve once, so that a message costs one read of the store.
_read_for_turn: ContextVar[tuple[str, DialogueStateTracker | None] | None] = ContextVar("read_for_turn", default=None)


@contextmanager
def reused_in_turn(sender_id: str, tracker: DialogueStateTracker | None) -> Iterator[None]:
    """Within the block, the next retrieve of `sender_id` returns `tracker` (None: a new
    conversation) without reading the store; the ones after read it again."""
    token = _read_for_turn.set((sender_id, tracker))
    try:
        yield
    finally:
        _read_for_turn.reset(token)


def unconsented_conversations() -> UnconsentedConversations:
    redis_url = get_settings().redis_url
    return SharedUnconsentedConversations(redis_url) if redis_url else UnconsentedConversations()


class CandidateTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, event_broker: Any = None, **kwargs: Any) -> None:
        # A full URL as `host` is used as it is by SQLTrackerStore.
        kwargs["host"] = get_settings().database_url
        super().__init__(domain=domain, event_broker=event_broker, **kwargs)
        self._unconsented = unconsented_conversations()

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        if erasure_requested(tracker):
            self._unconsented.pop(sender_id)
            self.erase(sender_id)
        elif tracker.get_slot("consent") is True:
            self._unconsented.pop(sender_id)
            await super().save(tracker)
        else:
            if tracker.get_slot("consent") is False:
                self.erase(sender_id)  # consent withdrawn: nothing stays on disk
            serialised = self.serialise_tracker(tracker).encode("utf-8")
            if not self._unconsented.put(sender_id, serialised, len(tracker.events)):
                logger.warning("A conversation without consent grew past its size in memory: it starts again.")

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        read = _read_for_turn.get()
        if read is not None and read[0] == sender_id:
            _read_for_turn.set(None)
            return read[1]
        serialised = self._unconsented.get(sender_id)
        if serialised is not None:
            return self.deserialise_tracker(sender_id, serialised)
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        if conversation_id in self._unconsented:
            return await self.retrieve(conversation_id)
        return await super().retrieve_full_tracker(conversation_id)

    def erase(self, sender_id: str) -> None:
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
