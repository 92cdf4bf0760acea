"""The line a first run shows over the bundled samples: what they are, and how to
open one's own dumps instead (fixed text: nothing from a library in it)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

WELCOME = Text.assemble(
    "Sample papers. To read your own: ",
    ("abstracts PATH…", "bold"),
    " (dumps or folders) · ",
    ("?", "bold"),
    " keys",
)


def welcome(id: str = "welcome") -> Static:
    """The welcome line, one line under the count line (main.tcss lays it out)."""
    return Static(WELCOME.copy(), id=id)
