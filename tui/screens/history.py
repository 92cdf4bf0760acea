"""The query history (ctrl+r): type to filter the earlier queries, enter to search one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList

from ..text import safe
from ..widgets.safe_input import SafeInput
from .panel import Panel


class HistoryScreen(Panel[str | None]):
    """Dismisses with the query picked (None: cancelled)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    HistoryScreen > Vertical { max-width: 100; }
    HistoryScreen OptionList { height: 1fr; }
    """

    def __init__(self, queries: list[str]) -> None:
        super().__init__()
        self.queries = queries  # newest first
        self._folded = [query.casefold() for query in queries]
        self.shown: list[str] = []  # the queries the list holds, in its order

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Earlier queries", style="bold"))
            yield Label(Text("type to filter · enter: search it · escape: back", style="dim"))
            yield SafeInput(placeholder="Filter queries", id="filter")
            yield Label("", id="shown")
            yield OptionList(id="queries")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter").focus()

    @on(Input.Changed, "#filter")
    def narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        """The queries holding every word typed (in any case), newest first."""
        words = typed.casefold().split()
        self.shown = [
            query
            for query, folded in zip(self.queries, self._folded, strict=True)
            if all(word in folded for word in words)
        ]
        options = self.query_one(OptionList)
        options.clear_options()
        # Text, not markup: a query like "[b]" is shown as typed.
        options.add_options([Text(safe(query)) for query in self.shown])
        if self.shown:
            options.highlighted = 0
        if not self.queries:
            note = "No queries yet: one is remembered on enter, or on leaving the search box."
        else:
            note = f"{len(self.shown):,} of {len(self.queries):,} queries"
        self.query_one("#shown", Label).update(Text(note, style="dim"))

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            now = options.highlighted or 0
            options.highlighted = max(0, min(now + step, len(self.shown) - 1))

    @on(Input.Submitted, "#filter")
    def pick_highlighted(self) -> None:
        index = self.query_one(OptionList).highlighted
        if self.shown and index is not None:
            self.dismiss(self.shown[index])

    @on(OptionList.OptionSelected, "#queries")
    def pick(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])
