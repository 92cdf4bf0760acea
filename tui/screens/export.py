"""Asks for the file to export the current results to."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from index import format_for

from ..widgets.safe_input import SafeInput
from .panel import Panel


class ExportScreen(Panel[Path | None]):
    """Dismisses with the path typed (None: cancelled)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    ExportScreen > Vertical { width: 80; height: auto; }
    ExportScreen #export-error { color: $error; }
    """

    def __init__(self, count: int | None) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        papers = "the results" if self.count is None else f"the {self.count:,} results"
        with Vertical():
            yield Label(Text(f"Export {papers} to a file", style="bold"))
            yield Label(Text(".bib: BibTeX · .md: Markdown · .jsonl: JSON Lines", style="dim"))
            yield SafeInput(placeholder="results.bib", id="export-path")
            yield Label("", id="export-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip() or "results.bib").expanduser()
        if format_for(path) is None:
            self.query_one("#export-error", Label).update(
                Text("End the name in .bib, .md or .jsonl to choose the format.")
            )
            return
        self.dismiss(path)
