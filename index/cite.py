"""Citations of papers: a one-line reference and a BibTeX entry."""

from __future__ import annotations

import re
import unicodedata

from .model import Paper
from .text import display_name, first_sentence


def citation(paper: Paper) -> str:
    """One line: title, authors, arXiv id (with year), venue."""
    parts = [paper.title or first_sentence(paper.abstract)]
    if paper.authors:
        parts.append(", ".join(display_name(a) for a in paper.authors))
    if paper.arxiv_id:
        parts.append(f"arXiv:{paper.arxiv_id}" + (f" ({paper.year})" if paper.year else ""))
    elif paper.year:
        parts.append(str(paper.year))
    if paper.venue:
        parts.append(paper.venue)
    return ". ".join(part.rstrip(".") for part in parts) + "."


def bibtex(paper: Paper) -> str:
    """A BibTeX @misc entry, with the arXiv fields where there is an id."""
    fields = [("title", paper.title or first_sentence(paper.abstract, limit=200))]
    if paper.authors:
        # "Jain, Saachi" is already BibTeX's "Last, First" form; others stay as written.
        fields.append(("author", " and ".join(paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields += [
            ("eprint", paper.arxiv_id),
            ("archivePrefix", "arXiv"),
            ("url", f"https://arxiv.org/abs/{paper.arxiv_id}"),
        ]
    if paper.venue:
        fields.append(("note", paper.venue))
    fields.append(("abstract", paper.abstract))
    body = ",\n".join(f"  {name} = {{{_bib_escape(value)}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(paper)},\n{body}\n}}\n"


def bibtex_key(paper: Paper) -> str:
    """A readable key: first author's last name, year, first title word (ASCII)."""
    first = paper.authors[0] if paper.authors else "anon"
    last = first.split(",")[0] if "," in first else first.split()[-1] if first.split() else "anon"
    words = re.findall(r"[A-Za-z]{3,}", paper.title or paper.abstract)
    key = f"{last}{paper.year or ''}{words[0] if words else ''}"
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", ascii_key).lower() or paper.key


def _bib_escape(value: str) -> str:
    # Unbalanced braces would end the field early; everything else is kept as written.
    if value.count("{") != value.count("}"):
        value = value.replace("{", r"\{").replace("}", r"\}")
    return " ".join(value.split())
