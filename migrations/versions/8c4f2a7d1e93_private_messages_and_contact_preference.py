"""private conversations, introduction requests, reports; each member's contact preference

Revision ID: 8c4f2a7d1e93
Revises: 3c8e5f1a7d20
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = '8c4f2a7d1e93'
down_revision = '3c8e5f1a7d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_preference', sa.String(length=20), server_default='tier_and_above', nullable=False))

    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starter_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.Column('last_message_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['starter_id'], ['member.id'], name=op.f('fk_conversation_starter_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation'))
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_starter_id'), ['starter_id'], unique=False)

    op.create_table('conversation_member',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('left_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('muted', sa.Boolean(), nullable=False),
    sa.Column('last_read_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_member_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_conversation_member_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'member_id', name=op.f('pk_conversation_member'))
    )
    with op.batch_alter_table('conversation_member', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_member_member_left', ['member_id', 'left_at'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_message_author_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_message_conversation_id_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('conversation_id', 'number', name=op.f('uq_message_conversation_id'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_author_id'), ['author_id'], unique=False)

    op.create_table('introduction_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_introduction_request_conversation_id_conversation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['member.id'], name=op.f('fk_introduction_request_recipient_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['member.id'], name=op.f('fk_introduction_request_sender_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introduction_request'))
    )
    with op.batch_alter_table('introduction_request', schema=None) as batch_op:
        batch_op.create_index('uq_introduction_request_pending_pair', ['sender_id', 'recipient_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.create_index('ix_introduction_request_sender_created', ['sender_id', 'created_at'], unique=False)
        batch_op.create_index('ix_introduction_request_recipient_status', ['recipient_id', 'status'], unique=False)

    op.create_table('conversation_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('resolved_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_report_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['member.id'], name=op.f('fk_conversation_report_reporter_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['member.id'], name=op.f('fk_conversation_report_resolved_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_report'))
    )
    with op.batch_alter_table('conversation_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_report_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_report_resolved_at'), ['resolved_at'], unique=False)
        batch_op.create_index('uq_conversation_report_open_reporter', ['conversation_id', 'reporter_id'], unique=True, sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notification_conversation_id_conversation'), 'conversation', ['conversation_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notification_conversation_id_conversation'), type_='foreignkey')
        batch_op.drop_column('conversation_id')

    with op.batch_alter_table('conversation_report', schema=None) as batch_op:
        batch_op.drop_index('uq_conversation_report_open_reporter', sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_conversation_report_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_conversation_report_conversation_id'))
    op.drop_table('conversation_report')

    with op.batch_alter_table('introduction_request', schema=None) as batch_op:
        batch_op.drop_index('ix_introduction_request_recipient_status')
        batch_op.drop_index('ix_introduction_request_sender_created')
        batch_op.drop_index('uq_introduction_request_pending_pair', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
    op.drop_table('introduction_request')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_author_id'))
    op.drop_table('message')

    with op.batch_alter_table('conversation_member', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_member_member_left')
    op.drop_table('conversation_member')

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_starter_id'))
    op.drop_table('conversation')

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('contact_preference')
