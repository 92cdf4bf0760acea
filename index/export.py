"""Papers written out as BibTeX, Markdown or JSON Lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from .cite import bibtex, bibtex_key
from .model import Paper
from .text import display_name, first_sentence

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


def export(papers: Iterable[Paper], format: str, title: str | None = None) -> str:
    """The papers in one of FORMATS."""
    papers = list(papers)
    if format == "bibtex":
        return _bibtex(papers)
    if format == "markdown":
        return _markdown(papers, title)
    if format == "json":
        return "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in papers)
    raise ValueError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")


def format_for(path: Path) -> str | None:
    """The format a file name asks for, by its ending."""
    return SUFFIXES.get(path.suffix.lower())


def write_export(
    path: Path, papers: Iterable[Paper], format: str | None = None, title: str | None = None
) -> int:
    """Write papers to a file (the format by its ending unless given); returns how many."""
    chosen = format or format_for(path)
    if chosen is None:
        raise ValueError(f"cannot tell the format of {path.name}: end it in .bib, .md or .jsonl")
    papers = list(papers)
    text = export(papers, chosen, title)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return len(papers)


def _bibtex(papers: list[Paper]) -> str:
    seen: dict[str, int] = {}
    entries = []
    for paper in papers:
        key = bibtex_key(paper)
        seen[key] = seen.get(key, 0) + 1
        entry = bibtex(paper)
        if seen[key] > 1:  # keys must be unique within a file
            entry = entry.replace(f"{{{key},", f"{{{key}{chr(ord('a') + seen[key] - 2)},", 1)
        entries.append(entry)
    return "\n".join(entries)


def markdown_escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def _markdown(papers: list[Paper], title: str | None) -> str:
    parts = [f"# {markdown_escape(title)}\n" if title else ""]
    for paper in papers:
        heading = paper.title or first_sentence(paper.abstract)
        facts = []
        if paper.authors:
            facts.append(markdown_escape(", ".join(display_name(a) for a in paper.authors)))
        if paper.arxiv_id:
            facts.append(f"[arXiv:{paper.arxiv_id}](https://arxiv.org/abs/{paper.arxiv_id})")
        if paper.year:
            facts.append(str(paper.year))
        if paper.venue:
            facts.append(markdown_escape(paper.venue))
        quoted = "\n".join(
            f"> {markdown_escape(line)}" if line else ">" for line in paper.abstract.split("\n")
        )
        parts.append(f"## {markdown_escape(heading)}\n\n{' · '.join(facts)}\n\n{quoted}\n")
    return "\n".join(part for part in parts if part)
