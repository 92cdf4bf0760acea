"""The search box: the query, searched as it is typed."""

from __future__ import annotations

from typing import Self

from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.suggester import Suggester
from textual.widgets import Input

PLACEHOLDER = 'Search: words  "a phrase"  title: author: year:2024  fuzzy~  prefix*   (/ to focus)'


class SearchBox(Input):
    """An Input whose text is the query of the current tab."""

    _typed = False  # the value is changing
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

    def _watch_value(self, value: str) -> None:
        self._typed = True
        try:
            super()._watch_value(value)
        finally:
            self._typed = False

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        # Input asks for a layout of the whole screen at each keystroke (the length
        # of its text is its virtual size), which holds up the letter's echo. The
        # box's size never depends on what is typed: a keystroke repaints it alone.
        if self._typed and not self.styles.auto_dimensions:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    async def _on_key(self, event: events.Key) -> None:
        # No query starts with "?": on an empty box it asks for help, as elsewhere.
        if event.character == "?" and not self.value:
            event.stop()
            event.prevent_default()
            self.app.action_help()  # type: ignore[attr-defined]  # AbstractsApp's
            return
        await super()._on_key(event)
