"""PostgreSQL search: the lexemes of findable documents with how many use each, so a prefix
stands for its most used ones, as on Whoosh

Only on PostgreSQL, like the search tables it reads. Filled here from the documents already
indexed, so prefixes keep working without a reindex; `community search reindex` counts again.

Revision ID: 4b9e2d7c1a63
Revises: 9e3b7c1d5a24
Create Date: 2026-11-29 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b9e2d7c1a63'
down_revision = '9e3b7c1d5a24'
branch_labels = None
depends_on = None


def _postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.create_table('search_lexeme',
    sa.Column('lexeme', sa.Text(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('lexeme', name=op.f('search_lexeme_pkey'))
    )
    op.create_index('ix_search_lexeme_lexeme_pattern', 'search_lexeme', ['lexeme'], unique=False, postgresql_ops={'lexeme': 'text_pattern_ops'})
    op.execute(
        "INSERT INTO search_lexeme (lexeme, documents) "
        "SELECT word, ndoc FROM ts_stat("
        "'SELECT words FROM search_document WHERE hidden_because = ''''')"
    )


def downgrade():
    if not _postgresql():
        return
    op.drop_index('ix_search_lexeme_lexeme_pattern', table_name='search_lexeme')
    op.drop_table('search_lexeme')
