"""The Whoosh index of papers: opening, searching and writing it.

Only this package (index/engine) imports whoosh: the rest of the program sees
papers and hits, never Whoosh objects. The index is
a cache of the dumps: whatever goes wrong with it, it can be built again, so
every Whoosh failure surfaces here as StoreError or StoreBusy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import analysis, fields, index, query, writing
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import AndGroup, FuzzyTermPlugin, GtLtPlugin, MultifieldParser
from whoosh.searching import Searcher
from whoosh.util.filelock import try_for

from ..model import Hit, Paper, Record
from ..spelling import (
    correctable_words,
    corrected,
    edit_distance,
    max_edits,
    same_case,
    spellings,
)
from ..text import abstract_hash, author_key, display_name
from ..vocabulary import Vocabulary
from .allocator import keep_freed_memory, reserve
from .analysis import NamesAnalyzer, StemmingAnalyzer, packed
from .evaluate import Evaluator, Matches, Unsupported, best
from .marks import MARK_FIELDS, MarkSource, MarksPlugin, resolve, uses_marks, without_marks
from .order import (
    DATE_TYPE,
    LISTING_ORDER,
    ORDERS,
    TITLE_TYPE,
    SortColumns,
    paper_date,
    title_value,
)
from .postings import PostingSource, first_by_term
from .stored import read_at
from .workers import BulkWriter, remove_leftovers
from .writer import ArrayWriter

# Bump whenever the schema or what goes into it changes: the index is rebuilt.
SCHEMA_VERSION = 12

SEARCH_FIELDS = ("title", "abstract", "author", "venue", "id")
FIELD_ALIASES = {"authors": "author", "arxiv": "id", "arxiv_id": "id", "comment": "venue"}
_STEM = StemmingAnalyzer()
# Names match whatever their case and accents: "author:muller" finds Müller.
_NAMES = NamesAnalyzer()
_STOP_WORDS = frozenset(analysis.STOP_WORDS)
# Every field name a query may use, aliases too; typed in any case.
FIELD_NAMES = frozenset(SEARCH_FIELDS) | {"year"} | frozenset(FIELD_ALIASES)
_FIELD_PREFIX = re.compile(
    r"\b(" + "|".join(sorted(FIELD_NAMES, key=len, reverse=True)) + r")\s*:", re.IGNORECASE
)


def _schema() -> fields.Schema:
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        # Sorted by, never searched: a column costs no term per paper (order.py).
        date=fields.COLUMN(DATE_TYPE),
        title_order=fields.COLUMN(TITLE_TYPE),
        title=packed(fields.TEXT(analyzer=_STEM, stored=True, field_boost=2.0)),
        abstract=packed(fields.TEXT(analyzer=_STEM, stored=True)),
        author=packed(fields.TEXT(analyzer=_NAMES)),
        venue=packed(fields.TEXT(analyzer=_STEM)),
        id=fields.TEXT(analyzer=analysis.IDTokenizer() | analysis.LowercaseFilter(), phrase=False),
        year=fields.NUMERIC(int, bits=16, signed=False, sortable=True),
        # For filters and incremental updates; never typed by users.
        author_key=fields.KEYWORD(scorable=False),
        # Each name as written, for listing a library's authors with their papers.
        author_name=_names_field(),
        source=fields.KEYWORD(scorable=False),
        fingerprint=fields.KEYWORD(scorable=False),
        data=fields.STORED,
    )


def _names_field() -> fields.KEYWORD:
    field = fields.KEYWORD(scorable=False, lowercase=False)
    field.analyzer = analysis.RegexTokenizer(r"[^\n]+")  # one name a line, as written
    return field


class StoreError(Exception):
    """The index on disk cannot be used: missing, corrupt or unreadable."""


class StoreBusy(Exception):
    """Another process is writing the index."""


class SearchCancelled(Exception):
    """A search was called off because its answer is no longer wanted."""


@dataclass(frozen=True)
class SearchResult:
    """One page of hits and how many papers matched in all."""

    hits: list[Hit]
    total: int | None
    fallback: bool = False  # the query did not parse; its words were searched instead
    # With a query: how many matches each tab asked for holds, in the order asked.
    tab_counts: tuple[int, ...] = ()
    # With a query: (year, matches) from the first year matched to the last.
    years: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class AuthorLinks:
    """An author's papers as Store.author_links() reads them.

    Attributes:
        papers: How many papers the author has.
        years: Each paper's year (None: it has none).
        shared: For each name asked about, how many of the papers it has too.
        authors: The own authors of each of the author's papers from a collection.
    """

    papers: int
    years: list[int | None]
    shared: dict[str, int]
    authors: list[tuple[str, ...]]


def source_token(path: str) -> str:
    """A whitespace-free token standing for a dump path (paths may hold spaces)."""
    return hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def highlight_spans(
    text: str, terms: Iterable[str], field: str = "abstract"
) -> list[tuple[int, int]]:
    """Where in `text` the indexed `terms` of `field` occur, as (start, end) offsets.

    Text is analysed as the index analysed it, so stemmed forms match too.
    """
    wanted = set(terms)
    if not wanted or not text:
        return []
    return (_NAMES if field == "author" else _STEM).spans(text, wanted)


def matched_fields(hit: Hit, quick: bool = False) -> list[str]:
    """Which of a hit's fields hold words of the query: why it matched.

    Args:
        quick: Look for the abstract's terms as word starts rather than analysing
            it: fast enough for every row of a list, exact but for rare cases.
    """
    paper = hit.paper
    texts = {
        "title": paper.title or "",
        "abstract": paper.abstract,
        "author": " ; ".join(paper.authors),
        "venue": paper.venue or "",
    }
    found = []
    for name, text in texts.items():
        terms = hit.terms.get(name, ())
        if not terms or not text:
            continue
        if quick and name == "abstract":
            # A stem starts the words it comes from ("heterophili": "heterophily").
            starts = {term[:-1] if term.endswith("i") else term for term in terms}
            pattern = r"\b(?:" + "|".join(re.escape(t) for t in starts) + ")"
            if re.search(pattern, text, re.IGNORECASE):
                found.append(name)
        elif highlight_spans(text, terms, name):
            found.append(name)
    if paper.arxiv_id and paper.arxiv_id.lower() in hit.terms.get("id", ()):
        found.append("id")
    return found


def _stem(word: str) -> str:
    stems = [token.text for token in _STEM(word)]
    return stems[0] if len(stems) == 1 else ""


def _paper_document(paper: Paper) -> dict[str, object]:
    names = paper.authors  # every dump label and own author, once each
    swapped = [display_name(n) for n in names if display_name(n) != n]
    data = {
        "title": paper.title,
        "arxiv_id": paper.arxiv_id,
        "year": paper.year,
        "venue": paper.venue,
        "authors": list(paper.authors),
        "sources": list(paper.sources),
        # Records let an update take one dump's part out of a merged paper. The
        # abstract is kept only where it differs from the paper's own.
        "records": [
            [
                r.source,
                r.line,
                r.label,
                r.title,
                r.arxiv_id,
                r.venue,
                None if r.abstract == paper.abstract else r.abstract,
                list(r.authors),
                r.year,
            ]
            for r in paper.records
        ],
    }
    document: dict[str, object] = {
        "key": paper.key,
        "date": paper_date(paper),
        "title_order": title_value(paper),
        "abstract": paper.abstract,
        # "Jain, Saachi" is also findable as "Saachi Jain".
        "author": " ; ".join([*names, *swapped]),
        "author_key": " ".join(dict.fromkeys(author_key(n) for n in names)),
        "author_name": "\n".join(" ".join(n.split()) for n in names),
        "source": " ".join(source_token(s) for s in paper.sources),
        "fingerprint": " ".join(dict.fromkeys(abstract_hash(r.abstract) for r in paper.records)),
        "data": json.dumps(data, ensure_ascii=False),
    }
    if paper.title:
        document["title"] = paper.title
    if paper.venue:
        document["venue"] = paper.venue
    if paper.arxiv_id:
        document["id"] = paper.arxiv_id
    if paper.year:
        document["year"] = paper.year
    return document


def _paper_from_stored(stored: dict) -> Paper:
    data = json.loads(stored["data"])
    abstract = stored["abstract"]
    records = tuple(
        Record(
            source=source,
            line=line,
            label=label,
            abstract=text if text is not None else abstract,
            title=title,
            arxiv_id=arxiv_id,
            venue=venue,
            authors=tuple(authors),
            year=year,
        )
        for source, line, label, title, arxiv_id, venue, text, authors, year in data["records"]
    )
    return Paper(
        key=stored["key"],
        title=data["title"],
        arxiv_id=data["arxiv_id"],
        year=data["year"],
        abstract=abstract,
        venue=data["venue"],
        authors=tuple(data["authors"]),
        sources=tuple(data["sources"]),
        records=records,
    )


class Store:
    """An open Whoosh index of papers with one reusable searcher.

    Safe to share between threads: searches take turns on the one searcher, which
    is much cheaper than opening a new one per query.
    """

    def __init__(self, ix: index.Index) -> None:
        keep_freed_memory()  # searches free and remake arrays of megabytes
        self._ix = ix
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._checked = 0.0
        # Recent results, each with the searcher that found them: a new searcher
        # (the index changed) makes them stale.
        self._results: dict[tuple, tuple[Searcher, SearchResult]] = {}
        # Terms of searched fields in memory, for the current searcher (warm_up()).
        self._vocabularies: dict[str, Vocabulary] = {}
        self._warm = False
        # The array evaluator of the current searcher (None: Whoosh scores alone).
        self._engine: tuple[Searcher, Evaluator | None] | None = None
        self._columns: tuple[Searcher, SortColumns] | None = None  # see _sort_columns()
        # Each tab's documents, for the searcher that read them (see _tab_docs()).
        self._tabs: tuple[Searcher | None, dict[tuple, np.ndarray]] = (None, {})
        self._years: tuple[Searcher, np.ndarray] | None = None  # see _year_column()
        self._parser = MultifieldParser(list(SEARCH_FIELDS), ix.schema, group=AndGroup)
        self._parser.add_plugin(FuzzyTermPlugin())
        self._parser.add_plugin(GtLtPlugin())
        self._parser.add_plugin(MarksPlugin())
        # The reading state that `is:`, `tag:` and `note:` filter on (None: no marks),
        # and the filters resolved for the version of it last read.
        self.user: MarkSource | None = None
        self._marked: tuple[object, dict[tuple[str, str, bool], query.Query]] = (None, {})

    # --- opening ------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path) -> Store:
        """Open the index in `directory` and check that it can be read.

        Raises:
            StoreError: there is no usable index there.
        """
        try:
            if not index.exists_in(str(directory)):
                raise StoreError(f"no index in {directory}")
            store = cls(index.open_dir(str(directory)))
            if set(store._ix.schema.names()) != set(_schema().names()):
                raise StoreError("the index was written by another version")
            with store._searching() as searcher:
                if searcher.doc_count():
                    next(searcher.all_stored_fields())
            return store
        except StoreError:
            raise
        except Exception as error:  # Whoosh raises many kinds on a damaged index.
            raise StoreError(f"the index in {directory} is damaged ({error!r})") from None

    @classmethod
    def create(cls, directory: Path) -> Store:
        """Make a new, empty index in `directory`, replacing whatever index is there."""
        directory.mkdir(parents=True, exist_ok=True)
        try:
            return cls(index.create_in(str(directory), _schema()))
        except Exception as error:
            raise StoreError(f"cannot create an index in {directory} ({error!r})") from None

    @staticmethod
    def files(directory: Path) -> list[str]:
        """The files of the index as last committed in `directory`: its TOC, then
        its segments' files.

        Raises:
            StoreError: the TOC cannot be read.
        """
        storage = FileStorage(str(directory))
        try:
            toc = index.TOC.read(storage, index._DEF_INDEX_NAME)
            names = [index.TOC._filename(index._DEF_INDEX_NAME, toc.generation)]
            for segment in toc.segments:
                names += segment.list_files(storage)
        except Exception as error:  # Whoosh raises many kinds on a damaged TOC.
            raise StoreError(f"its table of contents cannot be read ({error!r})") from None
        return names

    @staticmethod
    @contextmanager
    def updating(directory: Path, timeout: float) -> Iterator[None]:
        """Hold the library's update lock, so that two processes never update at once.

        The lock is released by the system if the process dies.

        Raises:
            StoreBusy: another process held it for `timeout` seconds.
        """
        lock = FileStorage(str(directory)).lock("UPDATE")
        if not try_for(lock.acquire, timeout=timeout, delay=0.1):
            raise StoreBusy("another process is updating the index")
        try:
            yield
        finally:
            lock.release()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    # --- reading ------------------------------------------------------------

    @contextmanager
    def _searching(self) -> Iterator[Searcher]:
        with self._lock:
            try:
                yield self._current_searcher()
            except (StoreError, StoreBusy, SearchCancelled):
                raise
            except Exception as error:  # a damaged or vanished segment file
                raise StoreError(f"cannot read the index ({error!r})") from error

    def _current_searcher(self) -> Searcher:
        now = time.monotonic()
        if self._searcher is None:
            self._searcher = self._ix.searcher()
            self._vocabularies = {}
            self._checked = now
        elif now - self._checked > 0.5:
            # Another process may have committed. Not Searcher.refresh(): it reuses
            # segment readers and so misses deletions in segments it already had.
            if not self._searcher.up_to_date():
                self._searcher.close()
                self._searcher = self._ix.searcher()
                self._vocabularies = {}
                if self._warm:
                    threading.Thread(target=self.warm_up, daemon=True).start()
            self._checked = now
        return self._searcher

    def _terms(self, field: str) -> Vocabulary | IndexTerms:
        """The terms of `field`: from memory once warm_up() read them, else from
        the index (the caller holds the searcher)."""
        vocabulary = self._vocabularies.get(field)
        if vocabulary is not None:
            return vocabulary
        return IndexTerms(self._current_searcher().reader(), field)

    def warm_up(self) -> None:
        """Read the terms of the searched text fields into memory (a few seconds
        for 100,000 papers), and again whenever the index changes.

        It reads on a reader of its own, so searches go on meanwhile, expanding
        prefixes and fuzzy terms from the index until it is done.
        """
        with self._lock:
            self._warm = True
            searcher = self._current_searcher()
            generation = searcher.reader().generation()
            documents = searcher.doc_count_all()
        try:
            with self._ix.reader() as reader:
                if reader.generation() != generation:
                    return  # changed meanwhile: the next searcher warms up again
                loaded = {field: _vocabulary(reader, field) for field in _IN_MEMORY_FIELDS}
        except Exception:  # a damaged index: searches find out and say so
            return
        with self._lock:
            if self._searcher is not searcher:
                return
            self._vocabularies = loaded
            engine = self._evaluator(searcher)
        if engine is not None:  # for ties broken by key and filters on marks
            engine.source.hold_terms("key")
        # numpy imports numpy.ma at a process's first np.unique (some 16 ms): here,
        # not in whichever search calls it first.
        import numpy.ma  # noqa: F401

        # After the terms, which completing while typing waits for.
        _read_ahead(Path(self._ix.storage.folder))
        reserve(documents)

    def completions_in_memory(self, field: str, prefix: str, limit: int = 1) -> list[str]:
        """A field's most common terms starting with `prefix`, from memory once
        warm_up() read them (else none): for completing while typing, which must
        never wait on the index or on another search."""
        vocabulary = self._vocabularies.get(field)
        return vocabulary.completions(prefix, limit) if vocabulary is not None else []

    def version(self) -> int:
        """Which commit of the index searches read now (its generation): another
        process's commit is seen within half a second."""
        with self._searching() as searcher:
            return int(searcher.reader().generation())

    def refresh(self) -> None:
        """See what was committed since the searcher was opened."""
        with self._lock:
            self._checked = 0.0

    def count(self, author: str | None = None, source: str | None = None) -> int:
        """How many papers there are, or how many an author or a dump file has."""
        with self._searching() as searcher:
            if author is not None:
                return _live_count(searcher, "author_key", author_key(author))
            if source is not None:
                return _live_count(searcher, "source", source_token(source))
            return searcher.doc_count()

    def author_counts(self) -> list[tuple[str, int]]:
        """Every author name of the library with its number of papers, most first.

        From the index's terms, a read of a few seconds at most for 100,000 papers:
        names that differ only in form ("Jain, Saachi", "Saachi Jain") are one author,
        shown as most papers write it.
        """
        with self._searching() as searcher:
            reader = searcher.reader()
            papers = _term_counts(reader, "author_key")
            # Papers an update deleted are still in the terms' counts until merged away.
            for docnum in range(reader.doc_count_all()):
                if reader.is_deleted(docnum):
                    names = json.loads(reader.stored_fields(docnum)["data"])["authors"]
                    for key in {author_key(n) for n in names}:
                        papers[key] = papers.get(key, 1) - 1
            shown: dict[str, tuple[int, str]] = {}
            for name, often in _term_counts(reader, "author_name").items():
                key = author_key(name)
                if often > shown.get(key, (0, ""))[0]:
                    shown[key] = (often, name)
        counted = [(name, papers.get(key, 0)) for key, (_, name) in shown.items()]
        return sorted((c for c in counted if c[1] > 0), key=lambda c: (-c[1], c[0]))

    def author_links(
        self, author: str, others: Iterable[str], collections: Iterable[str]
    ) -> AuthorLinks:
        """What an author's picture is drawn from, without reading every paper.

        Years come from the year column and shared papers from the postings; only
        the author's papers in `collections` are read, for their own authors.

        Args:
            author: A dump's label or a paper's own author, in any of its forms.
            others: Names (dump labels) to count the author's papers shared with.
            collections: Paths of the dumps whose papers list their own authors.
        """
        with self._searching() as searcher:
            docs = self._author_docs(searcher, author, None)
            years = self._year_column(searcher)[docs]
            shared = {
                other: int(np.isin(self._author_docs(searcher, other, None), docs).sum())
                for other in others
            }
            listed = np.zeros(0, dtype=np.int64)  # a paper in two collections: read once
            for path in collections:
                listed = np.union1d(listed, self._author_docs(searcher, author, path))
            names = [
                tuple(json.loads(searcher.stored_fields(docnum)["data"])["authors"])
                for docnum in listed.tolist()
            ]
        return AuthorLinks(len(docs), [y or None for y in years.tolist()], shared, names)

    def _author_docs(self, searcher: Searcher, author: str, source: str | None) -> np.ndarray:
        """The document numbers of an author's papers (from one dump), ascending."""
        if not author_key(author):
            return np.zeros(0, dtype=np.int64)
        matches, _ = self._matches(searcher, _restrict(query.Every(), author, source))
        return matches.docs

    def _year_column(self, searcher: Searcher) -> np.ndarray:
        """Every document's year (0: none), read once per searcher."""
        if self._years is None or self._years[0] is not searcher:
            parts = [_years(leaf) for leaf, _ in searcher.reader().leaf_readers()]
            years = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            self._years = (searcher, years)
        return self._years[1]

    def get(self, key: str) -> Paper | None:
        with self._searching() as searcher:
            stored = searcher.document(key=key)
            return _paper_from_stored(stored) if stored else None

    def papers(
        self, author: str | None = None, limit: int | None = None, order: str = LISTING_ORDER
    ) -> list[Paper]:
        """Papers of one author or all, newest first (or in another of ORDERS)."""
        return [hit.paper for hit in self.search("", author=author, limit=limit, order=order).hits]

    def touching(
        self, sources: Iterable[str], ids: Iterable[str], fingerprints: Iterable[str]
    ) -> list[Paper]:
        """Papers from any of `sources`, or with any of these arXiv ids or abstracts."""
        terms = [query.Term("source", source_token(s)) for s in sources]
        terms += [query.Term("id", i.lower()) for i in ids]
        terms += [query.Term("fingerprint", f) for f in fingerprints]
        if not terms:
            return []
        with self._searching() as searcher:
            found = searcher.search(query.Or(terms), limit=None)
            return [_paper_from_stored(hit.fields()) for hit in found]

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
        """Search in the Whoosh query language; best first. An empty text lists papers,
        newest first.

        Args:
            text: The query as the user typed it. It never fails to parse: what
                does not parse is searched as the words typed.
            author: Only papers of this author (a dump's label or a paper's own author).
            source: Only papers from this dump file.
            limit: At most this many hits (None: all).
            as_you_type: The query is being typed: its last word, unless it is already
                a word of the library, is also taken as a prefix (every completion).
            cancelled: Polled while searching: True stops with SearchCancelled.
            marks: Only papers this filter on marks keeps (`is:starred`, `tag:x`...).
            order: One of ORDERS: "relevance" (best first), "newest", "oldest" or
                "title"; the whole match set is put in order, ties by key.
            tabs: (author, source, marks) filters, as those arguments take them:
                with a query, how many of its matches each holds (tab_counts),
                counted in the same pass.
        """
        if order not in ORDERS:
            raise ValueError(f"no such order: {order!r} (one of {', '.join(ORDERS)})")
        # Every search ranks and counts all its matches (total) in one pass. One
        # filtering on marks (its own, or a tab's it counts) is answered again once
        # they change.
        counted = " ".join(m for _, _, m in tabs if m)
        changes = self._marks_version(text, f"{marks or ''} {counted}".strip() or None)
        asked = (text, author, source, limit, as_you_type, marks, changes, order, tabs)
        with self._lock:
            searcher = self._current_searcher()
            cached = self._results.get(asked)
            if cached and cached[0] is searcher:
                return cached[1]  # typing back and forth, or the same page again
        result = self._search(
            text, author, source, limit, as_you_type, cancelled, marks, order, tabs
        )
        with self._lock:
            self._results[asked] = (searcher, result)
            while len(self._results) > 64:
                self._results.pop(next(iter(self._results)))
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
        """The Whoosh query search() runs for these arguments (Every() for an empty
        text), for checking its answers against Whoosh's own searcher."""
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
            text = self._without_short_last_word(text)
        if not text.strip():
            listed = self._with_marks(_restrict(query.Every(), author, source), marks)
            return listed, False, True
        parsed, fallback = self._parse(text, as_you_type)
        parsed = _expand_fuzzy(_restrict(parsed, author, source), self._terms)
        if as_you_type:
            parsed = _bound_prefixes(parsed, self._terms)
        if uses_marks(text):
            parsed = self._resolve(parsed, as_you_type)
        parsed = self._with_marks(parsed, marks)
        return parsed, fallback, False

    def _with_marks(self, q: query.Query, marks: str | None) -> query.Query:
        """`q` and the filter on marks, if any (a tab of starred papers, of a tag)."""
        if not marks or not marks.strip():
            return q
        kept, _ = self._parse(marks, as_you_type=False)
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
        with self._searching() as searcher:
            if cancelled():
                raise SearchCancelled
            reader = searcher.reader()
            matches, found_terms = self._matches(searcher, parsed)
            if cancelled():
                raise SearchCancelled
            counts: tuple[int, ...] = ()
            if whole:
                if not listing:
                    counts = self._tab_counts(searcher, matches.docs, tabs)
                matches = self._within(searcher, matches, author, source, marks)
            years = () if listing else self._sort_columns(searcher).years(matches.docs)
            if order != "relevance":
                chosen = self._sort_columns(searcher).arrange(matches.docs, order, limit)
            else:
                chosen = best(matches, limit, lambda docs, n: self._first_by_key(searcher, docs, n))
            # The query's own terms, prefixes and fuzzy terms expanded, say what to
            # mark in every hit: cheaper than recording matches per document.
            terms: dict[str, frozenset[str]] = {}
            if not listing:
                terms = found_terms if found_terms is not None else _query_terms(parsed, reader)
            hits = [
                Hit(
                    _paper_from_stored(searcher.stored_fields(int(matches.docs[i]))),
                    0.0 if listing else float(matches.scores[i]),
                    terms,
                )
                for i in chosen
            ]
            return SearchResult(hits, len(matches), fallback, counts, years)

    def _evaluator(self, searcher: Searcher) -> Evaluator | None:
        """The array evaluator of this searcher, made once per searcher."""
        if self._engine is None or self._engine[0] is not searcher:
            try:
                engine = Evaluator(PostingSource(searcher), searcher.weighting, self._completions)
            except Unsupported:
                engine = None
            self._engine = (searcher, engine)
        return self._engine[1]

    def _sort_columns(self, searcher: Searcher) -> SortColumns:
        """The dates and sort keys of every document, read once per searcher."""
        if self._columns is None or self._columns[0] is not searcher:
            self._columns = (searcher, SortColumns(searcher.reader()))
        return self._columns[1]

    def _tab_docs(
        self, searcher: Searcher, author: str | None, source: str | None, marks: str | None
    ) -> np.ndarray:
        """The live documents of a tab (an author's, a dump file's, a filter on marks'),
        ascending: read once per searcher and version of the marks it reads."""
        if self._tabs[0] is not searcher:
            self._tabs = (searcher, {})
        asked = (author, source, marks, self._marks_version("", marks))
        found = self._tabs[1].get(asked)
        if found is None:
            tab = self._with_marks(_restrict(query.Every(), author, source), marks)
            found = self._matches(searcher, tab)[0].docs
            self._tabs[1][asked] = found
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
        keep = _members(matches.docs, among, searcher.doc_count_all())
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
            _overlap(docs, self._tab_docs(searcher, *tab), size) if any(tab) else len(docs)
            for tab in tabs
        )

    def _completions(self, field: str, prefix: str) -> list[str] | None:
        vocabulary = self._vocabularies.get(field)
        return vocabulary.completions(prefix) if vocabulary is not None else None

    def _matches(
        self, searcher: Searcher, parsed: query.Query
    ) -> tuple[Matches, dict[str, frozenset[str]] | None]:
        """Every match of the query with its score, and the terms it found by
        field (None: not known): from posting arrays, or from Whoosh's own search
        for the few queries the arrays do not evaluate."""
        engine = self._evaluator(searcher)
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
        engine = self._evaluator(searcher)
        if engine is not None and (
            (engine.source.own_tables and len(docnums) > 32) or len(docnums) > 256
        ):
            return first_by_term(engine.source, "key", docnums, count)
        keys = [searcher.stored_fields(int(d))["key"] for d in docnums]
        return [int(d) for _, d in sorted(zip(keys, docnums.tolist(), strict=True))[:count]]

    def _parse(self, text: str, as_you_type: bool) -> tuple[query.Query, bool]:
        text = _FIELD_PREFIX.sub(
            lambda m: FIELD_ALIASES.get(m[1].lower(), m[1].lower()) + ":", text
        )
        if as_you_type:
            # One letter after other words is too short to guess from: left out until
            # it is more, so "speech r" still shows what "speech" found.
            if text.count('"') % 2 == 0:
                text = _TYPED_LETTER.sub("", text)
            if not self._last_word_known(text):
                text = _prefix_last_word(text)
        try:
            parsed = self._parser.parse(text)
            if _balanced(text) and not _has_null(parsed):
                return _fuzzy_from_first_letter(_widen_prefixes(_drop_stop_words(parsed))), False
        except Exception:  # Whoosh's parser can raise on odd input; words still work.
            pass
        # The filters on marks stay filters; the rest is searched as its words.
        rest, filters = without_marks(text)
        words = [w for w in re.findall(r"\w+", rest) if w.lower() not in FIELD_NAMES | MARK_FIELDS]
        plain = " ".join(words)
        if as_you_type and words and re.search(r"\w$", text):
            plain = _prefix_last_word(plain)
        plain = " ".join([plain, *(_closed(f) for f in filters)]).strip()
        try:
            return _widen_prefixes(_drop_stop_words(self._parser.parse(plain))), True
        except Exception:
            return query.NullQuery, True

    def _without_short_last_word(self, text: str) -> str:
        """The text without the word being typed while that word is one or two
        letters that are no word of the library: too short to guess from ("at", on
        its way to "attention", is a stop word too), it would find nothing. What the
        other words find stays on screen; with no other word, every paper does."""
        filter_begun = _FILTER_BEGUN.search(text)
        if filter_begun:  # `is:`, `tag:` or `note:"` with nothing after it yet
            rest = _TRAILING_OPERATORS.sub("", text[: filter_begun.start()])
            return rest if re.search(r"\w", rest) else ""
        if text.count('"') % 2 or not re.search(r"\w$", text):
            return text
        match = _LAST_WORD.search(text)
        if not match or len(match[3]) > 2 or match[3] in _OPERATORS or _is_mark(match):
            return text
        if self._last_word_known(text):
            return text
        rest = _TRAILING_OPERATORS.sub("", text[: match.start(2)])
        return rest if re.search(r"\w", rest) else ""

    def _last_word_known(self, text: str) -> bool:
        """Whether the word being typed is already a word of the library: then it is
        searched as the word it is, as once submitted, rather than as a prefix (the
        count and ranking then equal `abstracts search`)."""
        match = _LAST_WORD.search(text)
        if not match or text.count('"') % 2:
            return False
        field, word = match[2].rstrip(":").lower(), match[3]
        field = FIELD_ALIASES.get(field, field)
        fields = (field,) if field else SEARCH_FIELDS
        with self._searching():
            for name in fields:
                if name in _STEMMED_FIELDS:
                    term = _stem(word)
                elif name == "author":
                    term = next((t.text for t in _NAMES(word)), "")
                elif name == "id":
                    term = word.lower()
                else:
                    continue
                if term and self._dominates(name, term):
                    return True
        return False

    def _dominates(self, field: str, term: str) -> bool:
        """Whether a typed `term` is a word in its own right rather than the start of
        a commoner one: "mamba" is, "transf" (a few papers' broken word) is not."""
        terms = self._terms(field)
        own = terms.count(term)
        if not own:
            return False
        # What the prefix would find instead: longer terms, and in stemmed fields the
        # shorter stems it runs past ("segmenta" is typed on the way to "segment").
        rivals = [t for t in terms.completions(term, 2) if t != term]
        if field in _STEMMED_FIELDS and len(term) >= 5:
            rivals += [term[:k] for k in range(max(4, len(term) - 4), len(term))]
        return all(2 * own >= terms.count(rival) for rival in rivals)

    def suggest(self, text: str, as_you_type: bool = False) -> str | None:
        """The query with its unknown words corrected from the index's vocabulary, if any.

        "transfromer" -> "transformer": the nearest known stem (fewest edits, then
        most papers) in a form close to what was typed.

        Args:
            as_you_type: The last word is still being typed: a word that starts
                indexed words is not a mistake.
        """
        fixes: dict[str, str] = {}
        words = correctable_words(text)
        with self._searching() as searcher:
            reader = searcher.reader()
            if as_you_type and words and words[-1][1] == len(text):
                typing = words.pop()[2].lower()
                if not any(self._terms(f).completions(typing, 1) for f in SEARCH_FIELDS):
                    words.append((len(text) - len(typing), len(text), typing, None))
            for _, _, word, field in words:
                field = FIELD_ALIASES.get(field or "", field)
                if field in ("author", "authors"):
                    # Names are not stemmed: correct them against the names indexed.
                    name = word.lower()
                    if not reader.doc_frequency("author", name):
                        best = self._nearest(name, ("author",))
                        fixes[word] = same_case(word, best) if best else word
                    continue
                if field not in (None, "title", "abstract", "venue"):
                    continue
                stem = _stem(word)
                if not stem or (field is None and reader.doc_frequency("author", word.lower())):
                    continue
                fields = (field,) if field else ("abstract", "title")
                papers = max(self._terms(f).count(stem) for f in fields)
                if papers > _RARE:
                    continue
                # A word few papers hold may itself be a typo ("transfromer" is in
                # one paper of 100,000): a far commoner neighbour is what was meant.
                spelt = self._spelling(word, fields)
                if spelt and (papers == 0 or spelt[2] >= _COMMONER * papers):
                    fixes[word] = same_case(word, spelt[0])
        fixes = {word: fix for word, fix in fixes.items() if fix != word}
        if not fixes:
            return None
        suggestion = corrected(text, fixes)
        # Only a suggestion that finds more than the query is worth taking.
        found = self.search(suggestion, limit=1, as_you_type=as_you_type).total or 0
        return (
            suggestion
            if found > (self.search(text, limit=1, as_you_type=as_you_type).total or 0)
            else None
        )

    def _spelling(self, word: str, fields: tuple[str, ...]) -> tuple[str, int, int] | None:
        """The word of these fields closest to `word` (see spelling.spellings)."""
        lower = word.lower()
        stems: dict[str, int] = {}
        # Typos rarely hit the first two letters but for swapping them (or the
        # second and third).
        for start in dict.fromkeys((lower[:2], lower[1::-1], lower[0] + lower[2:3])):
            for name in fields:
                for stem, papers in self._terms(name).starting(start):
                    stems[stem] = max(stems.get(stem, 0), papers)
        # And the stems near the typed word's own stem, whatever their second letter.
        stem = _stem(word)
        for name in fields:
            terms = self._terms(name)
            for near in terms.within(stem, max_edits(stem), prefix_length=1):
                stems[near] = max(stems.get(near, 0), terms.count(near))
        found = spellings(lower, stems.items(), _stem, lambda stem: self._written(stem, fields))
        return found[0] if found else None

    def _written(self, stem: str, fields: tuple[str, ...]) -> list[str]:
        """The words that papers holding `stem` write for it, most common first."""
        terms = query.Or([query.Term(name, stem) for name in fields])
        seen: dict[str, int] = {}
        with self._searching() as searcher:
            for hit in searcher.search(terms, limit=20):
                stored = hit.fields()
                text = f"{stored.get('title') or ''} {stored.get('abstract') or ''}"
                for token in _STEM(text, mode="query", keeporiginal=True):
                    if token.text == stem:
                        word = token.original.lower()
                        seen[word] = seen.get(word, 0) + 1
        return sorted(seen, key=lambda w: -seen[w])

    def _nearest(self, text: str, fields: tuple[str, ...]) -> str | None:
        """The indexed term closest to `text`: fewest edits, then most papers."""
        for distance in (1, 2):
            found: dict[str, int] = {}
            for name in fields:
                terms = self._terms(name)
                for term in terms.within(text, distance, prefix_length=1):
                    found[term] = found.get(term, 0) + terms.count(term)
            if found:
                return min(found, key=lambda t: (edit_distance(text, t), -found[t], t))
        return None

    def related(self, key: str, top: int = 10) -> list[Hit]:
        """The papers most like this one: its abstract's key terms, searched for."""
        with self._searching() as searcher:
            docnum = searcher.document_number(key=key)
            if docnum is None:
                return []
            found = searcher.more_like(docnum, "abstract", top=top, numterms=12)
            terms = {
                "abstract": frozenset(
                    t for t, _ in searcher.key_terms([docnum], "abstract", numterms=12)
                )
            }
            return [Hit(_paper_from_stored(hit.fields()), hit.score or 0.0, terms) for hit in found]

    # --- writing ------------------------------------------------------------

    def write(
        self,
        remove: Iterable[str],
        add: Iterable[Paper],
        *,
        clear: bool = False,
        bulk: bool = False,
        timeout: float = 2.0,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Remove papers by key and add papers, in one commit.

        Args:
            clear: Drop everything else in the index (a full rebuild).
            bulk: Many papers: index them on both cores.
            timeout: How long to wait for another process's write to finish.
            progress: Called with the number of papers added so far.

        Raises:
            StoreBusy: another process kept the index locked for `timeout` seconds.
        """
        # Big batches use both cores. multisegment skips the final merge, which
        # costs more than it saves; small updates keep to one segment.
        # What a killed write left (the caller holds the update lock: nobody else writes).
        remove_leftovers(Path(self._ix.storage.folder))
        # Not compound: Whoosh copies every part of a compound segment into memory
        # when it opens it; separate files are read from disk as needed.
        try:
            if bulk:
                writer: writing.SegmentWriter = BulkWriter(
                    self._ix, 2, timeout=timeout, compound=False
                )
            else:
                writer = ArrayWriter(self._ix, timeout=timeout, compound=False)
        except index.LockError:
            raise StoreBusy("another process is updating the index") from None
        try:
            for key in remove:
                writer.delete_by_term("key", key)
            for count, paper in enumerate(add, start=1):
                writer.add_document(**_paper_document(paper))
                if progress and count % 200 == 0:
                    progress(count)
            writer.commit(mergetype=writing.CLEAR if clear else None)
        except BaseException:
            # Interrupted, out of disk or failed: the committed index stays as it
            # was, and nothing of this write is left behind.
            with suppress(Exception):
                writer.cancel()
            remove_leftovers(Path(self._ix.storage.folder))
            raise
        self.refresh()


def _read_ahead(folder: Path) -> None:
    """Have the kernel read the index's files into its cache in the background: a
    search otherwise waits on the disk for each page it first touches (seconds for
    the first searches at 1M papers once the files have left the cache). Costs
    nothing for what is cached already."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    with suppress(OSError):
        for path in folder.iterdir():
            with suppress(OSError):
                fd = os.open(path, os.O_RDONLY)
                try:
                    size = os.fstat(fd).st_size
                    # Linux reads ahead at most its read-ahead window a call.
                    for start in range(0, size, _READ_AHEAD):
                        advise(fd, start, _READ_AHEAD, os.POSIX_FADV_WILLNEED)
                finally:
                    os.close(fd)


_READ_AHEAD = 8 << 20


def _members(docs: np.ndarray, among: np.ndarray, size: int) -> np.ndarray:
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


# _members() reads a mask once the documents looked up are this share of the index.
_MASK_SHARE = 32


def _overlap(some: np.ndarray, others: np.ndarray, size: int) -> int:
    """How many documents two ascending arrays share: the smaller looked up in the other."""
    if len(some) > len(others):
        some, others = others, some
    return int(np.count_nonzero(_members(some, others, size)))


def _years(segment) -> np.ndarray:  # type: ignore[no-untyped-def]
    """A segment's year column (0: no year): its bytes in one read where Whoosh
    wrote them as fixed-size numbers, else value by value."""
    size = segment.doc_count_all()
    years = np.zeros(size, dtype=np.int64)
    if not segment.has_column("year"):
        return years
    column = segment.column_reader("year", translate=False)
    try:
        data = read_at(column._dbfile, column._basepos, column._count * column._fixedlen)
        values = np.frombuffer(data, dtype=">" + column._typecode).astype(np.int64)
    except AttributeError:  # another kind of column
        values = np.array(list(column), dtype=np.int64)
    values = values[:size]
    # Papers without a year hold the column's default (the largest number it holds).
    years[: len(values)] = np.where(values == getattr(column, "_default", 0), 0, values)
    return years


def _live_count(searcher: Searcher, field: str, text: str) -> int:
    """How many papers hold a term. Whoosh's document frequency also counts papers
    an update deleted (until their segment is merged), so those are counted out."""
    reader = searcher.reader()
    if not reader.has_deletions():
        return searcher.doc_frequency(field, text)
    if (field, text) not in reader:
        return 0
    return sum(1 for _ in reader.postings(field, text).all_ids())


# Fields whose terms warm_up() keeps in memory; ids are looked up in the index.
_IN_MEMORY_FIELDS = ("title", "abstract", "author", "venue")


def _term_counts(reader, field: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A field's terms with their document counts, read a segment at a time: the
    index-wide reader looks each term up in every segment, ten times slower."""
    counts: dict[str, int] = {}
    for segment, _ in reader.leaf_readers():
        for term, info in segment.iter_field(field):
            text = term.decode("utf-8")
            counts[text] = counts.get(text, 0) + info.doc_frequency()
    return counts


def _vocabulary(reader, field: str) -> Vocabulary:  # type: ignore[no-untyped-def]
    return Vocabulary(_term_counts(reader, field).items())


class IndexTerms:
    """A field's terms read from the index as needed: what Vocabulary answers
    from memory, slower."""

    def __init__(self, reader, field: str) -> None:  # type: ignore[no-untyped-def]
        self._reader = reader
        self._field = field

    def completions(self, prefix: str, limit: int | None = None) -> list[str]:
        found = [
            (info.doc_frequency(), text.decode("utf-8") if isinstance(text, bytes) else text)
            for text, info in self._reader.iter_prefix(self._field, prefix)
        ]
        found.sort(key=lambda pair: -pair[0])
        return [text for _, text in found[:limit]]

    def starting(self, prefix: str) -> list[tuple[str, int]]:
        return [
            (text.decode("utf-8") if isinstance(text, bytes) else text, info.doc_frequency())
            for text, info in self._reader.iter_prefix(self._field, prefix)
        ]

    def within(self, word: str, distance: int, prefix_length: int = 0) -> list[str]:
        found = self._reader.terms_within(self._field, word, distance, prefix_length)
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]

    def count(self, term: str) -> int:
        return self._reader.doc_frequency(self._field, term)


Terms = Vocabulary | IndexTerms


def _restrict(q: query.Query, author: str | None, source: str | None) -> query.Query:
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


def typing_completions(prefix: str) -> int:
    """While typing, how many of a prefix's most common completions it stands for.

    Each completion's postings are scored: "tr*" over every word starting "tr"
    would cost seconds, and is rarely what the user is about to type anyway.
    """
    return {1: 0, 2: 0, 3: 6, 4: 16}.get(len(prefix), 48)


def _bound_prefixes(q: query.Query, terms_of: Callable[[str], Terms]) -> query.Query:
    """Replace each prefix by its most common completions (see typing_completions).

    A prefix too short to guess from is left out, and the other words decide: an
    And or Or drops it, and one left with nothing is left out in turn.
    """
    bounded = _bounded(q, terms_of)
    return query.NullQuery if bounded is None else bounded


def _bounded(q: query.Query, terms_of: Callable[[str], Terms]) -> query.Query | None:
    """_bound_prefixes(), with None for what is left out."""
    if isinstance(q, query.Prefix):
        limit = typing_completions(q.text)
        if not limit:
            return None
        completions = terms_of(q.fieldname).completions(q.text, limit)
        terms = [query.Term(q.fieldname, text) for text in completions]
        return query.Or(terms, boost=q.boost) if terms else query.NullQuery
    if type(q) in (query.And, query.Or):
        kept = [b for b in (_bounded(child, terms_of) for child in q.subqueries) if b is not None]
        return q.__class__(kept, boost=q.boost) if kept else None
    return q.apply(lambda child: _bound_prefixes(child, terms_of))


def _expand_fuzzy(q: query.Query, terms_of: Callable[[str], Terms]) -> query.Query:
    """Replace each fuzzy term by the indexed terms near it.

    Whoosh would read through every term sharing the first letter, for each field,
    once to search and once more to find what to highlight.
    """
    if isinstance(q, query.FuzzyTerm) and q.fieldname in SEARCH_FIELDS:
        near = terms_of(q.fieldname).within(q.text, int(q.maxdist), q.prefixlength)
        terms = [query.Term(q.fieldname, text) for text in near]
        return query.Or(terms, boost=q.boost) if terms else query.NullQuery
    return q.apply(lambda child: _expand_fuzzy(child, terms_of))


_TYPED_LETTER = re.compile(r"(?<=\w)\s+\w$")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
# What may be left dangling at the end once a word is taken off: "(", AND, OR, NOT.
_TRAILING_OPERATORS = re.compile(r"(?:\s|\(|\b(?:AND|OR|NOT)\b)+$")
_FILTER_BEGUN = re.compile(r"(?<![\w:.\-])(?i:is|tag|note):\"?$")
_LAST_WORD = re.compile(r"(^|[\s(])((?:[a-z_]+:)?)([\w.\-]+)$")


def _prefix_last_word(text: str) -> str:
    """Make the word being typed a prefix: `transf` finds transformers."""
    if text.count('"') % 2 or not re.search(r"\w$", text):
        return text
    match = _LAST_WORD.search(text)
    if not match or match[3] in _OPERATORS or len(match[3]) < 2 or _is_mark(match):
        return text
    if match[2] == "year:":
        return text
    # The word as typed, or as the start of a longer one: "gpt-4o" must still
    # find "GPT-4o", which no indexed term starts with.
    word = match[3]
    return f"{text[: match.start(2)]}{match[2]}({word} OR {word}*)"


def _is_mark(match: re.Match[str]) -> bool:
    """Whether the last word is a filter on marks: never a prefix (see marks.py)."""
    return match[2].rstrip(":").lower() in MARK_FIELDS


def _closed(mark: str) -> str:
    """A filter word with its quote closed (`note:"two wor` as it is typed)."""
    return mark + '"' if mark.count('"') % 2 else mark


def _balanced(text: str) -> bool:
    if text.count('"') % 2:
        return False
    depth = {"(": 0, "[": 0, "{": 0}
    closing = {")": "(", "]": "[", "}": "{"}
    for char in text:
        if char in depth:
            depth[char] += 1
        elif char in closing:
            depth[closing[char]] -= 1
            if depth[closing[char]] < 0:
                return False
    return not any(depth.values())


def _has_null(q: query.Query) -> bool:
    if isinstance(q, type(query.NullQuery)):
        return True
    return any(_has_null(child) for child in q.children())


def _drop_stop_words(q: query.Query) -> query.Query:
    """Drop words like "of" that every text field ignored: they must not be required.

    Only the name and id fields keep such words; a clause made of nothing else
    would demand an author called "of".
    """
    if isinstance(q, query.And | query.Or):
        kept = [_drop_stop_words(child) for child in q.subqueries]
        if isinstance(q, query.And):
            kept = [child for child in kept if not _stop_word_clause(child)]
        return q.__class__(kept, boost=q.boost) if kept else query.NullQuery
    if _stop_word_clause(q):
        return query.NullQuery
    return q


_STEMMED_FIELDS = ("title", "abstract", "venue")
# Did-you-mean looks past a known word held by at most _RARE papers when a neighbour
# is held by _COMMONER times as many.
_RARE = 5
_COMMONER = 20


def _fuzzy_from_first_letter(q: query.Query) -> query.Query:
    """A fuzzy term keeps its first letter: scanning every term of the index is too slow."""
    if isinstance(q, query.FuzzyTerm) and q.prefixlength < 1:
        return query.FuzzyTerm(q.fieldname, q.text, q.boost, q.maxdist, 1)
    return q.apply(_fuzzy_from_first_letter)


def _widen_prefixes(q: query.Query) -> query.Query:
    """Let `annotat*` find "annotation", whose indexed stem "annot" is shorter than it.

    A typed prefix can run past the stem of the words it starts, so in stemmed
    fields the stems it begins with count too (a few dictionary look-ups).
    """
    if isinstance(q, query.Prefix) and q.fieldname in _STEMMED_FIELDS and len(q.text) >= 5:
        text = q.text
        shorter = [
            query.Term(q.fieldname, text[:k]) for k in range(max(4, len(text) - 4), len(text))
        ]
        return query.Or([q, *shorter])
    return q.apply(_widen_prefixes)


def _stop_word_clause(q: query.Query) -> bool:
    parts = q.subqueries if isinstance(q, query.Or) else [q]
    return all(
        isinstance(part, query.Term)
        and part.fieldname in ("id", "author")
        and isinstance(part.text, str)
        and part.text in _STOP_WORDS
        for part in parts
    ) and isinstance(q, query.Or)
