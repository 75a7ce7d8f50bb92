"""Webinar follow-ups (app/webinars.py): the schedule in Montréal time across daylight
saving changes, quiet hours, links, the follow-up consent, /stop, cancellation, one
delivery per attendee and step, and the funnel."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app import handoffs, questionnaire, webinars
from app.db import session_scope
from app.models import FollowupDelivery
from app.webinars import DEFAULT_SCHEDULE, QuietHours, followup_times

MONTREAL = ZoneInfo("America/Montreal")
NIGHT = QuietHours(time(21, 0), time(9, 0))
_ids = itertools.count(1)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=MONTREAL)


def in_montreal(moment: datetime) -> tuple[int, int, int, int, int]:
    at = moment.astimezone(MONTREAL)
    return at.month, at.day, at.hour, at.minute, at.utcoffset() // timedelta(hours=1)


def test_the_next_day_keeps_the_local_time_across_the_spring_change():
    # Saturday 7 March 2026, 18:00 EST; clocks go forward on Sunday the 8th.
    due = followup_times(local(2026, 3, 7, 18, 0), {"day_after": 1}, NIGHT)
    assert in_montreal(due["day_after"]) == (3, 8, 19, 0, -4)  # 19:00 EDT, one hour after the end
    assert due["day_after"] - local(2026, 3, 7, 19, 0) == timedelta(hours=23)


def test_a_week_later_across_the_autumn_change():
    # Thursday 29 October 2026, 12:00 EDT; clocks go back on Sunday 1 November.
    due = followup_times(local(2026, 10, 29, 12, 0), {"week_after": 7}, NIGHT)
    assert in_montreal(due["week_after"]) == (11, 5, 13, 0, -5)


def test_follow_ups_never_fall_in_the_quiet_hours():
    # An evening webinar (20:30-21:30): the next day at 21:30 is at night, so 9:00 the day after.
    due = followup_times(local(2026, 11, 24, 20, 30), DEFAULT_SCHEDULE, NIGHT)
    assert in_montreal(due["day_after"])[:4] == (11, 26, 9, 0)
    assert all(not NIGHT.contains(d.astimezone(MONTREAL).time()) for d in due.values())
    # An early-morning time moves to 9:00 the same morning.
    assert in_montreal(NIGHT.next_allowed(local(2026, 11, 25, 6, 15)))[:4] == (11, 25, 9, 0)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [("21:00-09:00", time(23, 30), time(12, 0)), ("12:00-13:00", time(12, 30), time(13, 0))],
)
def test_quiet_hours_are_configurable(text, inside, outside):
    quiet = QuietHours.parse(text)
    assert quiet.contains(inside) and not quiet.contains(outside)
    assert not QuietHours.parse("").contains(time(3, 0))


def test_a_counsellor_changes_the_schedule_within_bounds():
    assert webinars.valid_schedule({"day_after": "2", "week_after": "", "month_after": 45}) == {
        "day_after": 2,
        "month_after": 45,
    }
    with pytest.raises(ValueError):
        webinars.valid_schedule({"day_after": 400})
    with pytest.raises(ValueError):
        webinars.valid_schedule({"next_year": 1})


def make_webinar(session, starts_at: datetime | None = None) -> webinars.Webinar:
    return webinars.create(
        session, "Le Bas-Saint-Laurent", ["Bas-Saint-Laurent"], starts_at or local(2026, 11, 24, 12, 0), "fr",
        "Julie", "julie@example.org",
    )  # fmt: skip


def test_links_unknown_cancelled_expired_upcoming_open(database_url):
    now = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)
    with session_scope() as session:
        webinar = make_webinar(session)
        assert webinars.code_of_payload(f"webinar_{webinar.code}") == webinar.code
        assert webinars.code_of_payload("autre") is None and webinars.code_of_payload("webinar_") is None
        assert webinars.link_state(None, now) == "unknown"
        assert webinars.link_state(webinar, now) == "open"
        assert webinars.link_state(webinar, now - timedelta(days=1)) == "upcoming"
        assert webinars.link_state(webinar, now + timedelta(days=91)) == "expired"
        webinars.cancel(session, webinar)
        assert webinars.link_state(webinar, now) == "cancelled"


def attendee(session, webinar, consent: bool = True):
    webinars.count_open(session, webinar)
    person, _ = webinars.join(session, webinar, f"attendee-{next(_ids)}")
    webinars.set_followup_consent(session, person, consent, NIGHT)
    return person


def steps_of(session, person) -> dict[str, FollowupDelivery]:
    return {d.step: d for d in session.query(FollowupDelivery).filter(FollowupDelivery.attendee_id == person.id)}


def test_the_same_link_twice_records_nothing_new(database_url):
    with session_scope() as session:
        webinar = make_webinar(session)
        first, new = webinars.join(session, webinar, "twice-1")
        again, new_again = webinars.join(session, webinar, "twice-1")
        assert new and not new_again and first.id == again.id
        webinars.set_followup_consent(session, first, True, NIGHT)
        webinars.set_followup_consent(session, again, True, NIGHT)
        assert sorted(steps_of(session, first)) == ["day_after", "month_after", "week_after"]


def test_follow_ups_only_with_consent_and_never_after_stop(database_url):
    now = local(2026, 12, 30, 12, 0)
    with session_scope() as session:
        webinar = make_webinar(session)
        yes, no, stopped = attendee(session, webinar), attendee(session, webinar, False), attendee(session, webinar)
        assert steps_of(session, no) == {}
        assert webinars.stop(session, stopped.sender_id) == 3
        due = {d.sender_id for d in webinars.due_followups(session, now)}
        assert yes.sender_id in due and no.sender_id not in due and stopped.sender_id not in due


def mine_due(session, person, now: datetime) -> list[webinars.DueFollowup]:
    return [d for d in webinars.due_followups(session, now) if d.sender_id == person.sender_id]


def test_each_step_is_due_once_and_then_done(database_url):
    with session_scope() as session:
        webinar = make_webinar(session)
        person = attendee(session, webinar)
        day_after = steps_of(session, person)["day_after"].due_at
    soon = day_after.replace(tzinfo=timezone.utc) if day_after.tzinfo is None else day_after
    with session_scope() as session:
        assert mine_due(session, person, soon - timedelta(minutes=1)) == []
        mine = mine_due(session, person, soon)
        assert [d.step for d in mine] == ["day_after"] and mine[0].intent == "webinar_followup_day"
        webinars.mark_sent(session, mine[0].delivery_id, soon)
    with session_scope() as session:
        assert [
            d for d in webinars.due_followups(session, soon + timedelta(days=1)) if d.sender_id == person.sender_id
        ] == []


def test_a_failed_send_is_retried_later_outside_quiet_hours(database_url):
    with session_scope() as session:
        webinar = make_webinar(session)
        person = attendee(session, webinar)
        delivery = steps_of(session, person)["day_after"]
        night = local(2026, 11, 25, 20, 59, 30).astimezone(timezone.utc)  # retried in 1 min: 21:00:30
        webinars.mark_failed(session, delivery.id, night, NIGHT)
        retry = delivery.next_attempt_at
        assert delivery.attempts == 1 and in_montreal(retry)[:4] == (11, 26, 9, 0)


def test_cancelling_or_rescheduling_moves_what_is_not_sent(database_url):
    with session_scope() as session:
        webinar = make_webinar(session)
        person = attendee(session, webinar)
        webinar.schedule = {"day_after": 2, "month_after": 30}
        webinars.reschedule(session, webinar, NIGHT)
        steps = steps_of(session, person)
        assert in_montreal(steps["day_after"].due_at)[:3] == (11, 26, 13) and steps["week_after"].skipped == "removed"
        assert webinars.cancel(session, webinar) == 2
        assert mine_due(session, person, local(2027, 1, 1, 12, 0)) == []


def test_the_funnel_counts_each_stage_after_joining(database_url):
    with session_scope() as session:
        webinar = make_webinar(session)
        people = [attendee(session, webinar) for _ in range(4)]
        attendee(session, webinar, consent=False)
        for person in people[:3]:
            steps_of(session, person)["day_after"].sent_at = webinars.utcnow()
        webinars.record_answer(session, people[0].sender_id, webinars.utcnow())
        webinars.record_answer(session, people[1].sender_id, webinars.utcnow())
        questionnaire.save_answer(
            session, people[0].sender_id, questionnaire.theme("family").question("household"), "alone"
        )
        handoffs.open_handoff(session, people[0].sender_id, "asked", "rendez-vous", "fr")
        assert webinars.funnel(session, webinar) == {
            "attendees": 5, "opted_in": 4, "answered": 2, "questionnaire": 1, "counsellor": 1,
        }  # fmt: skip


def test_erasure_removes_attendance_and_follow_ups(database_url):
    with session_scope() as session:
        webinar = make_webinar(session)
        person = attendee(session, webinar)
        assert webinars.erase(session, person.sender_id) == 4
        assert webinars.latest_attendance(session, person.sender_id) is None


@pytest.mark.parametrize(
    ("message", "answers"),
    [
        ("Rimouski m'intéresse", True),
        ('/ask_region_info{"region": "Bas-Saint-Laurent"}', True),
        ("/start_preparation", True),
        ("/request_counsellor", True),
        ("/give_consent", False),
        ("/refuse_consent", False),
        ('/webinar_consent{"choice": "yes", "webinar_code": "abc"}', False),
        ("/stop_followups", False),
        ("/greet", False),
        ("/help", False),
        ("  ", False),
    ],
)
def test_what_counts_as_an_answer_to_a_follow_up(message, answers):
    assert webinars.answers_a_followup(message) is answers


def answered(sender_id: str) -> bool:
    with session_scope() as session:
        return webinars.latest_attendance(session, sender_id).answered_at is not None


def test_a_consent_pressed_after_a_follow_up_is_not_an_answer_what_the_person_chooses_is(database_url):
    from bot.webinars import record_reply

    with session_scope() as session:
        person = attendee(session, make_webinar(session))
        steps_of(session, person)["day_after"].sent_at = webinars.utcnow()
        sender = person.sender_id
    for not_an_answer in ("/give_consent", "/refuse_consent", '/webinar_consent{"choice": "yes"}', "/stop_followups"):
        record_reply(sender, not_an_answer)
        assert not answered(sender), not_an_answer
    record_reply(sender, "/start_preparation")
    assert answered(sender)


def test_a_written_reply_after_a_follow_up_is_an_answer(database_url):
    from bot.webinars import record_reply

    with session_scope() as session:
        person = attendee(session, make_webinar(session))
        sender = person.sender_id
    record_reply(sender, "c'était très intéressant")
    assert not answered(sender)  # nothing was sent yet: not a reply to a follow-up
    with session_scope() as session:
        steps_of(session, webinars.latest_attendance(session, sender))["day_after"].sent_at = webinars.utcnow()
    record_reply(sender, "c'était très intéressant")
    assert answered(sender)
