"""What the reader is asked to show (`Inputs`) and what it shows (`View`).

Both are immutable: a view is computed from the inputs, the library and the
reading state by `ReaderCore`, and the screen draws it as it is. The rules that
decide what a view holds live here, each once: the order a list is in, which
paper is selected, what the count line says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..engine.result import SearchResult
from ..model import Hit
from ..session import PAGE
from ..userdb import PaperState
from .tabs import ALL, TabEntry, TabFilter

# How the count line names each order of the list.
ORDER_NAMES = {
    "relevance": "best match first",
    "newest": "newest first",
    "oldest": "oldest first",
    "title": "by title",
}


@dataclass(frozen=True)
class Inputs:
    """Everything the reader was asked that decides what it shows."""

    query: str = ""
    exact: bool = False  # submitted (Enter): searched as `abstracts search` takes it
    tab: TabFilter = ALL
    order: str = "relevance"  # one of ORDERS, kept across queries and tabs
    limit: int = PAGE  # papers listed: a page, and a page more each time asked
    selected: str | None = None  # the paper selected, by key (None: the first)
    # While typing: the typing paused (the word being typed counts as complete for
    # "Did you mean"). The same list as before the pause.
    paused: bool = False
    # Where the selected paper stood in the list: the row selected should it be gone.
    row: int = 0

    @property
    def shown_order(self) -> str:
        """The order the list is in: without a query, relevance lists newest first."""
        if self.order == "relevance" and not self.query.strip():
            return "newest"
        return self.order

    def same_list(self, other: Inputs) -> bool:
        """Whether `other` asks for the same search (its pages and selection aside)."""
        return (self.query, self.exact, self.tab, self.order) == (
            other.query,
            other.exact,
            other.tab,
            other.order,
        )


@dataclass(frozen=True)
class View:
    """One screenful of the reader: the list, its marks, the counts, the selection."""

    inputs: Inputs
    hits: tuple[Hit, ...] = ()
    # The reading state of the papers listed, by key (a paper missing: no marks).
    states: Mapping[str, PaperState] = field(default_factory=dict)
    total: int = 0
    fallback: bool = False  # the query did not parse; its words were searched
    years: tuple[tuple[int, int], ...] = ()  # matches per year, with a query
    tab_counts: tuple[int, ...] | None = None  # each tab's matches, with a query
    suggestion: str | None = None  # a corrected query, where little was found
    tabs: tuple[TabEntry, ...] = ()
    selected: int | None = None  # the index of the paper selected in `hits`
    problem: str | None = None  # what went wrong with the reading state
    marks_read: bool = True  # False: the reading state could not be read at all
    left_out: str = ""  # while typing: the word being typed, not searched yet

    @property
    def selected_hit(self) -> Hit | None:
        return None if self.selected is None else self.hits[self.selected]

    @property
    def status(self) -> str:
        """The count line: how many papers, how many shown, in what order, and a
        corrected query if there is one."""
        text = count_text(
            self.total, len(self.hits), self.inputs.query, self.fallback, self.inputs.shown_order
        )
        if self.left_out and not self.inputs.exact:
            text += f" · type more to search {self.left_out!r}"
        if self.suggestion:
            text += f" · Did you mean: {self.suggestion}? (ctrl+s)"
        return text

    @property
    def more_to_show(self) -> bool:
        return len(self.hits) >= self.inputs.limit and self.total > len(self.hits)


def selection(inputs: Inputs, hits: tuple[Hit, ...]) -> int | None:
    """Which paper is selected: the one asked for while it is listed, else the one
    now standing where it stood (it left the list), else the first."""
    if not hits:
        return None
    if inputs.selected is not None:
        for number, hit in enumerate(hits):
            if hit.paper.key == inputs.selected:
                return number
        return min(inputs.row, len(hits) - 1)
    return 0


def view_of(
    inputs: Inputs,
    result: SearchResult,
    states: Mapping[str, PaperState],
    tabs: tuple[TabEntry, ...],
    suggestion: str | None = None,
    problem: str | None = None,
    marks_read: bool = True,
) -> View:
    """The view of a search's result, with the reading state of its papers."""
    hits = tuple(result.hits)
    return View(
        inputs=inputs,
        hits=hits,
        states=dict(states),
        total=result.total if result.total is not None else len(hits),
        fallback=result.fallback,
        years=result.years if inputs.query.strip() else (),
        tab_counts=result.tab_counts if inputs.query.strip() and result.tab_counts else None,
        suggestion=suggestion,
        tabs=tabs,
        selected=selection(inputs, hits),
        problem=problem,
        marks_read=marks_read,
        left_out=result.left_out,
    )


def count_text(
    total: int | None, shown: int, query: str, fallback: bool, order: str = "relevance"
) -> str:
    """`1,234 papers found (showing 20; more as you scroll) · best match first`."""
    total = shown if total is None else total
    found = f"{total:,} paper" + ("" if total == 1 else "s")
    text = found if not query.strip() else f"{found} found"
    if total > shown:
        text += f" (showing {shown:,}; more as you scroll)"
    text += f" · {ORDER_NAMES[order]}"
    if fallback:
        text += " · the query did not parse; searched for its words"
    return text
