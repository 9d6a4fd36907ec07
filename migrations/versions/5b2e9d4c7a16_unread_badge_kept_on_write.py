"""unread badge kept on write; partial indexes on unread rows by subject

Revision ID: 5b2e9d4c7a16
Revises: 5e7a3c9b1d42
Create Date: 2026-11-27 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b2e9d4c7a16'
down_revision = '5e7a3c9b1d42'
branch_labels = None
depends_on = None

SUBJECTS = ('thread_id', 'post_id', 'event_id', 'resource_id', 'conversation_id')


def upgrade():
    # No rows: a member without a badge row is counted from their notifications when next read.
    op.create_table('unread_badge',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('unread', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_unread_badge_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_unread_badge'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        for column in SUBJECTS:
            where = sa.text(f'read_at IS NULL AND {column} IS NOT NULL')
            batch_op.create_index(f'ix_notification_unread_{column}', [column], unique=False, sqlite_where=where, postgresql_where=where)


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        for column in SUBJECTS:
            batch_op.drop_index(f'ix_notification_unread_{column}')
    op.drop_table('unread_badge')
