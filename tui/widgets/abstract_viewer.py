"""The abstract viewer: a paper's details, then its whole abstract, matches marked."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from index import Hit
from index.text import first_sentence

from ..text import highlighted, safe


class AbstractViewer(VerticalScroll):
    """Shows one hit; scrolls with the usual keys and j/k."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]

    DEFAULT_CSS = """
    AbstractViewer { padding: 0 1; }
    AbstractViewer #viewer-title { text-style: bold; color: $text-accent; }
    AbstractViewer #viewer-meta { color: $text-muted; }
    AbstractViewer #viewer-abstract { margin-top: 1; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self.hit: Hit | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="viewer-title")
        yield Static(id="viewer-meta")
        yield Static(id="viewer-abstract")

    def show(self, hit: Hit | None) -> None:
        """Show a hit (None: nothing selected)."""
        self.hit = hit
        title = self.query_one("#viewer-title", Static)
        meta = self.query_one("#viewer-meta", Static)
        body = self.query_one("#viewer-abstract", Static)
        self.scroll_home(animate=False)
        if hit is None:
            title.update(Text("No paper selected", style="dim"))
            meta.update("")
            body.update("")
            return
        paper = hit.paper
        if paper.title:
            title.update(highlighted(paper.title, hit.terms.get("title", ())))
        else:
            title.update(Text(safe(first_sentence(paper.abstract, limit=300)) + "  (untitled)", style="italic"))
        meta.update(_details(hit))
        body.update(highlighted(paper.abstract, hit.terms.get("abstract", ())))


def _details(hit: Hit) -> Text:
    paper = hit.paper
    lines = []
    facts = [f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "no arXiv id"]
    if paper.year:
        facts.append(str(paper.year))
    lines.append(Text(" · ".join(facts)))
    if paper.venue:
        lines.append(Text("Venue: ") + highlighted(paper.venue, hit.terms.get("venue", ())))
    lines.append(Text("Authors: ") + highlighted("; ".join(paper.authors), hit.terms.get("author", ()), "author"))
    places = [f"{Path(r.source).name}:{r.line}" for r in paper.records] or list(paper.source_names)
    lines.append(Text("Sources: " + safe(", ".join(places))))
    return Text("\n").join(lines)
