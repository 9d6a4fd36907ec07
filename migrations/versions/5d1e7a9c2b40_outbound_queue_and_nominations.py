"""outbound queue (queued mail and tasks); every nomination recorded for the quota

Revision ID: 5d1e7a9c2b40
Revises: b7e41c2d9a10
Create Date: 2026-11-27 15:55:00.000000

"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = '5d1e7a9c2b40'
down_revision = 'b7e41c2d9a10'
branch_labels = None
depends_on = None


def _queue_columns():
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table('queued_email',
    *_queue_columns(),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=False),
    sa.Column('sent_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queued_email'))
    )
    with op.batch_alter_table('queued_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queued_email_next_attempt_at'), ['next_attempt_at'], unique=False)

    op.create_table('queued_task',
    *_queue_columns(),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('done_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queued_task'))
    )
    with op.batch_alter_table('queued_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queued_task_next_attempt_at'), ['next_attempt_at'], unique=False)

    op.create_table('nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referrer_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['referrer_id'], ['member.id'], name=op.f('fk_nomination_referrer_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination'))
    )
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index('ix_nomination_referrer_id_created_at', ['referrer_id', 'created_at'], unique=False)

    # The quota used to count recorded requests: carry them over, so this month's count holds.
    op.execute(
        "INSERT INTO nomination (referrer_id, email, created_at) "
        "SELECT referrer_id, email, created_at FROM membership_request "
        "WHERE referrer_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index('ix_nomination_referrer_id_created_at')
    op.drop_table('nomination')

    with op.batch_alter_table('queued_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queued_task_next_attempt_at'))
    op.drop_table('queued_task')

    with op.batch_alter_table('queued_email', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queued_email_next_attempt_at'))
    op.drop_table('queued_email')
