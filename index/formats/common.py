"""Helpers shared by the dump formats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Problem, Record

_SENTENCE_END = re.compile(r"[.!?)\]\"'”’»]\s*$")


@dataclass
class Parsed:
    """What one format's parser found in one file."""

    label: str | None
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def looks_like_name(line: str) -> bool:
    """Whether a line could be an author's name heading a dump."""
    line = line.strip()
    return (
        0 < len(line) <= 80
        and len(line.split()) <= 8
        and not line.endswith((".", ":", ";"))
        and not line.lower().startswith("abstract")
        and any(char.isalpha() for char in line)
    )


def seems_cut_off(abstract: str) -> bool:
    """Whether an abstract stops mid-sentence, as the last one of a truncated file does."""
    return not _SENTENCE_END.search(abstract)


def clean_label(line: str) -> str:
    """A name line as written, without the no-break spaces scrapes put around it."""
    return " ".join(line.replace("\u00a0", " ").split())
