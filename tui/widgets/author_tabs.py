"""One tab per author and collection, plus "All", each with its paper count."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Tab, Tabs

from ..text import safe


@dataclass(frozen=True)
class TabFilter:
    """Which papers a tab shows: an author's, a dump file's, those the reading state
    `marks` (a filter such as "is:starred" or "tag:survey"), or (all None) all."""

    author: str | None = None
    source: str | None = None
    marks: str | None = None


ALL = TabFilter()
STARRED = TabFilter(marks="is:starred")


class AuthorTabs(Tabs):
    """Tabs whose ids map to filters."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters: dict[str, TabFilter] = {}

    async def show_tabs(self, entries: list[tuple[str, TabFilter, int]]) -> None:
        """Replace the tabs with (label, filter, count) entries, keeping the active one."""
        active = self.filter
        await self.clear()
        self.filters = {}
        for number, (label, selects, count) in enumerate(entries):
            tab_id = f"tab-{number}"
            self.filters[tab_id] = selects
            await self.add_tab(Tab(_label(label, count), id=tab_id))
        self.select(active)

    @property
    def filter(self) -> TabFilter:
        """The filter of the active tab."""
        return self.filters.get(self.active or "", ALL)

    @property
    def author(self) -> str | None:
        return self.filter.author

    def select(self, selects: TabFilter) -> bool:
        """Activate the tab with this filter; False if there is none."""
        for tab_id, each in self.filters.items():
            if each == selects:
                self.active = tab_id
                return True
        return False

    def select_number(self, number: int) -> None:
        """Activate the tab at this position (1 is "All")."""
        tabs = list(self.filters)
        if 1 <= number <= len(tabs):
            self.active = tabs[number - 1]


def _label(name: str, count: int) -> Text:
    # A Text, not a string: a label like "[b]x" must not be read as markup.
    label = Text(safe(name))
    label.append(f" {count:,}", style="dim")
    return label
