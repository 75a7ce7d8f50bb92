"""Issue #14, hole 3 (e): a conversation from the webinars' public web chat cannot receive a
counsellor's answer, so it must never open a handoff (the bridge would then try, forever, to
send Telegram messages to a `web-…` sender). The person is told plainly and given the team's
contact instead; on distress, the advice to call the emergency services still comes first. Telegram is unchanged."""

from __future__ import annotations

import dataclasses
from itertools import count
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import conversation
from actions.checklist import ActionSendLiaisonNote
from actions.conversation import ActionDefaultFallback, ActionRequestCounsellor
from app.checklists import ChecklistState
from app.models import Handoff, LiaisonNote
from app.settings import get_settings
from tests.conftest import all_text, make_tracker, run_action

WEB = {"channel": "web"}
NO_COUNSELLOR = "ne peut pas vous répondre dans ce clavardage web"
_numbers = count()


def web_sender() -> str:
    return f"web-{next(_numbers):016x}"


def handoffs_of(session, sender: str) -> list[Handoff]:
    return list(session.scalars(select(Handoff).where(Handoff.sender_id == sender)))


def repeated_misunderstanding(sender: str, metadata: dict[str, Any]) -> Tracker:
    """A tracker whose latest three messages were none understood: a handoff on Telegram."""
    tracker = make_tracker("zzz qwx", "nlu_fallback", sender_id=sender, metadata=metadata, confidence=0.2)
    for text in ("xyz", "abc"):
        earlier = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.2}, "entities": []}
        tracker.events[:0] = [{"event": "user", "text": text, "parse_data": earlier, "metadata": metadata},
                              {"event": "action", "name": "action_default_fallback"}]  # fmt: skip
    return tracker


@pytest.fixture()
def contact(monkeypatch) -> str:
    """The organisation's contact as an administrator would set it (ORGANISATION_CONTACT_FR)."""
    value = "Service de régionalisation, du lundi au vendredi (coordonnées de test)"
    settings = dataclasses.replace(get_settings(), organisation_contact_fr=value)
    monkeypatch.setattr(conversation, "get_settings", lambda: settings)
    return value


def test_a_web_request_for_a_counsellor_opens_no_handoff(database_url, session, dispatcher, contact):
    sender = web_sender()
    tracker = make_tracker("je veux parler à un conseiller", "request_counsellor", sender_id=sender, metadata=WEB)
    events = run_action(ActionRequestCounsellor(), dispatcher, tracker)
    assert handoffs_of(session, sender) == []
    assert events == []  # the assistant is not paused: it goes on answering
    assert NO_COUNSELLOR in all_text(dispatcher) and contact in all_text(dispatcher)


def test_repeated_web_misunderstandings_open_no_handoff(database_url, session, dispatcher, contact):
    sender = web_sender()
    events = run_action(ActionDefaultFallback(), dispatcher, repeated_misunderstanding(sender, WEB))
    assert handoffs_of(session, sender) == [] and events == []
    assert NO_COUNSELLOR in all_text(dispatcher) and contact in all_text(dispatcher)


def test_web_distress_opens_no_handoff_but_points_to_the_emergency_services(database_url, session, dispatcher, contact):
    sender = web_sender()
    tracker = make_tracker("je suis désespéré", "distress", sender_id=sender, metadata=WEB)
    events = run_action(ActionRequestCounsellor(), dispatcher, tracker)
    assert handoffs_of(session, sender) == [] and events == []
    assert "services d'urgence" in dispatcher.messages[0]["text"]
    assert NO_COUNSELLOR in all_text(dispatcher) and contact in all_text(dispatcher)


def test_a_web_liaison_note_is_neither_stored_nor_handed_over(database_url, session, dispatcher, contact):
    sender = web_sender()
    slots = {"checklist": ChecklistState("2099-01-05", "Rimouski", "Bas-Saint-Laurent", {}).to_slot()}
    run_action(
        ActionSendLiaisonNote(), dispatcher, make_tracker("oui", "affirm", slots=slots, sender_id=sender, metadata=WEB)
    )
    assert handoffs_of(session, sender) == []
    assert session.query(LiaisonNote).filter_by(sender_id=sender).count() == 0
    assert "clavardage web" in all_text(dispatcher) and contact in all_text(dispatcher)


def test_without_a_contact_the_web_chat_points_to_telegram(database_url, monkeypatch):
    settings = dataclasses.replace(
        get_settings(), organisation_contact_fr="", telegram_bot_username="AssistantRegionsBot"
    )
    monkeypatch.setattr(conversation, "get_settings", lambda: settings)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("un conseiller svp", "request_counsellor", sender_id=web_sender(), metadata=WEB)
    run_action(ActionRequestCounsellor(), dispatcher, tracker)
    assert "https://t.me/AssistantRegionsBot" in all_text(dispatcher)


@pytest.mark.parametrize("reason", ["asked", "distress", "fallback"])
def test_telegram_still_hands_over(database_url, session, dispatcher, reason):
    sender = f"{7_000_000 + next(_numbers)}"
    telegram = {"language_code": "fr"}
    if reason == "fallback":
        events = run_action(ActionDefaultFallback(), dispatcher, repeated_misunderstanding(sender, telegram))
    else:
        intent = "distress" if reason == "distress" else "request_counsellor"
        tracker = make_tracker("aidez-moi", intent, sender_id=sender, metadata=telegram)
        events = run_action(ActionRequestCounsellor(), dispatcher, tracker)
    assert [h.reason for h in handoffs_of(session, sender)] == [reason]
    assert events[-1]["event"] == "pause"
