"""A "Collaborating Authors" page: a header, the author as `Last, First`, then
blank-line separated blocks: title, venue line, abstract.

The page's own structure tells the blocks apart: papers are parted by two or more
blank lines, a paper's blocks by one, so a paper is its title, its venue lines
and its abstract, however short or dense (a Chinese abstract of 100 characters is
a whole abstract). Pages that part everything by one blank line are read by what
each block looks like: venues look like venues, abstracts run to sentences or
width, titles are the rest.
"""

from __future__ import annotations

import re
import unicodedata

from ..model import Problem, Record
from .common import Parsed, clean_label, seems_cut_off

HEADER = "collaborating authors"
# Without the page's structure to go by: a block this wide (in terminal columns)
# or of two sentences or more is an abstract.
_ABSTRACT_WIDTH = 200
_SENTENCE = re.compile(r"[.!?](?=\s|$)|[。！？]")
_VENUE = re.compile(
    r"\b(arxiv(\.org)?|journal|proceedings|proc\.|conference|workshop|symposium|transactions"
    r"|letters|review|press|ieee|acm|neurips|nips|icml|iclr|cvpr|eccv|iccv|acl|emnlp|naacl"
    r"|aaai|ijcai|kdd|sigir|interspeech|icassp|nature|science|(19|20)\d\d)\b",
    re.IGNORECASE,
)


def detect(lines: list[str]) -> bool:
    head = [line.strip().lower() for line in lines[:12]]
    return HEADER in head


def _blocks(lines: list[str], start: int) -> list[tuple[int, int, str]]:
    """(first line number, blank lines before it, text) of each block after `start`."""
    blocks: list[tuple[int, int, str]] = []
    block: list[str] = []
    first = gap = blank = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip():
            if not block:
                first, gap = number, blank
            block.append(line.strip())
            blank = 0
        else:
            if block:
                blocks.append((first, gap, "\n".join(block)))
                block = []
            blank += 1
    if block:
        blocks.append((first, gap, "\n".join(block)))
    return blocks


def width(text: str) -> int:
    """Terminal columns: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_abstract(text: str) -> bool:
    return width(text) >= _ABSTRACT_WIDTH or len(_SENTENCE.findall(text)) >= 2


def _is_venue(text: str) -> bool:
    # One short line naming a venue or a year, not ending a sentence as abstracts do.
    return (
        "\n" not in text
        and width(text) < 120
        and not text.endswith((".", "。"))
        and bool(_VENUE.search(text))
    )


def _papers(blocks: list[tuple[int, int, str]]) -> list[list[tuple[int, str]]]:
    """Blocks grouped into papers: by the page's double blank lines where it has
    them, else by what the blocks look like."""
    if any(gap >= 2 for _, gap, _ in blocks[1:]):
        papers: list[list[tuple[int, str]]] = []
        for number, gap, text in blocks:
            if gap >= 2 or not papers:
                papers.append([])
            papers[-1].append((number, text))
        return papers
    papers, heading = [], []
    for number, _, text in blocks:
        heading.append((number, text))
        if _is_abstract(text) and not _is_venue(text):
            papers.append(heading)
            heading = []
    if heading:
        papers.append(heading)
    return papers


def parse(lines: list[str], path: str) -> Parsed:
    header = next(i for i, line in enumerate(lines) if line.strip().lower() == HEADER)
    blocks = _blocks(lines, header + 1)
    parsed = Parsed(label=None)
    if blocks and "\n" not in blocks[0][2] and not _is_abstract(blocks[0][2]):
        parsed.label = clean_label(blocks[0][2])
        blocks = blocks[1:]
    for paper in _papers(blocks):
        _add_paper(parsed, paper, path)
    if parsed.records and seems_cut_off(parsed.records[-1].abstract) and lines[-1].strip():
        parsed.problems.append(
            Problem(
                path,
                "the last abstract stops mid-sentence: is the file cut off?",
                parsed.records[-1].line,
                error=False,
            )
        )
    return parsed


def _add_paper(parsed: Parsed, paper: list[tuple[int, str]], path: str) -> None:
    """One paper from its blocks: title first, abstract last, venue lines between."""
    start = paper[0][0]
    if len(paper) == 1 and _is_abstract(paper[0][1]):
        parsed.records.append(Record(path, start, None, paper[0][1]))
        return
    if len(paper) == 1 or (len(paper) == 2 and _is_venue(paper[1][1])):
        parsed.problems.append(
            Problem(
                path,
                f"'{paper[0][1][:60]}' has no abstract: is the file cut off?",
                start,
                error=False,
            )
        )
        return
    title = paper[0][1].replace("\n", " ")
    venues = [text.replace("\n", " ") for _, text in paper[1:-1]]
    if len(venues) > 1 and not all(_is_venue(v) for v in venues):
        parsed.problems.append(
            Problem(
                path,
                f"{len(paper) - 1} blocks before one abstract; the first is taken as the title",
                start,
                error=False,
            )
        )
    parsed.records.append(
        Record(path, start, None, paper[-1][1], title=title, venue="; ".join(venues) or None)
    )
