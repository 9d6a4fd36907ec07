"""notification actors (who acted in a grouped row), event SEQUENCE, personal calendar feeds

Revision ID: b4e1c7a9d2f3
Revises: 7d2e4b9a1c36
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = 'b4e1c7a9d2f3'
down_revision = '7d2e4b9a1c36'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_actor',
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_notification_actor_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notification_id'], ['notification.id'], name=op.f('fk_notification_actor_notification_id_notification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notification_id', 'member_id', name=op.f('pk_notification_actor'))
    )
    with op.batch_alter_table('notification_actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_actor_member_id'), ['member_id'], unique=False)
    # Rows stored before: their last actor is the one known.
    op.execute(
        'INSERT INTO notification_actor (notification_id, member_id) '
        'SELECT id, actor_id FROM notification WHERE actor_id IS NOT NULL'
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
    op.create_table('calendar_feed',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_calendar_feed_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )


def downgrade():
    op.drop_table('calendar_feed')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('sequence')
    with op.batch_alter_table('notification_actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_actor_member_id'))
    op.drop_table('notification_actor')
