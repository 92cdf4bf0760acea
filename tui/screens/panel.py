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


class DockedPanel(Panel[Result]):
    """A panel over the lower half of the screen, above its footer: the paper it is
    about (title, authors, the start of the abstract) stays in view, dimmed."""

    DEFAULT_CSS = """
    DockedPanel { align: center bottom; }
    DockedPanel > Vertical {
        width: 100%; max-width: 100%; height: 50%; max-height: 50%; margin-bottom: 1;
    }
    """
