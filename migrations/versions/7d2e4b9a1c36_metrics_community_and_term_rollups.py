"""metrics: daily rollups of each community's posts, sentiment mix and thread views, and of post terms; an index for one kind of object over a period

Revision ID: 7d2e4b9a1c36
Revises: a7d3c9e2f415
Create Date: 2026-11-27 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e4b9a1c36'
down_revision = 'a7d3c9e2f415'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('metric_event', schema=None) as batch_op:
        batch_op.create_index('ix_metric_event_type_day', ['object_type', 'day'], unique=False)
    op.create_table('metric_community_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('positive', sa.Integer(), nullable=False),
    sa.Column('neutral', sa.Integer(), nullable=False),
    sa.Column('negative', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_metric_community_day_community_id_community'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', 'community_id', name=op.f('pk_metric_community_day'))
    )
    op.create_table('metric_term_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('term', sa.String(length=30), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'term', name=op.f('pk_metric_term_day'))
    )


def downgrade():
    op.drop_table('metric_term_day')
    op.drop_table('metric_community_day')
    with op.batch_alter_table('metric_event', schema=None) as batch_op:
        batch_op.drop_index('ix_metric_event_type_day')
