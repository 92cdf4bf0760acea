"""The authors of the library: papers, and how many each shares with the others.

A collection can hold hundreds of thousands of authors: the table holds the dumps'
authors and at most SHOWN of the others, those with most papers among the names
that hold what is typed in the filter box.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, OptionList

from index import AuthorInfo, Library

from ..text import safe
from ..widgets.author_chart import AuthorChart
from ..widgets.safe_input import SafeInput
from .panel import Panel

SHOWN = 500


def _folded(text: str) -> str:
    """For matching a typed filter: no case, no accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class AuthorsScreen(Panel[str | None]):
    """Dismisses with the chosen author's name (None: cancelled).

    Args:
        library: Where the chart of the highlighted author reads their papers.
        rows: The dumps' authors: each with how many papers they share with the
            others, and with whom.
        others: The collection's other authors and their papers.
        current: The author of the tab open in the reader (None: All, or a tag's).
    """

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]
    # The chart's room is as tall as its tallest picture, whoever is highlighted:
    # the table above it keeps its height as the cursor moves.
    DEFAULT_CSS = """
    AuthorsScreen > Vertical { width: 95%; max-width: 140; }
    AuthorsScreen DataTable { height: 1fr; }
    AuthorsScreen #chart-room { height: 11; }
    AuthorsScreen.-short #chart-room { height: 8; }
    AuthorsScreen.-short AuthorChart #coauthors { max-height: 6; }
    """

    def __init__(
        self,
        library: Library,
        rows: list[tuple[AuthorInfo, int, dict[str, int]]],
        others: list[tuple[str, int]] | None = None,
        current: str | None = None,
    ) -> None:
        super().__init__()
        self.current = current  # the author whose tab is open: the row the cursor starts on
        self.library = library
        self.rows = rows
        self.others = others or []
        self._folded = [_folded(name) for name, _ in self.others]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Authors", style="bold"))
            yield Label(
                Text("enter: open the author's tab (pins one without) · escape: back", "dim")
            )
            if self.others:
                yield SafeInput(placeholder="Filter names", id="filter")
            yield Label("", id="shown")
            yield DataTable(id="authors", cursor_type="row", zebra_stripes=True)
            # The highlighted author at a glance: papers per year, co-authors.
            with Vertical(id="chart-room"):
                yield AuthorChart(self.library, id="chart")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Author", "Papers", "Shared", "Shares papers with", "Source")
        self._fill("")
        self._to_current(table)
        # With a collection's authors to find, typing filters them at once.
        (self.query_one("#filter") if self.others else table).focus()

    def _to_current(self, table: DataTable) -> None:
        """The cursor on the row of the author whose tab is open, if listed."""
        if self.current is None:
            return
        for key in (self.current, f"\x00{self.current}"):
            if key in table.rows:
                table.move_cursor(row=table.get_row_index(key), scroll=True)
                return

    @on(Input.Changed, "#filter")
    def narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def key_down(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()

    @on(Input.Submitted, "#filter")
    def to_table(self) -> None:
        self.query_one(DataTable).focus()

    def _fill(self, typed: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        wanted = _folded(typed.strip())
        for info, shared, others in self.rows:
            if wanted in _folded(info.author):
                table.add_row(
                    Text(safe(info.author)),
                    Text(str(info.papers), justify="right"),
                    Text(str(shared), justify="right"),
                    Text(safe("; ".join(f"{name} ({count})" for name, count in others.items()))),
                    Text(safe(Path(info.source).name), style="dim"),
                    key=info.author,
                )
        matching = [i for i, name in enumerate(self._folded) if wanted in name]
        for index in matching[:SHOWN]:
            name, papers = self.others[index]
            table.add_row(
                Text(safe(name)),
                Text(str(papers), justify="right"),
                Text(""),
                Text(""),
                Text("collection", style="dim"),
                key=f"\x00{name}",  # never a dump's label
            )
        if self.others:
            shown = min(len(matching), SHOWN)
            more = " · type to narrow" if len(matching) > SHOWN else ""
            note = f"{shown:,} of {len(matching):,} collection authors{more}"
            self.query_one("#shown", Label).update(Text(note, style="dim"))
        if not table.row_count:  # nobody left to picture
            self.query_one(AuthorChart).show_author(None)

    @on(DataTable.RowHighlighted, "#authors")
    def chart_author(self, event: DataTable.RowHighlighted) -> None:
        self.query_one(AuthorChart).show_author(_name(event.row_key.value))

    @on(AuthorChart.Chosen)
    def to_coauthor(self, message: AuthorChart.Chosen) -> None:
        self.dismiss(message.name)

    def action_cursor(self, step: int) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):  # in the co-authors
            (focused.action_cursor_down if step > 0 else focused.action_cursor_up)()
            return
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + step)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(_name(event.row_key.value))


def _name(key: str | None) -> str:
    """The author of a row: a collection author's key is marked apart from labels."""
    return str(key).removeprefix("\x00")
