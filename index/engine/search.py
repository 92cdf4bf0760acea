"""Searches of an open index: the query run, every match ranked and counted, a page
of hits read.

The text is parsed (rewrite.py), narrowed to an author's, a dump file's or a
filter on marks' papers, and evaluated over whole posting arrays where the array
evaluator can (evaluate.py), else by Whoosh's searcher. With tabs to count, the
whole library is searched once and each tab's part of the matches looked up
among its documents, which are read once per searcher.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

import numpy as np
from whoosh import query
from whoosh.searching import Searcher

from ..model import Hit
from ..text import author_key
from .errors import SearchCancelled
from .evaluate import Matches, Unsupported, best
from .marks import MarkSource, resolve, uses_marks
from .order import LISTING_ORDER, ORDERS
from .postings import first_by_term
from .result import SearchResult
from .rewrite import Rewriter, expand_cjk_chars, expand_fuzzy, only_stop_words
from .schema import SEARCH_FIELDS, paper_from_stored, source_token
from .searcher_state import SearcherState


class Searches:
    """Answers searches on one index's searcher (see Store.search).

    Attributes:
        user: The reading state that `is:`, `tag:` and `note:` filter on (None: no
            marks).
    """

    def __init__(self, state: SearcherState, rewriter: Rewriter) -> None:
        self._state = state
        self._rewriter = rewriter
        self.user: MarkSource | None = None
        # The filters on marks resolved for the version of them last read.
        self._marked: tuple[object, dict[tuple[str, str, bool], query.Query]] = (None, {})

    def search(
        self,
        text: str,
        *,
        author: str | None = None,
        source: str | None = None,
        limit: int | None = 20,
        as_you_type: bool = False,
        cancelled: Callable[[], bool] = lambda: False,
        marks: str | None = None,
        order: str = "relevance",
        tabs: tuple[tuple[str | None, str | None, str | None], ...] = (),
    ) -> SearchResult:
        """The answer to a search, as Store.search() describes it: searched, or the
        searcher's own answer if it was asked again (typing back and forth, or the
        same page again)."""
        if order not in ORDERS:
            raise ValueError(f"no such order: {order!r} (one of {', '.join(ORDERS)})")
        # Every search ranks and counts all its matches (total) in one pass. One
        # filtering on marks (its own, or a tab's it counts) is answered again once
        # they change.
        counted = " ".join(m for _, _, m in tabs if m)
        changes = self._marks_version(text, f"{marks or ''} {counted}".strip() or None)
        asked = (text, author, source, limit, as_you_type, marks, changes, order, tabs)
        searcher, cached = self._state.answer(asked)
        if cached is not None:
            return cached
        result = self._search(
            text, author, source, limit, as_you_type, cancelled, marks, order, tabs
        )
        self._state.keep(asked, searcher, result)
        return result

    def query_for(
        self,
        text: str,
        *,
        author: str | None = None,
        source: str | None = None,
        as_you_type: bool = False,
        marks: str | None = None,
    ) -> query.Query:
        """The Whoosh query search() runs for these arguments (see Store.query_for)."""
        return self._query(text, author, source, as_you_type, marks)[0]

    def _query(
        self,
        text: str,
        author: str | None,
        source: str | None,
        as_you_type: bool,
        marks: str | None = None,
    ) -> tuple[query.Query, bool, bool]:
        """The query to run, whether the text was searched as plain words, and
        whether it lists papers (no words to search)."""
        if as_you_type:
            text = self._rewriter.without_short_last_word(text)
        # No words, or only stop words ("and "): nothing to narrow by, so every paper
        # is listed, typed or submitted alike (typing never shows 0, then more).
        if not text.strip() or only_stop_words(text):
            listed = self._with_marks(restrict(query.Every(), author, source), marks)
            return listed, False, True
        parsed, fallback = self._rewriter.parse(text, as_you_type)
        parsed = expand_fuzzy(restrict(parsed, author, source), self._state.terms)
        parsed = expand_cjk_chars(parsed, self._state.terms)
        if uses_marks(text):
            parsed = self._resolve(parsed, as_you_type)
        parsed = self._with_marks(parsed, marks)
        return parsed, fallback, False

    def _with_marks(self, q: query.Query, marks: str | None) -> query.Query:
        """`q` and the filter on marks, if any (a tab of starred papers, of a tag)."""
        if not marks or not marks.strip():
            return q
        kept, _ = self._rewriter.parse(marks, as_you_type=False)
        return query.And([q, self._resolve(kept, typing=False)])

    def _resolve(self, q: query.Query, typing: bool) -> query.Query:
        """The query with its filters on marks turned into the papers they keep."""
        if self.user is None:
            return resolve(q, None, typing)
        version = self.user.version()
        if self._marked[0] != version:
            self._marked = (version, {})
        return resolve(q, self.user, typing, self._marked[1])

    def _marks_version(self, text: str, marks: str | None) -> tuple[int, int] | None:
        """The version of the marks a search reads (None: it reads none)."""
        if self.user is None or not (marks or uses_marks(text)):
            return None
        return self.user.version()

    def _search(
        self,
        text: str,
        author: str | None,
        source: str | None,
        limit: int | None,
        as_you_type: bool,
        cancelled: Callable[[], bool] = lambda: False,
        marks: str | None = None,
        order: str = "relevance",
        tabs: tuple[tuple[str | None, str | None, str | None], ...] = (),
    ) -> SearchResult:
        # Tabs to count: the whole library is searched, then the tab's part kept.
        whole = bool(tabs)
        if whole:
            parsed, fallback, listing = self._query(text, None, None, as_you_type)
        else:
            parsed, fallback, listing = self._query(text, author, source, as_you_type, marks)
        if listing and order == "relevance":
            order = LISTING_ORDER
        with self._state.searching() as searcher:
            if cancelled():
                raise SearchCancelled
            reader = searcher.reader()
            matches, found_terms = self.matches(searcher, parsed)
            if cancelled():
                raise SearchCancelled
            counts: tuple[int, ...] = ()
            if whole:
                if not listing:
                    counts = self._tab_counts(searcher, matches.docs, tabs)
                matches = self._within(searcher, matches, author, source, marks)
            years = () if listing else self._state.sort_columns(searcher).years(matches.docs)
            if order != "relevance":
                chosen = self._state.sort_columns(searcher).arrange(matches.docs, order, limit)
            else:
                chosen = best(matches, limit, lambda docs, n: self._first_by_key(searcher, docs, n))
            # The query's own terms, prefixes and fuzzy terms expanded, say what to
            # mark in every hit: cheaper than recording matches per document.
            terms: dict[str, frozenset[str]] = {}
            if not listing:
                terms = found_terms if found_terms is not None else _query_terms(parsed, reader)
            hits = [
                Hit(
                    paper_from_stored(searcher.stored_fields(int(matches.docs[i]))),
                    0.0 if listing else float(matches.scores[i]),
                    terms,
                )
                for i in chosen
            ]
            left_out = self._rewriter.word_left_out(text) if as_you_type else ""
            return SearchResult(hits, len(matches), fallback, counts, years, left_out)

    def _tab_docs(
        self, searcher: Searcher, author: str | None, source: str | None, marks: str | None
    ) -> np.ndarray:
        """The live documents of a tab (an author's, a dump file's, a filter on marks'),
        ascending: read once per searcher and version of the marks it reads."""
        read = self._state.tab_docs(searcher)
        asked = (author, source, marks, self._marks_version("", marks))
        found = read.get(asked)
        if found is None:
            tab = self._with_marks(restrict(query.Every(), author, source), marks)
            found = self.matches(searcher, tab)[0].docs
            read[asked] = found
        return found

    def _within(
        self,
        searcher: Searcher,
        matches: Matches,
        author: str | None,
        source: str | None,
        marks: str | None,
    ) -> Matches:
        """The matches that are in a tab (all None: all of them)."""
        if not author and not source and not (marks and marks.strip()):
            return matches
        among = self._tab_docs(searcher, author, source, marks)
        keep = members(matches.docs, among, searcher.doc_count_all())
        return Matches(matches.docs[keep], matches.scores[keep])

    def _tab_counts(
        self,
        searcher: Searcher,
        docs: np.ndarray,
        tabs: tuple[tuple[str | None, str | None, str | None], ...],
    ) -> tuple[int, ...]:
        """How many of `docs` (ascending) each tab holds: its documents looked up
        among them, no search per tab."""
        size = searcher.doc_count_all()
        return tuple(
            overlap(docs, self._tab_docs(searcher, *tab), size) if any(tab) else len(docs)
            for tab in tabs
        )

    def matches(
        self, searcher: Searcher, parsed: query.Query
    ) -> tuple[Matches, dict[str, frozenset[str]] | None]:
        """Every match of the query with its score, and the terms it found by
        field (None: not known): from posting arrays, or from Whoosh's own search
        for the few queries the arrays do not evaluate."""
        engine = self._state.evaluator(searcher)
        if engine is not None:
            with suppress(Unsupported):
                found = engine.matches(parsed)
                terms: dict[str, set[str]] = {}
                for name, btext in engine.terms_found:
                    if name in SEARCH_FIELDS:
                        terms.setdefault(name, set()).add(btext.decode("utf-8"))
                return found, {name: frozenset(words) for name, words in terms.items()}
        found = searcher.search(parsed, limit=None)
        # Whoosh's NOT can yield a deleted paper (see engine/evaluate.py): not here.
        deleted = searcher.reader().is_deleted
        pairs = sorted((d, score) for score, d in found.top_n if not deleted(d))
        return Matches(
            np.array([d for d, _ in pairs], dtype=np.int64),
            np.array([s or 0.0 for _, s in pairs], dtype=np.float64),
        ), None

    def _first_by_key(self, searcher: Searcher, docnums: np.ndarray, count: int) -> list[int]:
        """The `count` of these papers whose keys sort first: ties in a ranking go
        by key. From the index's sorted keys where its term tables are this
        project's (held as arrays) or the papers are many; a few papers' keys are
        read from their stored fields."""
        engine = self._state.evaluator(searcher)
        if engine is not None and (
            (engine.source.own_tables and len(docnums) > 32) or len(docnums) > 256
        ):
            return first_by_term(engine.source, "key", docnums, count)
        keys = [searcher.stored_fields(int(d))["key"] for d in docnums]
        return [int(d) for _, d in sorted(zip(keys, docnums.tolist(), strict=True))[:count]]


def members(docs: np.ndarray, among: np.ndarray, size: int) -> np.ndarray:
    """Which of `docs` are in `among` (both ascending document numbers below
    `size`), as a boolean array."""
    if not len(among):
        return np.zeros(len(docs), dtype=bool)
    if len(docs) * _MASK_SHARE >= size:
        # Many to look up: a binary search each (some 20 steps at 1M documents,
        # 35 ms for a tab's count of a three-letter prefix) costs more than
        # marking `among` in an array the size of the index and reading it.
        held = np.zeros(size, dtype=bool)
        held[among] = True
        return held[docs]
    places = np.minimum(np.searchsorted(among, docs), len(among) - 1)
    return among[places] == docs


# members() reads a mask once the documents looked up are this share of the index.
_MASK_SHARE = 32


def overlap(some: np.ndarray, others: np.ndarray, size: int) -> int:
    """How many documents two ascending arrays share: the smaller looked up in the other."""
    if len(some) > len(others):
        some, others = others, some
    return int(np.count_nonzero(members(some, others, size)))


def restrict(q: query.Query, author: str | None, source: str | None) -> query.Query:
    """`q` kept to an author's papers, or a dump file's."""
    # In the query rather than as a filter: Whoosh miscounts filtered results.
    if author:
        q = query.And(
            [q, query.ConstantScoreQuery(query.Term("author_key", author_key(author)), 0)]
        )
    if source:
        q = query.And([q, query.ConstantScoreQuery(query.Term("source", source_token(source)), 0)])
    return q


def _query_terms(q: query.Query, reader) -> dict[str, frozenset[str]]:  # type: ignore[no-untyped-def]
    # Not Query.existing_terms(): it skips every field after the first one it meets.
    found: dict[str, set[str]] = {}
    for leaf in q.leaves():
        for name, term in leaf.expanded_terms(reader, phrases=True):
            if name in SEARCH_FIELDS and (name, term) in reader:
                text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                found.setdefault(name, set()).add(text)
    return {name: frozenset(terms) for name, terms in found.items()}
