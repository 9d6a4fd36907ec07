"""member profiles: bio, directory visibility, photo, interests the directory filters on,
and an index for a member's recent posts

Revision ID: 3c8e5f1a7d20
Revises: a7c3e9f1b2d4
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c8e5f1a7d20'
down_revision = 'a7c3e9f1b2d4'
branch_labels = None
depends_on = None


def upgrade():
    # Existing members start with an empty profile, listed to all members.
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bio', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('directory_visibility', sa.String(length=20), server_default='all', nullable=False))
        batch_op.add_column(sa.Column('photo', sa.String(length=80), server_default='', nullable=False))

    op.create_table('member_interest',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_interest_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'tag', name=op.f('pk_member_interest'))
    )
    with op.batch_alter_table('member_interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_interest_tag'), ['tag'], unique=False)

    # A member's recent posts and reactions received, on their profile page.
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index('ix_post_author_created', ['author_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_author_created')

    with op.batch_alter_table('member_interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_interest_tag'))

    op.drop_table('member_interest')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('photo')
        batch_op.drop_column('directory_visibility')
        batch_op.drop_column('bio')
