"""thread participants (kept on write, filled from the posts) and an index per thread-list sort

Revision ID: c8d2f4a6b1e9
Revises: 4f8a2c6e1b3d
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = 'c8d2f4a6b1e9'
down_revision = '4f8a2c6e1b3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thread_participant',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('last_posted_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_thread_participant_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_thread_participant_thread_id_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'member_id', name=op.f('pk_thread_participant'))
    )
    with op.batch_alter_table('thread_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_participant_member_id'), ['member_id'], unique=False)
    # Everyone with a post readers see, as the posting service keeps it from now on.
    op.execute(
        'INSERT INTO thread_participant (thread_id, member_id, last_posted_at) '
        'SELECT thread_id, author_id, MAX(created_at) FROM post '
        "WHERE author_id IS NOT NULL AND deleted_at IS NULL AND held_reason = '' "
        'GROUP BY thread_id, author_id'
    )
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.create_index('ix_thread_community_pinned_activity', ['community_id', 'pinned', 'last_posted_at'], unique=False)
        batch_op.create_index('ix_thread_community_created', ['community_id', 'created_at'], unique=False)
        batch_op.create_index('ix_thread_community_posts', ['community_id', 'post_count', 'last_posted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_community_posts')
        batch_op.drop_index('ix_thread_community_created')
        batch_op.drop_index('ix_thread_community_pinned_activity')
    with op.batch_alter_table('thread_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_participant_member_id'))
    op.drop_table('thread_participant')
