"""exactly-once background rounds: claims, attempts and the reason an item was given up

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


# Every background round's table gets a lease (taken_by, taken_until, sending_since) and
# the reason an item was given up (app/rounds.py); some also need attempts and failed_at.
LEASE = ("taken_by", "taken_until", "sending_since")
COLUMNS = {
    "followup_deliveries": (*LEASE, "failed_at", "failure_reason"),
    "counsellor_replies": (*LEASE, "failure_reason"),
    "inbound_messages": (*LEASE, "failed_at", "failure_reason"),
    "handoffs": (*LEASE, "attempts", "next_attempt_at", "failed_at", "failure_reason"),
    "mentor_requests": (*LEASE, "attempts", "next_attempt_at", "failed_at", "failure_reason"),
    "candidates": (*LEASE, "attempts", "next_attempt_at", "failed_at", "failure_reason"),
}


def column(name: str) -> sa.Column:
    if name == "taken_by":
        return sa.Column(name, sa.String(length=80), nullable=True)
    if name == "failure_reason":
        return sa.Column(name, sa.Text(), nullable=True)
    if name == "attempts":
        return sa.Column(name, sa.Integer(), nullable=False, server_default="0")
    return sa.Column(name, sa.DateTime(timezone=True), nullable=True)


def upgrade() -> None:
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.add_column(column(name))
    # What the rounds gave up before this revision keeps being given up.
    op.execute("UPDATE followup_deliveries SET failed_at = next_attempt_at, failure_reason = 'failed' "
               "WHERE skipped = 'failed'")


def downgrade() -> None:
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in reversed(names):
                batch.drop_column(name)
