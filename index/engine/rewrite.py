"""Text as typed, turned into the Whoosh query to run.

The query language is Whoosh's, with field aliases in any case, stop words and
unbalanced input forgiven (what does not parse is searched as its words), and
prefixes in stemmed fields widened to the stems they run past. While a query is
being typed, its last word stands for the words it starts (typed_word.py), or is
left out until it can be searched well.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from whoosh import analysis, query
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, FuzzyTermPlugin, GtLtPlugin, MultifieldParser

from .analysis import is_cjk
from .index_terms import Terms
from .marks import MARK_FIELDS, MarksPlugin, without_marks
from .schema import (
    FIELD_ALIASES,
    FIELD_NAMES,
    SEARCH_FIELDS,
    STEMMED_FIELDS,
)
from .searcher_state import SearcherState
from .typed_word import FEWEST_LETTERS, PLACEHOLDER, TypedWord

_STOP_WORDS = frozenset(analysis.STOP_WORDS)
_FIELD_PREFIX = re.compile(
    r"\b(" + "|".join(sorted(FIELD_NAMES, key=len, reverse=True)) + r")\s*:", re.IGNORECASE
)
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
# What may be left dangling at the end once a word is taken off: "(", AND, OR, NOT.
_TRAILING_OPERATORS = re.compile(r"(?:\s|\(|\b(?:AND|OR|NOT)\b)+$")
_FILTER_BEGUN = re.compile(r"(?<![\w:.\-])(?i:is|tag|note):\"?$")
_LAST_WORD = re.compile(r"(^|[\s(])((?:[a-z_]+:)?)([\w.\-]+)$")
# The last word is under a NOT: what it excludes grows as it narrows.
_NEGATED = re.compile(r"(?:\bNOT\s+|(?:^|\s)-)(?:[a-z_]+:)?$")


class Rewriter:
    """Parses queries for one index, and rewrites them while they are being typed.

    Whether the word being typed is already a word of the library is asked of the
    searcher's terms (see SearcherState.terms).
    """

    def __init__(self, schema: Schema, state: SearcherState) -> None:
        self._state = state
        self.typed = TypedWord(state.terms, state.version)
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
        typed = self.typed_word(text) if as_you_type else None
        if typed is not None:
            text = _prefix_last_word(text)
        elif as_you_type:
            text = _compound_prefix(text)
        try:
            parsed = self._parser.parse(text)
            if _balanced(text) and not _has_null(parsed):
                parsed = _fuzzy_from_first_letter(_widen_prefixes(_drop_stop_words(parsed)))
                return self._typed(parsed, typed, as_you_type), False
        except Exception:  # Whoosh's parser can raise on odd input; words still work.
            pass
        # The filters on marks stay filters; the rest is searched as its words.
        rest, filters = without_marks(text)
        words = [w for w in re.findall(r"\w+", rest) if w.lower() not in FIELD_NAMES | MARK_FIELDS]
        plain = " ".join(words)
        typed = None
        if as_you_type and words and re.search(r"\w$", text):
            typed = self.typed_word(plain)
            if typed is not None:
                plain = _prefix_last_word(plain)
        plain = " ".join([plain, *(_closed(f) for f in filters)]).strip()
        try:
            parsed = _widen_prefixes(_drop_stop_words(self._parser.parse(plain)))
            return self._typed(parsed, typed, as_you_type), True
        except Exception:
            return query.NullQuery, True

    def _typed(self, q: query.Query, typed: str | None, as_you_type: bool) -> query.Query:
        """`q` with the word being typed standing for the terms it starts, and any
        prefix typed (`re*`) too short to search left out as the word would be."""
        if not as_you_type:
            return q
        q = _without_short_prefixes(q)
        if typed is None:
            return q
        with self._state.searching():
            return self.typed.expand(q, typed)

    def typed_word(self, text: str) -> str | None:
        """The word being typed at the end of `text`, if it is made to stand for
        the words it starts (see typed_word.py); None if there is none."""
        if text.count('"') % 2 or not re.search(r"\w$", text):
            return None
        match = _LAST_WORD.search(text)
        if not match or match[3] in _OPERATORS or _is_mark(match):
            return None
        if match[2] and match[2][:-1] not in ("title", "abstract", "author", "venue"):
            return None  # an id, a key, a year, a file: searched as typed (`key:h1b1de4f44524`)
        word = match[3]
        if re.search(r"[.\-]", word) or any(is_cjk(char) for char in word):
            return None  # an id, a hyphenated word, CJK text: searched as typed
        return word

    def word_left_out(self, text: str) -> str:
        """The word being typed, if without_short_last_word() leaves it out."""
        if self.without_short_last_word(text) == text:
            return ""
        match = re.search(r"[\w.\-]+:?\"?$", text)
        return match[0] if match else ""

    def without_short_last_word(self, text: str) -> str:
        """The text without the word being typed while it cannot be searched well
        (see typed_word.py: one or two letters, the start of a stop word or of too
        many words), or while it is negated (what a NOT excludes grows as its word
        narrows). What the other words find stays on screen; with no other word,
        every paper does."""
        filter_begun = _FILTER_BEGUN.search(text)
        if filter_begun:  # `is:`, `tag:` or `note:"` with nothing after it yet
            return _complete(_TRAILING_OPERATORS.sub("", text[: filter_begun.start()]))
        if text.count('"') % 2 or not re.search(r"\w$", text):
            return text
        match = _LAST_WORD.search(text)
        if not match or match[3] in _OPERATORS or _is_mark(match):
            return text
        word = match[3]
        typed = self.typed_word(text)
        if _NEGATED.search(text[: match.start(3)]):
            pass  # left out until complete
        elif typed is not None:
            field = FIELD_ALIASES.get(match[2].rstrip(":").lower(), match[2].rstrip(":").lower())
            fields = (field,) if field in SEARCH_FIELDS else SEARCH_FIELDS
            with self._state.searching():
                if self.typed.searchable(typed, fields):
                    return text
        elif len(word) > 2 or any(is_cjk(char) for char in word):
            return text  # an id, a hyphenated word, CJK text: as typed
        rest = _TRAILING_OPERATORS.sub("", text[: match.start(2)])
        return _complete(re.sub(r"(?:\bNOT|(?:^|\s)-)\s*$", "", rest))


def _without_short_prefixes(q: query.Query) -> query.Query:
    """Leave out each prefix of fewer than FEWEST_LETTERS letters, the other words
    deciding: an And or Or drops it, and one left with nothing is left out in turn
    (with nothing left at all: NullQuery)."""
    kept = _short_left_out(q)
    return query.NullQuery if kept is None else kept


def _short_left_out(q: query.Query) -> query.Query | None:
    if isinstance(q, query.Prefix):
        return None if len(q.text) < FEWEST_LETTERS and q.text != PLACEHOLDER else q
    if type(q) in (query.And, query.Or):
        kept = [k for k in (_short_left_out(child) for child in q.subqueries) if k is not None]
        return q.__class__(kept, boost=q.boost) if kept else None
    return q.apply(_without_short_prefixes)


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


def expand_cjk_chars(q: query.Query, terms_of: Callable[[str], Terms]) -> query.Query:
    """Replace each lone CJK character searched in a stemmed field by the pairs of
    characters it is part of: text is indexed in pairs (see analysis.py), a
    character alone only where it stands alone."""
    if (
        isinstance(q, query.Term)
        and q.fieldname in STEMMED_FIELDS
        and isinstance(q.text, str)
        and len(q.text) == 1
        and is_cjk(q.text)
    ):
        char = q.text
        # CJK terms sort after every other script's (see analysis.CJK_CHARS).
        paired = [
            t
            for t, _ in terms_of(q.fieldname).between("\u1100", "\U0010ffff")
            if len(t) == 2 and char in t
        ]
        terms = [query.Term(q.fieldname, t, boost=q.boost) for t in [char, *paired]]
        return query.Or(terms) if len(terms) > 1 else q
    return q.apply(lambda child: expand_cjk_chars(child, terms_of))


def _prefix_last_word(text: str) -> str:
    """Put the placeholder in place of the word being typed (see typed_word.py)."""
    match = _LAST_WORD.search(text)
    assert match is not None  # (Rewriter.typed_word found it)
    return f"{text[: match.start(3)]}{PLACEHOLDER}*"


def _complete(rest: str) -> str:
    """What is left once the word being typed is left out: its words complete (a
    space after the last one: it is searched as submitted), or nothing."""
    return rest.rstrip() + " " if re.search(r"\w", rest) else ""


def _compound_prefix(text: str) -> str:
    """An id or hyphenated word being typed, as typed or as the start of a longer
    one: "2401.123" finds the ids it starts, and "gpt-4o" still finds "GPT-4o",
    which no indexed term starts with."""
    if text.count('"') % 2 or not re.search(r"\w$", text):
        return text
    match = _LAST_WORD.search(text)
    if not match or not re.search(r"[.\-]", match[3]) or _is_mark(match) or match[2] == "year:":
        return text
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


def only_stop_words(text: str) -> bool:
    """Whether `text` is plain words that are all stop words ("and ", "of the")."""
    words = text.split()
    return bool(words) and all(word.lower() in _STOP_WORDS for word in words)


def _stop_word_clause(q: query.Query) -> bool:
    parts = q.subqueries if isinstance(q, query.Or) else [q]
    return all(
        isinstance(part, query.Term)
        and part.fieldname in ("id", "author")
        and isinstance(part.text, str)
        and part.text in _STOP_WORDS
        for part in parts
    ) and isinstance(q, query.Or)
