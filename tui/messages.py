"""Messages workers post to the screen: the index's progress and search results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from index import Answer, UpdateReport

from .widgets.result_list import Rows


@dataclass
class IndexProgress(Message):
    """The index update is reading or indexing."""

    what: str
    done: int
    total: int


@dataclass
class IndexReady(Message):
    """The index is up to date (or as up to date as it can be)."""

    report: UpdateReport
    entries: list  # the tabs, read off the event loop


@dataclass
class TabsRead(Message):
    """What the index holds was read: the tabs to show, (title, filter, count) each."""

    entries: list


@dataclass
class LibraryBusy(Message):
    """Another process is building the library; `progress` says how far it got."""

    progress: str


@dataclass
class LibraryNotice(Message):
    """Something the library says, such as why it rebuilds the index."""

    text: str


@dataclass
class SearchFinished(Message):
    """A search ended with its exact answer (every match ranked and counted), and
    the list's rows made for it off the event loop."""

    answer: Answer
    tab: object  # the TabFilter searched in
    rows: Rows | None = None


@dataclass
class DumpsChanged(Message):
    """Dump files changed on disk while the reader is open (they have settled)."""

    paths: set[Path]


@dataclass
class DumpsUpdated(Message):
    """The index took in dumps that changed while the reader is open."""

    report: UpdateReport
    entries: list  # the tabs, read off the event loop (none if no paper changed)
    changed: set[Path]  # what the watcher saw change


class StateChangedElsewhere(Message):
    """Another process (a second reader, the command line) wrote the reading state."""


@dataclass
class ViewerPlace(Message):
    """Scroll the viewer back to `y` if it still shows the paper `key` (it showed
    it again, after the library changed)."""

    key: str
    y: float
