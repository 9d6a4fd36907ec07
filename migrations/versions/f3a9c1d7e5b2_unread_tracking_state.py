"""unread tracking state per member: unread threads, unread per community, built markers

Revision ID: f3a9c1d7e5b2
Revises: 5b2e9d4c7a16
Create Date: 2026-11-27 21:40:00.000000

No data is copied: a member without a ``tracking_built`` row is stale, so every member's
state is built from the threads on their first visit after the upgrade (or at once with
``community tracking rebuild``).
"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = 'f3a9c1d7e5b2'
down_revision = '5b2e9d4c7a16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unread_thread',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('last_posted_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('unread', sa.Integer(), nullable=False),
    sa.Column('counted_up_to', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_unread_thread_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_unread_thread_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_unread_thread_thread_id_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'thread_id', name=op.f('pk_unread_thread'))
    )
    with op.batch_alter_table('unread_thread', schema=None) as batch_op:
        batch_op.create_index('ix_unread_thread_member_activity', ['member_id', 'last_posted_at'], unique=False)
        batch_op.create_index('ix_unread_thread_thread_id', ['thread_id'], unique=False)

    op.create_table('unread_community',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('unread', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_unread_community_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_unread_community_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'community_id', name=op.f('pk_unread_community'))
    )
    op.create_table('tracking_built',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('built_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_tracking_built_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_tracking_built'))
    )


def downgrade():
    op.drop_table('tracking_built')
    op.drop_table('unread_community')
    with op.batch_alter_table('unread_thread', schema=None) as batch_op:
        batch_op.drop_index('ix_unread_thread_thread_id')
        batch_op.drop_index('ix_unread_thread_member_activity')

    op.drop_table('unread_thread')
