"""A yes-or-no question before something that changes many papers at once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from .panel import Panel


class ConfirmScreen(Panel[bool]):
    """Asks `question`; dismisses with True for yes (y, enter), False for no (n, escape)."""

    BINDINGS = [
        Binding("y,enter", "dismiss(True)", "Yes"),
        Binding("n,escape,q", "dismiss(False)", "No"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen > Vertical { width: auto; max-width: 80%; height: auto; }
    ConfirmScreen #confirm-keys { color: $text-muted; }
    """

    def __init__(self, question: str, after: str = "") -> None:
        """`question` in bold, then `after` (what follows, how to undo it)."""
        super().__init__()
        self.question = question
        self.after = after

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.question, style="bold"))
            if self.after:
                yield Label(Text(self.after))
            yield Label(Text("y or enter: yes · n or escape: no"), id="confirm-keys")
