"""The one searcher of an open index, and everything read from it for searches.

Opening a searcher per query costs far more than a search, so one is kept and
shared between threads, which take turns on it (its lock). What is read from it
(terms in memory, the array evaluator, sort columns, years, tabs' documents,
recent answers) is kept beside it and let go in one place (_open) when another
process's commit brings a new searcher.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np
from whoosh import index
from whoosh.searching import Searcher

from ..vocabulary import Vocabulary
from .allocator import reserve
from .errors import SearchCancelled, StoreBusy, StoreError
from .evaluate import Evaluator, Unsupported
from .index_terms import IndexTerms, Terms, vocabulary
from .order import SortColumns
from .postings import PostingSource
from .result import SearchResult
from .stored import read_at

# Fields whose terms warm_up() keeps in memory; ids are looked up in the index.
_IN_MEMORY_FIELDS = ("title", "abstract", "author", "venue", "spelled")
# How many recent answers are kept.
_ANSWERS = 64


class SearcherState:
    """An index's searcher and what was read from it, for every thread to share.

    Each cache also names the searcher it was read from: a thread still holding
    an older searcher never takes what a newer one read, nor gives it.
    """

    def __init__(self, ix: index.Index) -> None:
        self._ix = ix
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._checked = 0.0
        self._warm = False
        # Terms of searched fields in memory, for the current searcher (warm_up()).
        self._vocabularies: dict[str, Vocabulary] = {}
        # Recent results, each with the searcher that found them.
        self._results: dict[tuple, tuple[Searcher, SearchResult]] = {}
        # The array evaluator of the current searcher (None: Whoosh scores alone).
        self._engine: tuple[Searcher, Evaluator | None] | None = None
        self._columns: tuple[Searcher, SortColumns] | None = None  # see sort_columns()
        # Each tab's documents, for the searcher that read them (see tab_docs()).
        self._tabs: tuple[Searcher | None, dict[tuple, np.ndarray]] = (None, {})
        self._years: tuple[Searcher, np.ndarray] | None = None  # see year_column()
        self._opened = 0  # searchers opened: what was read from the terms is of one

    def version(self) -> int:
        """Which searcher the terms are read from: a new number for each."""
        return self._opened

    @contextmanager
    def searching(self) -> Iterator[Searcher]:
        """The current searcher, for this thread alone until the block ends.

        Raises:
            StoreError: the index cannot be read (a damaged or vanished file).
        """
        with self._lock:
            try:
                yield self.current()
            except (StoreError, StoreBusy, SearchCancelled):
                raise
            except Exception as error:  # a damaged or vanished segment file
                raise StoreError(f"cannot read the index ({error!r})") from error

    def current(self) -> Searcher:
        """The searcher to read with, new if another process committed since (seen
        within half a second). The caller holds the lock (see searching())."""
        now = time.monotonic()
        searcher = self._searcher
        if searcher is None:
            searcher = self._open()
            self._checked = now
        elif now - self._checked > 0.5:
            # Another process may have committed. Not Searcher.refresh(): it reuses
            # segment readers and so misses deletions in segments it already had.
            if not searcher.up_to_date():
                searcher.close()
                searcher = self._open()
                if self._warm:
                    threading.Thread(target=self.warm_up, daemon=True).start()
            self._checked = now
        return searcher

    def _open(self) -> Searcher:
        """A searcher on the index as last committed, and nothing read from it yet:
        what the searcher before it read is let go here."""
        self._searcher = self._ix.searcher()
        self._opened += 1
        self._vocabularies = {}
        self._results = {}
        self._engine = None
        self._columns = None
        self._tabs = (None, {})
        self._years = None
        return self._searcher

    def refresh(self) -> None:
        """See what was committed since the searcher was opened."""
        with self._lock:
            self._checked = 0.0

    def close(self) -> None:
        """Close the searcher; the next search opens another."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    # --- terms --------------------------------------------------------------

    def terms(self, field: str) -> Terms:
        """The terms of `field`: from memory once warm_up() read them, else from
        the index (the caller holds the searcher)."""
        vocabulary = self._vocabularies.get(field)
        if vocabulary is not None:
            return vocabulary
        return IndexTerms(self.current().reader(), field)

    def terms_in_memory(self) -> bool:
        """Whether warm_up() read the current searcher's terms into memory."""
        return bool(self._vocabularies)

    def completions_in_memory(self, field: str, prefix: str, limit: int = 1) -> list[str]:
        """A field's most common terms starting with `prefix`, from memory once
        warm_up() read them (else none): for completing while typing, which must
        never wait on the index or on another search."""
        vocabulary = self._vocabularies.get(field)
        return vocabulary.completions(prefix, limit) if vocabulary is not None else []

    def _completions(self, field: str, prefix: str) -> list[str] | None:
        vocabulary = self._vocabularies.get(field)
        return vocabulary.completions(prefix) if vocabulary is not None else None

    def warm_up(self) -> None:
        """Read the terms of the searched text fields into memory (a few seconds
        for 100,000 papers), and again whenever the index changes.

        It reads on a reader of its own, so searches go on meanwhile, expanding
        prefixes and fuzzy terms from the index until it is done.
        """
        with self._lock:
            self._warm = True
            searcher = self.current()
            generation = searcher.reader().generation()
            documents = searcher.doc_count_all()
        try:
            with self._ix.reader() as reader:
                if reader.generation() != generation:
                    return  # changed meanwhile: the next searcher warms up again
                loaded = {field: vocabulary(reader, field) for field in _IN_MEMORY_FIELDS}
        except Exception:  # a damaged index: searches find out and say so
            return
        with self._lock:
            if self._searcher is not searcher:
                return
            self._vocabularies = loaded
            engine = self.evaluator(searcher)
        if engine is not None:  # for ties broken by key and filters on marks
            engine.source.hold_terms("key")
        # numpy imports numpy.ma at a process's first np.unique (some 16 ms): here,
        # not in whichever search calls it first.
        import numpy.ma  # noqa: F401

        # After the terms, which completing while typing waits for.
        _read_ahead(Path(self._ix.storage.folder))
        reserve(documents)

    # --- what searches read, once per searcher ------------------------------

    def evaluator(self, searcher: Searcher) -> Evaluator | None:
        """The array evaluator of this searcher, made once per searcher."""
        if self._engine is None or self._engine[0] is not searcher:
            try:
                engine = Evaluator(PostingSource(searcher), searcher.weighting, self._completions)
            except Unsupported:
                engine = None
            self._engine = (searcher, engine)
        return self._engine[1]

    def sort_columns(self, searcher: Searcher) -> SortColumns:
        """The dates and sort keys of every document, read once per searcher."""
        if self._columns is None or self._columns[0] is not searcher:
            self._columns = (searcher, SortColumns(searcher.reader()))
        return self._columns[1]

    def year_column(self, searcher: Searcher) -> np.ndarray:
        """Every document's year (0: none), read once per searcher."""
        if self._years is None or self._years[0] is not searcher:
            parts = [_years(leaf) for leaf, _ in searcher.reader().leaf_readers()]
            years = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            self._years = (searcher, years)
        return self._years[1]

    def tab_docs(self, searcher: Searcher) -> dict[tuple, np.ndarray]:
        """The documents of each tab this searcher read, by what the tab asks:
        for the caller to look up and fill (see search.Searches)."""
        if self._tabs[0] is not searcher:
            self._tabs = (searcher, {})
        return self._tabs[1]

    def answer(self, asked: tuple) -> tuple[Searcher, SearchResult | None]:
        """The searcher searches read now, and its answer to `asked` if it gave one
        (typing back and forth, or the same page again)."""
        with self._lock:
            searcher = self.current()
            cached = self._results.get(asked)
            return searcher, (cached[1] if cached and cached[0] is searcher else None)

    def keep(self, asked: tuple, searcher: Searcher, result: SearchResult) -> None:
        """Keep `searcher`'s answer to `asked` among the recent ones."""
        with self._lock:
            self._results[asked] = (searcher, result)
            while len(self._results) > _ANSWERS:
                self._results.pop(next(iter(self._results)))

    def forget_answers(self) -> None:
        """Drop the recent answers: the searches asked again are searched again."""
        with self._lock:
            self._results.clear()


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
