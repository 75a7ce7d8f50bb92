"""Law 25: nothing kept before consent. Opening a webinar's link stores no trace of the
person until they say yes to the follow-ups, and a handoff for someone who did not consent
keeps (and shows the counsellors) none of their words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from actions import webinars as webinar_actions
from actions.conversation import ActionDefaultFallback, ActionGreet, ActionRequestCounsellor
from app import webinars
from app.db import session_scope
from app.models import Handoff, Webinar, WebinarAttendee
from bot.counsellors import card_text
from tests.conftest import entity, make_tracker, run_action


def a_webinar() -> str:
    with session_scope() as session:
        start = datetime.now(timezone.utc) - timedelta(hours=1)
        return webinars.create(session, "Vivre en Estrie", ["Estrie"], start, "fr", "Julie", "j@example.org").code


def opens(code: str, sender: str, dispatcher) -> None:
    tracker = make_tracker("/greet", "greet", metadata={"start_payload": f"webinar_{code}"}, sender_id=sender)
    run_action(ActionGreet(), dispatcher, tracker)


def says(code: str, sender: str, choice: str, dispatcher) -> None:
    entities = [entity("choice", choice), entity("webinar_code", code)]
    run_action(
        webinar_actions.ActionWebinarConsent(),
        dispatcher,
        make_tracker("", "webinar_consent", entities, sender_id=sender),
    )


def attendees(code: str) -> list[str]:
    with session_scope() as session:
        webinar = webinars.by_code(session, code)
        return list(session.scalars(select(WebinarAttendee.sender_id).where(WebinarAttendee.webinar_id == webinar.id)))


def opens_counted(code: str) -> int:
    with session_scope() as session:
        return session.scalar(select(Webinar.link_opens).where(Webinar.code == code))


def test_opening_a_webinar_link_stores_no_chat_id_before_a_yes(database_url, dispatcher):
    code = a_webinar()
    opens(code, "7000111", dispatcher)
    assert attendees(code) == [] and opens_counted(code) == 1  # counted, not kept
    says(code, "7000111", "no", dispatcher)
    assert attendees(code) == []
    opens(code, "7000222", dispatcher)
    says(code, "7000222", "yes", dispatcher)
    assert attendees(code) == ["7000222"] and opens_counted(code) == 2


def test_a_forged_consent_for_a_cancelled_webinar_records_nothing(database_url, dispatcher):
    code = a_webinar()
    with session_scope() as session:
        webinars.cancel(session, webinars.by_code(session, code))
    says(code, "7000333", "yes", dispatcher)
    assert attendees(code) == []


def handoff_of(sender: str) -> Handoff:
    with session_scope() as session:
        found = session.scalars(select(Handoff).where(Handoff.sender_id == sender)).one()
        session.expunge(found)
        return found


def test_a_handoff_keeps_the_words_only_of_people_who_consented(database_url, dispatcher):
    refused = make_tracker("je ne comprends rien", "nlu_fallback", sender_id="7000444", slots={"consent": False})
    for earlier in ("???", "hein"):  # two misses before this one: the third hands over
        refused.events[:0] = [{"event": "user", "text": earlier, "parse_data": {"intent": {"name": "nlu_fallback"}}},
                              {"event": "action", "name": "action_default_fallback"}]  # fmt: skip
    run_action(ActionDefaultFallback(), dispatcher, refused)
    kept = handoff_of("7000444")
    assert kept.reason == "fallback" and not kept.last_message
    assert "je ne comprends rien" not in card_text(kept, None, [], None)
    assert "non conservés" in card_text(kept, None, [], None)

    agreed = make_tracker("un conseiller svp", "request_counsellor", sender_id="7000555", slots={"consent": True})
    run_action(ActionRequestCounsellor(), dispatcher, agreed)
    assert handoff_of("7000555").last_message == "un conseiller svp"
