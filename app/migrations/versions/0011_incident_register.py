"""Law 25 incident register

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'confidentiality_incidents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('discovered_on', sa.Date(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('whose_data', sa.Text(), nullable=True),
        sa.Column('information_kinds', sa.Text(), nullable=True),
        sa.Column('people_count', sa.Integer(), nullable=False),
        sa.Column('serious_risk', sa.Boolean(), nullable=False),
        sa.Column('risk_assessment', sa.Text(), nullable=True),
        sa.Column('measures', sa.Text(), nullable=True),
        sa.Column('cai_notified_on', sa.Date(), nullable=True),
        sa.Column('people_notified_on', sa.Date(), nullable=True),
        sa.Column('notified_notes', sa.Text(), nullable=True),
        sa.Column('recorded_by', sa.String(length=254), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('confidentiality_incidents')
