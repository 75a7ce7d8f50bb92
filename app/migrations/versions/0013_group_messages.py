"""handoff cards and relayed messages in the counsellors' group; claimer identity; reply retries; webinar link opens

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('handoffs') as batch:
        batch.add_column(sa.Column('claimed_by_name', sa.String(length=200), nullable=True))
    # Claims made before console and Telegram identities were told apart cannot be trusted:
    # the name is kept for display, and only an admin can act on them.
    op.execute(
        "UPDATE handoffs SET claimed_by_name = claimed_by, claimed_by = 'legacy:' || claimed_by "
        "WHERE claimed_by IS NOT NULL"
    )
    with op.batch_alter_table('counsellor_replies') as batch:
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('webinars') as batch:
        batch.add_column(sa.Column('link_opens', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "UPDATE webinars SET link_opens = "
        "(SELECT count(*) FROM webinar_attendees WHERE webinar_attendees.webinar_id = webinars.id)"
    )
    op.create_table('group_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_group_messages_handoff_id'), 'group_messages', ['handoff_id'], unique=False)
    op.create_index(op.f('ix_group_messages_message_id'), 'group_messages', ['message_id'], unique=False)
    op.create_table('group_deletions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('group_deletions')
    op.drop_index(op.f('ix_group_messages_message_id'), table_name='group_messages')
    op.drop_index(op.f('ix_group_messages_handoff_id'), table_name='group_messages')
    op.drop_table('group_messages')
    with op.batch_alter_table('webinars') as batch:
        batch.drop_column('link_opens')
    with op.batch_alter_table('counsellor_replies') as batch:
        batch.drop_column('failed_at')
        batch.drop_column('next_attempt_at')
        batch.drop_column('attempts')
    with op.batch_alter_table('handoffs') as batch:
        batch.drop_column('claimed_by_name')
