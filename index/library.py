"""A library: the dumps a user pointed at, kept in step with their index.

The index is a cache of the dumps. Keeping it up to date is update.py's work,
what it records is manifest.py's, holding it open is open_index.py's; this module
reads from it. A read that finds the index damaged fails (StoreError) and leaves
why with the open index: the next update rebuilds it, saying why.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

from .config import Config, cache_dir
from .engine.allocator import keep_freed_memory
from .engine.result import SearchResult
from .engine.store import Store
from .formats.jsonl import Collection
from .manifest import manifest_paths, read_manifest
from .model import AuthorInfo, AuthorProfile, Hit, Paper, Shelves
from .open_index import OpenIndex
from .sample_labels import SAMPLES, is_samples
from .state import pinned_authors
from .text import author_key, display_name
from .update import Progress, UpdateReport, update
from .userdb import UserDB

T = TypeVar("T")

# At most this many dumps' authors and collections have a tab each (in library
# order): a tab bar of thousands could be neither read nor drawn while typing. The
# others are reached through the authors' list, which pins the one chosen.
SHELVED = 40


def sample_dumps() -> Path:
    """The sample dumps bundled with the program, opened on a first run."""
    return SAMPLES


def default_index_dir(paths: Sequence[Path]) -> Path:
    """The cache folder of a library, named by its paths."""
    digest = hashlib.sha1("\n".join(str(p) for p in paths).encode("utf-8", "surrogatepass"))
    return cache_dir() / "libraries" / digest.hexdigest()[:16]


class Library:
    """The dumps under some paths and their index.

    Args:
        paths: Dump files and folders.
        index_dir: Where the index lives (default: a cache folder for these paths).
        config: Labels for dumps that name no author.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        index_dir: Path | None = None,
        config: Config | None = None,
    ) -> None:
        self.paths = [Path(os.path.abspath(p.expanduser())) for p in paths]
        self.index_dir = index_dir or default_index_dir(self.paths)
        self.config = config or Config.load()
        # Told why the index is rebuilt, before it starts, and how the work goes: a
        # callback, or a context that gives one for the time of the work (a progress bar).
        self.say: Callable[[str], object] | None = None
        self.progress: Progress | None = None
        self.watch: Callable[[], AbstractContextManager[Progress]] | None = None
        self._user: UserDB | None = None
        self._index = OpenIndex(self.index_dir, lambda: self.user)
        # Here, before the reader starts its threads, so that they share one arena.
        keep_freed_memory()

    @property
    def is_samples(self) -> bool:
        """Whether this library is the bundled sample dumps (opened on a first run)."""
        return is_samples(self.paths)

    @classmethod
    def at(cls, index_dir: Path, config: Config | None = None) -> Library:
        """The library indexed in `index_dir`, with the paths it was indexed from.

        Raises:
            FileNotFoundError: nothing was ever indexed there.
        """
        # Any version's manifest names the paths; an old index is rebuilt on update.
        return cls(manifest_paths(index_dir), index_dir, config)

    # --- keeping the index up to date ---------------------------------------

    def update(self, progress: Progress | None = None, wait: float = 2.0) -> UpdateReport:
        """Bring the index up to date with the dumps, reading only what changed.

        A damaged index is built again from the dumps (one a read found damaged
        too: see `damage`), and `say` (if set) is told why before it starts.

        Args:
            progress: Told what is being done, as it goes (default: self.progress).
            wait: Seconds to wait for another process that is updating this index.
        """
        return update(
            self._index,
            self.paths,
            self.config,
            progress or self.progress,
            watch=self.watch,
            say=self.say,
            wait=wait,
        )

    @property
    def damage(self) -> str | None:
        """Why a read found the index damaged (it failed with StoreError), for the
        next update to rebuild it; None when no read did since."""
        return self._index.damage

    def papers_held(self) -> int | None:
        """How many papers the index holds as it is (None: there is no readable index)."""
        return self._index.papers_held()

    @property
    def user(self) -> UserDB:
        """The reader's state of this library's papers (stars, tags, notes...): kept
        apart from the index, so a rebuild or a deleted index keeps it."""
        if self._user is None:
            self._user = UserDB.for_library(self.index_dir)
        return self._user

    # --- reading ------------------------------------------------------------

    def store(self) -> Store:
        """The open index. Raises StoreError when there is none to open."""
        return self._index.store()

    def store_or_none(self) -> Store | None:
        """The open index, or None when there is none (yet) or it cannot be read."""
        return self._index.open_store()[0]

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
        """Search the papers, as Store.search does.

        Args:
            text: The query as typed; what does not parse is searched as its words.
            author: Only papers of this author (a dump's label or a paper's own author).
            source: Only papers from this dump file.
            limit: At most this many hits (None: all).
            as_you_type: The query is being typed: its last word is a prefix.
            cancelled: Polled while searching: True stops with SearchCancelled.
            marks: Only papers this filter on marks keeps (`is:starred`, `tag:x`...).
            order: "relevance" (best first; newest without a query), "newest",
                "oldest" or "title" (ORDERS).
            tabs: (author, source, marks) filters whose matches to count (tab_counts).

        Raises:
            StoreError: the index cannot be read (as every read here): the search
                starts no rebuild; the next update rebuilds it, saying why.
        """
        return self._reading(
            lambda s: s.search(
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
        )

    def warm_up(self) -> None:
        """Keep the words of the library in memory from now on, for fast prefix and
        fuzzy searches (see Store.warm_up). For a long-running reader."""
        self._reading(lambda s: s.warm_up())

    def suggest(self, text: str, as_you_type: bool = False) -> str | None:
        """A corrected query where words of this one are unknown (see Store.suggest)."""
        return self._reading(lambda s: s.suggest(text, as_you_type))

    def related(self, key: str, top: int = 10) -> list[Hit]:
        """The papers most like the paper with this key, most alike first."""
        return self._reading(lambda s: s.related(key, top))

    def count(self, author: str | None = None, source: str | None = None) -> int:
        return self._reading(lambda s: s.count(author, source))

    def papers(self, author: str | None = None, order: str = "newest") -> list[Paper]:
        """Papers of one author or all, newest first or in another of ORDERS."""
        return self._reading(lambda s: s.papers(author, order=order))

    def each_paper(self, order: str = "newest") -> Iterator[Paper]:
        """Every paper in one of ORDERS, each as soon as it is read (see papers()).

        Raises:
            StoreError: the index cannot be read (before the first paper, the next
                update rebuilds it).
        """
        papers = self._reading(lambda store: store.each_paper(order))
        first = self._reading(lambda _: next(papers, None))
        if first is not None:
            yield first
            yield from papers

    def get(self, key: str) -> Paper | None:
        return self._reading(lambda s: s.get(key))

    def shelves(self, most: int = SHELVED) -> Shelves:
        """The library as the reader's tabs divide it: all, each dump's author, each
        collection (the first `most` of these), then the pinned authors without a
        tab of their own.

        Read from one version of the index: another process may commit meanwhile,
        and the tabs must add up to what a search then finds.
        """
        for _ in range(3):  # (a process committing all the while: the last read)
            version = self._reading(lambda s: s.version())
            shelves = self._shelves(read_manifest(self.index_dir) or {"dumps": {}}, most)
            if self._reading(lambda s: s.version()) == version:
                break
        return shelves

    def _shelves(self, manifest: dict, most: int) -> Shelves:
        dumps = manifest["dumps"]
        shelved = [
            path
            for path, entry in dumps.items()
            if entry.get("label") or entry.get("format") == Collection.format
        ][:most]
        counted = {"dumps": {path: dumps[path] for path in shelved}}
        authors, collections = self._authors(counted), self._collections(counted)
        labels = {a.author for a in authors}
        pinned = [
            name for name in pinned_authors(self.config, self.index_dir) if name not in labels
        ]
        return Shelves(
            self.count(),
            tuple(authors),
            tuple(collections),
            tuple((name, self.count(author=name)) for name in pinned),
        )

    def authors(self) -> list[AuthorInfo]:
        """Every dump's author label with its number of papers, in library order."""
        return self._authors(read_manifest(self.index_dir) or {"dumps": {}})

    def _authors(self, manifest: dict) -> list[AuthorInfo]:
        return self._reading(
            lambda s: [
                AuthorInfo(entry["label"], path, s.count(entry["label"]))
                for path, entry in manifest["dumps"].items()
                if entry.get("label")
            ]
        )

    def coauthors(self) -> list[tuple[AuthorInfo, int, dict[str, int]]]:
        """Each dump's author, how many of its papers others have too, and with whom."""
        authors = self.authors()
        labels = {a.author for a in authors}
        table = []
        for info in authors:
            shared: dict[str, int] = {}
            papers = 0
            for paper in self.papers(info.author):
                others = set(paper.authors) & labels - {info.author}
                papers += bool(others)
                for other in others:
                    shared[other] = shared.get(other, 0) + 1
            ranked = dict(sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])))
            table.append((info, papers, ranked))
        return table

    def author_profile(self, name: str, top: int = 8) -> AuthorProfile:
        """An author's papers per year and the `top` authors sharing most papers.

        The author is a dump's label or a paper's own author, in any form of the
        name ("Jain, Saachi" is "Saachi Jain"); an unknown one has an empty profile.
        Drawn from the index's year column and postings: of the stored papers, only
        the author's papers in collections are read, for their own authors.
        """
        manifest = read_manifest(self.index_dir) or {"dumps": {}}
        dumps = manifest["dumps"]
        collections = [p for p, e in dumps.items() if e.get("format") == Collection.format]
        own = author_key(name)
        # One name per author among the labels, as its first dump writes it.
        labels: dict[str, str] = {}
        for entry in dumps.values():
            if entry.get("label"):
                labels.setdefault(author_key(entry["label"]), entry["label"])
        others = [label for key, label in labels.items() if key != own]
        links = self._reading(lambda s: s.author_links(name, others, collections))
        shared = {author_key(label): papers for label, papers in links.shared.items() if papers}
        shown = {author_key(label): label for label in links.shared}
        # The papers' own authors: labels are counted above, each author once a paper,
        # shown as most of the papers write the name ("Lovelace, Ada": "Ada Lovelace").
        forms: dict[str, Counter[str]] = {}
        for names in links.authors:
            written: dict[str, str] = {}
            for each in names:
                written.setdefault(author_key(each), display_name(" ".join(each.split())))
            for key, form in written.items():
                if key and key != own and key not in labels:
                    shared[key] = shared.get(key, 0) + 1
                    forms.setdefault(key, Counter())[form] += 1
        for key, counted in forms.items():
            shown[key] = counted.most_common(1)[0][0]
        ranked = sorted(shared, key=lambda k: (-shared[k], shown[k].casefold(), shown[k]))
        dated = Counter(year for year in links.years if year is not None)
        first, last = (min(dated), max(dated)) if dated else (0, -1)
        return AuthorProfile(
            author=name,
            papers=links.papers,
            years={year: dated.get(year, 0) for year in range(first, last + 1)},
            undated=links.years.count(None),
            coauthors=tuple((shown[key], shared[key]) for key in ranked[:top]),
        )

    def author_words(self, prefix: str) -> list[str]:
        """Words of author names starting with `prefix`, most papers first: from
        memory, so none until the reader has read the library's words."""
        store = self._index.opened()
        if store is None:
            return []
        return store.completions_in_memory("author", prefix.lower(), limit=3)

    def collection_authors(self) -> list[tuple[str, int]]:
        """The authors of the library's collections (not the dumps' own labels), with
        their numbers of papers, most first; none when it has no collection."""
        if not self.collections():
            return []
        labels = {author_key(a.author) for a in self.authors()}
        return [
            (name, papers)
            for name, papers in self._reading(lambda s: s.author_counts())
            if author_key(name) not in labels
        ]

    def collections(self) -> list[tuple[str, int]]:
        """Every JSON Lines collection of the library, with its number of papers."""
        return self._collections(read_manifest(self.index_dir) or {"dumps": {}})

    def _collections(self, manifest: dict) -> list[tuple[str, int]]:
        return self._reading(
            lambda s: [
                (path, s.count(source=path))
                for path, entry in manifest["dumps"].items()
                if entry.get("format") == Collection.format
            ]
        )

    def _reading(self, read: Callable[[Store], T]) -> T:
        """What `read` reads from the index.

        Raises:
            StoreError: the index cannot be read; the next update rebuilds it.
        """
        return self._index.read(read)

    def close(self) -> None:
        self._index.close()
        if self._user is not None:
            self._user.close()
