"""A modal panel: a bordered box in the middle of the screen, over the reader."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class Panel(ModalScreen[Result]):
    """Subclasses put one container in it and may set its width and height."""

    DEFAULT_CSS = """
    Panel { align: center middle; }
    Panel > Vertical, Panel > VerticalScroll {
        width: 90%; max-width: 110; height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
