"""The search box: the query, searched as it is typed, and the queries before it.

Up and down walk the query history while the box is empty or holds a query not
edited since it was recalled or settled on; down goes to the results once there is
no newer query, or when the box holds an edited query. A query is remembered when
the user settles on it (enter, or leaving the box), not at each keystroke.
"""

from __future__ import annotations

from typing import Self

from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.suggester import Suggester

from index import QueryHistory

from .safe_input import SafeInput

PLACEHOLDER = 'Search: words  "a phrase"  title: author: year:2024  fuzzy~  prefix*   (/ to focus)'


class SearchBox(SafeInput):
    """An Input whose text is the query of the current tab."""

    _typed = False  # the value is changing
    BINDINGS = [
        Binding("up", "older", "Earlier query", show=False),
        Binding("down", "newer", "Results", show=False),
        Binding("escape", "screen.back", "Clear / results"),
        Binding("f1", "app.show_help", "Help"),
    ]

    DEFAULT_CSS = """
    SearchBox { border: tall $border-blurred; }
    SearchBox:focus { border: tall $border; }
    """

    def __init__(self, id: str | None = None, suggester: Suggester | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False, suggester=suggester)
        self.history = QueryHistory()
        self._settled = ""  # the query recalled, settled on or shown by the reader
        self._remembered = ""  # the query last remembered

    class Settled(Message):
        """The user settled on a query: it belongs in the history."""

        def __init__(self, box: SearchBox, text: str) -> None:
            super().__init__()
            self.box = box
            self.text = text

        @property
        def control(self) -> SearchBox:
            return self.box

    @property
    def unchanged(self) -> bool:
        """Empty, or holding the query recalled or settled on, as it was."""
        return not self.value or self.value == self._settled

    def show_query(self, text: str) -> None:
        """Hold `text` as a query the reader went to (not typed: not remembered)."""
        self._settled = self._remembered = text
        self.value = text
        self.cursor_position = len(text)

    def settle(self) -> None:
        """Remember the query in the box, if it is new since the last one remembered."""
        text = self.value.strip()
        self._settled = self.value
        if text and text != self._remembered:
            self._remembered = text
            self.history.remember(text)
            self.post_message(self.Settled(self, text))

    def action_older(self) -> None:
        if self.unchanged and (text := self.history.older(self.value)) is not None:
            self._recall(text)

    async def action_newer(self) -> None:
        if self.unchanged and (text := self.history.newer(self.value)) is not None:
            self._recall(text)
        else:  # an edited query, or no newer one: on to the results, as ever
            await self.run_action("screen.focus_results")

    def _recall(self, text: str) -> None:
        self._settled = text
        self.value = text
        self.cursor_position = len(text)

    async def action_submit(self) -> None:
        self.settle()
        await super().action_submit()

    def _on_blur(self, event: events.Blur) -> None:
        # Leaving the box (for the results, a paper, another screen) settles the query.
        self.settle()
        super()._on_blur(event)

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
