"""The list of papers found: title, authors, year and arXiv id, matches marked."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index import Hit, matched_fields
from index.text import first_sentence

from ..text import highlighted, safe


class ResultList(OptionList):
    """An OptionList of hits; the option id is the paper key."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    class NearEnd(Message):
        """The cursor is near the last hit shown: time to show more."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted >= len(self.hits) - 3:
            self.post_message(self.NearEnd())

    def show_hits(self, hits: list[Hit], keep: bool = False) -> None:
        """Show these hits from the top, or (keep) with the same paper highlighted."""
        current = self.highlighted_hit if keep else None
        place = self.highlighted if keep else None
        self.hits = hits
        self.clear_options()
        options: list[Option | None] = []
        for hit in hits:
            options += [Option(_prompt(hit), id=hit.paper.key), None]  # None: a rule between
        self.add_options(options)
        if hits:
            keys = [hit.paper.key for hit in hits]
            key = current.paper.key if current else None
            if key in keys:
                self.highlighted = keys.index(key)
            else:  # kept in its place: loading more never sends the cursor back up
                self.highlighted = min(place or 0, len(hits) - 1)

    @property
    def highlighted_hit(self) -> Hit | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.hits):
            return None
        return self.hits[self.highlighted]


def _prompt(hit: Hit) -> Text:
    paper = hit.paper
    if paper.title:
        title = highlighted(paper.title, hit.terms.get("title", ()), "title", style="bold")
    else:
        title = highlighted(
            first_sentence(paper.abstract), hit.terms.get("abstract", ()), style="italic"
        )
    details = [str(paper.year) if paper.year else "", paper.arxiv_id or ""]
    meta = Text(" · ".join(d for d in details if d), style="dim")
    if paper.authors:
        if meta:
            meta.append(" · ", style="dim")
        meta.append(safe(_short_authors(paper.authors)), style="dim")
    fields = matched_fields(hit, quick=True)
    if fields:
        meta.append(" · matched: " + ", ".join(fields), style="italic dim")
    return Text("\n").join([title, meta])


def _short_authors(authors: tuple[str, ...]) -> str:
    shown = "; ".join(authors[:3])
    return shown + (f" +{len(authors) - 3}" if len(authors) > 3 else "")
