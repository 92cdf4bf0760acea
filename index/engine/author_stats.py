"""Authors of a library counted from the index: every name with its papers, and an
author's years and shared papers, without reading each paper."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from whoosh import query
from whoosh.searching import Searcher

from ..text import author_key
from .index_terms import term_counts
from .search import Searches, restrict
from .searcher_state import SearcherState


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


def author_counts(state: SearcherState) -> list[tuple[str, int]]:
    """Every author name of the library with its number of papers, most first
    (see Store.author_counts)."""
    with state.searching() as searcher:
        reader = searcher.reader()
        papers = term_counts(reader, "author_key")
        # Papers an update deleted are still in the terms' counts until merged away.
        for docnum in range(reader.doc_count_all()):
            if reader.is_deleted(docnum):
                names = json.loads(reader.stored_fields(docnum)["data"])["authors"]
                for key in {author_key(n) for n in names}:
                    papers[key] = papers.get(key, 1) - 1
        shown: dict[str, tuple[int, str]] = {}
        for name, often in term_counts(reader, "author_name").items():
            key = author_key(name)
            if often > shown.get(key, (0, ""))[0]:
                shown[key] = (often, name)
    counted = [(name, papers.get(key, 0)) for key, (_, name) in shown.items()]
    return sorted((c for c in counted if c[1] > 0), key=lambda c: (-c[1], c[0]))


def author_links(
    state: SearcherState,
    searches: Searches,
    author: str,
    others: Iterable[str],
    collections: Iterable[str],
) -> AuthorLinks:
    """What an author's picture is drawn from (see Store.author_links)."""
    with state.searching() as searcher:
        docs = _author_docs(searches, searcher, author, None)
        years = state.year_column(searcher)[docs]
        shared = {
            other: int(np.isin(_author_docs(searches, searcher, other, None), docs).sum())
            for other in others
        }
        listed = np.zeros(0, dtype=np.int64)  # a paper in two collections: read once
        for path in collections:
            listed = np.union1d(listed, _author_docs(searches, searcher, author, path))
        names = [
            tuple(json.loads(searcher.stored_fields(docnum)["data"])["authors"])
            for docnum in listed.tolist()
        ]
    return AuthorLinks(len(docs), [y or None for y in years.tolist()], shared, names)


def _author_docs(
    searches: Searches, searcher: Searcher, author: str, source: str | None
) -> np.ndarray:
    """The document numbers of an author's papers (from one dump), ascending."""
    if not author_key(author):
        return np.zeros(0, dtype=np.int64)
    matches, _ = searches.matches(searcher, restrict(query.Every(), author, source))
    return matches.docs
