"""The note editor: a paper's note as multi-line text, saved with ctrl+s.

escape closes at once when nothing was changed; with changes, the first escape
says so and a second one throws them away, so that a slip of the finger never
loses a note being written.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Label, TextArea

from ..text import safe
from .panel import Panel


class NoteScreen(Panel[str | None]):
    """Dismisses with the note as saved (None: cancelled, the note left as it was)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    NoteScreen > Vertical { height: 70%; }
    NoteScreen TextArea { height: 1fr; }
    NoteScreen #note-said { color: $text-muted; }
    NoteScreen #note-said.-warning { color: $text-warning; }
    """

    def __init__(self, about: str, note: str) -> None:
        super().__init__()
        self.about = about
        self.note = note
        self._warned = False  # escape was pressed once with changes

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = Text("Note on ", style="bold")
            heading.append(safe(self.about))
            yield Label(heading)
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label(_HINT, id="note-said")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        area.focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def on_text_area_changed(self) -> None:
        if self._warned:  # typing on: the warning no longer applies
            self._warned = False
            self._say(_HINT)

    def action_save(self) -> None:
        self.dismiss(self.text.strip("\n"))

    def action_cancel(self) -> None:
        if self.text == self.note or self._warned:
            self.dismiss(None)
            return
        self._warned = True
        self._say("The note has changes: escape again to throw them away, ctrl+s to save.", True)

    def _say(self, text: str, warning: bool = False) -> None:
        said = self.query_one("#note-said", Label)
        said.update(Text(text))
        said.set_class(warning, "-warning")


_HINT = "Markdown · ctrl+s saves · escape cancels · an empty note is deleted"
