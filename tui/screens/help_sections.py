"""help.md read as sections: the keys of each part of the reader (the search box,
the list, the viewer, everywhere), and the rest (search syntax, notes) as Markdown.

The help screen shows the part with focus first; the README's table of keys is
the same sections (tests/functional/test_help.py holds the two together).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

HELP = Path(__file__).with_name("help.md")

# The headings of the key sections, and the part of the reader each is about.
PARTS = {
    "In the search box": "search",
    "In the list": "list",
    "In the viewer": "viewer",
    "Everywhere but the search box": "everywhere",
}


@dataclass(frozen=True)
class KeySection:
    """One part's keys: its heading, the part (a value of PARTS), and (keys, what) rows."""

    title: str
    part: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Help:
    """The key sections in the order written, and everything else as Markdown."""

    sections: tuple[KeySection, ...]
    rest: str

    def ordered(self, part: str | None) -> list[KeySection]:
        """The sections with `part`'s first, then the keys that work everywhere, then
        the others as written."""
        first = [s for s in self.sections if s.part == part]
        everywhere = [s for s in self.sections if s.part == "everywhere" and s.part != part]
        others = [s for s in self.sections if s not in first and s not in everywhere]
        return first + everywhere + others


def read_help(text: str | None = None) -> Help:
    """help.md (or `text` written like it) split into key sections and the rest."""
    text = HELP.read_text(encoding="utf-8") if text is None else text
    sections: list[KeySection] = []
    rest: list[str] = []
    for chunk in re.split(r"(?m)^(?=## )", text):
        title, _, body = chunk.partition("\n")
        part = PARTS.get(title.removeprefix("## ").strip())
        if part is None:
            if not chunk.startswith("# "):  # (the title: the screen has its own)
                rest.append(chunk)
            continue
        rows, after = _table(body)
        sections.append(KeySection(title.removeprefix("## ").strip(), part, rows))
        rest.append(after)
    return Help(tuple(sections), re.sub(r"\n{3,}", "\n\n", "".join(rest)).strip() + "\n")


def _table(body: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The rows of the Markdown table that opens `body` (its header row left out),
    and the text after it."""
    lines = body.strip("\n").split("\n")
    table = list(itertools.takewhile(lambda line: line.startswith("|"), lines))
    rows = []
    for line in table[2:]:  # after the header and the line under it
        keys, _, what = line.strip().strip("|").partition("|")
        rows.append((keys.strip(), what.strip()))
    return tuple(rows), "\n".join(lines[len(table) :]).strip("\n") + "\n\n"
