"""Webinar follow-up in chat: the greeting in the webinar's context from its link, the
follow-up consent apart from the conversation's, each follow-up, and /stop."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from actions import webinars as actions
from actions.conversation import ActionGreet
from app import candidates, webinars
from app.db import session_scope
from app.models import Candidate, FollowupDelivery
from app.webinars import MONTREAL
from tests.conftest import all_text, entity, make_tracker, run_action, slot_events

_ids = itertools.count(1)
pytestmark = pytest.mark.usefixtures("database_url")
# A Tuesday afternoon in Montréal: what "tomorrow" means does not depend on when the tests run.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=MONTREAL)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(actions, "utcnow", lambda: NOW.astimezone(timezone.utc))


def webinar(
    starts_in: timedelta = timedelta(hours=-2), regions=("Bas-Saint-Laurent",), schedule: dict | None = None
) -> str:
    """A webinar whose start is given in Montréal time, as the console gives it."""
    with session_scope() as session:
        made = webinars.create(
            session, "Vivre au BSL", list(regions), NOW + starts_in, "fr", "Julie", "j@example.org", schedule
        )
        return made.code


def opened(code: str, sender: str, dispatcher, again: bool = False, **slots):
    """The link opened; `again`: a second time in the same conversation."""
    metadata = {"start_payload": f"webinar_{code}"}
    tracker = make_tracker("/greet", "greet", metadata=metadata, sender_id=sender, slots=slots)
    if again:
        tracker.events.insert(0, {"event": "user", "text": "/greet", "metadata": metadata})
    return run_action(ActionGreet(), dispatcher, tracker)


def answer(sender: str, choice: str, dispatcher, code: str) -> list[dict]:
    entities = [entity("choice", choice), entity("webinar_code", code)]
    tracker = make_tracker("/webinar_consent", "webinar_consent", entities, sender_id=sender)
    return run_action(actions.ActionWebinarConsent(), dispatcher, tracker)


def typed(sender: str, words: str, intent: str, dispatcher, **slots) -> list[dict]:
    """A yes or no typed after the greeting's question (the slots the greeting set)."""
    tracker = make_tracker(words, intent, sender_id=sender, slots=slots, latest_action="action_listen")
    return run_action(actions.ActionWebinarConsent(), dispatcher, tracker)


def planned_steps(sender: str) -> list[str]:
    with session_scope() as session:
        attendee = webinars.latest_attendance(session, sender)
        if attendee is None:
            return []
        deliveries = session.query(FollowupDelivery).filter(FollowupDelivery.attendee_id == attendee.id)
        return sorted(d.step for d in deliveries if d.skipped is None)


def consent_recorded(sender: str) -> bool:
    with session_scope() as session:
        candidate = session.get(Candidate, sender)
        return candidate is not None and candidate.consent_given_at is not None


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


def test_a_typed_yes_answers_the_follow_ups_question_not_the_conversation_consent(dispatcher):
    code, sender = webinar(), f"att-{next(_ids)}"
    asked = slot_events(opened(code, sender, dispatcher))
    assert asked == {"yes_no_question": "webinar_followups", "webinar_code": code}
    dispatcher.messages.clear()
    events = slot_events(typed(sender, "oui", "affirm", dispatcher, **asked))
    assert planned_steps(sender) == ["day_after", "month_after", "week_after"]
    assert not consent_recorded(sender)  # the conversation's consent is its own question, asked next
    assert "Je vous écris demain" in all_text(dispatcher) and "Acceptez-vous" in all_text(dispatcher)
    assert events == {"yes_no_question": "conversation_consent"}


def test_a_typed_no_to_the_follow_ups_question_keeps_nothing(dispatcher):
    code, sender = webinar(), f"att-{next(_ids)}"
    asked = slot_events(opened(code, sender, dispatcher))
    typed(sender, "non merci", "deny", dispatcher, **asked)
    assert planned_steps(sender) == [] and not consent_recorded(sender)
    assert "je ne vous écrirai pas" in all_text(dispatcher)


def test_no_conversation_question_is_pending_once_consent_was_given(dispatcher):
    code, sender = webinar(), f"att-{next(_ids)}"
    with session_scope() as session:
        candidates.record_consent(session, sender, "fr")
    entities = [entity("choice", "yes"), entity("webinar_code", code)]
    tracker = make_tracker("/webinar_consent", "webinar_consent", entities, sender_id=sender, slots={"consent": True})
    events = run_action(actions.ActionWebinarConsent(), dispatcher, tracker)
    assert slot_events(events) == {"yes_no_question": None} and "Acceptez-vous" not in all_text(dispatcher)


def test_a_plain_greeting_leaves_no_webinar_question_pending(dispatcher):
    events = run_action(
        ActionGreet(), dispatcher, make_tracker("/greet", "greet", slots={"yes_no_question": "webinar_followups"})
    )
    assert slot_events(events) == {"yes_no_question": None}


@pytest.mark.parametrize(
    ("days", "language", "said"),
    [
        ([1, 7, 30], "fr", "demain, dans une semaine et dans un mois"),
        ([2, 14], "fr", "dans 2 jours et dans 2 semaines"),
        ([0], "fr", "aujourd'hui"),
        ([3, 60, 45], "fr", "dans 3 jours, dans 2 mois et dans 45 jours"),
        ([1, 7, 30], "en", "tomorrow, in a week and in a month"),
        ([0, 21], "en", "today and in 3 weeks"),
        ([], "fr", ""),
    ],
)
def test_the_schedule_is_said_as_it_was_set(days, language, said):
    assert actions.schedule_said(days, language) == said


def test_the_question_and_the_thanks_say_the_counsellors_schedule(dispatcher):
    code, sender = webinar(schedule={"day_after": 2, "week_after": 14}), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    assert "pour la suite : dans 2 jours et dans 2 semaines?" in all_text(dispatcher)
    answer(sender, "yes", dispatcher, code)
    assert "Je vous écris dans 2 jours." in all_text(dispatcher)
    assert "demain" not in all_text(dispatcher) and "un mois" not in all_text(dispatcher)


def test_a_follow_up_the_same_day_is_not_promised_for_tomorrow(dispatcher):
    code, sender = webinar(schedule={"day_after": 0}), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    answer(sender, "yes", dispatcher, code)
    assert "pour la suite : aujourd'hui?" in all_text(dispatcher) and "Je vous écris aujourd'hui." in all_text(
        dispatcher
    )


def test_an_evening_webinar_s_next_day_falls_in_the_night_so_it_comes_in_two_days(dispatcher):
    # 20:30 to 21:30: the next day at 21:30 is in the quiet hours, so the morning after.
    code, sender = webinar(starts_in=timedelta(hours=5, minutes=30)), f"att-{next(_ids)}"
    opened(code, sender, dispatcher)
    assert "dans 2 jours, dans 8 jours et dans 31 jours" in all_text(dispatcher)


def test_no_follow_up_in_the_schedule_asks_only_the_conversation_consent(dispatcher):
    code, sender = webinar(schedule={}), f"att-{next(_ids)}"
    events = opened(code, sender, dispatcher)
    assert "pour la suite" not in all_text(dispatcher) and "Acceptez-vous" in all_text(dispatcher)
    assert slot_events(events) == {"yes_no_question": "conversation_consent"}


def test_a_webinar_starting_in_three_hours_is_announced_not_thanked(dispatcher):
    opened(webinar(starts_in=timedelta(hours=3)), f"att-{next(_ids)}", dispatcher)
    assert "commence mardi 24 novembre à 18 h 00" in all_text(dispatcher)
    assert "Merci d'avoir assisté" not in all_text(dispatcher)


def test_every_follow_up_button_counts_as_an_answer_in_the_funnel():
    regions = ["Bas-Saint-Laurent"]
    intents = {
        b["payload"][1:].split("{")[0] for step in webinars.STEPS for b in actions.followup_buttons(step, regions, "fr")
    }
    assert intents <= webinars.FOLLOWUP_ANSWERS
