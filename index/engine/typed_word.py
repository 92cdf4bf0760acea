"""What the word being typed stands for, so that each letter can only narrow.

While a query is typed, its last word is the start of a word: it stands for every
word of the library that starts with it, as written, searched as the stems those
words are indexed under ("stud" stands for "study", indexed "studi"). A letter
more can only drop words, so the papers found are a subset of those before; the
whole word stands for its own stem at least, so a space (the word complete) can
only narrow too. Each stem counts by how many papers hold it, so the papers of
the likeliest completions come first ("diffusion mod": models, not MODS).

A word is left out, the other words deciding, while it cannot be searched well:
one or two letters, the start of a stop word ("wit" may become "with"), or the
start of more words than a keystroke's search can score.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from whoosh import analysis, query

from .analysis import is_cjk
from .index_terms import Terms
from .schema import SEARCH_FIELDS, SPELLED, STEM, STEMMED_FIELDS
from .term_set import WeightedTerms

# The word being typed, in the query text: a token the parser leaves as it is.
PLACEHOLDER = "xqtypedqx"
# Each start of a stop word: what such a letter run stands for includes "every
# paper" once a space completes it.
STOP_STARTS = frozenset(word[:k] for word in analysis.STOP_WORDS for k in range(1, len(word) + 1))
# A word is searched once it is the start of at most this many terms over the
# fields it is searched in (each term's postings are read and scored: 300 terms
# take some 30 ms at 121,000 papers; 150 keeps a keystroke's p95 near 60 ms there).
MOST_TERMS = 150
# Letters a word needs before it is searched.
FEWEST_LETTERS = 3
_KEPT = 256  # the last prefixes' expansions, kept: each is asked twice a keystroke


class TypedWord:
    """The terms a half-typed word stands for, in one index's fields.

    Args:
        terms_of: A field's terms (SearcherState.terms).
        version: What the terms are of; a new version forgets what was worked out.
    """

    def __init__(self, terms_of: Callable[[str], Terms], version: Callable[[], object]) -> None:
        self._terms_of = terms_of
        self._version = version
        self._seen: OrderedDict[tuple[object, str, str], tuple[tuple[str, int], ...]] = (
            OrderedDict()
        )

    def searchable(self, word: str, fields: tuple[str, ...] = SEARCH_FIELDS) -> bool:
        """Whether `word`, half typed, is searched yet (else left out until it is
        longer, or complete)."""
        word = word.lower()
        if any(is_cjk(char) for char in word):
            return True  # CJK text is searched as typed (see analysis.py)
        if len(word) < FEWEST_LETTERS or word in STOP_STARTS:
            return False
        return sum(len(self.stands_for(name, word)) for name in fields) <= MOST_TERMS

    def stands_for(self, field: str, word: str) -> tuple[tuple[str, int], ...]:
        """The terms of `field` that `word` stands for, each with how many papers
        hold it, the most first."""
        key = (self._version(), field, word)
        found = self._seen.get(key)
        if found is not None:
            self._seen.move_to_end(key)
            return found
        terms = self._terms_of(field)
        counts = dict(terms.starting(word))
        if field in STEMMED_FIELDS:
            spelled = self._terms_of(SPELLED).starting(word)
            for written, _ in spelled:
                stem = STEM.term(written)
                if stem and stem not in counts:
                    counts[stem] = terms.count(stem)
            if not spelled:  # an index without its words as written
                stem = STEM.term(word)
                if stem and stem not in counts:
                    counts[stem] = terms.count(stem)
        found = tuple(sorted(((t, n) for t, n in counts.items() if n), key=lambda p: -p[1]))
        self._seen[key] = found
        if len(self._seen) > _KEPT:
            self._seen.popitem(last=False)
        return found

    def expand(self, q: query.Query, word: str) -> query.Query:
        """`q` with the placeholder standing for `word` replaced by the terms it
        stands for in each field, each weighed by how likely it is: its papers as a
        share of the commonest completion's (one held by a paper in a thousand, a
        rare name, adds almost nothing). A word typed whole, with one stem, is
        searched as submitted."""
        word = word.lower()
        # A stem's likelihood is the most papers any field holds it in; a name or
        # id completing the word counts on the same scale.
        papers: dict[str, int] = {}
        for name in SEARCH_FIELDS:
            for term, count in self.stands_for(name, word):
                papers[term] = max(papers.get(term, 0), count)
        most = max(papers.values(), default=1)
        return self._expand(q, word, {term: count / most for term, count in papers.items()})

    def _expand(self, q: query.Query, word: str, weights: dict[str, float]) -> query.Query:
        if isinstance(q, query.Prefix) and q.text == PLACEHOLDER:
            found = self.stands_for(q.fieldname, word)
            if not found:
                return query.NullQuery
            terms = [query.Term(q.fieldname, t, boost=weights[t]) for t, _ in found]
            return terms[0] if len(terms) == 1 else WeightedTerms(terms)
        if isinstance(q, query.Term) and q.text == PLACEHOLDER:
            return query.NullQuery  # (a field the word is not searched in)
        return q.apply(lambda child: self._expand(child, word, weights))
