"""The help screen: the keys of the part with focus first, then the rest, then the
search syntax (all from help.md)."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown, Static

from ..widgets.abstract_viewer import AbstractViewer
from ..widgets.result_list import ResultList
from ..widgets.search_box import SearchBox
from .help_sections import HELP, KeySection, read_help
from .panel import Panel

# The part of the reader a focused widget is, as help.md's sections name them.
PART_OF = ((SearchBox, "search"), (ResultList, "list"), (AbstractViewer, "viewer"))

# `code` and *emphasis* in help.md's tables.
_INLINE = re.compile(r"`([^`]+)`|\*([^*]+)\*")


def part_of(widget: Widget | None) -> str | None:
    """The part of the reader `widget` is (None: none with keys of its own)."""
    return next((part for kind, part in PART_OF if isinstance(widget, kind)), None)


class HelpScreen(Panel[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen > VerticalScroll { max-width: 100; height: 90%; }
    HelpScreen .help-keys { margin-bottom: 1; }
    """

    def __init__(self, part: str | None = None) -> None:
        """Help with the keys of `part` (a value of help_sections.PARTS) first."""
        super().__init__()
        self.part = part

    @property
    def source(self) -> str:
        """The whole help as written (help.md)."""
        return HELP.read_text(encoding="utf-8")

    @property
    def rows(self) -> list[tuple[str, str]]:
        """Every (keys, what they do) row shown, in the order shown."""
        return [row for section in read_help().ordered(self.part) for row in section.rows]

    def compose(self) -> ComposeResult:
        help = read_help()
        with VerticalScroll(id="help"):
            for section in help.ordered(self.part):
                here = section.part == self.part
                yield Static(
                    key_table(section, here), id=f"keys-{section.part}", classes="help-keys"
                )
            yield Markdown(help.rest)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help", VerticalScroll).scroll_relative(y=lines, animate=False)


def key_table(section: KeySection, here: bool = False) -> Table:
    """A section's keys in two columns: the keys never wrap, what they do does."""
    title = Text(section.title, style="bold")
    if here:
        title.append("  (focus is here)", style="dim")
    table = Table(
        title=title,
        title_justify="left",
        show_header=False,
        box=None,
        expand=True,
        padding=(0, 2, 0, 0),
    )
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for keys, what in section.rows:
        table.add_row(inline(keys), inline(what))
    return table


def inline(cell: str) -> Text:
    """A table cell of help.md as text: `code` bold, *emphasis* italic (never markup)."""
    text = Text()
    at = 0
    for match in _INLINE.finditer(cell):
        text.append(cell[at : match.start()])
        code, emphasis = match.groups()
        text.append(code if code is not None else emphasis, "bold" if code else "italic")
        at = match.end()
    text.append(cell[at:])
    return text
