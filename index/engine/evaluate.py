"""A parsed Whoosh query evaluated over whole posting arrays: every match, scored.

Whoosh scores one posting at a time in Python. Here each node of the query
becomes an array of matching document numbers (ascending) with their scores,
and And, Or and Not become set operations on those arrays. The scores are
Whoosh's own, node by node, so that the ranking is the one its exhaustive
search gives:

- a term: BM25F as `scoring.BM25FScorer` computes it (idf from the document
  counts with deleted documents, average field length over all documents, the
  scorer's default B and K1 or the field's own B); an unscorable field scores
  the posting's weight; the term's boost multiplies.
- And, Or: the sum of the children's scores, times the query's boost (a query
  with one child is that child, boost and all ignored).
- AndNot, Require: the first query's score; AndMaybe: the first's plus the
  second's where both match.
- Not: 1.0 for every live document the child does not match.
- Every: its boost (1.0 when the boost is 0, as Whoosh's ListMatcher does).
- ConstantScoreQuery: its score, or 1.0 when that score is 0 (Whoosh's
  ListMatcher again: the author and source filters add 1.0, not 0).
- Phrase: the sum of its words' term scores where the words stand in order
  within the slop, times the phrase's boost.
- Prefix, Wildcard, TermRange and other multi-term queries, per segment as
  Whoosh builds their matcher: one expanded term present in the segment scores
  as that term; two, or any number below 1,024 in a segment of more than 5,000
  documents, score the sum times the boost; otherwise every match scores 1.0
  (Whoosh's unscored array union).
- NumericRange (year:): Whoosh's own compiled query of terms and ranges.

Two of Whoosh's matchers err, and the arrays do not follow them: NOT (its
InverseMatcher) can yield the deleted document that follows its child's last
match, and an AndMaybe inside an And misses some of the scores its second query
should add (its skip_to moves that query to the And's target, not to the first
query's match).

What is not evaluated here raises Unsupported and the caller asks Whoosh's
searcher instead: DisjunctionMax, Or with a coordination scale, span queries,
nested-document queries, Every of one field, phrases on fields without
positions or with a huge slop, any boost of 0 or less and negative constant
scores (Whoosh's array union drops documents scoring 0 or less, and which union
it uses depends on the segment).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from math import log

import numpy as np
from whoosh import query, scoring

from .postings import ManyPostings, PostingSource
from .term_set import TermSet, WeightedTerms

_NONE = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)
# Whoosh's Or switches matchers at these sizes (query.Or._matcher).
_TOO_MANY_CLAUSES = 1024
_SMALL_SEGMENT = 5000
_MAX_SLOP = 1 << 20
# Memory the cache of terms' scores may take.
SCORES_BYTES = 32 * 1024 * 1024


class Unsupported(Exception):
    """The query holds a node that is not evaluated here: ask Whoosh."""


@dataclass(frozen=True)
class Matches:
    """Every matching document (ascending global numbers) with its score."""

    docs: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.docs)


_EMPTY = Matches(_NONE, _NO_SCORES)

# The terms of a field that start with a prefix, from memory (Vocabulary) or None.
Completions = Callable[[str, str], list[str] | None]


class Evaluator:
    """Evaluates queries against one PostingSource with a searcher's BM25F weighting."""

    def __init__(
        self,
        source: PostingSource,
        weighting: scoring.WeightingModel,
        completions: Completions | None = None,
    ) -> None:
        if type(weighting) is not scoring.BM25F:
            raise Unsupported(f"weighting {type(weighting).__name__}")
        self.source = source
        self.weighting = weighting
        self.completions = completions
        self._idf: dict[tuple[str, bytes], float] = {}
        # Recent terms' scores: typing a query searches its first words again and
        # again. Bounded by the bytes of the arrays kept.
        self._scores: OrderedDict[tuple[str, bytes], np.ndarray] = OrderedDict()
        self._scores_bytes = 0
        # (field, term) of every term with postings the last matches() read, its
        # prefixes and fuzzy terms expanded: what to highlight. One evaluation
        # at a time (the store holds its lock while searching).
        self.terms_found: set[tuple[str, bytes]] = set()
        # The documents of the last few filters over many ids (see _filter_docs).
        self._filters: list[tuple[query.Query, np.ndarray]] = []

    # --- entry ---------------------------------------------------------------

    def matches(self, q: query.Query) -> Matches:
        """Every document `q` matches with Whoosh's score for it.

        Raises:
            Unsupported: `q` holds a node evaluated only by Whoosh.
        """
        _check_scores(q)
        self.terms_found = set()
        return self._eval(q)

    # --- nodes ---------------------------------------------------------------

    def _eval(self, q: query.Query) -> Matches:
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            return _EMPTY
        kind = type(q)
        if kind is query.Term:
            return self._term(q.fieldname, q.text, q.boost)
        if kind in (query.And, query.Or):
            return self._compound(q)
        if kind is WeightedTerms:
            return self._weighted_terms(q)
        if kind is query.Not:
            return self._not(q.query)
        if kind is query.AndNot:
            a, b = self._eval(q.a), self._eval(q.b)
            keep = ~np.isin(a.docs, b.docs, assume_unique=True)
            return Matches(a.docs[keep], a.scores[keep])
        if kind is query.Require:
            a, b = self._eval(q.a), self._eval(q.b)
            keep = np.isin(a.docs, b.docs, assume_unique=True)
            return Matches(a.docs[keep], a.scores[keep])
        if kind is query.AndMaybe:
            return self._and_maybe(self._eval(q.a), self._eval(q.b))
        if kind is query.Every:
            if q.fieldname not in (None, "", "*"):
                raise Unsupported("Every of one field")
            docs = self.source.live_docs
            return Matches(docs, np.full(len(docs), float(q.boost or 1.0)))
        if kind is query.ConstantScoreQuery:
            docs = self._filter_docs(q.child)
            return Matches(docs, np.full(len(docs), float(q.score or 1.0)))
        if kind is query.Phrase:
            return self._phrase(q)
        if kind is TermSet:
            return self._eval(q.as_or())
        if kind is query.NumericRange:
            return self._eval(q._compile_query(self.source.reader))
        if kind in (query.Prefix, query.TermRange, query.FuzzyTerm, query.Variations):
            return self._multi_term(q)
        raise Unsupported(kind.__name__)

    def _filter_docs(self, q: query.Query) -> np.ndarray:
        """The documents of a query whose scores are not used. Terms of one
        unscorable field (the papers a filter on marks keeps, by key: thousands of
        terms, as a TermSet or an Or) are read without scoring, and kept for that
        query object, which the store reuses while the marks are unchanged (every
        keystroke runs it again)."""
        for seen, docs in self._filters:
            if seen is q:
                return docs
        field, texts = _terms_of_one_field(q)
        source = self.source
        if field not in source.schema or source.schema[field].scorable:
            return self._eval(q).docs
        docs = source.docs_of_terms(field, source.terms_bytes(field, texts))
        self._filters = [(q, docs), *self._filters[:7]]
        return docs

    def _term(self, field: str, text, boost: float = 1.0) -> Matches:  # type: ignore[no-untyped-def]
        source = self.source
        btext = source.term_bytes(field, text)
        if btext is None:
            return _EMPTY
        docs, weights = source.postings(field, btext)
        if not len(docs):
            return _EMPTY
        self.terms_found.add((field, btext))
        scores = self._scores.get((field, btext))
        if scores is None or len(scores) != len(docs):
            scores = self._keep((field, btext), self._term_scores(field, btext, docs, weights))
        else:
            self._scores.move_to_end((field, btext))
        if boost != 1.0:
            scores = scores * boost
        return Matches(docs, scores)

    def _term_scores(
        self, field: str, btext: bytes, docs: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        if not self.source.schema[field].scorable:
            return weights  # scoring.WeightScorer
        idf = self._idf_of(field, btext, self.source.doc_frequency(field, btext))
        return self._bm25(field, idf, docs, weights)

    def _idf_of(self, field: str, btext: bytes, frequency: int) -> float:
        idf = self._idf.get((field, btext))
        if idf is None:
            idf = self._idf[(field, btext)] = log(self.source.doc_count_all / (frequency + 1)) + 1
        return idf

    def _bm25(
        self, field: str, idf: float | np.ndarray, docs: np.ndarray, tf: np.ndarray
    ) -> np.ndarray:
        """BM25F as scoring.bm25 computes it, operation for operation."""
        source, weighting = self.source, self.weighting
        B = weighting._field_B.get(field, weighting.B)  # noqa: N806 (BM25's names)
        K1 = weighting.K1  # noqa: N806
        avgfl = source.reader.field_length(field) / (source.doc_count_all or 1) or 1
        fl = source.lengths(field)[docs]
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def _keep(self, key: tuple[str, bytes], scores: np.ndarray) -> np.ndarray:
        old = self._scores.pop(key, None)
        if old is not None:
            self._scores_bytes -= old.nbytes
        self._scores[key] = scores
        self._scores_bytes += scores.nbytes
        while self._scores_bytes > SCORES_BYTES and len(self._scores) > 1:
            _, dropped = self._scores.popitem(last=False)
            self._scores_bytes -= dropped.nbytes
        return scores

    def _compound(self, q: query.And | query.Or) -> Matches:
        subs = q.subqueries
        if not subs:
            return _EMPTY
        if len(subs) == 1:
            return self._eval(subs[0])  # Whoosh ignores the boost of a lone child
        if isinstance(q, query.Or) and getattr(q, "scale", None):
            raise Unsupported("Or with a coordination scale")
        size = self.source.doc_count_all
        if isinstance(q, query.And):
            found = _intersect_unions([self._or_parts(sub) for sub in subs], size)
        else:
            found = _union([part for sub in subs for part in self._or_parts(sub)], size)
        if q.boost != 1.0:
            found = Matches(found.docs, found.scores * q.boost)
        return found

    def _or_parts(self, q: query.Query) -> list[Matches]:
        """What an Or sums: its children's matches, an unboosted Or among them
        giving its own children's instead (a word searched in every field is an
        Or in the And of the words), so nested Ors make one union. The sums are
        Whoosh's but in another order: equal to some 1e-16."""
        if type(q) is not query.Or or q.boost != 1.0 or getattr(q, "scale", None):
            return [self._eval(q)]
        if len(q.subqueries) == 1:
            return [self._eval(q.subqueries[0])]
        return [part for sub in q.subqueries for part in self._or_parts(sub)]

    def _not(self, child_query: query.Query) -> Matches:
        child = self._eval(child_query)
        docs = self.source.live_docs
        if len(child):
            docs = docs[~np.isin(docs, child.docs, assume_unique=True)]
        return Matches(docs, np.ones(len(docs)))

    @staticmethod
    def _and_maybe(a: Matches, b: Matches) -> Matches:
        scores = a.scores.copy()
        _, at_a, at_b = np.intersect1d(a.docs, b.docs, assume_unique=True, return_indices=True)
        scores[at_a] += b.scores[at_b]
        return Matches(a.docs, scores)

    # --- phrases -------------------------------------------------------------

    def _phrase(self, q: query.Phrase) -> Matches:
        source = self.source
        field = q.fieldname
        if field not in source.schema:
            return _EMPTY
        fmt = source.schema[field].format
        if not fmt or not fmt.supports("positions") or not q.words or q.slop >= _MAX_SLOP:
            raise Unsupported("phrase")
        words = []
        for word in q.words:
            btext = source.term_bytes(field, word)
            if btext is None:
                return _EMPTY
            words.append(btext)
        terms = [self._term(field, btext) for btext in words]
        if not all(len(term) for term in terms):
            return _EMPTY
        docs = _in_order([source.position_keys(field, btext) for btext in words], q.slop)
        if not len(docs):
            return _EMPTY
        # Each word's score summed, in the order _intersect() sums them.
        scores = np.zeros(len(docs))
        for term in sorted(terms, key=len):
            scores += term.scores[np.searchsorted(term.docs, docs)]
        if q.boost != 1.0:
            scores = scores * q.boost
        return Matches(docs, scores)

    # --- prefixes, ranges ----------------------------------------------------

    def _expansions(self, q: query.MultiTerm) -> list[bytes]:
        source = self.source
        field = q.fieldname
        if field not in source.schema:
            return []
        if type(q) is query.Prefix and self.completions is not None:
            words = self.completions(field, q.text)
            if words is not None:
                found = (source.term_bytes(field, w) for w in words)
                return [b for b in found if b]
        btexts = [b for b in q._btexts(source.reader) if b]
        if btexts and isinstance(btexts[0], str):  # a fuzzy term's come as text
            btexts = [b for b in (source.term_bytes(field, t) for t in btexts) if b]
        return btexts

    def _multi_term(self, q: query.MultiTerm) -> Matches:
        if type(q) is query.Prefix and q.text == "":
            raise Unsupported("empty prefix")
        source = self.source
        field = q.fieldname
        expanded = self._expansions(q)
        if not expanded:
            return _EMPTY
        many = source.many_postings(field, expanded)
        if many is not None:
            present = many.present
            found = self._union_of_many(field, expanded, many)
        else:  # a segment of another codec: term by term
            present = np.zeros(len(source.segments), dtype=np.int64)
            parts = []
            for btext in expanded:
                for number in source.term_segments(field, btext):
                    present[number] += 1
                parts.append(self._term(field, btext))
            found = _union(parts, source.doc_count_all)
        if not len(found):
            return _EMPTY
        # How Whoosh's matcher scores them depends on the segment (see the top):
        # one term as itself; else its Or's sum times the boost, except where that
        # Or is an unscored array union, which scores 1.0.
        big = source.segment_sizes > _SMALL_SEGMENT
        summed = (present < _TOO_MANY_CLAUSES) & ((present == 2) | big)
        if not getattr(q, "constantscore", False):
            summed[:] = True
        factor = np.where(present == 1, 1.0, np.where(summed, q.boost, np.nan))
        per_doc = factor[np.searchsorted(source.starts, found.docs, side="right") - 1]
        scores = np.where(np.isnan(per_doc), 1.0, found.scores * per_doc)
        return Matches(found.docs, scores)

    def _weighted_terms(self, q: WeightedTerms) -> Matches:
        """The Or of many boosted terms of one field, their postings read together
        and scored at once: the sum Whoosh's Or makes, as _union_of_many() does."""
        field = q.subqueries[0].fieldname
        source = self.source
        btexts, boosts = [], []
        for term in q.subqueries:
            btext = source.term_bytes(field, term.text)
            if btext is not None:
                btexts.append(btext)
                boosts.append(term.boost)
        many = source.kept_many(field, btexts) if btexts else None
        if many is None:  # a segment of another codec: term by term
            return self._compound(query.Or(q.subqueries, boost=q.boost))
        found = self._union_of_many(field, btexts, many, np.repeat(boosts, many.sizes))
        if q.boost != 1.0:
            found = Matches(found.docs, found.scores * q.boost)
        return found

    def _union_of_many(
        self,
        field: str,
        btexts: list[bytes],
        many: ManyPostings,
        boosts: np.ndarray | None = None,
    ) -> Matches:
        """_union() of the terms' _term() matches, scored all at once: the same
        sums in the same order, without a round of array calls per term."""
        source = self.source
        self.terms_found.update(
            (field, b) for b, size in zip(btexts, many.sizes, strict=True) if size
        )
        if not len(many.docs):
            return _EMPTY
        if source.schema[field].scorable:
            idf = np.array(
                [
                    self._idf_of(field, b, int(n))
                    for b, n in zip(btexts, many.frequency, strict=True)
                ]
            )
            scores = self._bm25(field, np.repeat(idf, many.sizes), many.docs, many.weights)
        else:
            scores = many.weights
        if boosts is not None:
            scores = scores * boosts
        if np.count_nonzero(many.sizes) == 1:
            return Matches(many.docs, scores)
        return _union_flat(many.docs, scores, source.doc_count_all)


def _terms_of_one_field(q: query.Query) -> tuple[str, list[str] | tuple[str, ...]]:
    """(field, terms) of a TermSet, or of an Or of two or more terms of one field;
    ("", ()) for any other query."""
    if type(q) is TermSet:
        return q.fieldname, q.texts
    subs = q.subqueries if type(q) is query.Or else []
    field = subs[0].fieldname if subs else ""
    if len(subs) < 2 or not all(type(s) is query.Term and s.fieldname == field for s in subs):
        return "", ()
    return field, [s.text for s in subs]


def _check_scores(q: query.Query) -> None:
    """Refuse queries where a match could score 0 or less (see the module's doc)."""
    boost = getattr(q, "boost", 1.0)
    if not isinstance(q, query.Not) and isinstance(boost, int | float) and boost <= 0:
        raise Unsupported("boost of 0 or less")
    if isinstance(q, query.ConstantScoreQuery):
        if q.score < 0:
            raise Unsupported("negative constant score")
        return  # what its child would score is not used (the papers of a filter)
    for child in q.children():
        _check_scores(child)


# Set operations over more postings than this share of the documents go through
# arrays the size of the index (no sorting); smaller ones sort.
_DENSE_SHARE = 1 / 32


def _intersect(parts: list[Matches], size: int) -> Matches:
    """Documents in every part, their scores summed; smallest parts first."""
    ordered = sorted(parts, key=len)
    docs, scores = ordered[0].docs, ordered[0].scores
    for part in ordered[1:]:
        if not len(docs):
            break
        if len(part) > size * _DENSE_SHARE:
            # The part's scores by document: its documents score above 0... or
            # not at all, which a mask of its own tells apart.
            held = np.zeros(size, dtype=bool)
            held[part.docs] = True
            keep = held[docs]
            docs = docs[keep]
            dense = np.zeros(size)
            dense[part.docs] = part.scores
            scores = scores[keep] + dense[docs]
        else:
            docs, at_a, at_b = np.intersect1d(
                docs, part.docs, assume_unique=True, return_indices=True
            )
            scores = scores[at_a] + part.scores[at_b]
    return Matches(docs, scores)


def _intersect_unions(groups: list[list[Matches]], size: int) -> Matches:
    """Documents in some part of every group, with the scores of all those parts
    summed: an And of Ors. Where they are many, every group is counted into one
    array the size of the index, with no union made of any group."""
    if sum(len(part) for parts in groups for part in parts) <= size * _DENSE_SHARE:
        return _intersect([_union(parts, size) for parts in groups], size)
    total = np.zeros(size)
    groups_held = np.zeros(size, dtype=np.int32)
    held = np.empty(size, dtype=bool)
    for parts in groups:
        held[:] = False
        for part in parts:
            held[part.docs] = True
            total[part.docs] += part.scores  # a part holds a document once
        groups_held += held
    docs = np.flatnonzero(groups_held == len(groups))
    return Matches(docs, total[docs])


def _union(parts: list[Matches], size: int) -> Matches:
    """Documents in any part, their scores summed."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    if sum(len(p) for p in parts) > size * _DENSE_SHARE:
        held = np.zeros(size, dtype=bool)
        total = np.zeros(size)
        for part in parts:
            held[part.docs] = True
            total[part.docs] += part.scores  # each part holds a document once
        docs = np.flatnonzero(held)
        return Matches(docs, total[docs])
    docs = np.concatenate([p.docs for p in parts])
    return _union_flat(docs, np.concatenate([p.scores for p in parts]), size)


def _union_flat(docs: np.ndarray, scores: np.ndarray, size: int) -> Matches:
    """Each document of `docs` once, its `scores` summed in the order given."""
    if len(docs) > size * _DENSE_SHARE:
        total = np.bincount(docs, weights=scores, minlength=size)
        held = np.zeros(size, dtype=bool)
        held[docs] = True
        unique = np.flatnonzero(held)
        return Matches(unique, total[unique])
    unique, inverse = np.unique(docs, return_inverse=True)
    return Matches(unique, np.bincount(inverse, weights=scores))


def _in_order(keys: list[np.ndarray], slop: int) -> np.ndarray:
    """The documents holding the words in order, each 1 to `slop` positions after
    the last (Whoosh's SpanNear2 with ordered=True, mindist=1), ascending.

    `keys` has each word's positions as document * 2**32 + position, ascending
    (PostingSource.position_keys): a word's key is "right after" the last word's
    within the same document, so every document is checked at once.
    """
    ends = keys[0]
    for following in keys[1:]:
        if not len(ends) or not len(following):
            return _NONE
        if slop == 1 and len(ends) < len(following):
            # A word right after each end, looked up from the fewer side.
            nexts = ends + 1
            at = np.minimum(np.searchsorted(following, nexts), len(following) - 1)
            ends = nexts[following[at] == nexts]
            continue
        at = np.searchsorted(ends, following - slop, side="left")
        inside = at < len(ends)
        inside[inside] = ends[at[inside]] <= following[inside] - 1
        ends = following[inside]
    docs = ends >> 32
    if len(docs) > 1:
        docs = docs[np.concatenate(([True], docs[1:] != docs[:-1]))]
    return docs


def best(
    found: Matches, limit: int | None, first_by_key: Callable[[np.ndarray, int], list[int]]
) -> np.ndarray:
    """Indexes into `found` of the best `limit` matches (None: all): highest score
    first, equal scores in key order. `first_by_key(docnums, n)` gives the n of
    those documents whose keys sort first, in that order."""
    count = len(found)
    scores = found.scores
    limit = count if limit is None else min(limit, count)
    if limit <= 0:
        return np.zeros(0, dtype=np.int64)
    if limit == count:
        chosen = np.arange(count)
    else:
        kth = scores[np.argpartition(scores, count - limit)[count - limit]]
        chosen = np.flatnonzero(scores >= kth)  # what ties with the last kept too
    levels, group = np.unique(-scores[chosen], return_inverse=True)
    picked: list[int] = []
    for level in range(len(levels)):
        members = chosen[group == level]
        need = limit - len(picked)
        if len(members) == 1:
            picked.append(int(members[0]))
        else:
            # found.docs ascend: where a document stands is a binary search away.
            firsts = np.asarray(first_by_key(found.docs[members], need), dtype=np.int64)
            picked.extend(np.searchsorted(found.docs, firsts).tolist())
        if len(picked) >= limit:
            break
    return np.array(picked[:limit], dtype=np.int64)
