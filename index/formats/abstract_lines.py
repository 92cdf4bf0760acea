"""One record per line, each `Abstract:<text>`, with maybe the author's name first.

Lines that follow an `Abstract:` line without that prefix continue its abstract
(a pasted abstract of several paragraphs).
"""

from __future__ import annotations

import re

from ..model import Problem, Record
from .common import Parsed, clean_label, looks_like_name, seems_cut_off

_PREFIX = re.compile(r"^\s*abstract\s*:\s*", re.IGNORECASE)


def detect(lines: list[str]) -> bool:
    return any(_PREFIX.match(line) for line in lines)


def parse(lines: list[str], path: str) -> Parsed:
    parsed = Parsed(label=None)
    current: tuple[int, list[str]] | None = None  # (line number, paragraphs)

    def finish() -> None:
        if current is None:
            return
        number, paragraphs = current
        abstract = "\n".join(paragraphs).strip()
        if abstract:
            parsed.records.append(Record(path, number, None, abstract))
        else:
            parsed.problems.append(Problem(path, "empty abstract skipped", number, error=False))

    for number, line in enumerate(lines, start=1):
        prefix = _PREFIX.match(line)
        if prefix:
            finish()
            current = (number, [line[prefix.end() :].strip()])
        elif not line.strip():
            continue
        elif current is not None:
            current[1].append(line.strip())
        elif parsed.label is None and looks_like_name(line):
            parsed.label = clean_label(line)
        else:
            parsed.problems.append(
                Problem(path, "text before the first 'Abstract:' line ignored", number)
            )
    finish()
    # Records are stored with the label, which may have come after nothing else.
    if parsed.records and lines[-1].strip() != "" and seems_cut_off(parsed.records[-1].abstract):
        last = parsed.records[-1]
        parsed.problems.append(
            Problem(
                path,
                "the last abstract stops mid-sentence: is the file cut off?",
                last.line,
                error=False,
            )
        )
    return parsed
