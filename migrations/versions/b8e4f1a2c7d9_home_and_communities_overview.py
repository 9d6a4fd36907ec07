"""home and communities overview: community.last_thread_id, community_activity, unread_thread.in_library, thread waiting-assignee index

Revision ID: b8e4f1a2c7d9
Revises: b4e1c7a9d2f3
Create Date: 2026-11-28 01:00:00.000000

Existing unread rows learn whether they are library discussions from their community; each
community's latest thread is the newest one every reader sees. Activity counts start at the
upgrade (the week fills in over seven days).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4f1a2c7d9'
down_revision = 'b4e1c7a9d2f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_assignee_id')
        batch_op.create_index('ix_thread_assignee_waiting', ['assignee_id', 'needs_response'], unique=False)

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_thread_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_community_last_thread_id_thread'), 'thread', ['last_thread_id'], ['id'], ondelete='SET NULL')

    op.create_table('community_activity',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('threads', sa.Integer(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_activity_community_id_community'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', 'community_id', name=op.f('pk_community_activity'))
    )

    with op.batch_alter_table('unread_thread', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_library', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_unread_thread_member_library', ['member_id', 'in_library', 'last_posted_at'], unique=False)

    op.execute(
        "UPDATE unread_thread SET in_library = true "
        "WHERE community_id IN (SELECT id FROM community WHERE category = 'Library')"
    )
    op.execute(
        "UPDATE community SET last_thread_id = ("
        "SELECT thread.id FROM thread WHERE thread.community_id = community.id "
        "AND thread.deleted_at IS NULL AND thread.held_reason = '' "
        "ORDER BY thread.last_posted_at DESC, thread.id DESC LIMIT 1)"
    )


def downgrade():
    with op.batch_alter_table('unread_thread', schema=None) as batch_op:
        batch_op.drop_index('ix_unread_thread_member_library')
        batch_op.drop_column('in_library')

    op.drop_table('community_activity')

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_community_last_thread_id_thread'), type_='foreignkey')
        batch_op.drop_column('last_thread_id')

    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_assignee_waiting')
        batch_op.create_index('ix_thread_assignee_id', ['assignee_id'], unique=False)
