"""The data the rest of the program sees: records, papers, hits and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .text import first_sentence


@dataclass(frozen=True, slots=True)
class Record:
    """One entry of one dump, as written there.

    Attributes:
        source: Path of the dump file.
        line: 1-based line on which the entry starts.
        label: The author label of the dump (None for a collection of many authors).
        abstract: The abstract text, exactly as in the dump (newlines normalised).
        title: The title, where the dump gives one.
        arxiv_id: The arXiv identifier without version, where the dump gives one.
        venue: Venue or comment lines, where the dump gives them.
        authors: The paper's own author names, where the dump lists them.
        year: The year, where the dump gives one and no arXiv id tells it.
    """

    source: str
    line: int
    label: str | None
    abstract: str
    title: str | None = None
    arxiv_id: str | None = None
    venue: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper, merged from every record of it across dumps.

    Attributes:
        key: Stable identifier: the arXiv id, else a hash of the normalised abstract.
        authors: The author labels of every dump holding it, then its own authors.
        sources: Paths of every dump holding it.
        records: The records it was merged from.
    """

    key: str
    title: str | None
    arxiv_id: str | None
    year: int | None
    abstract: str
    venue: str | None
    authors: tuple[str, ...]
    sources: tuple[str, ...]
    records: tuple[Record, ...] = field(default=(), repr=False, compare=False)

    def heading(self, limit: int = 120) -> str:
        """The title; for a paper without one, its first sentence (cut at `limit`)."""
        return self.title or first_sentence(self.abstract, limit)

    @property
    def source_names(self) -> tuple[str, ...]:
        return tuple(Path(source).name for source in self.sources)

    def to_json(self) -> dict[str, object]:
        """The paper as the command line prints it with --json."""
        return {
            "key": self.key,
            "title": self.title,
            "arxiv_id": self.arxiv_id,
            "year": self.year,
            "abstract": self.abstract,
            "venue": self.venue,
            "authors": list(self.authors),
            "sources": list(self.source_names),
            "paths": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Hit:
    """A paper found by a search.

    Attributes:
        terms: The indexed terms the query matched, by field, for highlighting.
    """

    paper: Paper
    score: float
    terms: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a dump, reported to the user; never a traceback.

    An error means papers of the file could not be indexed; a warning means all
    was indexed but something looks off (a cut-off last record, say).
    """

    path: str
    message: str
    line: int | None = None
    error: bool = True

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Dump:
    """What reading one dump file gave."""

    path: str
    label: str | None
    format: str
    records: tuple[Record, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class AuthorInfo:
    """One author label of the library, with the dump it comes from."""

    author: str
    source: str
    papers: int

    def to_json(self) -> dict[str, object]:
        return {"author": self.author, "source": Path(self.source).name, "papers": self.papers}


@dataclass(frozen=True, slots=True)
class Shelves:
    """How the library divides into the reader's tabs, each with its number of papers.

    Attributes:
        papers: Every paper (the All tab).
        authors: Each dump's author label.
        collections: Each JSON Lines collection, by path.
        pinned: The pinned authors who have no dump of their own (the config's may
            have no papers in this library).
    """

    papers: int
    authors: tuple[AuthorInfo, ...]
    collections: tuple[tuple[str, int], ...]
    pinned: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """An author at a glance: papers per year and the authors most often alongside.

    Attributes:
        author: The name asked about.
        papers: How many papers the author has.
        years: Papers per year, every year from the first to the last (none: 0).
        undated: Papers without a year (counted apart from `years`).
        coauthors: The other authors (dump labels and papers' own authors, one
            entry per author whatever the form of the name) with the number of
            papers shared, most first.
    """

    author: str
    papers: int = 0
    years: dict[int, int] = field(default_factory=dict)
    undated: int = 0
    coauthors: tuple[tuple[str, int], ...] = ()

    @property
    def span(self) -> tuple[int, int] | None:
        """The first and last year with a paper (None: no paper has a year)."""
        return (min(self.years), max(self.years)) if self.years else None

    @property
    def peak(self) -> tuple[int, int] | None:
        """The year with most papers (the earliest of equals) and how many."""
        if not self.years:
            return None
        year = max(self.years, key=lambda y: (self.years[y], -y))
        return year, self.years[year]
