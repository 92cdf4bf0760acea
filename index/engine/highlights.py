"""Where a hit's matched terms stand in its text, and which of its fields hold them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Hit
from .analysis import is_cjk
from .schema import NAMES, STEM


def highlight_spans(
    text: str, terms: Iterable[str], field: str = "abstract"
) -> list[tuple[int, int]]:
    """Where in `text` the indexed `terms` of `field` occur, as (start, end) offsets.

    Text is analysed as the index analysed it, so stemmed forms match too.
    """
    wanted = set(terms)
    if not wanted or not text:
        return []
    return (NAMES if field == "author" else STEM).spans(text, wanted)


def matched_fields(hit: Hit, quick: bool = False) -> list[str]:
    """Which of a hit's fields hold words of the query: why it matched.

    Args:
        quick: Look for the abstract's terms as word starts rather than analysing
            it: fast enough for every row of a list, exact but for rare cases.
    """
    paper = hit.paper
    texts = {
        "title": paper.title or "",
        "abstract": paper.abstract,
        "author": " ; ".join(paper.authors),
        "venue": paper.venue or "",
    }
    found = []
    for name, text in texts.items():
        terms = hit.terms.get(name, ())
        if not terms or not text:
            continue
        if quick and name == "abstract":
            # A stem starts the words it comes from ("heterophili": "heterophily").
            starts = {term[:-1] if term.endswith("i") else term for term in terms}
            # CJK text has no word boundaries: its pairs of characters stand anywhere.
            pattern = "|".join(
                re.escape(t) if is_cjk(t[:1]) else r"\b" + re.escape(t) for t in starts
            )
            if re.search(pattern, text, re.IGNORECASE):
                found.append(name)
        elif highlight_spans(text, terms, name):
            found.append(name)
    if paper.arxiv_id and paper.arxiv_id.lower() in hit.terms.get("id", ()):
        found.append("id")
    return found
