"""post images: pictures pasted into the composer, the uploader's until a post shows them

Revision ID: 4f8a2c6e1b3d
Revises: 3f6a2c8e1d57
Create Date: 2026-11-28 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = '4f8a2c6e1b3d'
down_revision = '3f6a2c8e1d57'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('post_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('extension', sa.String(length=4), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_image_post_id_post'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploader_id'], ['member.id'], name=op.f('fk_post_image_uploader_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_image')),
    sa.UniqueConstraint('key', name=op.f('uq_post_image_key'))
    )
    with op.batch_alter_table('post_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_image_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_post_image_uploader_created', ['uploader_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('post_image', schema=None) as batch_op:
        batch_op.drop_index('ix_post_image_uploader_created')
        batch_op.drop_index(batch_op.f('ix_post_image_post_id'))
    op.drop_table('post_image')
