"""The words of one indexed field, held in memory for prefixes and fuzzy terms.

Expanding `tr*` or `difusion~` from the index means reading thousands of terms
off disk, one look-up each, on every keystroke. Read once per index version,
the field's sorted terms answer both by bisecting and scanning a slice.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

_NONE = np.zeros(0, dtype=np.uint32)


class Vocabulary:
    """A field's terms in sorted order, each with how many papers hold it."""

    def __init__(self, counts: Iterable[tuple[str, int]]) -> None:
        pairs = sorted(counts)
        self.terms = [term for term, _ in pairs]
        self.papers = array("I", (count for _, count in pairs))
        self._counts = np.frombuffer(self.papers, dtype=np.uint32) if self.papers else _NONE

    def __len__(self) -> int:
        return len(self.terms)

    def count(self, term: str) -> int:
        """How many papers hold `term` (0 if none)."""
        at = bisect_left(self.terms, term)
        return self.papers[at] if at < len(self.terms) and self.terms[at] == term else 0

    def _starting(self, prefix: str) -> range:
        start = bisect_left(self.terms, prefix)
        # Every string starting with prefix sorts below prefix + the last code point.
        end = bisect_left(self.terms, prefix + "\U0010ffff", lo=start)
        return range(start, end)

    def starting(self, prefix: str) -> list[tuple[str, int]]:
        """The terms starting with `prefix`, each with how many papers hold it."""
        span = self._starting(prefix)
        return [(self.terms[i], self.papers[i]) for i in span]

    def between(self, low: str, high: str) -> list[tuple[str, int]]:
        """The terms from `low` up to (not with) `high`, each with its paper count."""
        start = bisect_left(self.terms, low)
        end = bisect_left(self.terms, high, lo=start)
        return [(self.terms[i], self.papers[i]) for i in range(start, end)]

    def completions(self, prefix: str, limit: int | None = None) -> list[str]:
        """The terms starting with `prefix`, the most common first; at most `limit`."""
        span = self._starting(prefix)
        if limit is None or len(span) <= limit:
            return [self.terms[i] for i in sorted(span, key=lambda i: -self.papers[i])]
        # The `limit` commonest, ties in term order (as a stable sort would pick them):
        # everything above the limit-th count, then enough of the terms at it.
        counts = self._counts[span.start : span.stop]
        if limit <= 0:
            return []
        floor = np.partition(counts, len(counts) - limit)[len(counts) - limit]
        above = np.flatnonzero(counts > floor)
        at = np.flatnonzero(counts == floor)[: limit - len(above)]
        chosen = np.concatenate([above, at])
        # Most common first, ties in term order.
        chosen = chosen[np.lexsort((chosen, -counts[chosen]))]
        return [self.terms[span.start + int(i)] for i in chosen]

    def within(self, word: str, distance: int, prefix_length: int = 0) -> list[str]:
        """The terms at most `distance` edits from `word` (a swap of neighbours is
        one edit) that share its first `prefix_length` letters."""
        span = self._starting(word[:prefix_length])
        candidates = self.terms[span.start : span.stop]
        found = process.extract(
            word, candidates, scorer=OSA.distance, score_cutoff=distance, limit=None
        )
        return [term for term, _, _ in found]
