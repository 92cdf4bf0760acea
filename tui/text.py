"""Dump text made safe for the screen: shown exactly as written, never as markup.

Everything from a dump reaches widgets as rich Text objects (never markup
strings), and control characters become visible symbols, so an escape sequence
in a dump is shown, not sent to the terminal.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rich.text import Text

from index import highlight_spans, printable, unsafe_in

MATCH_STYLE = "bold reverse"
# The match n/N moved to, apart from the others.
CURRENT_STYLE = "bold black on yellow"


def safe(text: str) -> str:
    """The text with control and invisible format characters as visible symbols."""
    return printable(text)


def displayable(note: str) -> str:
    """A note as Markdown is to show it: control and invisible format characters as
    visible symbols, whether written as themselves or as the HTML entities Markdown
    decodes (`&#x202E;`), so what the user wrote is seen and never acts on the terminal."""
    return _ENTITY.sub(_entity_shown, printable(note))


# The character references Markdown decodes (CommonMark: decimal, hex and named).
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entity_shown(match: re.Match[str]) -> str:
    decoded = html.unescape(match[0])
    return printable(decoded) if unsafe_in(decoded) else match[0]


def highlighted(
    text: str,
    terms: Iterable[str] = (),
    field: str = "abstract",
    style: str = "",
) -> Text:
    """Text with the words that match `terms` (as the index analyses them) marked."""
    return marked(text, highlight_spans(text, terms, field), style)


def marked(
    text: str, spans: Iterable[tuple[int, int]], style: str = "", current: int | None = None
) -> Text:
    """Text with these (start, end) spans of `text` marked as matches, the
    `current`-th of them (in text order) marked apart.

    The spans index the text as written; each piece is made safe on its own, as
    a control character may become a symbol of several characters.
    """
    shown = Text(style=style)
    for piece, number in marked_pieces(text, spans):
        if number is None:
            shown.append(piece)
        else:
            shown.append(piece, CURRENT_STYLE if number == current else MATCH_STYLE)
    return shown


def marked_pieces(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[str, int | None]]:
    """The text cut at these (start, end) spans, in order, each piece made safe on
    its own: (piece, None) between matches, (piece, n) for the n-th span in text
    order (spans overlapping one before are cut to what is left of them)."""
    position = 0
    for number, (start, end) in enumerate(sorted(spans)):
        start = max(start, position)
        if end <= start:
            continue
        yield safe(text[position:start]), None
        yield safe(text[start:end]), number
        position = end
    yield safe(text[position:]), None


# A line break with the blanks around it; two or more breaks end a paragraph.
_BREAK = re.compile(r"[ \t\r\f\v]*\n(?:[ \t\r\f\v]*\n)*[ \t\r\f\v]*")


@dataclass(frozen=True)
class Reflowed:
    """Text hard-wrapped in its dump, joined back into paragraphs for reading.

    Lines within a paragraph are joined by a space; a blank line (or more) between
    paragraphs is kept as one. `at()` moves an offset of the text as written to
    the text shown, so matches found in the one are marked in the other.
    """

    text: str
    _written: tuple[int, ...]  # where each piece kept starts, in the text as written
    _shown: tuple[int, ...]  # and in the text shown

    @classmethod
    def of(cls, written: str) -> Reflowed:
        pieces: list[str] = []
        starts_written, starts_shown = [], []
        position = shown = 0
        body = written.strip()
        lead = len(written) - len(written.lstrip())
        for found in _BREAK.finditer(body):
            starts_written.append(lead + position)
            starts_shown.append(shown)
            piece = body[position : found.start()]
            joint = "\n\n" if found.group().count("\n") > 1 else " "
            pieces += [piece, joint]
            shown += len(piece) + len(joint)
            position = found.end()
        starts_written.append(lead + position)
        starts_shown.append(shown)
        pieces.append(body[position:])
        return cls("".join(pieces), tuple(starts_written), tuple(starts_shown))

    def at(self, offset: int) -> int:
        """Where the character at `offset` of the text as written is shown (a blank
        that was joined away: where its joint is)."""
        piece = max(bisect.bisect_right(self._written, offset) - 1, 0)
        inside = max(offset - self._written[piece], 0)
        end = self._shown[piece + 1] if piece + 1 < len(self._shown) else len(self.text)
        return min(self._shown[piece] + inside, end)

    def spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """Spans of the text as written, as spans of the text shown."""
        return [(self.at(start), self.at(end - 1) + 1) for start, end in spans if end > start]
