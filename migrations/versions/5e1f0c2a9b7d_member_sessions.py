"""member sessions: one record per signed-in browser, so signing out ends it everywhere

Revision ID: 5e1f0c2a9b7d
Revises: ae038ccfcb00
Create Date: 2026-11-28 10:00:00.000000

Cookies from before this revision name no session record, so everyone signs in once more.
"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = '5e1f0c2a9b7d'
down_revision = 'ae038ccfcb00'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_seen_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('browser', sa.String(length=80), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_session_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_session')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_member_session_key_hash'))
    )
    with op.batch_alter_table('member_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_session_member_id'), ['member_id'], unique=False)


def downgrade():
    with op.batch_alter_table('member_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_session_member_id'))

    op.drop_table('member_session')
