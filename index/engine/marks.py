"""Filters on the reader's own marks in the query language: `is:starred`,
`is:read`, `is:unread`, `tag:NAME`, `note:word`, `note:"some words"`.

The parser turns each into a Mark, a placeholder that the store resolves at
search time (marks change without the index changing) to the papers' keys the
reading state gives, as a query over the `key` field that scores a constant: the
array evaluator and Whoosh's own searcher then both evaluate it, and it leaves
the scores of the other words alone (each match gains the same constant).
"""

from __future__ import annotations

import re
from typing import Protocol

from whoosh import query
from whoosh.qparser import syntax
from whoosh.qparser.plugins import TaggingPlugin

from .term_set import TermSet

# The filters' names, as typed before the colon.
MARK_FIELDS = frozenset({"is", "tag", "note"})
STATES = ("starred", "read", "unread")
# A filter word: not inside another word; a quoted note may be still open at the end.
MARK = re.compile(r"(?<![\w:.\-])(?P<kind>(?i:is|tag|note)):(?P<value>\"[^\"]*(?:\"|$)|[^\s()\"]+)")


class MarkSource(Protocol):
    """Where marks are looked up: index.userdb.UserDB."""

    def keys(
        self,
        *,
        starred: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
        note_words: str | None = None,
        note_prefix: bool = False,
    ) -> set[str]: ...

    def tags(self) -> list[tuple[str, int]]: ...

    def version(self) -> tuple[int, int]: ...


class Mark(query.Query):
    """A filter on marks, until the store resolves it (see resolve()).

    Attributes:
        kind: "is", "tag" or "note".
        value: What follows the colon, quotes taken off.
        last: It ends the text: while typing, its value may be unfinished.
    """

    fieldname = None  # of no field of the index (Whoosh's normalize() asks)

    def __init__(self, kind: str, value: str, last: bool = False) -> None:
        self.kind = kind
        self.value = value
        self.last = last
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return type(other) is Mark and (other.kind, other.value, other.last) == (
            self.kind,
            self.value,
            self.last,
        )

    def __hash__(self) -> int:
        return hash((Mark, self.kind, self.value, self.last))

    def __repr__(self) -> str:
        return f"Mark({self.kind!r}, {self.value!r})"

    def __unicode__(self) -> str:
        return f"{self.kind}:{self.value}"

    __str__ = __unicode__

    def estimate_size(self, ixreader) -> int:  # type: ignore[no-untyped-def]
        return 0

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        # Searching an unresolved mark is a bug of the caller, not of the user.
        raise TypeError("resolve() the marks of a query before searching it")


class MarksPlugin(TaggingPlugin):
    """Parses the filter words into Mark placeholders (before field names are read,
    so `is`, `tag` and `note` never reach Whoosh as unknown fields)."""

    expr = MARK.pattern
    priority = -1  # as EveryPlugin: before the fields plugin

    class MarkNode(syntax.SyntaxNode):
        def __init__(self, kind: str, value: str, last: bool) -> None:
            self.kind, self.value, self.last = kind, value, last

        def r(self) -> str:
            return f"{self.kind}:{self.value!r}"

        def query(self, parser):  # type: ignore[no-untyped-def]
            return Mark(self.kind, self.value, self.last)

    def create(self, parser, match):  # type: ignore[no-untyped-def]
        value = match["value"]
        quoted = value.startswith('"')
        if quoted:
            value = value[1:].removesuffix('"')
        return self.MarkNode(match["kind"].lower(), value, match.end() == len(match.string))


def uses_marks(text: str) -> bool:
    """Whether the text holds a filter on marks (its answer changes with them)."""
    return MARK.search(text) is not None


def without_marks(text: str) -> tuple[str, list[str]]:
    """The text with its filter words taken out, and those words."""
    found = [m[0] for m in MARK.finditer(text)]
    return MARK.sub(" ", text), found


def resolve(
    q: query.Query,
    source: MarkSource | None,
    typing: bool,
    known: dict[tuple[str, str, bool], query.Query] | None = None,
) -> query.Query:
    """The query with each Mark replaced by the papers it stands for.

    Args:
        source: The reading state (None: no paper has marks).
        typing: The text is being typed: a Mark that ends it may be unfinished,
            and stands for what it starts (`is:sta`, `tag:sur`, `note:diff`).
        known: Marks resolved before, while the state is unchanged: reused (the
            same query object each keystroke lets the evaluator reuse its answer).
    """
    if isinstance(q, Mark):
        asked = (q.kind, q.value, typing and q.last)
        if known is None:
            return _resolved(q, source, asked[2])
        if asked not in known:
            known[asked] = _resolved(q, source, asked[2])
        return known[asked]
    return q.apply(lambda child: resolve(child, source, typing, known))


def _resolved(mark: Mark, source: MarkSource | None, typing: bool) -> query.Query:
    if mark.kind == "is":
        value = mark.value.lower()
        if typing and value not in STATES:
            started = [state for state in STATES if state.startswith(value)]
            value = started[0] if len(started) == 1 else value
        if value == "starred":
            return _papers(source.keys(starred=True) if source else set())
        if value in ("read", "unread"):
            read = _papers(source.keys(read=True) if source else set())
            return read if value == "read" else query.Not(read)
        return query.NullQuery  # no such state: nothing has it
    if source is None:
        return query.NullQuery
    if mark.kind == "tag":
        keys = source.keys(tag=mark.value)
        if typing and not keys:
            typed = mark.value.lower()
            for tag, _ in source.tags():
                if tag.startswith(typed):
                    keys |= source.keys(tag=tag)
        return _papers(keys)
    return _papers(source.keys(note_words=mark.value, note_prefix=typing))


def _papers(keys: set[str]) -> query.Query:
    """The papers with these keys, each scoring the same constant."""
    if not keys:
        return query.NullQuery
    return query.ConstantScoreQuery(TermSet("key", keys), 0)
