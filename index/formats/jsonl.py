"""Collections of paper metadata as JSON Lines (.jsonl, or gzip-compressed .jsonl.gz).

Two shapes are read: the public arXiv metadata snapshot (`authors` one string
"A, B and C" and/or `authors_parsed`, `categories` a string, `comments`,
`journal-ref`, hard-wrapped `title` and `abstract`) and the close shape with
`authors` as a list and `categories` as a list.

A collection holds many authors' papers: it has no author label, and every paper
keeps its own authors. It can be large, so it is read as a stream, twice if need
be, never held in memory whole. Bad lines are reported with their number and
skipped; the rest is read.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..model import Problem, Record
from ..text import match_arxiv_id, without_surrogates

GZIP_MAGIC = b"\x1f\x8b"
# A bad collection could report a problem per line; the first ones say enough.
MAX_PROBLEMS = 20


def is_collection(path: Path, head: bytes) -> bool:
    """Whether a file is a JSON Lines collection, by its name or its first bytes."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")) or head.startswith(GZIP_MAGIC):
        return True
    return head.lstrip(codecs.BOM_UTF8).lstrip().startswith(b"{")


class Collection:
    """A JSON Lines file of papers, read lazily; `problems` fill in as it is read."""

    format = "jsonl"
    label: str | None = None

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self._path = path
        self.problems: list[Problem] = []
        self.count = 0

    @property
    def records(self) -> Iterator[Record]:
        """Every good record, in file order; each pass reads the file again."""
        self.problems = []
        self.count = 0
        bad = 0
        with self._open() as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = self._record(json.loads(line), number)
                except (ValueError, TypeError, AttributeError) as error:
                    bad += 1
                    if bad <= MAX_PROBLEMS:
                        self.problems.append(Problem(self.path, f"skipped: {error}", number))
                    continue
                self.count += 1
                yield record
        if bad > MAX_PROBLEMS:
            self.problems.append(Problem(self.path, f"{bad - MAX_PROBLEMS} more bad lines skipped"))

    def _open(self) -> io.TextIOWrapper:
        raw = self._path.open("rb")
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw)
        else:
            raw.seek(0)
            stream = raw  # type: ignore[assignment]
        # Undecodable bytes are replaced rather than fatal: one bad line must not
        # cost the other hundred thousand; json.loads then rejects that line.
        return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")

    def _record(self, data: object, number: int) -> Record:
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        abstract = _text(data.get("abstract"))
        if not abstract:
            raise ValueError("no abstract")
        if "\ufffd" in abstract:
            raise ValueError("not UTF-8 text")
        unwrap = isinstance(data.get("authors"), str) or "authors_parsed" in data
        arxiv_id = None
        raw_id = _text(data.get("id"))
        if raw_id:
            found = match_arxiv_id(raw_id.removeprefix("arXiv:"))
            arxiv_id = (
                found[0] if found and found[1] == len(raw_id.removeprefix("arXiv:")) else None
            )
        year = data.get("year")
        venue = "; ".join(
            v for v in (_text(data.get("journal-ref")), _text(data.get("comments"))) if v
        )
        record = Record(
            source=self.path,
            line=number,
            label=None,
            abstract=_unwrap(abstract) if unwrap else abstract,
            title=_unwrap(_text(data.get("title"))) or None,
            arxiv_id=arxiv_id,
            venue=_unwrap(venue) or None,
            authors=_authors(data),
            year=year if isinstance(year, int) and 1000 < year < 3000 else None,
        )
        return self._without_surrogates(record, number)

    def _without_surrogates(self, record: Record, number: int) -> Record:
        """The record with lone surrogates as U+FFFD, and a warning where there were any.

        JSON may escape code points no text can hold ("\\ud800"); kept, they
        would fail every later write and print of the paper.
        """
        texts = (record.abstract, record.title or "", record.venue or "", *record.authors)
        if not any(without_surrogates(text)[1] for text in texts):
            return record
        warned = sum(1 for problem in self.problems if not problem.error)
        if warned < MAX_PROBLEMS:
            self.problems.append(
                Problem(
                    self.path,
                    "invalid characters (lone surrogates such as \\ud800) read as \ufffd",
                    number,
                    error=False,
                )
            )
        return replace(
            record,
            abstract=without_surrogates(record.abstract)[0],
            title=record.title and without_surrogates(record.title)[0],
            venue=record.venue and without_surrogates(record.venue)[0],
            authors=tuple(without_surrogates(author)[0] for author in record.authors),
        )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _unwrap(text: str) -> str:
    """Undo the arXiv snapshot's hard wrapping; blank lines still part paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _authors(data: dict) -> tuple[str, ...]:
    parsed = data.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if isinstance(parts, list) and parts and all(isinstance(p, str) for p in parts):
                last, first, *rest = [*parts, "", ""][:3]
                names.append(" ".join(p for p in (first, last, *rest) if p.strip()))
        return tuple(n for n in names if n)
    authors = data.get("authors")
    if isinstance(authors, list):
        return tuple(a.strip() for a in authors if isinstance(a, str) and a.strip())
    if isinstance(authors, str):
        flat = " ".join(authors.split())
        parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", flat)
        return tuple(p.strip() for p in parts if p.strip())
    return ()
