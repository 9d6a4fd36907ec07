"""The PostgreSQL search backend's tables: one row per search document, its words in a
weighted ``tsvector`` under a GIN index; one row saying the index was built; the words
findable documents use, as typed (unstemmed), under a trigram index, for "did you mean"; and
their lexemes with document counts, for prefixes.

They live in a metadata of their own, not the models': they exist only on PostgreSQL (the
migration ``5e7a3c9b1d42`` creates nothing on SQLite), and only this backend reads or writes them.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import TSVECTOR

from community.core.models import UTCDateTime

# The text search configuration: English stemming and stop words, for documents and queries.
TEXT_CONFIG = "english"

search_metadata = MetaData()

search_document = Table(
    "search_document",
    search_metadata,
    Column("key", String(40), primary_key=True),  # "kind:id", as SearchDocument.key
    Column("kind", String(16), nullable=False),
    Column("object_id", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("created_at", UTCDateTime(timezone=True), nullable=False),
    Column("min_rank", Integer, nullable=False),
    # Why nobody may find it ("deleted held"); empty when it is findable.
    Column("hidden_because", String(200), nullable=False),
    Column("community_id", Integer, nullable=False),
    Column("author_id", Integer, nullable=False),
    # Title words weighted A, body words B; written with the row by the backend.
    Column("words", TSVECTOR, nullable=False),
    Index("ix_search_document_words", "words", postgresql_using="gin"),
    Index("ix_search_document_kind_created_at", "kind", "created_at"),
)

search_index_state = Table(
    "search_index_state",
    search_metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("built_at", UTCDateTime(timezone=True), nullable=False),
    Column("documents", Integer, nullable=False),
)

# Every word of the findable documents, lowercased but not stemmed (a suggestion must be a
# word a person typed). Filled by a rebuild with document counts; a write adds its new words
# (counted once) and leaves old ones: a word that has gone from every document stays until
# the next rebuild, which is why a suggestion is only offered when it finds something.
search_word = Table(
    "search_word",
    search_metadata,
    Column("word", Text, primary_key=True),
    Column("documents", Integer, nullable=False),
    # pg_trgm's operator class: ``word % :typed`` finds similar words through this index.
    Index(
        "ix_search_word_word_trgm",
        "word",
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
    ),
)

# Every lexeme (stemmed word, as the ``tsvector``s hold them) of the findable documents, with
# how many use it: a prefix stands for the ones found in most documents, as on Whoosh
# (``postgres_prefixes.py``). Kept like ``search_word``: counted by a rebuild, a write adds
# its new lexemes. ``text_pattern_ops`` lets ``LIKE 'prefix%'`` read a range of the index
# whatever the database's collation.
search_lexeme = Table(
    "search_lexeme",
    search_metadata,
    Column("lexeme", Text, primary_key=True),
    Column("documents", Integer, nullable=False),
    Index(
        "ix_search_lexeme_lexeme_pattern",
        "lexeme",
        postgresql_ops={"lexeme": "text_pattern_ops"},
    ),
)

SEARCH_TABLES = ("search_document", "search_index_state", "search_word", "search_lexeme")
