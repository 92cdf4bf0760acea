"""One tab per author and collection, plus "All", each with its paper count (and,
with a query, how many of its papers match: "Alex 3/9")."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static, Tab, Tabs

from index import ALL, STARRED, TabFilter

from ..text import safe

__all__ = ["ALL", "STARRED", "AuthorTabs", "CountedTab", "TabFilter"]


# Tabs added to those shown at a time, and seconds between: each lays out the
# tab bar again.
_ADDED_AT_ONCE = 5
_ADDED_EVERY = 0.02


# The markers at either end of the tab bar where more tabs lie beyond it.
MORE_BEFORE = "◂"
MORE_AFTER = "▸"


class AuthorTabs(Tabs):
    """Tabs whose ids map to filters, the active one scrolled into view, with a
    marker at either end where more tabs lie beyond it."""

    DEFAULT_CSS = """
    AuthorTabs { layout: horizontal; }
    AuthorTabs > #tabs-scroll { width: 1fr; }
    AuthorTabs > .tabs-more { width: 1; height: 1; color: $text-accent; text-style: bold; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters: dict[str, TabFilter] = {}
        self._labels: dict[str, tuple[str, int]] = {}  # each tab's name and paper count
        self._matched: tuple[int, ...] | None = None  # the counts the labels show
        self._showing = asyncio.Lock()

    def compose(self) -> ComposeResult:
        # A column kept at each end whether or not a marker shows in it: a marker
        # coming or going never moves the tabs.
        yield Static(id="tabs-before", classes="tabs-more")
        yield from super().compose()
        yield Static(id="tabs-after", classes="tabs-more")

    def on_mount(self) -> None:
        bar = self.query_one("#tabs-scroll")
        self.watch(bar, "scroll_x", self._show_markers)
        self.watch(bar, "virtual_size", self._show_markers)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_markers)  # once the bar has its new width

    def _show_markers(self) -> None:
        """Show a marker at an end of the bar where tabs lie beyond it."""
        before, after = self.more
        self.query_one("#tabs-before", Static).update(MORE_BEFORE if before else "")
        self.query_one("#tabs-after", Static).update(MORE_AFTER if after else "")

    @property
    def more(self) -> tuple[bool, bool]:
        """Whether tabs lie before and after those in view (a marker shows each)."""
        bar = self.query_one("#tabs-scroll")
        return bar.scroll_x > 0, bar.scroll_x + bar.size.width < bar.virtual_size.width

    async def show_tabs(self, entries: list[tuple[str, TabFilter, int]]) -> None:
        """Show these (label, filter, count) entries as the tabs, keeping the active one.

        The tabs that stay are relabelled where their counts changed, and tabs for
        new filters at the end are added a few at a time: a library that changes
        while the reader is open never has its tabs made all over again while the
        user types. Tabs gone or put in another order make them all again.
        """
        # One at a time: a pin made while a live update adds tabs would otherwise
        # add its own beside them, or mount the same ids twice.
        async with self._showing:
            await self._show_tabs(entries)

    async def _show_tabs(self, entries: list[tuple[str, TabFilter, int]]) -> None:
        old = list(self.filters.values())
        new = [selects for _, selects, _ in entries]
        if not old or new[: len(old)] != old:
            await self._remake(entries)
            return
        if self._matched is not None:
            self.show_matches(None)  # plain counts, as new tabs show them
        for tab_id, (label, _, count) in zip(self.filters, entries, strict=False):
            if self._labels[tab_id] != (label, count):
                self._labels[tab_id] = (label, count)
                self.query_one(f"#{tab_id}", CountedTab).set_count(label, count)
        added = entries[len(old) :]
        for start in range(0, len(added), _ADDED_AT_ONCE):
            tabs = [self._new_tab(*entry) for entry in added[start : start + _ADDED_AT_ONCE]]
            await self.query_one("#tabs-list").mount_all(tabs)
            await asyncio.sleep(_ADDED_EVERY)  # keys typed meanwhile are seen
        if not self.active and self.filters:
            self.active = next(iter(self.filters))

    async def _remake(self, entries: list[tuple[str, TabFilter, int]]) -> None:
        active = self.filter
        # The tab shown stays shown: no word of the tabs going and coming back (the
        # list would show another tab's papers for a moment, its selection lost).
        with self.prevent(Tabs.Cleared, Tabs.TabActivated):
            await self.clear()
            self.filters = {}
            self._labels = {}
            self._matched = None
            tabs = [self._new_tab(*entry) for entry in entries]
            await self.query_one("#tabs-list").mount_all(tabs)  # one layout, not one a tab
            kept = self.select(active)
        if not kept and tabs:
            self.active = tabs[0].id or ""

    def _new_tab(self, label: str, selects: TabFilter, count: int) -> CountedTab:
        """A tab for the next entry, known by its filter and label from now on."""
        tab_id = f"tab-{len(self.filters)}"
        self.filters[tab_id] = selects
        self._labels[tab_id] = (label, count)
        return CountedTab(label, count, id=tab_id)

    def shows(self, entries: list[tuple[str, TabFilter, int]]) -> bool:
        """Whether these (label, filter, count) entries are the tabs shown."""
        shown = [
            (label, selects, count)
            for selects, (label, count) in zip(
                self.filters.values(), self._labels.values(), strict=True
            )
        ]
        return shown == entries

    @property
    def searched(self) -> tuple[tuple[str | None, str | None, str | None], ...]:
        """Each tab's (author, source, marks), in order: what a search counts matches of."""
        return tuple((each.author, each.source, each.marks) for each in self.filters.values())

    def show_matches(self, matched: tuple[int, ...] | None) -> None:
        """Label each tab with how many of its papers match (None: its plain count).

        The tabs there are are relabelled, never made again: this runs on every
        answer while typing.
        """
        if matched is not None and len(matched) != len(self._labels):
            matched = None  # counted for other tabs than these
        if matched == self._matched:
            return
        before = self._matched
        if before is None or matched is None or len(before) != len(matched):
            before = None  # (tabs were added since: every one is labelled)
        missing = False
        for number, (tab_id, (name, count)) in enumerate(self._labels.items()):
            if before is not None and matched is not None and matched[number] == before[number]:
                continue
            tab = self.query(f"#{tab_id}")
            if not tab:  # being added (a few at a time): labelled by the next answer
                missing = True
                continue
            tab.first(CountedTab).relabel(
                _label(name, count, None if matched is None else matched[number])
            )
        self._matched = None if missing else matched

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


class CountedTab(Tab):
    """A tab whose label changes with every answer while a query is typed.

    It is as wide as its widest label, its matches shown ("Alex 3/9"): typing a
    query, or clearing it, changes what the tab says but never its width, so an
    answer repaints the tabs without a new layout of the screen.
    """

    def __init__(self, name: str, count: int, id: str | None = None) -> None:
        super().__init__(_label(name, count), id=id)
        self._widest = Content.from_text(_label(name, count, count)).cell_length
        self.styles.width = self._widest + 2  # and its padding

    def set_count(self, name: str, count: int) -> None:
        """Show a new number of papers (the library changed): as wide as it needs."""
        widest = Content.from_text(_label(name, count, count)).cell_length
        if widest > self._widest:
            self._widest = widest
            self.styles.width = widest + 2
        self.relabel(_label(name, count))

    def relabel(self, label: Text) -> None:
        """Show a new label, without a layout of the screen where it fits the tab
        (the label setter always lays it out, a frame's delay)."""
        content = Content.from_text(label)
        if content.cell_length > self._widest:
            self._widest = content.cell_length
            self.styles.width = self._widest + 2
            self.label = content
            return
        # What the setter keeps, then Static's update without Tab's: the tabs need
        # no new underline, the screen no new layout.
        self._label = content
        Static.update(self, content, layout=False)


def _label(name: str, count: int, matched: int | None = None) -> Text:
    # A Text, not a string: a label like "[b]x" must not be read as markup.
    label = Text(safe(name))
    total = f"{count:,}"
    # The matches right-aligned in the total's width: while a query is typed the
    # label keeps its width, and an answer repaints the tabs without a layout.
    counted = total if matched is None else f"{matched:>{len(total)},}/{total}"
    label.append(f" {counted}", style="dim")
    return label
