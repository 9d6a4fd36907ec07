"""post excerpt, stored at save so quotes do not parse whole posts again

Revision ID: b7e41c2d9a10
Revises: d41b7e2a9c15
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e41c2d9a10'
down_revision = 'd41b7e2a9c15'
branch_labels = None
depends_on = None


def upgrade():
    # Older posts keep an empty excerpt; the quote path makes one from the start of the post.
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('excerpt', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_column('excerpt')
