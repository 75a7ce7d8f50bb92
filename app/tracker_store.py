"""Rasa's tracker store, on the app's own database (DATABASE_URL).

Law 25 in one place: a conversation is written to the database only once the person
has consented (slot `consent` true). Before that, or after a refusal, it is kept in
this process's memory only, so the assistant can still answer, and it is gone at the
next restart. When the erase action has run, the whole conversation is deleted.

endpoints.yml: `tracker_store: {type: app.tracker_store.CandidateTrackerStore}`.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from app.candidates import ERASE_ACTION
from app.settings import get_settings

# Conversations without consent kept in memory; the oldest are dropped past this.
MAX_UNCONSENTED = 10_000


def erasure_requested(tracker: DialogueStateTracker) -> bool:
    """Whether the erase action ran in the latest turn (since the last user message)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return True
    return False


class CandidateTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, event_broker: Any = None, **kwargs: Any) -> None:
        # A full URL as `host` is used as it is by SQLTrackerStore.
        kwargs["host"] = get_settings().database_url
        super().__init__(domain=domain, event_broker=event_broker, **kwargs)
        self._unconsented: OrderedDict[str, str] = OrderedDict()

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        if erasure_requested(tracker):
            self._unconsented.pop(sender_id, None)
            self.erase(sender_id)
        elif tracker.get_slot("consent") is True:
            self._unconsented.pop(sender_id, None)
            await super().save(tracker)
        else:
            if tracker.get_slot("consent") is False:
                self.erase(sender_id)  # consent withdrawn: nothing stays on disk
            self._unconsented[sender_id] = self.serialise_tracker(tracker)
            self._unconsented.move_to_end(sender_id)
            while len(self._unconsented) > MAX_UNCONSENTED:
                self._unconsented.popitem(last=False)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if sender_id in self._unconsented:
            return self.deserialise_tracker(sender_id, self._unconsented[sender_id])
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        if conversation_id in self._unconsented:
            return await self.retrieve(conversation_id)
        return await super().retrieve_full_tracker(conversation_id)

    def erase(self, sender_id: str) -> None:
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
