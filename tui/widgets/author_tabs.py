"""One tab per author label, plus "All", each with its paper count."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tab, Tabs

from ..text import safe


class AuthorTabs(Tabs):
    """Tabs whose ids map to author labels (None for "All")."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.authors: dict[str, str | None] = {}

    def show_authors(self, total: int, authors: list[tuple[str, int]]) -> None:
        """Replace the tabs, keeping the active author if it is still there."""
        active = self.authors.get(self.active) if self.active else None
        self.clear()
        self.authors = {"tab-all": None}
        self.add_tab(Tab(_label("All", total), id="tab-all"))
        for number, (author, count) in enumerate(authors, start=1):
            tab_id = f"tab-{number}"
            self.authors[tab_id] = author
            self.add_tab(Tab(_label(author, count), id=tab_id))
        keep = next((tab for tab, author in self.authors.items() if author == active), "tab-all")
        self.active = keep

    @property
    def author(self) -> str | None:
        """The author label of the active tab; None on "All"."""
        return self.authors.get(self.active) if self.active else None

    def select_author(self, author: str | None) -> None:
        for tab_id, label in self.authors.items():
            if label == author:
                self.active = tab_id

    def select_number(self, number: int) -> None:
        """Activate the tab at this position (1 is "All")."""
        tabs = list(self.authors)
        if 1 <= number <= len(tabs):
            self.active = tabs[number - 1]


def _label(name: str, count: int) -> Text:
    # A Text, not a string: a label like "[b]x" must not be read as markup.
    label = Text(safe(name))
    label.append(f" {count}", style="dim")
    return label
