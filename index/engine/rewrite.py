"""Text as typed, turned into the Whoosh query to run.

The query language is Whoosh's, with field aliases in any case, stop words and
unbalanced input forgiven (what does not parse is searched as its words), and
prefixes in stemmed fields widened to the stems they run past. While a query is
being typed, its last word also stands for the words it starts, bounded to the
commonest of them, and a word of one or two letters waits until it is more.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from whoosh import analysis, query
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, FuzzyTermPlugin, GtLtPlugin, MultifieldParser

from .index_terms import Terms
from .marks import MARK_FIELDS, MarksPlugin, without_marks
from .schema import (
    FIELD_ALIASES,
    FIELD_NAMES,
    NAMES,
    SEARCH_FIELDS,
    STEMMED_FIELDS,
    stem_of,
)
from .searcher_state import SearcherState

_STOP_WORDS = frozenset(analysis.STOP_WORDS)
_FIELD_PREFIX = re.compile(
    r"\b(" + "|".join(sorted(FIELD_NAMES, key=len, reverse=True)) + r")\s*:", re.IGNORECASE
)
_TYPED_LETTER = re.compile(r"(?<=\w)\s+\w$")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
# What may be left dangling at the end once a word is taken off: "(", AND, OR, NOT.
_TRAILING_OPERATORS = re.compile(r"(?:\s|\(|\b(?:AND|OR|NOT)\b)+$")
_FILTER_BEGUN = re.compile(r"(?<![\w:.\-])(?i:is|tag|note):\"?$")
_LAST_WORD = re.compile(r"(^|[\s(])((?:[a-z_]+:)?)([\w.\-]+)$")


class Rewriter:
    """Parses queries for one index, and rewrites them while they are being typed.

    Whether the word being typed is already a word of the library is asked of the
    searcher's terms (see SearcherState.terms).
    """

    def __init__(self, schema: Schema, state: SearcherState) -> None:
        self._state = state
        self._parser = MultifieldParser(list(SEARCH_FIELDS), schema, group=AndGroup)
        self._parser.add_plugin(FuzzyTermPlugin())
        self._parser.add_plugin(GtLtPlugin())
        self._parser.add_plugin(MarksPlugin())

    def parse(self, text: str, as_you_type: bool) -> tuple[query.Query, bool]:
        """The query `text` asks for, and whether it was searched as its plain words
        (it did not parse).

        Args:
            as_you_type: The last word is still being typed: unless it is already a
                word of the library, it also stands for the words it starts.
        """
        text = _FIELD_PREFIX.sub(
            lambda m: FIELD_ALIASES.get(m[1].lower(), m[1].lower()) + ":", text
        )
        if as_you_type:
            # One letter after other words is too short to guess from: left out until
            # it is more, so "speech r" still shows what "speech" found.
            if text.count('"') % 2 == 0:
                text = _TYPED_LETTER.sub("", text)
            if not self._last_word_known(text):
                text = _prefix_last_word(text)
        try:
            parsed = self._parser.parse(text)
            if _balanced(text) and not _has_null(parsed):
                return _fuzzy_from_first_letter(_widen_prefixes(_drop_stop_words(parsed))), False
        except Exception:  # Whoosh's parser can raise on odd input; words still work.
            pass
        # The filters on marks stay filters; the rest is searched as its words.
        rest, filters = without_marks(text)
        words = [w for w in re.findall(r"\w+", rest) if w.lower() not in FIELD_NAMES | MARK_FIELDS]
        plain = " ".join(words)
        if as_you_type and words and re.search(r"\w$", text):
            plain = _prefix_last_word(plain)
        plain = " ".join([plain, *(_closed(f) for f in filters)]).strip()
        try:
            return _widen_prefixes(_drop_stop_words(self._parser.parse(plain))), True
        except Exception:
            return query.NullQuery, True

    def without_short_last_word(self, text: str) -> str:
        """The text without the word being typed while that word is one or two
        letters that are no word of the library: too short to guess from ("at", on
        its way to "attention", is a stop word too), it would find nothing. What the
        other words find stays on screen; with no other word, every paper does."""
        filter_begun = _FILTER_BEGUN.search(text)
        if filter_begun:  # `is:`, `tag:` or `note:"` with nothing after it yet
            rest = _TRAILING_OPERATORS.sub("", text[: filter_begun.start()])
            return rest if re.search(r"\w", rest) else ""
        if text.count('"') % 2 or not re.search(r"\w$", text):
            return text
        match = _LAST_WORD.search(text)
        if not match or len(match[3]) > 2 or match[3] in _OPERATORS or _is_mark(match):
            return text
        if self._last_word_known(text):
            return text
        rest = _TRAILING_OPERATORS.sub("", text[: match.start(2)])
        return rest if re.search(r"\w", rest) else ""

    def _last_word_known(self, text: str) -> bool:
        """Whether the word being typed is already a word of the library: then it is
        searched as the word it is, as once submitted, rather than as a prefix (the
        count and ranking then equal `abstracts search`)."""
        match = _LAST_WORD.search(text)
        if not match or text.count('"') % 2:
            return False
        field, word = match[2].rstrip(":").lower(), match[3]
        field = FIELD_ALIASES.get(field, field)
        fields = (field,) if field else SEARCH_FIELDS
        with self._state.searching():
            for name in fields:
                if name in STEMMED_FIELDS:
                    term = stem_of(word)
                elif name == "author":
                    term = next((t.text for t in NAMES(word)), "")
                elif name == "id":
                    term = word.lower()
                else:
                    continue
                if term and self._dominates(name, term):
                    return True
        return False

    def _dominates(self, field: str, term: str) -> bool:
        """Whether a typed `term` is a word in its own right rather than the start of
        a commoner one: "mamba" is, "transf" (a few papers' broken word) is not."""
        terms = self._state.terms(field)
        own = terms.count(term)
        if not own:
            return False
        # What the prefix would find instead: longer terms, and in stemmed fields the
        # shorter stems it runs past ("segmenta" is typed on the way to "segment").
        rivals = [t for t in terms.completions(term, 2) if t != term]
        if field in STEMMED_FIELDS and len(term) >= 5:
            rivals += [term[:k] for k in range(max(4, len(term) - 4), len(term))]
        return all(2 * own >= terms.count(rival) for rival in rivals)


def typing_completions(prefix: str) -> int:
    """While typing, how many of a prefix's most common completions it stands for.

    Each completion's postings are scored: "tr*" over every word starting "tr"
    would cost seconds, and is rarely what the user is about to type anyway.
    """
    return {1: 0, 2: 0, 3: 6, 4: 16}.get(len(prefix), 48)


def bound_prefixes(q: query.Query, terms_of: Callable[[str], Terms]) -> query.Query:
    """Replace each prefix by its most common completions (see typing_completions).

    A prefix too short to guess from is left out, and the other words decide: an
    And or Or drops it, and one left with nothing is left out in turn.
    """
    bounded = _bounded(q, terms_of)
    return query.NullQuery if bounded is None else bounded


def _bounded(q: query.Query, terms_of: Callable[[str], Terms]) -> query.Query | None:
    """bound_prefixes(), with None for what is left out."""
    if isinstance(q, query.Prefix):
        limit = typing_completions(q.text)
        if not limit:
            return None
        completions = terms_of(q.fieldname).completions(q.text, limit)
        terms = [query.Term(q.fieldname, text) for text in completions]
        return query.Or(terms, boost=q.boost) if terms else query.NullQuery
    if type(q) in (query.And, query.Or):
        kept = [b for b in (_bounded(child, terms_of) for child in q.subqueries) if b is not None]
        return q.__class__(kept, boost=q.boost) if kept else None
    return q.apply(lambda child: bound_prefixes(child, terms_of))


def expand_fuzzy(q: query.Query, terms_of: Callable[[str], Terms]) -> query.Query:
    """Replace each fuzzy term by the indexed terms near it.

    Whoosh would read through every term sharing the first letter, for each field,
    once to search and once more to find what to highlight.
    """
    if isinstance(q, query.FuzzyTerm) and q.fieldname in SEARCH_FIELDS:
        near = terms_of(q.fieldname).within(q.text, int(q.maxdist), q.prefixlength)
        terms = [query.Term(q.fieldname, text) for text in near]
        return query.Or(terms, boost=q.boost) if terms else query.NullQuery
    return q.apply(lambda child: expand_fuzzy(child, terms_of))


def _prefix_last_word(text: str) -> str:
    """Make the word being typed a prefix: `transf` finds transformers."""
    if text.count('"') % 2 or not re.search(r"\w$", text):
        return text
    match = _LAST_WORD.search(text)
    if not match or match[3] in _OPERATORS or len(match[3]) < 2 or _is_mark(match):
        return text
    if match[2] == "year:":
        return text
    # The word as typed, or as the start of a longer one: "gpt-4o" must still
    # find "GPT-4o", which no indexed term starts with.
    word = match[3]
    return f"{text[: match.start(2)]}{match[2]}({word} OR {word}*)"


def _is_mark(match: re.Match[str]) -> bool:
    """Whether the last word is a filter on marks: never a prefix (see marks.py)."""
    return match[2].rstrip(":").lower() in MARK_FIELDS


def _closed(mark: str) -> str:
    """A filter word with its quote closed (`note:"two wor` as it is typed)."""
    return mark + '"' if mark.count('"') % 2 else mark


def _balanced(text: str) -> bool:
    if text.count('"') % 2:
        return False
    depth = {"(": 0, "[": 0, "{": 0}
    closing = {")": "(", "]": "[", "}": "{"}
    for char in text:
        if char in depth:
            depth[char] += 1
        elif char in closing:
            depth[closing[char]] -= 1
            if depth[closing[char]] < 0:
                return False
    return not any(depth.values())


def _has_null(q: query.Query) -> bool:
    if isinstance(q, type(query.NullQuery)):
        return True
    return any(_has_null(child) for child in q.children())


def _drop_stop_words(q: query.Query) -> query.Query:
    """Drop words like "of" that every text field ignored: they must not be required.

    Only the name and id fields keep such words; a clause made of nothing else
    would demand an author called "of".
    """
    if isinstance(q, query.And | query.Or):
        kept = [_drop_stop_words(child) for child in q.subqueries]
        if isinstance(q, query.And):
            kept = [child for child in kept if not _stop_word_clause(child)]
        return q.__class__(kept, boost=q.boost) if kept else query.NullQuery
    if _stop_word_clause(q):
        return query.NullQuery
    return q


def _fuzzy_from_first_letter(q: query.Query) -> query.Query:
    """A fuzzy term keeps its first letter: scanning every term of the index is too slow."""
    if isinstance(q, query.FuzzyTerm) and q.prefixlength < 1:
        return query.FuzzyTerm(q.fieldname, q.text, q.boost, q.maxdist, 1)
    return q.apply(_fuzzy_from_first_letter)


def _widen_prefixes(q: query.Query) -> query.Query:
    """Let `annotat*` find "annotation", whose indexed stem "annot" is shorter than it.

    A typed prefix can run past the stem of the words it starts, so in stemmed
    fields the stems it begins with count too (a few dictionary look-ups).
    """
    if isinstance(q, query.Prefix) and q.fieldname in STEMMED_FIELDS and len(q.text) >= 5:
        text = q.text
        shorter = [
            query.Term(q.fieldname, text[:k]) for k in range(max(4, len(text) - 4), len(text))
        ]
        return query.Or([q, *shorter])
    return q.apply(_widen_prefixes)


def _stop_word_clause(q: query.Query) -> bool:
    parts = q.subqueries if isinstance(q, query.Or) else [q]
    return all(
        isinstance(part, query.Term)
        and part.fieldname in ("id", "author")
        and isinstance(part.text, str)
        and part.text in _STOP_WORDS
        for part in parts
    ) and isinstance(q, query.Or)
