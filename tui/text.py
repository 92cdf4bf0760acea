"""Dump text made safe for the screen: shown exactly as written, never as markup.

Everything from a dump reaches widgets as rich Text objects (never markup
strings), and control characters become visible symbols, so an escape sequence
in a dump is shown, not sent to the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.text import Text

from index import highlight_spans

# C0 controls but tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MATCH_STYLE = "bold reverse"


def _symbol(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC
    return "␡" if code == 0x7F else "�"


def safe(text: str) -> str:
    """The text with control characters replaced by visible symbols (same length)."""
    return _CONTROL.sub(_symbol, text)


def highlighted(
    text: str,
    terms: Iterable[str] = (),
    field: str = "abstract",
    style: str = "",
) -> Text:
    """Text with the words that match `terms` (as the index analyses them) marked."""
    return marked(text, highlight_spans(text, terms, field), style)


def marked(text: str, spans: Iterable[tuple[int, int]], style: str = "") -> Text:
    """Text with these (start, end) spans marked as matches."""
    shown = Text(safe(text), style=style)
    for start, end in spans:
        shown.stylize(MATCH_STYLE, start, end)
    return shown
