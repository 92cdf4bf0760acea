"""The search box: the query, searched as it is typed."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

PLACEHOLDER = 'Search: words  "a phrase"  title: author: year:2024  fuzzy~  prefix*   (/ to focus)'


class SearchBox(Input):
    """An Input whose text is the query of the current tab."""

    BINDINGS = [
        Binding("down", "screen.focus_results", "Results", show=False),
        Binding("escape", "screen.back", "Clear / results"),
        Binding("f1", "app.show_help", "Help"),
    ]

    DEFAULT_CSS = """
    SearchBox { border: tall $border-blurred; }
    SearchBox:focus { border: tall $border; }
    """

    def __init__(self, id: str | None = None, suggester: Suggester | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False, suggester=suggester)

    async def _on_key(self, event: events.Key) -> None:
        # No query starts with "?": on an empty box it asks for help, as elsewhere.
        if event.character == "?" and not self.value:
            event.stop()
            event.prevent_default()
            self.app.action_help()
            return
        await super()._on_key(event)
