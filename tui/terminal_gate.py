"""The last gate before the terminal: no character of the screen's text acts on it.

Every widget shows text from dumps, file names and the reading state through
`tui.text.safe` (or a safe box), as visible symbols. This gate is what makes a
widget that forgets, or one of Textual's own, harmless all the same: it takes
control and invisible format characters out of the text of each update to the
screen before it is written, so an escape sequence in a name can neither set the
clipboard (OSC 52) nor the window title. Textual's own escape sequences are
control segments and its styles are applied after this, so neither is touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from textual._compositor import ChopsUpdate, InlineUpdate, LayoutUpdate
from textual.strip import Strip

from index import UNSAFE

T = TypeVar("T")


def _harmless(match: re.Match[str]) -> str:
    # As wide as what it replaces, so the line keeps its layout.
    return "\ufffd" * cell_len(match[0])


def clean_text(text: str) -> str:
    """`text` without anything that acts on a terminal, each cell kept."""
    return UNSAFE.sub(_harmless, text)


def clean_strip(strip: Strip) -> Strip:
    """The strip with the text of each segment cleaned (the same strip if clean)."""
    segments = list(strip)
    if not any(not s.control and UNSAFE.search(s.text) for s in segments):
        return strip
    return Strip(
        [
            s if s.control or not UNSAFE.search(s.text) else Segment(clean_text(s.text), s.style)
            for s in segments
        ],
        strip.cell_length,
    )


def clean_update(update: T) -> T:
    """The compositor's update with the text of its strips cleaned (in place)."""
    if isinstance(update, LayoutUpdate):  # a line is the strips of its chops
        update.strips = [[clean_strip(strip) for strip in line if strip] for line in update.strips]
    elif isinstance(update, InlineUpdate):
        update.strips = [clean_strip(strip) for strip in update.strips]
    elif isinstance(update, ChopsUpdate):
        update.chops = [
            {x: strip and clean_strip(strip) for x, strip in line.items()} for line in update.chops
        ]
    return update


def unsafe_text(strips: Iterable[Strip]) -> list[str]:
    """The unsafe characters in the text of `strips`, as written (for tests and checks)."""
    return [c for strip in strips for s in strip if not s.control for c in UNSAFE.findall(s.text)]
