"""The embedded backend: a Whoosh index on disk (``SEARCH_INDEX_PATH``, under instance/).

Measured habits (../shared/STACK.md): one searcher per process, kept until the index
changes; access filters as cached sets of document numbers per scope,
rebuilt only when the searcher refreshes (a filter given as a query costs three times as
much); one writer at a time (``writer(timeout=...)``; the queue worker is the only one in
practice), and never ``optimize`` in a request.
"""

from __future__ import annotations

import heapq
import logging
import os
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from whoosh import index, qparser
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, Formatter, get_text
from whoosh.query import And, DateRange, NullQuery, Prefix, Query, Term
from whoosh.query import NumericRange as Range
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

from community.access.search import SearchScope
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
from community.search.query import MARKERS, PREFIX_WORDS
from community.search.snippets import leading_snippet, split_marked

log = logging.getLogger(__name__)

WRITER_TIMEOUT_SECONDS = 10.0
FINDABLE = "findable"
OPEN, CLOSE = MARKERS


def make_schema() -> Schema:
    text = StemmingAnalyzer()
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        object_id=STORED(),
        title=TEXT(analyzer=text, stored=True, spelling=True, field_boost=2.0),
        body=TEXT(analyzer=text, stored=True, spelling=True),
        label=STORED(),
        created=DATETIME(stored=True, sortable=True),
        min_rank=NUMERIC(int),
        # "findable", or the reasons nobody may find the document ("deleted held").
        state=KEYWORD(stored=True),
        community_id=NUMERIC(int),
        author_id=NUMERIC(int),
    )


class _MarkingFormatter(Formatter):
    """Marks matches with private-use characters instead of markup; ``split_marked`` turns
    them into parts the template escapes (documents never carry these characters)."""

    between = " … "

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        return f"{OPEN}{get_text(text, token, replace)}{CLOSE}"


class _CappedPrefix(Prefix):
    """A prefix that stands for a fixed list of words (``WhooshBackend._prefix_words``): the
    same ones in every segment, for matching, counting and highlighting alike."""

    def __init__(self, fieldname: str, text: str, words: list[bytes], boost: float = 1.0):
        super().__init__(fieldname, text, boost=boost)
        self.words = words

    def _btexts(self, ixreader: object) -> list[bytes]:
        return self.words


class WhooshBackend:
    name = "whoosh"

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._ix: index.Index | None = None
        self._searcher: Searcher | None = None
        self._filters: dict[str, set[int]] = {}
        self._prefixes: dict[tuple[str, str], list[bytes]] = {}
        self._parser: qparser.QueryParser | None = None

    # --- Reading -------------------------------------------------------------------------

    def _open(self) -> index.Index:
        if self._ix is None:
            if not index.exists_in(self.path):
                raise IndexUnavailable("the search index has not been built")
            try:
                self._ix = index.open_dir(self.path)
            except Exception as error:
                raise IndexUnavailable(f"the search index cannot be read ({error})") from error
        return self._ix

    def _current_searcher(self) -> Searcher:
        """The process's searcher, refreshed (and its cached filters dropped) when the index
        changed since it was opened."""
        if self._searcher is None:
            self._searcher = self._open().searcher()
            self._forget_cached()
        elif not self._searcher.up_to_date():
            # Reopened rather than ``refresh()``ed: a refreshed reader reuses segments by
            # name and misses deletions made in them since (an updated document then
            # matches in its old, findable version too), and it fails on an empty index.
            self._searcher.close()
            self._searcher = self._open().searcher()
            self._forget_cached()
        return self._searcher

    def _forget_cached(self) -> None:
        self._filters.clear()
        self._prefixes.clear()

    def _cached_docs(self, searcher: Searcher, name: str, query: Query) -> set[int]:
        docs = self._filters.get(name)
        if docs is None:
            docs = self._filters[name] = set(searcher.docs_for_query(query))
        return docs

    def _scope_docs(self, searcher: Searcher, scope: SearchScope) -> set[int]:
        """What the scope may find: findable documents its tier reaches (cached per scope)."""
        query: Query = Term("state", FINDABLE)
        if scope.max_rank is not None:
            query = And([query, Range("min_rank", None, scope.max_rank)])
        return self._cached_docs(searcher, f"scope:{scope.key}", query)

    def _kind_docs(self, searcher: Searcher, kind: str) -> set[int]:
        return self._cached_docs(searcher, f"kind:{kind}", Term("kind", kind))

    def _parse(self, text: str) -> Query:
        if self._parser is None:
            parser = qparser.MultifieldParser(["title", "body"], self._open().schema)
            # Field names, ranges and boosts are not for searchers: "state:deleted" is words.
            for plugin in (qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin):
                parser.remove_plugin_class(plugin)
            self._parser = parser
        try:
            parsed = self._parser.parse(text)
        except Exception as error:  # the parser's own failures are the query's fault
            raise QueryRefused("That search could not be understood; try plain words.") from error
        if parsed is NullQuery or isinstance(parsed, type(NullQuery)):
            raise QueryRefused("Those words are too common to search for; add another.")
        return parsed

    def _prefix_words(self, searcher: Searcher, fieldname: str, text: str) -> list[bytes]:
        """The ``PREFIX_WORDS`` words starting with ``text`` found in most documents, ties in
        the words' order (cached until the searcher refreshes). ``nlargest`` keeps equal
        counts in the order it met them, which is ``expand_prefix``'s byte order: the
        PostgreSQL backend picks the same words (``postgres_prefixes.py``)."""
        key = (fieldname, text)
        words = self._prefixes.get(key)
        if words is None:
            reader = searcher.reader()
            words = self._prefixes[key] = heapq.nlargest(
                PREFIX_WORDS,
                reader.expand_prefix(fieldname, text),
                key=lambda word: reader.doc_frequency(fieldname, word),
            )
        return words

    def _capped(self, searcher: Searcher, query: Query) -> Query:
        """The query with each prefix standing for its most frequent words only."""

        def cap(node: Query) -> Query:
            if type(node) is Prefix:
                words = self._prefix_words(searcher, node.fieldname, node.text)
                capped = _CappedPrefix(node.fieldname, node.text, words, boost=node.boost)
                # Where it was typed, as the parser's node had it: Whoosh's query tools
                # (did-you-mean's rewriting of the text among them) read it from every node.
                capped.startchar, capped.endchar = node.startchar, node.endchar
                return capped
            return node

        return query.accept(cap)

    def _narrowing(self, searcher: Searcher, request: SearchRequest) -> Query | None:
        parts: list[Query] = []
        if request.community_id:
            parts.append(Term("community_id", request.community_id))
        if request.author_id:
            parts.append(Term("author_id", request.author_id))
        if request.since or request.until:
            parts.append(DateRange("created", request.since, request.until))
        return And(parts) if parts else None

    def search(self, request: SearchRequest, scope: SearchScope) -> SearchPage:
        with self._lock:
            searcher = self._current_searcher()
            query = self._capped(searcher, self._parse(request.text))
            allowed = self._scope_docs(searcher, scope)
            narrowing = self._narrowing(searcher, request)
            if narrowing is not None:
                allowed = allowed & set(searcher.docs_for_query(narrowing))
            matched = set(query.docs(searcher)) & allowed
            counts = {kind: len(matched & self._kind_docs(searcher, kind)) for kind in KINDS}
            wanted = allowed
            if request.kind:
                wanted = allowed & self._kind_docs(searcher, request.kind)
            total = counts.get(request.kind, 0) if request.kind else len(matched)
            last_page = max(1, -(-total // request.per_page))
            number = min(max(1, request.page), last_page)
            hits: list[SearchHit] = []
            if total:
                sort = {"sortedby": "created", "reverse": True} if request.sort == "newest" else {}
                results = searcher.search_page(
                    query, number, pagelen=request.per_page, filter=wanted, terms=True, **sort
                )
                results.results.fragmenter = ContextFragmenter(maxchars=160, surround=60)
                results.results.formatter = _MarkingFormatter()
                hits = [self._hit(hit) for hit in results]
            correction = None if total else self._correction(searcher, query, request, allowed)
            return SearchPage(hits, total, counts, number, request.per_page, correction)

    @staticmethod
    def _hit(hit: object) -> SearchHit:
        fields = hit.fields()  # type: ignore[attr-defined]
        marked = hit.highlights("body", top=2)  # type: ignore[attr-defined]
        snippet = split_marked(marked) if marked else leading_snippet(fields.get("body", ""))
        return SearchHit(
            kind=fields["kind"],
            object_id=fields["object_id"],
            label=fields["label"],
            snippet=snippet,
            created_at=fields["created"].replace(tzinfo=UTC),
        )

    def _correction(
        self, searcher: Searcher, query: Query, request: SearchRequest, allowed: set[int]
    ) -> str | None:
        """A spelling correction, offered only when it finds something the searcher may see:
        the words come from the whole index, and a word found only in hidden documents would
        tell of them. Only words typed whole are corrected: a prefix is what was meant
        ("revie*" is not a misspelling of "review"), as on PostgreSQL."""
        reader = searcher.reader()
        misspelt = [
            (token.fieldname, token.text)
            for leaf in query.leaves()
            if not isinstance(leaf, Prefix)
            for token in leaf.all_tokens()
            if (token.fieldname, token.text) not in reader
        ]
        corrected = searcher.correct_query(query, request.text, terms=misspelt)
        if corrected.query == query:
            return None
        if not set(corrected.query.docs(searcher)) & allowed:
            return None
        return str(corrected.string)

    def keys(self, kind: str) -> dict[str, bool]:
        with self._lock:
            searcher = self._current_searcher()
            return {
                fields["key"]: fields["state"] == FINDABLE
                for docnum in self._kind_docs(searcher, kind)
                for fields in (searcher.stored_fields(docnum),)
            }

    def exists(self) -> bool:
        try:
            self._open()
        except IndexUnavailable:
            return False
        return True

    def health(self) -> Health:
        try:
            with self._lock:
                searcher = self._current_searcher()
                counts = {kind: len(self._kind_docs(searcher, kind)) for kind in KINDS}
        except IndexUnavailable as error:
            return Health(False, str(error))
        except Exception as error:
            return Health(False, f"the search index cannot be read ({type(error).__name__})")
        return Health(True, "ok", counts)

    # --- Writing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> None:
        writer = self._open().writer(timeout=WRITER_TIMEOUT_SECONDS)
        try:
            for document in documents:
                writer.update_document(**_fields(document))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def delete(self, keys: Iterable[str]) -> None:
        writer = self._open().writer(timeout=WRITER_TIMEOUT_SECONDS)
        try:
            for key in keys:
                writer.delete_by_term("key", key)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, batches: Iterable[Sequence[SearchDocument]]) -> int:
        """Fill the index again from nothing. Readers keep their searcher until the commit,
        which swaps every segment at once (``CLEAR``); writers queued meanwhile wait for the
        lock and apply after it, so nothing they wrote is lost."""
        if not index.exists_in(self.path):
            os.makedirs(self.path, exist_ok=True)
            index.create_in(self.path, make_schema())
        with self._lock:
            self._ix, self._searcher, self._parser = None, None, None
        writer = self._open().writer(timeout=WRITER_TIMEOUT_SECONDS, limitmb=128)
        stored = 0
        try:
            for batch in batches:
                for document in batch:
                    writer.add_document(**_fields(document))
                    stored += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR, optimize=True)
        return stored


def _clean(text: str) -> str:
    return text.translate({ord(ch): " " for ch in MARKERS})


def _fields(document: SearchDocument) -> dict[str, object]:
    return {
        "key": document.key,
        "kind": document.kind,
        "object_id": document.object_id,
        "title": _clean(document.title),
        "body": _clean(document.body),
        "label": _clean(document.label),
        "created": _naive_utc(document.created_at),
        "min_rank": document.min_rank,
        "state": " ".join(document.hidden_because) or FINDABLE,
        "community_id": document.community_id,
        "author_id": document.author_id,
    }


def _naive_utc(moment: datetime) -> datetime:
    """Whoosh compares naive datetimes: store and query UTC without the zone."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None)
