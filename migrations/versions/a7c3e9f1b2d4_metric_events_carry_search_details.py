"""metric events carry a detail and a quantity (a search's words and its result count)

Revision ID: a7c3e9f1b2d4
Revises: 3c8d2f6a1e90
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9f1b2d4'
down_revision = '3c8d2f6a1e90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('metric_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('quantity', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('metric_event', schema=None) as batch_op:
        batch_op.drop_column('quantity')
        batch_op.drop_column('detail')
