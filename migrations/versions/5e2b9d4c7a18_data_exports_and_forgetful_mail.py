"""members' data exports; sent mail keeps no content, and the goodbye to a deleted account no address

Revision ID: 5e2b9d4c7a18
Revises: 5b7e9d3c2a10
Create Date: 2026-11-27 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = '5e2b9d4c7a18'
down_revision = '5b7e9d3c2a10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('ready_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', community.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_data_export_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export')),
    sa.UniqueConstraint('key', name=op.f('uq_data_export_key'))
    )
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_export_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('queued_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forget_when_sent', sa.Boolean(), server_default=sa.false(), nullable=False))

    # Mail already sent forgets its content, as the queue now does on sending.
    queued_email = sa.table(
        'queued_email',
        sa.column('subject', sa.Text()),
        sa.column('message', sa.LargeBinary()),
        sa.column('sent_at', community.core.models.UTCDateTime(timezone=True)),
    )
    op.execute(
        queued_email.update()
        .where(queued_email.c.sent_at.is_not(None))
        .values(subject='', message=b'')
    )


def downgrade():
    with op.batch_alter_table('queued_email', schema=None) as batch_op:
        batch_op.drop_column('forget_when_sent')

    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_export_member_id'))

    op.drop_table('data_export')
