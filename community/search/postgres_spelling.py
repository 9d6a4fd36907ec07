"""'Did you mean' on PostgreSQL: the words of the findable documents as typed (``search_word``,
unstemmed), and pg_trgm's similarity to pick, for a word no document uses, the closest one
that many do.

The migration creates the pg_trgm extension where the server has it (Debian's postgresql
contrib ships it); without it, searches offer no suggestion and nothing else changes. The
words come from documents of every tier, so the backend offers a correction only when the
corrected query finds something the searcher may see, exactly as the Whoosh backend does.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, text

from community.extensions import db
from community.search.postgres_schema import search_word
from community.search.query import correctable_words, replace_words

# Longer "words" are links, codes and glued text, never misspellings worth suggesting; they
# stay out of the lexicon, which keeps it and its trigram index small.
MAX_WORD_CHARS = 32
# How alike a word must be to what was typed (pg_trgm's share of common trigrams, 0 to 1).
# pg_trgm's own default for ``%``: "budgett" ~ "budget" is 0.67, unrelated words under 0.2.
MIN_SIMILARITY = 0.3

_FILL = text(
    """
    INSERT INTO search_word (word, documents)
    SELECT word, ndoc FROM ts_stat(
        'SELECT to_tsvector(''simple'', title || '' '' || body) FROM search_document
         WHERE hidden_because = ''''')
    WHERE length(word) <= :longest
    """
)
# Sorted, so two writers adding the same new words lock them in the same order.
_ADD = text(
    """
    INSERT INTO search_word (word, documents)
    SELECT DISTINCT words.lexeme, 1
    FROM search_document AS document,
        unnest(to_tsvector('simple', document.title || ' ' || document.body)) AS words
    WHERE document.key = ANY(:keys) AND document.hidden_because = ''
        AND length(words.lexeme) <= :longest
    ORDER BY 1
    ON CONFLICT (word) DO NOTHING
    """
)


def fill_words() -> None:
    """Count every word of the findable documents again (inside a rebuild's transaction)."""
    db.session.execute(search_word.delete())
    db.session.execute(_FILL, {"longest": MAX_WORD_CHARS})


def add_words(keys: Iterable[str]) -> None:
    """Add the new words of documents just written (a word already known keeps its count)."""
    wanted = sorted(set(keys))
    if wanted:
        db.session.execute(_ADD, {"keys": wanted, "longest": MAX_WORD_CHARS})


def _trigrams_available() -> bool:
    return bool(
        db.session.scalar(
            text("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
        )
    )


def suggest(checked: str) -> str | None:
    """The query with each word no findable document uses replaced by the most similar word
    many do; None when no word changes (or pg_trgm is not installed)."""
    words = correctable_words(checked)
    if not words or not _trigrams_available():
        return None
    word = search_word.c.word
    replacements: dict[str, str] = {}
    for typed in sorted(words):
        similarity = func.similarity(word, typed)
        best = db.session.scalar(
            select(word)
            .where(word.op("%")(typed), similarity >= MIN_SIMILARITY)
            .order_by((word == typed).desc(), similarity.desc(), search_word.c.documents.desc())
            .limit(1)
        )
        if best is not None and best != typed:
            replacements[typed] = best
    return replace_words(checked, replacements) if replacements else None
