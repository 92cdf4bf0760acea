"""An arXiv listing scrape: abstract, optional comment lines, then `arXiv:<id>`.

The id line ENDS a record. Scrapes often lost the newline after the id, so the
next record's abstract is glued to it ("arXiv:2412.16720Reinforcement ...");
the id still belongs to the record before it. A first line that is only a name
gives the author label.
"""

from __future__ import annotations

import re

from ..model import Problem, Record
from ..text import match_arxiv_id
from .common import Parsed, clean_label, looks_like_name

_ID_LINE = re.compile(r"^\s*arXiv\s*:\s*", re.IGNORECASE)
# A line this long after the abstract is more abstract, not a comment.
_COMMENT_MAX = 300


def detect(lines: list[str]) -> bool:
    return any(_ID_LINE.match(line) and match_arxiv_id(_ID_LINE.sub("", line)) for line in lines)


def parse(lines: list[str], path: str) -> Parsed:
    parsed = Parsed(label=None)
    pending: list[tuple[int, str]] = []  # (line number, text) of the open record

    def close(arxiv_id: str | None) -> None:
        if not pending:
            if arxiv_id:
                parsed.problems.append(
                    Problem(path, f"arXiv:{arxiv_id} follows no abstract; ignored", number)
                )
            return
        first, abstract = pending[0]
        paragraphs, comments = [abstract], list[str]()
        for _, text in pending[1:]:
            (paragraphs if len(text) > _COMMENT_MAX else comments).append(text)
        parsed.records.append(
            Record(
                path,
                first,
                None,
                "\n".join(paragraphs),
                arxiv_id=arxiv_id,
                venue="; ".join(comments) or None,
            )
        )
        pending.clear()

    content = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    if (
        len(content) > 1
        and looks_like_name(content[0][1])
        and not _ID_LINE.match(content[0][1])
        and len(content[1][1]) > len(content[0][1]) * 3
    ):
        parsed.label = clean_label(content[0][1])
        content = content[1:]

    number = 0
    for number, text in content:
        prefix = _ID_LINE.match(text)
        if not prefix:
            pending.append((number, text))
            continue
        rest = text[prefix.end() :]
        found = match_arxiv_id(rest)
        if found is None:
            # A mangled or cut id must not be given to the record: keep it without one.
            parsed.problems.append(
                Problem(
                    path,
                    f"'{text[:40]}' is not a complete arXiv id; "
                    "the record before it is kept without an id",
                    number,
                )
            )
            close(None)
            continue
        arxiv_id, used = found
        close(arxiv_id)
        glued = rest[used:].strip()
        if glued:
            pending.append((number, glued))
    if pending:
        start = pending[0][0]
        close(None)
        parsed.problems.append(
            Problem(
                path,
                "the last record has no arXiv id line: is the file cut off? "
                "It is kept without an id",
                start,
                error=False,
            )
        )
    return parsed
