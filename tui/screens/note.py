"""The note editor: a paper's note as multi-line text, saved with ctrl+s.

escape closes at once when nothing was changed; with changes, the first escape
says so and a second one throws them away, so that a slip of the finger never
loses a note being written. The editor closes only once the note is saved: one
that cannot be (the disk is full) stays in it, a copy is written to a file the
message names, and ctrl+s tries again.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Label, TextArea

from index import UserStateError, keep_unsaved

from ..text import safe
from ..widgets.safe_input import SafeTextArea
from .panel import DockedPanel


class NoteScreen(DockedPanel[str | None]):
    """Dismisses with the note as saved (None: cancelled, or unchanged: the note
    left as it was)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    NoteScreen TextArea { height: 1fr; }
    NoteScreen #note-said { width: 100%; color: $text-muted; }
    NoteScreen #note-said.-warning { color: $text-warning; }
    """

    class Saved(Message):
        """The note was saved as `text`."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class NotSaved(Message):
        """The note could not be saved, for `reason` (a line)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, about: str, key: str, note: str, save: Callable[[str], None]) -> None:
        """Edit `note`, the note on the paper `key` (`about` says which paper).

        Args:
            about: The paper, as the heading names it.
            key: The paper's key (an unsaved note's copy is named for it).
            note: The note as it is.
            save: Makes its text the paper's note; it may block (it runs in a
                worker) and raises UserStateError when the note cannot be saved.
        """
        super().__init__()
        self.about = about
        self.key = key
        self.note = note
        self._save = save
        self._warned = False  # escape was pressed once with changes
        self._saving = False
        self._quit_warned = False  # ctrl+q was pressed once with changes

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = Text("Note on ", style="bold")
            heading.append(safe(self.about))
            yield Label(heading)
            yield SafeTextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
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
        text = self.text.strip("\n")
        if text == self.note:
            self.dismiss(None)
        elif not self._saving:  # a second ctrl+s meanwhile saves nothing more
            self._saving = True
            self._say("Saving…")
            self._write(text)

    @work(thread=True, group="note", exit_on_error=False)
    def _write(self, text: str) -> None:
        try:
            self._save(text)
        except Exception as error:  # whatever went wrong, the text stays here
            reason = str(error) if isinstance(error, UserStateError) else repr(error)
            self.post_message(self.NotSaved(f"Not saved: {reason}. {_kept(text, self.key)}"))
        else:
            self.post_message(self.Saved(text))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.dismiss(message.text)

    @on(NotSaved)
    def _not_saved(self, message: NotSaved) -> None:
        self._saving = False
        self._warned = False
        self._say(message.reason, True)

    def holds_quit(self) -> bool:
        """Whether quitting now would throw changes away: the first time, a copy is
        kept, and the editor says where and that a second ctrl+q quits."""
        if self._quit_warned or self.text.strip("\n") == self.note:
            return False
        self._quit_warned = True
        self._say(f"The note is not saved: ctrl+q again quits. {_kept(self.text, self.key)}", True)
        return True

    def action_cancel(self) -> None:
        if self._saving:  # closed now, the note saved would not be shown
            return
        if self.text == self.note or self._warned:
            self.dismiss(None)
            return
        self._warned = True
        self._say("The note has changes: escape again to throw them away, ctrl+s to save.", True)

    def _say(self, text: str, warning: bool = False) -> None:
        said = self.query_one("#note-said", Label)
        said.update(Text(safe(text)))  # it can name paths
        said.set_class(warning, "-warning")


def _kept(text: str, key: str) -> str:
    """Keep a copy of an unsaved note in a file: where it is, in a sentence."""
    try:
        path = keep_unsaved(text, key)
    except Exception as error:  # whatever it is, the editor must say something
        reason = error.strerror if isinstance(error, OSError) else repr(error)
        return f"No copy could be written either ({reason}): keep this text."
    return f"A copy is in {path}; ctrl+s tries again."


_HINT = "Markdown · ctrl+s saves · escape cancels · an empty note is deleted"
