"""Searching as a reader does: a query a keystroke, pages on demand, stale searches
dropped, a corrected query offered where little is found.

The reader's screen asks on its event loop and gets its answers in a worker
thread; the benchmark asks the same object, so both measure one policy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .engine.errors import SearchCancelled
from .engine.result import SearchResult

if TYPE_CHECKING:
    from .library import Library

# The list shows this many papers first, and a page more whenever asked.
PAGE = 20
# Fewer papers found than this: a corrected query is offered where words look misspelt.
FEW = 3


@dataclass(frozen=True)
class Ask:
    """One search asked for: the newest until the next one is asked."""

    serial: int
    text: str
    author: str | None
    source: str | None
    limit: int
    exact: bool  # as submitted (Enter); else while typing (a last word is a prefix)
    marks: str | None = None  # a filter on marks, ANDed (a tab of starred papers)
    order: str = "relevance"  # one of ORDERS
    # (author, source, marks) of each tab whose matches are counted (Answer.result.tab_counts).
    tabs: tuple[tuple[str | None, str | None, str | None], ...] = ()
    # While typing: the typing paused, so the word being typed counts as complete
    # for "Did you mean" (see SearchSession.typing_suggestion).
    paused: bool = False


@dataclass(frozen=True)
class Answer:
    """An exact answer to an Ask: every match ranked and counted."""

    ask: Ask
    result: SearchResult
    suggestion: str | None = None  # a corrected query, where little was found


class SearchSession:
    """The searches of one reader, one at a time, the newest winning.

    ask() is cheap and made where the query changes; answer() does the work,
    anywhere (one call at a time is run; a call no longer the newest returns
    None at once, or as soon as it notices).
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._asked: Ask | None = None
        self._turn = threading.Lock()

    def ask(
        self,
        text: str,
        author: str | None = None,
        source: str | None = None,
        exact: bool = False,
        marks: str | None = None,
        limit: int = PAGE,
        order: str = "relevance",
        tabs: tuple[tuple[str | None, str | None, str | None], ...] = (),
        paused: bool = False,
    ) -> Ask:
        """A new search for `text` in a tab (author, source, marks: a filter such as
        "is:starred"), in `order`, counting the matches of `tabs`. `limit`: the first
        papers asked for (more than a page: a page more, or the same search again
        after the library changed, as far down as the list went)."""
        last = self._asked
        serial = last.serial + 1 if last else 1
        asked = Ask(serial, text, author, source, limit, exact, marks, order, tabs, paused)
        self._asked = asked
        return asked

    def typing_suggestion(self, asked: Ask) -> str | None:
        """While typing, "Did you mean" by the rule Enter follows, for the words
        typed complete (a space after them, or all of them once the typing paused):
        where they, submitted, find fewer than FEW papers, their correction,
        followed by whatever is being typed after them."""
        text = asked.text
        end = len(text) if asked.paused or text[-1:].isspace() else _last_space(text)
        complete = text[:end].strip()
        if not complete:
            return None
        found = self.library.search(
            complete, author=asked.author, source=asked.source, marks=asked.marks, limit=FEW
        )
        if len(found.hits) >= FEW:
            return None
        fixed = self.library.suggest(complete)
        # What follows them (a space, the word being typed) stays as it is.
        return None if fixed is None else fixed + text[len(text[:end].rstrip()) :]

    def is_current(self, asked: Ask) -> bool:
        return self._asked is not None and asked.serial == self._asked.serial

    def answer(self, asked: Ask) -> Answer | None:
        """The exact answer to `asked`, or None if a newer search was asked first."""

        def stale() -> bool:
            return not self.is_current(asked)

        try:
            with self._turn:
                if stale():
                    return None
                result = self.library.search(
                    asked.text,
                    author=asked.author,
                    source=asked.source,
                    limit=asked.limit,
                    as_you_type=not asked.exact,
                    cancelled=stale,
                    marks=asked.marks,
                    order=asked.order,
                    tabs=asked.tabs,
                )
                suggestion = None
                if asked.exact and asked.text.strip() and len(result.hits) < FEW and not stale():
                    # Little or nothing found: maybe a word is misspelt.
                    suggestion = self.library.suggest(asked.text)
                elif not asked.exact and not stale():
                    suggestion = self.typing_suggestion(asked)
                if stale():
                    return None
                return Answer(asked, result, suggestion)
        except SearchCancelled:
            return None


def _last_space(text: str) -> int:
    """Where the word being typed starts: after the last space (0 if none)."""
    return max(text.rfind(" "), text.rfind("\t"), text.rfind("\n")) + 1
