"""A field's terms and their paper counts, read from the index itself.

What the in-memory Vocabulary (index/vocabulary.py) answers once warm_up() read
it, IndexTerms answers meanwhile from the index, slower.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from ..vocabulary import Vocabulary


class IndexTerms:
    """A field's terms read from the index as needed: what Vocabulary answers
    from memory, slower."""

    def __init__(self, reader, field: str) -> None:  # type: ignore[no-untyped-def]
        self._reader = reader
        self._field = field

    def completions(self, prefix: str, limit: int | None = None) -> list[str]:
        """The terms starting with `prefix`, most papers first (at most `limit`)."""
        found = [
            (info.doc_frequency(), text.decode("utf-8") if isinstance(text, bytes) else text)
            for text, info in self._reader.iter_prefix(self._field, prefix)
        ]
        found.sort(key=lambda pair: -pair[0])
        return [text for _, text in found[:limit]]

    def starting(self, prefix: str) -> list[tuple[str, int]]:
        """The terms starting with `prefix`, each with how many papers hold it."""
        return [
            (text.decode("utf-8") if isinstance(text, bytes) else text, info.doc_frequency())
            for text, info in self._reader.iter_prefix(self._field, prefix)
        ]

    def between(self, low: str, high: str) -> list[tuple[str, int]]:
        """The terms from `low` up to (not with) `high`, each with its paper count."""
        found = []
        for text, info in self._reader.iter_field(self._field, low):
            term = text.decode("utf-8") if isinstance(text, bytes) else text
            if term >= high:
                break
            found.append((term, info.doc_frequency()))
        return found

    def within(self, word: str, distance: int, prefix_length: int = 0) -> list[str]:
        """The terms at most `distance` edits from `word`, sharing its first
        `prefix_length` letters."""
        found = self._reader.terms_within(self._field, word, distance, prefix_length)
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]

    def count(self, term: str) -> int:
        """How many papers hold `term` (0 if none)."""
        return self._reader.doc_frequency(self._field, term)


Terms = Vocabulary | IndexTerms


def term_counts(reader, field: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A field's terms with their document counts, read a segment at a time: the
    index-wide reader looks each term up in every segment, ten times slower."""
    counts: dict[str, int] = {}
    for segment, _ in reader.leaf_readers():
        for term, info in segment.iter_field(field):
            text = term.decode("utf-8")
            counts[text] = counts.get(text, 0) + info.doc_frequency()
    return counts


def vocabulary(reader, field: str) -> Vocabulary:  # type: ignore[no-untyped-def]
    """A field's terms read into memory."""
    return Vocabulary(term_counts(reader, field).items())


def live_count(searcher: Searcher, field: str, text: str) -> int:
    """How many papers hold a term. Whoosh's document frequency also counts papers
    an update deleted (until their segment is merged), so those are counted out."""
    reader = searcher.reader()
    if not reader.has_deletions():
        return searcher.doc_frequency(field, text)
    if (field, text) not in reader:
        return 0
    return sum(1 for _ in reader.postings(field, text).all_ids())
