"""Prefixes on PostgreSQL, as on Whoosh: ``strat*`` stands for the ``PREFIX_WORDS`` lexemes
starting with ``strat`` that most findable documents use (``search_lexeme``), not for every
lexeme it starts (``'strat':*`` reads every one's postings: a three-letter prefix starts
hundreds in a forum of 100,000 posts). Both backends pick the same words (ties in byte order),
so a prefix finds the same documents on either, and costs the same bounded amount whatever
it starts.

The counts are exact after a rebuild; a write adds its new lexemes (counted once) and leaves
the others, as ``search_word`` does for "did you mean", until the next rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text

from community.extensions import db
from community.search.postgres_schema import search_lexeme
from community.search.query import PREFIX_WORDS

_FILL = text(
    """
    INSERT INTO search_lexeme (lexeme, documents)
    SELECT word, ndoc FROM ts_stat(
        'SELECT words FROM search_document WHERE hidden_because = ''''')
    """
)
# Sorted, so two writers adding the same new lexemes lock them in the same order.
_ADD = text(
    """
    INSERT INTO search_lexeme (lexeme, documents)
    SELECT DISTINCT words.lexeme, 1
    FROM search_document AS document, unnest(document.words) AS words
    WHERE document.key = ANY(:keys) AND document.hidden_because = ''
    ORDER BY 1
    ON CONFLICT (lexeme) DO NOTHING
    """
)


def fill_lexemes() -> None:
    """Count every lexeme of the findable documents again (inside a rebuild's transaction)."""
    db.session.execute(search_lexeme.delete())
    db.session.execute(_FILL)


def add_lexemes(keys: Iterable[str]) -> None:
    """Add the new lexemes of documents just written (a lexeme already known keeps its count)."""
    wanted = sorted(set(keys))
    if wanted:
        db.session.execute(_ADD, {"keys": wanted})


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def expand_prefix(prefix: str) -> list[str]:
    """The ``PREFIX_WORDS`` lexemes starting with ``prefix`` (itself a lexeme) that most
    findable documents use; equal counts in byte order, as Whoosh's ``expand_prefix``."""
    lexeme = search_lexeme.c.lexeme
    return list(
        db.session.scalars(
            select(lexeme)
            .where(lexeme.like(_like_prefix(prefix)))
            .order_by(search_lexeme.c.documents.desc(), lexeme.collate("C"))
            .limit(PREFIX_WORDS)
        )
    )
