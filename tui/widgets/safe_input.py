"""Boxes the user types in that show what they hold safely: text stays as typed
(what is saved or searched is what was typed), and a control or invisible format
character is shown as a visible stand-in of its own, never sent to the terminal.

Every input of the reader is one of these: a query restored from the session, a
history entry or a pasted tag reaches the screen as `␛`, not as an escape sequence.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.expand_tabs import expand_tabs_inline
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


class SafeTextArea(TextArea):
    """A TextArea showing each line with stand-ins for unsafe characters; the
    document keeps the text as written."""

    def get_line(self, line_index: int) -> Text:
        # From the document: Rich's Text drops some controls (BEL) as it is made.
        line = self.document.get_line(line_index)
        if unsafe_in(line):
            return Text(printable_by_character(line), end="", no_wrap=True)
        return super().get_line(line_index)
