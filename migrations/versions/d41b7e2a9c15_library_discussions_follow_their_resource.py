"""library discussions follow their resource: thread.resource_id

Revision ID: d41b7e2a9c15
Revises: 5e1f0c2a9b7d
Create Date: 2026-11-28 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41b7e2a9c15'
down_revision = '5e1f0c2a9b7d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resource_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_thread_resource_id'), ['resource_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_thread_resource_id_resource'), 'resource', ['resource_id'], ['id'], ondelete='SET NULL')

    # Every existing discussion belongs to the resource that points at it.
    op.execute(
        "UPDATE thread SET resource_id = "
        "(SELECT resource.id FROM resource WHERE resource.thread_id = thread.id) "
        "WHERE id IN (SELECT thread_id FROM resource WHERE thread_id IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_thread_resource_id_resource'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_thread_resource_id'))
        batch_op.drop_column('resource_id')
