"""PostgreSQL full-text search: search documents with a weighted tsvector under a GIN index

Only on PostgreSQL (COMMUNITY_SEARCH_BACKEND=postgres); SQLite keeps its Whoosh index on disk,
so this migration does nothing there. `community search reindex` fills the table.

Revision ID: 5e7a3c9b1d42
Revises: 5e2b9d4c7a18
Create Date: 2026-11-27 21:50:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import community.core.models


# revision identifiers, used by Alembic.
revision = '5e7a3c9b1d42'
down_revision = '5e2b9d4c7a18'
branch_labels = None
depends_on = None


def _postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.create_table('search_document',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('created_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('min_rank', sa.Integer(), nullable=False),
    sa.Column('hidden_because', sa.String(length=200), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('words', postgresql.TSVECTOR(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('search_document_pkey'))
    )
    op.create_index('ix_search_document_words', 'search_document', ['words'], unique=False, postgresql_using='gin')
    op.create_index('ix_search_document_kind_created_at', 'search_document', ['kind', 'created_at'], unique=False)
    op.create_table('search_index_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('built_at', community.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('search_index_state_pkey'))
    )


def downgrade():
    if not _postgresql():
        return
    op.drop_table('search_index_state')
    op.drop_index('ix_search_document_kind_created_at', table_name='search_document')
    op.drop_index('ix_search_document_words', table_name='search_document')
    op.drop_table('search_document')
