"""webinar times stored in UTC

SQLite keeps no zone: the console wrote a webinar's start as Montréal wall-clock time,
which was read back as UTC (five hours off, four in summer). Those starts become UTC, and
the follow-ups not sent yet, planned from the wrong start, are planned again. PostgreSQL
kept the zone: nothing to convert there.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 07:00:00
"""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from app.settings import get_settings
from app.webinars import QuietHours, followup_times

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

MONTREAL = ZoneInfo("America/Montreal")
webinars = sa.table(
    "webinars", sa.column("id", sa.Integer), sa.column("starts_at", sa.DateTime), sa.column("schedule", sa.JSON)
)
attendees = sa.table("webinar_attendees", sa.column("id", sa.Integer), sa.column("webinar_id", sa.Integer))
deliveries = sa.table(
    "followup_deliveries",
    sa.column("id", sa.Integer),
    sa.column("attendee_id", sa.Integer),
    sa.column("step", sa.String),
    sa.column("due_at", sa.DateTime),
    sa.column("next_attempt_at", sa.DateTime),
    sa.column("sent_at", sa.DateTime),
    sa.column("skipped", sa.String),
)


def montreal_to_utc(stored: datetime) -> datetime:
    return stored.replace(tzinfo=MONTREAL).astimezone(timezone.utc).replace(tzinfo=None)


def utc_to_montreal(stored: datetime) -> datetime:
    return stored.replace(tzinfo=timezone.utc).astimezone(MONTREAL).replace(tzinfo=None)


def _replan(connection: sa.engine.Connection, webinar_id: int, starts_utc: datetime, schedule: dict) -> None:
    """The follow-ups not sent yet, due again from the right start (as app/webinars.py plans them)."""
    quiet = QuietHours.parse(get_settings().quiet_hours)
    due = followup_times(starts_utc.replace(tzinfo=timezone.utc), schedule, quiet)
    unsent = connection.execute(
        sa.select(deliveries.c.id, deliveries.c.step)
        .join(attendees, attendees.c.id == deliveries.c.attendee_id)
        .where(attendees.c.webinar_id == webinar_id, deliveries.c.sent_at.is_(None), deliveries.c.skipped.is_(None))
    ).all()
    for delivery_id, step in unsent:
        if step in due:
            at = due[step].astimezone(timezone.utc).replace(tzinfo=None)
            connection.execute(
                deliveries.update().where(deliveries.c.id == delivery_id).values(due_at=at, next_attempt_at=at)
            )


def _convert(convert, replan: bool) -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for webinar_id, starts_at, schedule in connection.execute(sa.select(webinars)).all():
        starts = convert(starts_at)
        connection.execute(webinars.update().where(webinars.c.id == webinar_id).values(starts_at=starts))
        if replan:
            _replan(connection, webinar_id, starts, schedule or {})


def upgrade() -> None:
    _convert(montreal_to_utc, replan=True)


def downgrade() -> None:
    _convert(utc_to_montreal, replan=False)
