"""sales-pitch rules editable by owners: one row per version; held posts name the version;
invitations remember when their expiry was counted

Revision ID: a7d3c9e2f415
Revises: f3a9c1d7e5b2
Create Date: 2026-11-27 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = 'a7d3c9e2f415'
down_revision = 'f3a9c1d7e5b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pitch_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('pricing_phrases', sa.JSON(), nullable=False),
    sa.Column('call_to_sales_phrases', sa.JSON(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['member.id'], name=op.f('fk_pitch_rules_created_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pitch_rules')),
    sa.UniqueConstraint('version', name=op.f('uq_pitch_rules_version'))
    )
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pitch_rules_version', sa.Integer(), nullable=True))

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expiry_noted_at', community.core.models.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('expiry_noted_at')

    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_column('pitch_rules_version')

    op.drop_table('pitch_rules')
