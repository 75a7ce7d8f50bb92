"""Erasure on request (Law 25). The app rows go here; the conversation itself is
deleted by the tracker store once this action has run (app/tracker_store.py)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of
from actions.messages import text
from app import candidates
from app.db import session_scope


class ActionEraseMyData(Action):
    def name(self) -> str:
        return candidates.ERASE_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with session_scope() as session:
            candidates.erase(session, tracker.sender_id)
        dispatcher.utter_message(text=text("data_erased", language_of(tracker)))
        return []
