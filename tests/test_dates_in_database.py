"""Every moment that crosses the database comes back as the same instant, in UTC, on SQLite
(which keeps no zone) and on PostgreSQL (tests/test_postgres.py), on both sides of a
daylight-saving change: webinars, checklists, handoffs, mentors, and the migration that
converts the webinar starts SQLite kept in Montréal time."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, select
from sqlalchemy import text as sql
from sqlalchemy.exc import StatementError

from app import checklists, handoffs, mentors, webinars
from app.db import get_engine, make_engine, session_scope
from app.models import Base, Checklist, Handoff, Mentor, MentorRequest, UtcDateTime, utcnow
from app.settings import ROOT, get_settings
from app.webinars import MONTREAL, QuietHours, followup_times

NIGHT = QuietHours.parse("21:00-09:00")
_ids = itertools.count(1)
# 21:20 in Montréal on either side of each change (8 March and 1 November 2026): EST is
# UTC-5, EDT UTC-4.
EVENINGS = {
    "before spring change (EST)": datetime(2026, 3, 7, 21, 20, tzinfo=MONTREAL),
    "after spring change (EDT)": datetime(2026, 3, 10, 21, 20, tzinfo=MONTREAL),
    "before autumn change (EDT)": datetime(2026, 10, 30, 21, 20, tzinfo=MONTREAL),
    "after autumn change (EST)": datetime(2026, 11, 3, 21, 20, tzinfo=MONTREAL),
}
evenings = pytest.mark.parametrize("evening", EVENINGS.values(), ids=EVENINGS.keys())


def same_moment_in_utc(read: datetime, written: datetime) -> bool:
    return read.tzinfo == timezone.utc and read == written


def test_every_moment_column_is_kept_in_utc():
    plain = [
        f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns if isinstance(c.type, DateTime)
    ]
    assert plain == []  # a plain DateTime would come back from SQLite without its zone
    assert sum(isinstance(c.type, UtcDateTime) for t in Base.metadata.tables.values() for c in t.columns) > 40


@pytest.fixture()
def moments(database_url):
    """A scratch table with one moment column, on the test database."""
    table = Table(
        "moments_under_test", MetaData(), Column("id", Integer, primary_key=True), Column("at", UtcDateTime())
    )
    table.create(get_engine(), checkfirst=True)
    yield table
    table.drop(get_engine())


@evenings
def test_a_montreal_time_comes_back_as_the_same_instant_and_compares_in_sql(moments, evening):
    with get_engine().begin() as connection:
        row_id = connection.execute(moments.insert().values(at=evening)).inserted_primary_key[0]
    with get_engine().connect() as connection:
        read = connection.execute(select(moments.c.at).where(moments.c.id == row_id)).scalar_one()
        # Bounds in Montréal time, a minute either side: SQL compares instants, not wall clocks.
        near = (moments.c.at > evening - timedelta(minutes=1)) & (moments.c.at < evening + timedelta(minutes=1))
        found = connection.execute(select(moments.c.id).where(moments.c.id == row_id, near)).scalar_one_or_none()
    assert same_moment_in_utc(read, evening) and read.astimezone(MONTREAL).strftime("%H:%M") == "21:20"
    assert found == row_id


def test_a_time_without_a_zone_is_refused(moments):
    with pytest.raises(StatementError, match="without a zone"), get_engine().begin() as connection:
        connection.execute(moments.insert().values(at=datetime(2026, 3, 10, 21, 20)))


def new_webinar(starts_at: datetime) -> int:
    with session_scope() as session:
        return webinars.create(session, "Vivre en Estrie", ["Estrie"], starts_at, "fr", "Julie", "j@example.org").id


@evenings
def test_a_webinar_starts_when_the_counsellor_said(database_url, evening):
    webinar_id = new_webinar(evening)
    with session_scope() as session:
        webinar = session.get(webinars.Webinar, webinar_id)
        assert same_moment_in_utc(webinar.starts_at, evening)
        assert webinar.starts_at.astimezone(MONTREAL).strftime("%Y-%m-%d %H:%M") == evening.strftime("%Y-%m-%d %H:%M")
        # Three hours before, the link says the webinar is to come, not that it is over.
        assert webinars.link_state(webinar, evening - timedelta(hours=3)) == "upcoming"
        assert webinars.link_state(webinar, evening + timedelta(hours=1)) == "open"


@evenings
def test_follow_ups_are_planned_from_the_real_start(database_url, evening):
    webinar_id = new_webinar(evening)
    with session_scope() as session:
        person, _ = webinars.join(session, session.get(webinars.Webinar, webinar_id), f"dates-{next(_ids)}")
        webinars.set_followup_consent(session, person, True, NIGHT)
        person_id = person.id
    with session_scope() as session:
        due = {
            d.step: d.due_at
            for d in session.scalars(
                select(webinars.FollowupDelivery).where(webinars.FollowupDelivery.attendee_id == person_id)
            )
        }
    assert due == followup_times(evening, webinars.DEFAULT_SCHEDULE, NIGHT)
    # Ends at 22:20, in the quiet hours: the next-day follow-up comes at 9:00 two days later.
    day_after = due["day_after"].astimezone(MONTREAL)
    assert (day_after.date() - evening.date(), day_after.hour) == (timedelta(days=2), 9)


def test_a_handoff_keeps_when_it_was_opened_and_claimed(database_url):
    before = datetime.now(MONTREAL)
    with session_scope() as session:
        handoff = handoffs.open_handoff(session, f"dates-{next(_ids)}", "asked", "bonjour", "fr")
        handoffs.claim(handoff, handoffs.console_counsellor("c@example.org"), "Claire")
        handoff_id = handoff.id
    after = datetime.now(MONTREAL)
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        assert handoff.opened_at.tzinfo == timezone.utc and handoff.claimed_at.tzinfo == timezone.utc
        assert before <= handoff.opened_at <= handoff.claimed_at <= after
        assert (
            session.scalar(select(Handoff.id).where(Handoff.id == handoff_id, Handoff.opened_at >= before))
            == handoff_id
        )


def test_a_checklist_keeps_its_start_date_and_when_it_changed(database_url):
    sender = f"dates-{next(_ids)}"
    before = utcnow()
    with session_scope() as session:
        checklists.save_for_counsellors(session, sender, checklists.ChecklistState(start_date="2026-03-09"))
    with session_scope() as session:
        checklist = session.get(Checklist, sender)
        assert checklist.start_date == date(2026, 3, 9)
        assert checklist.updated_at.tzinfo == timezone.utc and before <= checklist.updated_at <= utcnow()


@evenings
def test_a_mentor_request_expires_a_week_after_it_was_asked(database_url, evening):
    with session_scope() as session:
        mentor = Mentor(
            first_name="Nadia", municipality="Rimouski", region_code="01", settled_since=date(2024, 5, 1),
            languages=["fr"], topics=["housing"], contact_channel="email", contact_value="n@example.org",
            consent_given_at=evening,
        )  # fmt: skip
        session.add(mentor)
        session.flush()
        request = mentors.request_contact(session, f"dates-{next(_ids)}", mentor.id, "Rimouski", now=evening)
        mentor_id, request_id = mentor.id, request.id
    with session_scope() as session:
        assert same_moment_in_utc(session.get(Mentor, mentor_id).consent_given_at, evening)
        assert same_moment_in_utc(session.get(MentorRequest, request_id).asked_at, evening)
        as_utc = evening.astimezone(timezone.utc)  # a week of elapsed time, not of wall clock, across a change
        assert request_id not in {r.id for r in mentors.expire_unanswered(session, as_utc + timedelta(days=6))}
        assert request_id in {r.id for r in mentors.expire_unanswered(session, as_utc + mentors.ANSWER_WITHIN)}
        session.delete(session.get(MentorRequest, request_id))
        session.delete(session.get(Mentor, mentor_id))


def migrate(url: str, revision: str, downgrade: bool = False) -> None:
    engine = make_engine(url)
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["connection"] = engine  # app/migrations/env.py connects to it
    (command.downgrade if downgrade else command.upgrade)(config, revision)
    engine.dispose()


def test_the_migration_moves_webinar_starts_that_sqlite_kept_in_montreal_time(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'before.db'}"
    migrate(url, "0014")
    evening = EVENINGS["after spring change (EDT)"]
    engine = make_engine(url)
    with engine.begin() as connection:
        # As the console wrote it before: Montréal wall-clock time, the zone dropped by SQLite.
        connection.execute(sql(
            "INSERT INTO webinars (id, code, title, regions, starts_at, language, presenter, schedule, link_opens,"
            " created_by, created_at) VALUES (1, 'abc', 'Estrie', '[]', '2026-03-10 21:20:00.000000', 'fr', '',"
            " '{\"day_after\": 1}', 0, 'j@example.org', '2026-03-01 12:00:00.000000')"
        ))  # fmt: skip
        connection.execute(
            sql(
                "INSERT INTO webinar_attendees (id, webinar_id, sender_id, joined_at)"
                " VALUES (1, 1, 'a', '2026-03-10 12:00:00.000000')"
            )
        )
        connection.execute(sql(
            "INSERT INTO followup_deliveries (id, attendee_id, step, due_at, next_attempt_at, attempts)"
            " VALUES (1, 1, 'day_after', '2026-03-11 22:20:00.000000', '2026-03-11 22:20:00.000000', 0)"
        ))  # fmt: skip
    migrate(url, "0015")
    with engine.connect() as connection:
        starts = connection.execute(sql("SELECT starts_at FROM webinars")).scalar_one()
        due, retry = connection.execute(sql("SELECT due_at, next_attempt_at FROM followup_deliveries")).one()
    assert starts.startswith("2026-03-11 01:20:00")  # 21:20 EDT is 01:20 UTC the next day
    planned = followup_times(evening, {"day_after": 1}, QuietHours.parse(get_settings().quiet_hours))["day_after"]
    assert due.startswith(planned.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")) and retry == due
    migrate(url, "0014", downgrade=True)
    with engine.connect() as connection:
        assert connection.execute(sql("SELECT starts_at FROM webinars")).scalar_one().startswith("2026-03-10 21:20:00")
    engine.dispose()
