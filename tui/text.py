"""Dump text made safe for the screen: shown exactly as written, never as markup.

Everything from a dump reaches widgets as rich Text objects (never markup
strings), and control characters become visible symbols, so an escape sequence
in a dump is shown, not sent to the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from index import highlight_spans, printable

MATCH_STYLE = "bold reverse"


def safe(text: str) -> str:
    """The text with control and invisible format characters as visible symbols."""
    return printable(text)


def highlighted(
    text: str,
    terms: Iterable[str] = (),
    field: str = "abstract",
    style: str = "",
) -> Text:
    """Text with the words that match `terms` (as the index analyses them) marked."""
    return marked(text, highlight_spans(text, terms, field), style)


def marked(text: str, spans: Iterable[tuple[int, int]], style: str = "") -> Text:
    """Text with these (start, end) spans of `text` marked as matches.

    The spans index the text as written; each piece is made safe on its own, as
    a control character may become a symbol of several characters.
    """
    shown = Text(style=style)
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)
        if end <= start:
            continue
        shown.append(safe(text[position:start]))
        shown.append(safe(text[start:end]), MATCH_STYLE)
        position = end
    shown.append(safe(text[position:]))
    return shown
