"""Webinar follow-up in chat: the greeting in the webinar's context from its link, the
follow-up consent apart from the conversation's, each follow-up, and /stop."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from actions import webinars as actions
from actions.conversation import ActionGreet
from app import webinars
from app.db import session_scope
from app.models import FollowupDelivery
from tests.conftest import all_text, entity, make_tracker, run_action

_ids = itertools.count(1)
pytestmark = pytest.mark.usefixtures("database_url")


def webinar(starts_in: timedelta = timedelta(hours=-2), regions=("Bas-Saint-Laurent",)) -> str:
    with session_scope() as session:
        made = webinars.create(
            session,
            "Vivre au BSL",
            list(regions),
            datetime.now(timezone.utc) + starts_in,
            "fr",
            "Julie",
            "j@example.org",
        )
        return made.code


def opened(code: str, sender: str, dispatcher, again: bool = False, **slots):
    """The link opened; `again`: a second time in the same conversation."""
    metadata = {"start_payload": f"webinar_{code}"}
    tracker = make_tracker("/greet", "greet", metadata=metadata, sender_id=sender, slots=slots)
    if again:
        tracker.events.insert(0, {"event": "user", "text": "/greet", "metadata": metadata})
    return run_action(ActionGreet(), dispatcher, tracker)


def answer(sender: str, choice: str, dispatcher, code: str) -> None:
    entities = [entity("choice", choice), entity("webinar_code", code)]
    tracker = make_tracker("/webinar_consent", "webinar_consent", entities, sender_id=sender)
    run_action(actions.ActionWebinarConsent(), dispatcher, tracker)


def test_the_link_greets_in_the_webinars_context_and_asks_for_follow_ups(dispatcher):
    code, sender = webinar(), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    said = all_text(dispatcher)
    assert "Merci d'avoir assisté au webinaire sur Bas-Saint-Laurent" in said
    assert "demain, dans une semaine et dans un mois" in said
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == [
        f'/webinar_consent{{"choice": "yes", "webinar_code": "{code}"}}',
        f'/webinar_consent{{"choice": "no", "webinar_code": "{code}"}}',
    ]


def test_the_same_link_twice_records_one_attendee_and_asks_once(dispatcher):
    code, sender = webinar(), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    answer(sender, "yes", dispatcher, code)
    dispatcher.messages.clear()
    opened(code, sender, dispatcher, again=True)
    assert "demain, dans une semaine" not in all_text(dispatcher)
    with session_scope() as session:
        attendee = webinars.latest_attendance(session, sender)
        assert session.query(FollowupDelivery).filter(FollowupDelivery.attendee_id == attendee.id).count() == 3
        assert webinars.funnel(session, webinars.by_code(session, code))["attendees"] == 1


def test_follow_up_consent_then_the_conversation_consent(dispatcher):
    code, sender = webinar(), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    answer(sender, "no", dispatcher, code)
    said = all_text(dispatcher)
    assert "je ne vous écrirai pas" in said and "Acceptez-vous que nous gardions cette conversation" in said
    with session_scope() as session:
        assert webinars.latest_attendance(session, sender) is None  # a no keeps nothing


def test_a_link_opened_before_the_webinar(dispatcher):
    opened(webinar(starts_in=timedelta(days=2)), f"att-{next(_ids)}", dispatcher)
    assert "commence" in all_text(dispatcher) and "heure de Montréal" in all_text(dispatcher)


def test_unknown_and_cancelled_links_are_said_then_the_usual_greeting(dispatcher):
    opened("nexistepas", f"att-{next(_ids)}", dispatcher)
    assert "Je ne reconnais pas ce lien" in all_text(dispatcher) and "assistant virtuel" in all_text(dispatcher)
    code = webinar()
    with session_scope() as session:
        webinars.cancel(session, webinars.by_code(session, code))
    dispatcher.messages.clear()
    opened(code, f"att-{next(_ids)}", dispatcher)
    assert "a été annulé" in all_text(dispatcher)


def followup(intent: str, code: str, dispatcher, language: str = "fr"):
    tracker = make_tracker("", intent, [entity("webinar_code", code)], slots={"language": language})
    run_action(actions.ActionWebinarFollowup(), dispatcher, tracker)
    return dispatcher.messages[-1]


def test_each_follow_up_says_its_step_with_buttons_and_how_to_stop(dispatcher):
    code = webinar(regions=("Bas-Saint-Laurent", "Gaspésie–Îles-de-la-Madeleine"))
    day = followup("webinar_followup_day", code, dispatcher)
    assert "Qu'avez-vous pensé du webinaire sur Bas-Saint-Laurent et Gaspésie" in day["text"] and "/stop" in day["text"]
    assert day["buttons"][0]["payload"] == '/ask_region_info{"region": "Bas-Saint-Laurent"}'
    week = followup("webinar_followup_week", code, dispatcher)
    assert [b["payload"] for b in week["buttons"]] == ["/start_preparation", "/request_counsellor"]
    month = followup("webinar_followup_month", code, dispatcher, language="en")
    assert month["text"].startswith("Hello! Just checking in")


def test_stop_drops_every_follow_up_not_sent(dispatcher):
    code, sender = webinar(), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    answer(sender, "yes", dispatcher, code)
    run_action(actions.ActionStopFollowups(), dispatcher, make_tracker("stop", "stop_followups", sender_id=sender))
    assert "je ne vous enverrai plus" in all_text(dispatcher)
    with session_scope() as session:
        due = webinars.due_followups(session, datetime.now(timezone.utc) + timedelta(days=60))
        assert sender not in {d.sender_id for d in due}


def test_refusing_to_keep_the_conversation_keeps_the_follow_ups_accepted(dispatcher):
    from actions.conversation import ActionRefuseConsent

    code, sender = webinar(), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    answer(sender, "yes", dispatcher, code)
    run_action(ActionRefuseConsent(), dispatcher, make_tracker("non", "refuse_consent", sender_id=sender))
    with session_scope() as session:
        assert webinars.latest_attendance(session, sender).followups_consent is True
        due = webinars.due_followups(session, datetime.now(timezone.utc) + timedelta(days=60))
        assert sender in {d.sender_id for d in due}
