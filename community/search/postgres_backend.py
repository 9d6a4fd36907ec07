"""The shared backend: PostgreSQL full-text search in the app's own database
(``COMMUNITY_SEARCH_BACKEND=postgres``), so every app process on every machine searches one
index, and an index write commits or rolls back with the queued task that made it.

Documents are rows of ``search_document`` (``postgres_schema.py``): title words weighted A and
body words B in one ``tsvector`` under a GIN index. A query is ``websearch_to_tsquery`` (quoted
phrases, ``OR``, ``-word``) with the house's other syntax translated (``NOT``, brackets) and
trailing-``*`` words standing for the lexemes they start that most documents use
(``postgres_prefixes.py``, as Whoosh does). Access is part of the same
WHERE clause as the words, so counts and pages never include what the scope may not find.
Snippets come from ``ts_headline`` on the page's rows only.

Writers (the queue worker) take a shared advisory lock and a rebuild takes it exclusively: a
write that arrives during a rebuild waits for it (or times out and is retried by the queue)
and applies after it, as with Whoosh's single writer, so the rebuild never overwrites it with
older text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Select,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY
from sqlalchemy.exc import DBAPIError

from community.access.search import SearchScope
from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.search import postgres_prefixes, postgres_spelling
from community.search.backend import (
    KINDS,
    Health,
    IndexUnavailable,
    QueryRefused,
    SearchDocument,
    SearchHit,
    SearchPage,
    SearchRequest,
)
from community.search.postgres_schema import TEXT_CONFIG, search_document, search_index_state
from community.search.query import MARKERS
from community.search.snippets import split_marked

OPEN, CLOSE = MARKERS
# Best match ranks this many matches, the newest: enough for fifty pages of twenty, while a
# common word's thousands of matches are counted exactly but never all ranked (ranking
# reads each one's whole tsvector; at 100,000 posts that was most of a search's time).
RANKED_CANDIDATES = 1000
# A search that has not answered by then is cut off with a message, never left to run.
STATEMENT_TIMEOUT_MS = 2000
# How long a queued index write waits for a running rebuild before the queue retries it.
WRITER_LOCK_TIMEOUT = "10s"
# One number for the advisory lock between index writers and a rebuild ("search" in ASCII).
_INDEX_LOCK = 0x736561726368
_HEADLINE_OPTIONS = (
    f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_UPSERT = text(
    """
    INSERT INTO search_document (key, kind, object_id, title, body, label, created_at,
        min_rank, hidden_because, community_id, author_id, words)
    VALUES (:key, :kind, :object_id, :title, :body, :label, :created_at,
        :min_rank, :hidden_because, :community_id, :author_id,
        setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A')
        || setweight(to_tsvector(CAST(:config AS regconfig), :body), 'B'))
    ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, object_id = excluded.object_id,
        title = excluded.title, body = excluded.body, label = excluded.label,
        created_at = excluded.created_at, min_rank = excluded.min_rank,
        hidden_because = excluded.hidden_because, community_id = excluded.community_id,
        author_id = excluded.author_id, words = excluded.words
    """
)
_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
_LEXEME = re.compile(r"'((?:[^']|'')*)'")
# A lexeme no document has (every text is cleaned of the marker characters): what a prefix
# that starts no word stands for, so "zzq* OR budget" still finds the budgets.
_NOTHING = f"'{OPEN}'"


def _clean(value: str) -> str:
    return value.translate({ord(ch): " " for ch in MARKERS})


def _set_local(setting: str, value: str) -> str:
    """Set a PostgreSQL setting for the rest of the transaction; returns what it was, for
    putting it back."""
    previous = db.session.scalar(text("SELECT current_setting(:name)"), {"name": setting})
    db.session.execute(
        text("SELECT set_config(:name, :value, true)"), {"name": setting, "value": value}
    )
    return str(previous)


def _counts_by_kind(*where: Any) -> dict[str, int]:
    """How many documents of each kind meet the conditions (0 for a kind with none)."""
    doc = search_document.c
    rows = db.session.execute(select(doc.kind, func.count()).where(*where).group_by(doc.kind))
    found: dict[str, int] = {row[0]: row[1] for row in rows}
    return {kind: found.get(kind, 0) for kind in KINDS}


def _row(document: SearchDocument) -> dict[str, Any]:
    return {
        "key": document.key,
        "kind": document.kind,
        "object_id": document.object_id,
        "title": _clean(document.title),
        "body": _clean(document.body),
        "label": _clean(document.label),
        "created_at": document.created_at,
        "min_rank": document.min_rank,
        "hidden_because": " ".join(document.hidden_because),
        "community_id": document.community_id,
        "author_id": document.author_id,
        "config": TEXT_CONFIG,
    }


def websearch_text(checked: str) -> tuple[str, list[str]]:
    """A checked query (``query.check_query``) as ``websearch_to_tsquery`` reads it, and the
    words typed with a trailing ``*`` (without it). ``NOT x`` becomes ``-x``; ``AND`` is what
    words do anyway; brackets go (websearch has none: the words inside still count)."""
    parts: list[str] = []
    prefixes: list[str] = []
    negate = False
    for part in _TOKEN.findall(checked):
        if part in ("(", ")", "AND", "ANDMAYBE"):
            continue
        if part in ("NOT", "ANDNOT"):
            negate = True
            continue
        words = part.split() if part.startswith('"') else [part]
        for word in words:
            core = word.strip("\"'")
            if core.endswith("*"):
                prefixes.append(core.rstrip("*"))
        part = part.replace("*", "")
        parts.append(f"-{part}" if negate and part != "OR" else part)
        negate = False
    return " ".join(parts), [word for word in prefixes if word]


def _quoted(lexeme: str) -> str:
    """A lexeme as tsquery text writes it (PostgreSQL's own quoting)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _unquoted(quoted: str) -> str:
    """The lexeme inside a quoted one of tsquery text (``_LEXEME``'s group)."""
    return quoted.replace("''", "'").replace("\\\\", "\\")


def _with_prefixes(query_text: str, prefix_lexemes: set[str]) -> str:
    """The tsquery text with each prefix word's lexeme replaced by the lexemes it stands for
    (``postgres_prefixes``), or by one no document has when it starts none."""
    if not prefix_lexemes:
        return query_text
    expansions: dict[str, str] = {}
    for quoted in prefix_lexemes:
        words = postgres_prefixes.expand_prefix(_unquoted(quoted))
        expansions[quoted] = "( " + " | ".join(map(_quoted, words)) + " )" if words else _NOTHING

    def expand(match: re.Match[str]) -> str:
        whole = match.group(0)
        at = match.end()
        followed = query_text[at : at + 1] == ":"
        return whole if followed else expansions.get(match.group(1), whole)

    return _LEXEME.sub(expand, query_text)


class PostgresBackend:
    name = "postgres"

    # --- Reading -------------------------------------------------------------------------

    def _built(self) -> bool:
        if db.session.scalar(text("SELECT to_regclass('search_index_state') IS NOT NULL")):
            return bool(db.session.scalar(select(func.count()).select_from(search_index_state)))
        return False

    def _tsquery(self, checked: str) -> str:
        """The tsquery, as PostgreSQL's own text of it (lexemes stemmed and quoted)."""
        websearch, prefixes = websearch_text(checked)
        config = cast(literal(TEXT_CONFIG), REGCONFIG)
        columns = [func.websearch_to_tsquery(config, websearch).cast(db.Text)]
        columns += [func.plainto_tsquery(config, word).cast(db.Text) for word in prefixes]
        row = db.session.execute(select(*columns)).one()
        lexemes = {m.group(1) for part in row[1:] for m in _LEXEME.finditer(part)}
        query_text = _with_prefixes(row[0], lexemes)
        if not query_text.strip():
            raise QueryRefused("Those words are too common to search for; add another.")
        return query_text

    def search(self, request: SearchRequest, scope: SearchScope) -> SearchPage:
        if not self._built():
            raise IndexUnavailable("the search index has not been built")
        try:
            with db.session.begin_nested():
                previous = _set_local("statement_timeout", f"{STATEMENT_TIMEOUT_MS}ms")
                page = self._search(request, scope)
                _set_local("statement_timeout", previous)
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == "57014":  # query_canceled
                raise QueryRefused("That search took too long; try more specific words.") from error
            raise
        return page

    def _search(self, request: SearchRequest, scope: SearchScope) -> SearchPage:
        query = self._query(request.text)
        doc = search_document.c
        narrowing = [doc.hidden_because == ""]
        if scope.max_rank is not None:
            narrowing.append(doc.min_rank <= scope.max_rank)
        if request.community_id:
            narrowing.append(doc.community_id == request.community_id)
        if request.author_id:
            narrowing.append(doc.author_id == request.author_id)
        if request.since:
            narrowing.append(doc.created_at >= request.since)
        if request.until:
            narrowing.append(doc.created_at <= request.until)
        where = [doc.words.op("@@")(query), *narrowing]
        counts = _counts_by_kind(*where)
        total = counts.get(request.kind, 0) if request.kind else sum(counts.values())
        last_page = max(1, -(-total // request.per_page))
        number = min(max(1, request.page), last_page)
        hits: list[SearchHit] = []
        correction = None
        if total:
            if request.kind:
                where.append(doc.kind == request.kind)
            hits = self._hits(query, where, request, number)
        else:
            correction = self._correction(request.text, narrowing)
        return SearchPage(hits, total, counts, number, request.per_page, correction)

    def _query(self, checked: str) -> Any:
        return cast(bindparam("query", self._tsquery(checked)), TSQUERY)

    def _correction(self, checked: str, narrowing: list[Any]) -> str | None:
        """A spelling correction, offered only when it finds something the searcher may see:
        the words come from documents of every tier, and a word found only in hidden ones
        would tell of them."""
        corrected = postgres_spelling.suggest(checked)
        if corrected is None:
            return None
        try:
            query = self._query(corrected)
        except QueryRefused:
            return None
        found = db.session.scalar(
            select(func.count()).select_from(
                select(search_document.c.key)
                .where(search_document.c.words.op("@@")(query), *narrowing)
                .limit(1)
                .subquery()
            )
        )
        return corrected if found else None

    def _hits(
        self, query: Any, where: list[Any], request: SearchRequest, number: int
    ) -> list[SearchHit]:
        """One page in the order asked for. Best match ranks only the newest
        ``RANKED_CANDIDATES`` matches; past them, the rest follow newest first, so every match
        still has one place in the pages and the counts stay exact."""
        start = (number - 1) * request.per_page
        stop = start + request.per_page
        if request.sort == "newest":
            return self._page(query, self._newest(where), start, stop)
        hits: list[SearchHit] = []
        if start < RANKED_CANDIDATES:
            ranked = self._ranked(query, where)
            hits += self._page(query, ranked, start, min(stop, RANKED_CANDIDATES))
        if stop > RANKED_CANDIDATES:
            newest = self._newest(where)
            hits += self._page(query, newest, max(start, RANKED_CANDIDATES), stop)
        return hits

    @staticmethod
    def _newest(where: list[Any]) -> Select[Any]:
        doc = search_document.c
        return (
            select(doc.kind, doc.object_id, doc.label, doc.body, doc.created_at, doc.key)
            .add_columns(literal(0.0).label("rank"))
            .where(*where)
            .order_by(doc.created_at.desc(), doc.key)
        )

    @staticmethod
    def _ranked(query: Any, where: list[Any]) -> Select[Any]:
        """The newest matches, ranked: ``ts_rank`` reads a document's whole ``tsvector``, so
        ranking every match of a common word read most of the table on each search."""
        doc = search_document.c
        candidates = (
            select(doc.key)
            .where(*where)
            .order_by(doc.created_at.desc(), doc.key)
            .limit(RANKED_CANDIDATES)
            .subquery()
        )
        rank = func.ts_rank(doc.words, query).label("rank")
        return (
            select(doc.kind, doc.object_id, doc.label, doc.body, doc.created_at, doc.key, rank)
            .join_from(search_document, candidates, candidates.c.key == doc.key)
            .order_by(rank.desc(), doc.created_at.desc(), doc.key)
        )

    @staticmethod
    def _page(query: Any, ordered: Select[Any], start: int, stop: int) -> list[SearchHit]:
        """Rows ``start`` to ``stop`` of an ordered select, with snippets made for them only."""
        page = ordered.limit(stop - start).offset(start).subquery()
        headline = func.ts_headline(
            cast(literal(TEXT_CONFIG), REGCONFIG), page.c.body, query, _HEADLINE_OPTIONS
        )
        rows = db.session.execute(
            select(
                page.c.kind,
                page.c.object_id,
                page.c.label,
                page.c.created_at,
                headline.label("snippet"),
            ).order_by(page.c.rank.desc(), page.c.created_at.desc(), page.c.key)
        )
        return [
            SearchHit(row.kind, row.object_id, row.label, split_marked(row.snippet), row.created_at)
            for row in rows
        ]

    def keys(self, kind: str) -> dict[str, bool]:
        doc = search_document.c
        rows = db.session.execute(
            select(doc.key, case((doc.hidden_because == "", True), else_=False)).where(
                doc.kind == kind
            )
        )
        return {str(row[0]): bool(row[1]) for row in rows}

    def exists(self) -> bool:
        return self._built()

    def health(self) -> Health:
        try:
            with db.session.begin_nested():
                if not self._built():
                    return Health(False, "the search index has not been built")
                counts = _counts_by_kind()
        except DBAPIError as error:
            return Health(False, f"the search tables cannot be read ({type(error.orig).__name__})")
        return Health(True, "ok", counts)

    # --- Writing ---------------------------------------------------------------------------

    def _writer_lock(self) -> None:
        previous = _set_local("lock_timeout", WRITER_LOCK_TIMEOUT)
        db.session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": _INDEX_LOCK})
        _set_local("lock_timeout", previous)

    def _upsert(self, documents: Iterable[SearchDocument]) -> int:
        # Sorted by key, so two writers that touch the same rows lock them in the same order.
        rows = sorted((_row(document) for document in documents), key=lambda row: row["key"])
        if rows:
            db.session.execute(_UPSERT, rows)
        return len(rows)

    def index(self, documents: Iterable[SearchDocument]) -> None:
        self._writer_lock()
        stored = list(documents)
        self._upsert(stored)
        postgres_spelling.add_words(document.key for document in stored)
        postgres_prefixes.add_lexemes(document.key for document in stored)
        commit()

    def delete(self, keys: Iterable[str]) -> None:
        self._writer_lock()
        wanted = sorted(set(keys))
        if wanted:
            db.session.execute(delete(search_document).where(search_document.c.key.in_(wanted)))
        commit()

    def rebuild(self, batches: Iterable[Sequence[SearchDocument]]) -> int:
        """Fill the table again in one transaction: searches read the old rows until it
        commits (DELETE, not TRUNCATE, which would lock readers out); writers wait for it."""
        if not db.session.scalar(text("SELECT to_regclass('search_document') IS NOT NULL")):
            raise IndexUnavailable(
                "the search tables are missing: run `community db upgrade` first"
            )
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INDEX_LOCK})
        db.session.execute(delete(search_document))
        stored = sum(self._upsert(batch) for batch in batches)
        postgres_spelling.fill_words()
        postgres_prefixes.fill_lexemes()
        db.session.execute(delete(search_index_state))
        db.session.execute(
            search_index_state.insert().values(id=1, built_at=utcnow(), documents=stored)
        )
        db.session.execute(text("ANALYZE search_document"))
        commit()
        return stored
