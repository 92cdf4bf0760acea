"""The search box: the query, searched as it is typed."""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

PLACEHOLDER = 'Search: words  "a phrase"  title: author: year:2024  fuzzy~  prefix*   (/ to focus)'


class SearchBox(Input):
    """An Input whose text is the query of the current tab."""

    BINDINGS = [Binding("down", "screen.focus_results", "Results", show=False)]

    DEFAULT_CSS = """
    SearchBox { border: tall $border-blurred; }
    SearchBox:focus { border: tall $border; }
    """

    def __init__(self, id: str | None = None, suggester: Suggester | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False, suggester=suggester)
