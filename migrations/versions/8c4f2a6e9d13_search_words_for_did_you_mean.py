"""PostgreSQL search: the words of findable documents under a trigram index, for "did you mean"

Only on PostgreSQL, like the search tables it joins. Creates the pg_trgm extension when the
server has it (Debian's postgresql contrib does; pg_trgm is a trusted extension, so the
database's owner may create it); without it the table is made with no trigram index and
searches offer no suggestion. `community search reindex` fills the table.

Revision ID: 8c4f2a6e9d13
Revises: c8d2f4a6b1e9
Create Date: 2026-11-28 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c4f2a6e9d13'
down_revision = 'c8d2f4a6b1e9'
branch_labels = None
depends_on = None


def _postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def _trigrams():
    """Whether pg_trgm is installed now, creating it if the server has it."""
    bind = op.get_bind()
    available = bind.scalar(sa.text(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')"
    ))
    if available:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    return bool(available)


def upgrade():
    if not _postgresql():
        return
    op.create_table('search_word',
    sa.Column('word', sa.Text(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('search_word_pkey'))
    )
    if _trigrams():
        op.create_index('ix_search_word_word_trgm', 'search_word', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})


def downgrade():
    if not _postgresql():
        return
    # The extension stays: other tables may use it, and it holds no data.
    op.drop_index('ix_search_word_word_trgm', table_name='search_word', if_exists=True)
    op.drop_table('search_word')
