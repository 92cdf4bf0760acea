"""A "Collaborating Authors" page: a header, the author as `Last, First`, then
blank-line separated blocks: title, venue line, abstract.

Blocks are told apart by length rather than position, so a missing venue line
does not shift every paper after it.
"""

from __future__ import annotations

from ..model import Problem, Record
from .common import Parsed, clean_label, seems_cut_off

HEADER = "collaborating authors"
# Shorter paragraphs are titles or venue lines; an abstract is longer.
_ABSTRACT_MIN = 200


def detect(lines: list[str]) -> bool:
    head = [line.strip().lower() for line in lines[:12]]
    return HEADER in head


def _paragraphs(lines: list[str], start: int) -> list[tuple[int, str]]:
    paragraphs: list[tuple[int, str]] = []
    block: list[str] = []
    first = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip():
            if not block:
                first = number
            block.append(line.strip())
        elif block:
            paragraphs.append((first, "\n".join(block)))
            block = []
    if block:
        paragraphs.append((first, "\n".join(block)))
    return paragraphs


def parse(lines: list[str], path: str) -> Parsed:
    header = next(i for i, line in enumerate(lines) if line.strip().lower() == HEADER)
    paragraphs = _paragraphs(lines, header + 1)
    parsed = Parsed(label=None)
    if paragraphs and len(paragraphs[0][1]) < _ABSTRACT_MIN and "\n" not in paragraphs[0][1]:
        parsed.label = clean_label(paragraphs[0][1])
        paragraphs = paragraphs[1:]
    heading: list[tuple[int, str]] = []
    for number, text in paragraphs:
        if len(text) < _ABSTRACT_MIN:
            heading.append((number, text))
            continue
        title = heading[0][1].replace("\n", " ") if heading else None
        venue = "; ".join(t.replace("\n", " ") for _, t in heading[1:]) or None
        start = heading[0][0] if heading else number
        if len(heading) > 2:
            parsed.problems.append(
                Problem(
                    path,
                    f"{len(heading)} short blocks before one abstract; "
                    "the first is taken as the title",
                    start,
                    error=False,
                )
            )
        parsed.records.append(Record(path, start, None, text, title=title, venue=venue))
        heading = []
    if heading:
        parsed.problems.append(
            Problem(
                path,
                f"'{heading[0][1][:60]}' has no abstract: is the file cut off?",
                heading[0][0],
                error=False,
            )
        )
    elif parsed.records and seems_cut_off(parsed.records[-1].abstract) and lines[-1].strip():
        parsed.problems.append(
            Problem(
                path,
                "the last abstract stops mid-sentence: is the file cut off?",
                parsed.records[-1].line,
                error=False,
            )
        )
    return parsed
