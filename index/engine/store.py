"""The Whoosh index of papers: opening, searching and writing it.

Only this package (index/engine) imports whoosh: the rest of the program sees
papers and hits, never Whoosh objects. The index is a cache of the dumps:
whatever goes wrong with it, it can be built again, so every Whoosh failure
surfaces as StoreError or StoreBusy (errors.py).

Store is the one object the rest of the program holds; the work is done by
the modules it is made of: schema.py (the fields, a paper as a document),
searcher_state.py (the searcher and what is read from it), rewrite.py (text as
typed into a query), search.py, suggest.py and author_stats.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from whoosh import index, query, writing
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import try_for

from ..model import Hit, Paper
from ..text import author_key
from .allocator import keep_freed_memory
from .author_stats import AuthorLinks, author_counts, author_links
from .errors import StoreBusy, StoreError
from .index_terms import live_count
from .marks import MarkSource
from .order import LISTING_ORDER
from .result import SearchResult
from .rewrite import Rewriter
from .schema import paper_document, paper_from_stored, schema, searched_text, source_token
from .search import Searches
from .searcher_state import SearcherState
from .suggest import Suggester
from .workers import BulkWriter, remove_leftovers
from .writer import ArrayWriter


class Store:
    """An open Whoosh index of papers with one reusable searcher.

    Safe to share between threads: searches take turns on the one searcher, which
    is much cheaper than opening a new one per query.

    Attributes:
        searcher_state: The searcher and what was read from it; its searching()
            lends the searcher itself, for reading the index as Whoosh does.
    """

    def __init__(self, ix: index.Index) -> None:
        keep_freed_memory()  # searches free and remake arrays of megabytes
        self._ix = ix
        self.searcher_state = SearcherState(ix)
        self._searches = Searches(self.searcher_state, Rewriter(ix.schema, self.searcher_state))
        self._suggester = Suggester(self.searcher_state, self._searches)

    @property
    def user(self) -> MarkSource | None:
        """The reading state that `is:`, `tag:` and `note:` filter on (None: no marks)."""
        return self._searches.user

    @user.setter
    def user(self, user: MarkSource | None) -> None:
        self._searches.user = user

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
            if set(store._ix.schema.names()) != set(schema().names()):
                raise StoreError("the index was written by another version")
            with store.searcher_state.searching() as searcher:
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
            return cls(index.create_in(str(directory), schema()))
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
        """Close the searcher (a search after this opens another)."""
        self.searcher_state.close()

    # --- reading ------------------------------------------------------------

    def warm_up(self) -> None:
        """Read the terms of the searched text fields into memory (a few seconds
        for 100,000 papers), and again whenever the index changes.

        It reads on a reader of its own, so searches go on meanwhile, expanding
        prefixes and fuzzy terms from the index until it is done.
        """
        self.searcher_state.warm_up()

    def completions_in_memory(self, field: str, prefix: str, limit: int = 1) -> list[str]:
        """A field's most common terms starting with `prefix`, from memory once
        warm_up() read them (else none): for completing while typing, which must
        never wait on the index or on another search."""
        return self.searcher_state.completions_in_memory(field, prefix, limit)

    def version(self) -> int:
        """Which commit of the index searches read now (its generation): another
        process's commit is seen within half a second."""
        with self.searcher_state.searching() as searcher:
            generation = searcher.reader().generation()
        # An index of no segment (a library of no paper) has no generation.
        return -1 if generation is None else int(generation)

    def refresh(self) -> None:
        """See what was committed since the searcher was opened."""
        self.searcher_state.refresh()

    def count(self, author: str | None = None, source: str | None = None) -> int:
        """How many papers there are, or how many an author or a dump file has."""
        with self.searcher_state.searching() as searcher:
            if author is not None:
                return live_count(searcher, "author_key", author_key(author))
            if source is not None:
                return live_count(searcher, "source", source_token(source))
            return searcher.doc_count()

    def author_counts(self) -> list[tuple[str, int]]:
        """Every author name of the library with its number of papers, most first.

        From the index's terms, a read of a few seconds at most for 100,000 papers:
        names that differ only in form ("Jain, Saachi", "Saachi Jain") are one author,
        shown as most papers write it.
        """
        return author_counts(self.searcher_state)

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
        return author_links(self.searcher_state, self._searches, author, others, collections)

    def get(self, key: str) -> Paper | None:
        """The paper with this key, if the index holds it."""
        with self.searcher_state.searching() as searcher:
            stored = searcher.document(key=key)
            return paper_from_stored(stored) if stored else None

    def papers(
        self, author: str | None = None, limit: int | None = None, order: str = LISTING_ORDER
    ) -> list[Paper]:
        """Papers of one author or all, newest first (or in another of ORDERS)."""
        return [hit.paper for hit in self.search("", author=author, limit=limit, order=order).hits]

    def each_paper(self, order: str = LISTING_ORDER) -> Iterator[Paper]:
        """Every paper in `order` ("relevance": LISTING_ORDER), each read from the
        index as it is taken: the first comes at once, where papers() reads them all
        first. The searcher is held, for this thread, until the papers run out or
        the iterator is closed.
        """
        if order == "relevance":
            order = LISTING_ORDER
        with self.searcher_state.searching() as searcher:
            docs = self._searches.matches(searcher, query.Every())[0].docs
            for doc in docs[self.searcher_state.sort_columns(searcher).arrange(docs, order, None)]:
                yield paper_from_stored(searcher.stored_fields(int(doc)))

    def touching(
        self, sources: Iterable[str], ids: Iterable[str], fingerprints: Iterable[str]
    ) -> list[Paper]:
        """Papers from any of `sources`, or with any of these arXiv ids or abstracts."""
        terms = [query.Term("source", source_token(s)) for s in sources]
        terms += [query.Term("id", i.lower()) for i in ids]
        terms += [query.Term("fingerprint", f) for f in fingerprints]
        if not terms:
            return []
        with self.searcher_state.searching() as searcher:
            found = searcher.search(query.Or(terms), limit=None)
            return [paper_from_stored(hit.fields()) for hit in found]

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
        return self._searches.search(
            text,
            author=author,
            source=source,
            limit=limit,
            as_you_type=as_you_type,
            cancelled=cancelled,
            marks=marks,
            order=order,
            tabs=tabs,
        )

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
        return self._searches.query_for(
            text, author=author, source=source, as_you_type=as_you_type, marks=marks
        )

    def suggest(self, text: str, as_you_type: bool = False) -> str | None:
        """The query with its unknown words corrected from the index's vocabulary, if any.

        "transfromer" -> "transformer": the nearest known stem (fewest edits, then
        most papers) in a form close to what was typed.

        Args:
            as_you_type: The last word is still being typed: a word that starts
                indexed words is not a mistake.
        """
        return self._suggester.suggest(text, as_you_type)

    def related(self, key: str, top: int = 10) -> list[Hit]:
        """The papers most like this one: its abstract's key terms, searched for."""
        with self.searcher_state.searching() as searcher:
            docnum = searcher.document_number(key=key)
            if docnum is None:
                return []
            # The abstract as indexed (it is kept as written in the paper's data).
            text = searched_text(paper_from_stored(searcher.stored_fields(docnum)).abstract)
            found = searcher.more_like(docnum, "abstract", text=text, top=top, numterms=12)
            key_terms = searcher.key_terms_from_text("abstract", text, numterms=12)
            terms = {"abstract": frozenset(t for t, _ in key_terms)}
            return [Hit(paper_from_stored(hit.fields()), hit.score or 0.0, terms) for hit in found]

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
                writer.add_document(**paper_document(paper))
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
