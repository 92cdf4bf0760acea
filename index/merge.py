"""Records -> papers: the same paper in several dumps becomes one paper.

Two records are one paper only when that is sure: the same arXiv id, or the
same abstract once case, whitespace and punctuation are dropped. Two records
with different arXiv ids are never merged, whatever their abstracts say.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Iterator

from .model import Paper, Record
from .text import abstract_hash, year_of


def paper_key(arxiv_id: str | None, abstract: str) -> str:
    """The stable key of a paper: its arXiv id, else a fingerprint of its abstract."""
    return arxiv_id if arxiv_id else "h" + abstract_hash(abstract)[:12]


class _Groups:
    """Union-find over record positions that refuses to join two different ids."""

    def __init__(self, records: list[Record]) -> None:
        self.parent = list(range(len(records)))
        self.ids: list[str | None] = [record.arxiv_id for record in records]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a == b or (self.ids[a] and self.ids[b] and self.ids[a] != self.ids[b]):
            return
        low, high = min(a, b), max(a, b)
        self.parent[high] = low
        self.ids[low] = self.ids[low] or self.ids[high]


def merge(records: Iterable[Record]) -> list[Paper]:
    """Merge records into papers, in the order their first record comes.

    The result does not depend on the order the records are given in.
    """
    ordered = sorted(records, key=lambda r: (r.source, r.line))
    groups = _Groups(ordered)
    first_by_id: dict[str, int] = {}
    first_by_text: dict[str, int] = {}
    for i, record in enumerate(ordered):
        if record.arxiv_id:
            groups.join(first_by_id.setdefault(record.arxiv_id, i), i)
    for i, record in enumerate(ordered):
        groups.join(first_by_text.setdefault(abstract_hash(record.abstract), i), i)
    members: dict[int, list[Record]] = {}
    for i, record in enumerate(ordered):
        members.setdefault(groups.find(i), []).append(record)
    return [paper_of(group) for group in members.values()]


def merge_stream(sources: Callable[[], Iterable[Record]]) -> Iterator[Paper]:
    """Merge records too many to hold in memory; the same papers as merge().

    A first pass takes a 64-bit fingerprint of each record's id and abstract; only
    records that may merge are kept for merge(): those sharing an id, and those
    sharing an abstract with a record that has no id. The rest, nearly all of a
    large collection, are papers of their own and stream through.

    Args:
        sources: Called once per pass; returns the records, in the same order each time.
    """
    prints = array("q")
    # Abstracts of records without an id: only they can join records by abstract,
    # since two different ids never merge.
    idless: set[int] = set()
    for record in sources():
        ident, text = _fingerprints(record)
        prints.extend((ident, text))
        if not record.arxiv_id:
            idless.add(text)
    shared = _repeated(prints)
    kept: list[Record] = []
    for number, record in enumerate(sources()):
        ident, text = prints[2 * number], prints[2 * number + 1]
        if ident in shared or (text in shared and text in idless):
            kept.append(record)
        else:
            yield paper_of([record])
    del prints
    yield from merge(kept)


def _fingerprints(record: Record) -> tuple[int, int]:
    # Two slots a record; a record without id gets a fingerprint nothing else has.
    text = _fingerprint("t" + abstract_hash(record.abstract))
    ident = _fingerprint("i" + record.arxiv_id) if record.arxiv_id else ~text
    return ident, text


def _fingerprint(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _repeated(prints: array) -> set[int]:
    ordered = sorted(prints)
    return {a for a, b in zip(ordered, ordered[1:], strict=False) if a == b}


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def _venue(venues: Iterable[str | None]) -> str | None:
    """The venue and comment lines of a paper's records, each said once.

    Dumps repeat them with other spacing or case, or join a comment and a venue
    with "; " where another dump has the venue alone.
    """
    parts: dict[str, str] = {}
    for venue in venues:
        for part in (venue or "").split(";"):
            if part.strip():
                parts.setdefault(" ".join(part.casefold().split()), part.strip())
    return "; ".join(parts.values()) or None


def paper_of(records: list[Record]) -> Paper:
    """One paper from the records that are surely it; the first title or id known wins."""
    arxiv_id = next((r.arxiv_id for r in records if r.arxiv_id), None)
    # The longest abstract is the one a cut-off scrape did not shorten.
    abstract = max((r.abstract for r in records), key=len)
    year = year_of(arxiv_id) or next((r.year for r in records if r.year), None)
    return Paper(
        key=paper_key(arxiv_id, abstract),
        title=next((r.title for r in records if r.title), None),
        arxiv_id=arxiv_id,
        year=year,
        abstract=abstract,
        venue=_venue(r.venue for r in records),
        authors=_unique([r.label for r in records] + [a for r in records for a in r.authors]),
        sources=_unique(r.source for r in records),
        records=tuple(records),
    )
