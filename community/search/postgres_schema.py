"""The PostgreSQL search backend's tables: one row per search document, its words in a
weighted ``tsvector`` under a GIN index, and one row saying the index was built.

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

SEARCH_TABLES = ("search_document", "search_index_state")
