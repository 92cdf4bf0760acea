"""The authors of the library: papers, and how many each shares with the others."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from index import AuthorInfo

from ..text import safe
from .panel import Panel


class AuthorsScreen(Panel[str | None]):
    """Dismisses with the chosen author's label (None: cancelled)."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    AuthorsScreen > Vertical { width: 95%; max-width: 140; }
    AuthorsScreen DataTable { height: 1fr; }
    """

    def __init__(self, rows: list[tuple[AuthorInfo, int, dict[str, int]]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Authors", style="bold"))
            yield Label(Text("enter: open the author's tab · escape: back", style="dim"))
            yield DataTable(id="authors", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Author", "Papers", "Shared", "Shares papers with", "Source")
        for info, shared, others in self.rows:
            table.add_row(
                Text(safe(info.author)),
                Text(str(info.papers), justify="right"),
                Text(str(shared), justify="right"),
                Text(safe("; ".join(f"{name} ({count})" for name, count in others.items()))),
                Text(safe(Path(info.source).name), style="dim"),
                key=info.author,
            )
        table.focus()

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + step)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)
