"""Boxes the user types in that show what they hold safely: text stays as typed
(what is saved or searched is what was typed), and a control or invisible format
character is shown as a visible stand-in of its own, never sent to the terminal.

Every input of the reader is one of these: a query restored from the session, a
history entry or a pasted tag reaches the screen as `␛`, not as an escape sequence.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.document._document import Document
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import expand_tabs_inline
from textual.geometry import Size
from textual.widgets import Input, TextArea

from index import printable_by_character, unsafe_in


class SafeInput(Input):
    """An Input showing its value with stand-ins for unsafe characters (one for
    one, so the cursor, the selection and clicks keep their places)."""

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(printable_by_character(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text

    def _position_to_cell(self, position: int) -> int:
        return cell_len(expand_tabs_inline(printable_by_character(self.value[:position]), 4))

    def _cell_offset_to_index(self, offset: int) -> int:
        target = offset + self.scroll_offset.x
        cells = 0
        for index, character in enumerate(printable_by_character(self.value)):
            width = get_character_cell_size(character)
            if cells + width > target:
                return index
            cells += width
        return len(self.value)

    def validate__suggestion(self, suggestion: str) -> str:
        # A completion (from the library: an author's name) that holds a control
        # character is not offered: shown grey, it would reach the terminal as is.
        return "" if unsafe_in(suggestion) else suggestion


class _ShownLines(Sequence[str]):
    """The lines of a document as shown, each made when asked for."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if isinstance(index, slice):
            return [printable_by_character(line) for line in self._lines[index]]
        return printable_by_character(self._lines[index])


class ShownDocument(Document):
    """A document that keeps its text as written (what is saved, copied and
    searched) and shows each line with a stand-in for every unsafe character, one
    for one: the box measures what it shows, so its cursor, wrapping and clicks
    keep their places (a control character measured as no cell put the cursor one
    cell off for each)."""

    @property
    def lines(self) -> list[str]:
        # A view, not a copy: a long note is not made again at every keystroke.
        return _ShownLines(self._lines)  # type: ignore[return-value]

    def get_line(self, index: int) -> str:
        return printable_by_character(self._lines[index])

    def __getitem__(self, line_index):  # type: ignore[no-untyped-def]
        return self.lines[line_index]

    def get_size(self, tab_width: int) -> Size:
        width = max((cell_len(line.expandtabs(tab_width)) for line in self.lines), default=0)
        return Size(width, len(self._lines))


class SafeTextArea(TextArea):
    """A TextArea showing each line with stand-ins for unsafe characters; the
    document keeps the text as written."""

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        if type(self.document) is Document:  # plain text (no language is ever set)
            self.document = ShownDocument(text)
            self.wrapped_document = WrappedDocument(self.document, tab_width=self.indent_width)
            self.navigator = DocumentNavigator(self.wrapped_document)
            self.move_cursor((0, 0))

    def get_line(self, line_index: int) -> Text:
        # From the document: Rich's Text drops some controls (BEL) as it is made.
        line = self.document.get_line(line_index)
        if unsafe_in(line):
            return Text(printable_by_character(line), end="", no_wrap=True)
        return super().get_line(line_index)
