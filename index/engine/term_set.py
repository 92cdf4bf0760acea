"""A query for the documents holding any of many terms of one field: the papers a
filter on marks keeps, by key (thousands of them).

As an Or of Term queries it would cost a query object a key to make (some 2 ms for
2,500 keys) and a check of each to evaluate; the array evaluator reads the keys
themselves, and Whoosh's own searcher gets that Or, made only when it asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import query


class TermSet(query.Query):
    """Matches the documents holding any of `texts` in `fieldname`, scored as the
    Or of those terms would be (it is meant inside a ConstantScoreQuery)."""

    def __init__(self, fieldname: str, texts: Iterable[str]) -> None:
        self.fieldname = fieldname
        self.texts = tuple(sorted(set(texts)))
        self.boost = 1.0
        self._or: query.Query | None = None

    def as_or(self) -> query.Query:
        """The same query as Whoosh's own nodes."""
        if self._or is None:
            terms = [query.Term(self.fieldname, text) for text in self.texts]
            self._or = query.Or(terms) if terms else query.NullQuery
        return self._or

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is TermSet
            and other.fieldname == self.fieldname
            and other.texts == self.texts
        )

    def __hash__(self) -> int:
        return hash((TermSet, self.fieldname, self.texts))

    def __repr__(self) -> str:
        return f"TermSet({self.fieldname!r}, {len(self.texts)} terms)"

    def __unicode__(self) -> str:
        return f"{self.fieldname}:({' OR '.join(self.texts)})"

    __str__ = __unicode__

    # Whoosh's searcher reads it through the Or.
    def estimate_size(self, ixreader) -> int:  # type: ignore[no-untyped-def]
        return int(self.as_or().estimate_size(ixreader))

    def estimate_min_size(self, ixreader) -> int:  # type: ignore[no-untyped-def]
        return int(self.as_or().estimate_min_size(ixreader))

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        return self.as_or().matcher(searcher, context)


class WeightedTerms(query.Or):
    """An Or of terms of one field, each with its own boost: to Whoosh an Or like
    any other; the array evaluator reads their postings together (the completions
    of a word being typed, hundreds of them at each keystroke)."""
