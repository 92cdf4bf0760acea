"""Orders of a list of papers besides relevance: newest, oldest, by title.

Each paper's place in them comes from two columns written with it: its date
(year and, where its arXiv id tells it, month) and its title's sort key. A
searcher reads them once into arrays; a match set of any size is then put in
order with numpy, and the matches per year are counted from the same arrays.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from whoosh import columns

from ..model import Paper
from .stored import column_values, read_at

ORDERS = ("relevance", "newest", "oldest", "title")
# What the list is in without a query: it has no relevance to rank by.
LISTING_ORDER = "newest"

# The columns, as the schema names them.
DATE_COLUMN = "date"
TITLE_COLUMN = "title_order"
DATE_TYPE = columns.NumericColumn("I")  # year * 100 + month; 0: no year
TITLE_TYPE = columns.VarBytesColumn()  # title key, NUL, paper key

# An arXiv id's yymm: new ids start with it, old ones have it after the archive.
_YYMM = re.compile(r"(?:^|/)(\d{2})(\d{2})")
# The title sort key keeps this much of the title; the paper key breaks ties.
_TITLE_CHARS = 60
_ARTICLES = frozenset({"a", "an", "the"})
_WORD = re.compile(r"\w+")


def paper_date(paper: Paper) -> int:
    """The paper's date as year * 100 + month (month 0 where unknown; 0 without a year).

    The month comes from an arXiv id, which encodes when the paper was issued:
    `2412.16720` is December 2024, `hep-th/9901001` January 1999.
    """
    if not paper.year:
        return 0
    month = 0
    found = _YYMM.search(paper.arxiv_id or "")
    if found:
        yy, mm = int(found[1]), int(found[2])
        issued = 1900 + yy if yy >= 91 else 2000 + yy
        if issued == paper.year and 1 <= mm <= 12:
            month = mm
    return paper.year * 100 + month


def title_key(paper: Paper) -> str:
    """How a paper sorts by title: case, accents, punctuation and a leading "a",
    "an" or "the" set aside; a paper without a title sorts by its first sentence."""
    text = unicodedata.normalize("NFKD", paper.heading()).casefold()
    words = _WORD.findall("".join(c for c in text if not unicodedata.combining(c)))
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)[:_TITLE_CHARS]


def title_value(paper: Paper) -> bytes:
    """The title column's value: the title key, then the paper key for ties."""
    return f"{title_key(paper)}\x00{paper.key}".encode("utf-8", "surrogatepass")


class SortColumns:
    """One searcher's dates and each order's rank of every document, read once.

    The titles and the ranks are read and worked out on first use: counting
    years needs only the dates, a search in relevance order nothing.
    Not thread-safe on its own: the store calls it under its lock.
    """

    def __init__(self, reader) -> None:  # type: ignore[no-untyped-def]
        self._reader = reader
        dates = [
            _numbers(leaf, DATE_COLUMN, leaf.doc_count_all()) for leaf, _ in reader.leaf_readers()
        ]
        self.dates = np.concatenate(dates) if dates else np.zeros(0, dtype=np.int64)
        self._titles: list[bytes] | None = None
        self._ranks: dict[str, np.ndarray] = {}

    def titles(self) -> list[bytes]:
        """Every document's title column value (title key, NUL, paper key)."""
        if self._titles is None:
            titles: list[bytes] = []
            for leaf, _ in self._reader.leaf_readers():
                if leaf.has_column(TITLE_COLUMN):
                    titles += column_values(leaf.column_reader(TITLE_COLUMN, translate=False))
                else:
                    titles += [b""] * leaf.doc_count_all()
            self._titles = titles
        return self._titles

    def rank(self, order: str) -> np.ndarray:
        """Each document's place in `order` (newest, oldest or title), all distinct."""
        found = self._ranks.get(order)
        if found is None:
            found = self._ranks[order] = _places(self._sorted(order))
        return found

    def _sorted(self, order: str) -> np.ndarray:
        if order == "title":
            # The title key then the paper key, as the column holds them.
            return np.argsort(np.array(self.titles(), dtype=bytes), kind="stable")
        if order == "key":
            return np.argsort(np.array([t.partition(b"\x00")[2] for t in self.titles()]))
        keys = self.rank("key")
        dated = self.dates > 0
        # Papers without a date come last either way.
        if order == "newest":
            first = np.where(dated, -self.dates, 1)
        elif order == "oldest":
            first = np.where(dated, self.dates, np.iinfo(np.int64).max)
        else:
            raise ValueError(f"no such order: {order!r}")
        return np.lexsort((keys, first))

    def arrange(self, docs: np.ndarray, order: str, limit: int | None) -> np.ndarray:
        """Indexes into `docs` of its first `limit` documents in `order` (None: all)."""
        ranks = self.rank(order)[docs]
        if limit is not None and limit < len(docs):
            top = np.argpartition(ranks, limit)[:limit] if limit > 0 else ranks[:0]
            return top[np.argsort(ranks[top])]
        return np.argsort(ranks)

    def years(self, docs: np.ndarray) -> tuple[tuple[int, int], ...]:
        """How many of `docs` are of each year, from the first year to the last
        (years none is of included); documents without a year left out."""
        found = self.dates[docs] // 100
        found = found[found > 0]
        if not len(found):
            return ()
        first = int(found.min())
        counts = np.bincount(found - first)
        return tuple((first + n, int(c)) for n, c in enumerate(counts.tolist()))


def _places(order: np.ndarray) -> np.ndarray:
    """Each item's place, given the items in order."""
    places = np.empty(len(order), dtype=np.int64)
    places[order] = np.arange(len(order))
    return places


def _numbers(leaf, name: str, count: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """A numeric column's values, read in one go (0 where a document has none)."""
    values = np.zeros(count, dtype=np.int64)
    if not leaf.has_column(name):
        return values
    reader = leaf.column_reader(name, translate=False)
    written = min(getattr(reader, "_count", 0), count)
    if written and hasattr(reader, "_basepos"):
        data = read_at(reader._dbfile, reader._basepos, written * 4)
        values[:written] = np.frombuffer(data, dtype=">u4")
    elif written:  # not Whoosh's numeric column: a value at a time
        values[:written] = [reader[n] for n in range(written)]
    return values
