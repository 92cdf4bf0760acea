"""Papers written out as BibTeX, Markdown or JSON Lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from .cite import bibtex_entries, cited_authors
from .config import Config
from .files import write_atomically
from .model import Paper
from .text import display_name, printable

FORMATS = ("bibtex", "markdown", "json")
SUFFIXES = {
    ".bib": "bibtex",
    ".md": "markdown",
    ".markdown": "markdown",
    ".jsonl": "json",
    ".json": "json",
    ".ndjson": "json",
}
# Characters Markdown would read as markup; escaped so the text shows as written.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|])")


def export(
    papers: Iterable[Paper], format: str, title: str | None = None, config: Config | None = None
) -> str:
    """The papers in one of FORMATS.

    BibTeX and Markdown are for people: control characters in them are shown as
    symbols. JSON Lines keeps the text exactly (JSON escapes controls).
    """
    if format == "bibtex":
        return bibtex_entries(papers, config)
    if format == "markdown":
        return _markdown(papers, title, config)
    if format == "json":
        return "".join(json_line(paper.to_json()) + "\n" for paper in papers)
    raise ValueError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")


def format_for(path: Path) -> str | None:
    """The format a file name asks for, by its ending."""
    return SUFFIXES.get(path.suffix.lower())


# Every character str.splitlines breaks a line at (JSON escapes those below U+0020
# already, but would write the three above it as they are): a JSON Lines reader
# that splits on one of them would cut a paper or a note in two.
LINE_BREAKS = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
_ESCAPED = {ord(c): f"\\u{ord(c):04x}" for c in LINE_BREAKS}


def json_line(data: dict) -> str:
    """One JSON Lines line: UTF-8 where it can be (lone surrogates, as in a path that
    is not UTF-8, are escaped), and no character any reader takes for a line break."""
    line = json.dumps(data, ensure_ascii=False)
    if not line.isascii():
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(data)
        return line.translate(_ESCAPED)
    return line


def write_export(
    path: Path,
    papers: Iterable[Paper],
    format: str | None = None,
    title: str | None = None,
    config: Config | None = None,
) -> int:
    """Write papers to a file (the format by its ending unless given); returns how many."""
    chosen = format or format_for(path)
    if chosen is None:
        raise ValueError(f"cannot tell the format of {path.name}: end it in .bib, .md or .jsonl")
    papers = list(papers)
    text = export(papers, chosen, title, config)
    write_atomically(path, text)
    return len(papers)


def markdown_escape(text: str) -> str:
    """Text for Markdown: shown as written, never as markup or control characters."""
    return _MARKDOWN.sub(r"\\\1", printable(text))


def _markdown(papers: Iterable[Paper], title: str | None, config: Config | None) -> str:
    parts = [f"# {_inline(title)}\n" if title else ""]
    for paper in papers:
        heading = _inline(paper.heading())
        facts = []
        authors = cited_authors(paper, config)
        if authors:
            facts.append(_inline(", ".join(display_name(a) for a in authors)))
        if paper.arxiv_id:
            arxiv_id = markdown_escape(paper.arxiv_id)
            facts.append(f"[arXiv:{arxiv_id}](https://arxiv.org/abs/{arxiv_id})")
        if paper.year:
            facts.append(str(paper.year))
        if paper.venue:
            facts.append(_inline(paper.venue))
        quoted = "\n".join(
            f"> {markdown_escape(line)}" if line else ">" for line in paper.abstract.split("\n")
        )
        parts.append(f"## {heading}\n\n{' · '.join(facts)}\n\n{quoted}\n")
    return "\n".join(part for part in parts if part)


def _inline(text: str) -> str:
    """Text for a heading or a line of facts: on one line, escaped."""
    return markdown_escape(" ".join(text.split()))
