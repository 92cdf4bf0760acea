"""Messages workers post to the screen: the index's progress and search results."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from index import SearchResult, UpdateReport

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
    """A search ended; `serial` tells whether it is still the newest one.

    Its result is exact: every match ranked (`result.hits`, the best first) and
    counted (`result.total`).
    """

    serial: int
    result: SearchResult
    query: str
    tab: object  # the TabFilter searched in
    exact: bool = False  # searched as submitted; else the last word was a prefix
    rows: Rows | None = None  # the hits' rows for the list, made off the event loop
    suggestion: str | None = None  # a corrected query, where little was found
