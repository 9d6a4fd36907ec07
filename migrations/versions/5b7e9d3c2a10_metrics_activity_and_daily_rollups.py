"""metrics: activity events carry their community; daily rollups per member and per object

Revision ID: 5b7e9d3c2a10
Revises: 8c4f2a7d1e93
Create Date: 2026-11-27 21:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e9d3c2a10'
down_revision = '8c4f2a7d1e93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('metric_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('community_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_metric_event_community_id_community'), 'community', ['community_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_metric_event_day_action', ['day', 'action'], unique=False)

    op.create_table('metric_member_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('threads', sa.Integer(), nullable=False),
    sa.Column('replies', sa.Integer(), nullable=False),
    sa.Column('reactions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_metric_member_day_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', 'member_id', name=op.f('pk_metric_member_day'))
    )
    with op.batch_alter_table('metric_member_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metric_member_day_member_id'), ['member_id'], unique=False)

    op.create_table('metric_object_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('object_type', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'object_type', 'object_id', name=op.f('pk_metric_object_day'))
    )


def downgrade():
    op.drop_table('metric_object_day')
    with op.batch_alter_table('metric_member_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_metric_member_day_member_id'))
    op.drop_table('metric_member_day')
    with op.batch_alter_table('metric_event', schema=None) as batch_op:
        batch_op.drop_index('ix_metric_event_day_action')
        batch_op.drop_constraint(batch_op.f('fk_metric_event_community_id_community'), type_='foreignkey')
        batch_op.drop_column('community_id')
