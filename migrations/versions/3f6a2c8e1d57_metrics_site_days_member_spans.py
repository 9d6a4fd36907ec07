"""metrics: the council's day (active in the day, week and month; posts) and members' sums over the dashboard's spans of days; an index of the days each member posted

Revision ID: 3f6a2c8e1d57
Revises: b8e4f1a2c7d9
Create Date: 2026-11-28 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f6a2c8e1d57'
down_revision = 'b8e4f1a2c7d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('metric_site_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('members_week', sa.Integer(), nullable=False),
    sa.Column('members_month', sa.Integer(), nullable=False),
    sa.Column('threads', sa.Integer(), nullable=False),
    sa.Column('replies', sa.Integer(), nullable=False),
    sa.Column('posters', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_metric_site_day'))
    )
    op.create_table('metric_member_span',
    sa.Column('first', sa.Date(), nullable=False),
    sa.Column('last', sa.Date(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('threads', sa.Integer(), nullable=False),
    sa.Column('replies', sa.Integer(), nullable=False),
    sa.Column('reactions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_metric_member_span_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('first', 'last', 'member_id', name=op.f('pk_metric_member_span'))
    )
    with op.batch_alter_table('metric_member_day', schema=None) as batch_op:
        batch_op.create_index(
            'ix_metric_member_day_contributed',
            ['member_id', 'day'],
            unique=False,
            postgresql_where=sa.text('threads + replies > 0'),
            sqlite_where=sa.text('threads + replies > 0'),
        )


def downgrade():
    with op.batch_alter_table('metric_member_day', schema=None) as batch_op:
        batch_op.drop_index('ix_metric_member_day_contributed')
    op.drop_table('metric_member_span')
    op.drop_table('metric_site_day')
