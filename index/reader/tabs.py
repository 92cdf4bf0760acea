"""The reader's tabs: which papers each shows, and the tabs a library has.

"All", the starred papers once there are any, each dump's author, each
collection, the authors pinned in the config and the tags pinned in this library,
each with its paper count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..state import pinned_tags
from ..userdb import UserStateError

if TYPE_CHECKING:
    from ..library import Library


@dataclass(frozen=True)
class TabFilter:
    """Which papers a tab shows: an author's, a dump file's, those the reading state
    `marks` (a filter such as "is:starred" or "tag:survey"), or (all None) all."""

    author: str | None = None
    source: str | None = None
    marks: str | None = None

    @property
    def searched(self) -> tuple[str | None, str | None, str | None]:
        """(author, source, marks): what a search counts this tab's matches by."""
        return (self.author, self.source, self.marks)


ALL = TabFilter()
STARRED = TabFilter(marks="is:starred")

# A tab as shown: its label, the papers it shows and how many they are.
TabEntry = tuple[str, TabFilter, int]


def read_tabs(library: Library) -> tuple[TabEntry, ...]:
    """The library's tabs, in the order shown. Reads the index and the state
    database: call it off the event loop."""
    shelves = library.shelves()
    entries: list[TabEntry] = [("All", ALL, shelves.papers)]
    if starred := _marked(library, STARRED):  # once there are any
        entries.append(("★ Starred", STARRED, starred))
    entries += [(a.author, TabFilter(author=a.author), a.papers) for a in shelves.authors]
    entries += [
        (Path(path).name, TabFilter(source=path), count) for path, count in shelves.collections
    ]
    # The config pins authors in every library: only where they have papers.
    entries += [
        (f"★ {name}", TabFilter(author=name), count) for name, count in shelves.pinned if count
    ]
    for tag in pinned_tags(library.index_dir):
        pinned = TabFilter(marks=f"tag:{tag}")
        entries.append((f"#{tag}", pinned, _marked(library, pinned)))
    return tuple(entries)


def _marked(library: Library, tab: TabFilter) -> int:
    """How many papers a tab on marks holds (0 when the reading state cannot be
    read: the view's search says why)."""
    try:
        return library.search("", marks=tab.marks, limit=0).total or 0
    except UserStateError:
        return 0
