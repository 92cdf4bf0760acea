"""Messages that go up to the main screen: from its workers (the index's progress,
views computed), from the watchers and from the reading helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from index import PaperState, Request, UpdateReport, View

from .widgets.result_list import Rows


@dataclass
class IndexProgress(Message):
    """The index update is reading or indexing."""

    what: str
    done: int
    total: int


@dataclass
class LibraryOpened(Message):
    """What the index holds can be read: show it while it is brought up to date."""


@dataclass
class IndexReady(Message):
    """The index is up to date (or as up to date as it can be)."""

    report: UpdateReport


@dataclass
class LibraryBusy(Message):
    """Another process is building the library; `progress` says how far it got."""

    progress: str


@dataclass
class LibraryNotice(Message):
    """Something the library says, such as why it rebuilds the index."""

    text: str


@dataclass
class ViewReady(Message):
    """A view computed off the event loop, with the list's rows made for it."""

    request: Request
    view: View
    rows: Rows | None = None


@dataclass
class DumpsChanged(Message):
    """Dump files changed on disk while the reader is open (they have settled)."""

    paths: set[Path]


@dataclass
class DumpsUpdated(Message):
    """The index took in dumps that changed while the reader is open."""

    report: UpdateReport
    changed: set[Path]  # what the watcher saw change


class StateChangedElsewhere(Message):
    """Another process (a second reader, the command line) wrote the reading state."""


@dataclass
class MarksChanged(Message):
    """The reader changed a paper's reading state: show it, and say `said`.

    `tabs`: the tabs' counts may have changed (stars, tags); `search`: the list may
    have (a filter on marks); a paper read by being shown changes neither."""

    state: PaperState
    said: str | None = None
    tabs: bool = True
    search: bool = True


@dataclass
class PaperStateRead(Message):
    """The state of the viewer's paper, read again (another process wrote it)."""

    state: PaperState | None


@dataclass
class PaperAsked(Message):
    """Open this paper in the reader (a link, the related papers): a step of the
    back stack."""

    key: str


@dataclass
class ViewerPlace(Message):
    """Scroll the viewer back to `y` if it still shows the paper `key` (it showed
    it again, after the library changed)."""

    key: str
    y: float
