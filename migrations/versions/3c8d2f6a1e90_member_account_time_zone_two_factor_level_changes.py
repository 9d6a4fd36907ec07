"""member account: time zone, two-step sign-in, email changes, level change requests

Revision ID: 3c8d2f6a1e90
Revises: 5d1e7a9c2b40
Create Date: 2026-11-27 19:40:00.000000

Every new member column is nullable: existing members keep following the browser's zone and
sign in with a password alone until they enrol.
"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = '3c8d2f6a1e90'
down_revision = '5d1e7a9c2b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', community.core.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))

    op.create_table('email_change_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('new_email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_email_change_token_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_change_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_change_token_token_hash'))
    )
    with op.batch_alter_table('email_change_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_change_token_member_id'), ['member_id'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_recovery_code_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_member_id'), ['member_id'], unique=False)

    op.create_table('level_change_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('from_level', sa.String(length=20), nullable=False),
    sa.Column('to_level', sa.String(length=20), nullable=False),
    sa.Column('to_tier_id', sa.Integer(), nullable=False),
    sa.Column('policy_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_level_change_request_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_tier_id'], ['tier.id'], name=op.f('fk_level_change_request_to_tier_id_tier')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['member.id'], name=op.f('fk_level_change_request_decided_by_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_level_change_request'))
    )
    with op.batch_alter_table('level_change_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_level_change_request_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_level_change_request_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('level_change_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_level_change_request_status'))
        batch_op.drop_index(batch_op.f('ix_level_change_request_member_id'))
    op.drop_table('level_change_request')

    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_member_id'))
    op.drop_table('recovery_code')

    with op.batch_alter_table('email_change_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_change_token_member_id'))
    op.drop_table('email_change_token')

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('time_zone')
