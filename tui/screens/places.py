"""The main screen's places over time: the query history (up and down in the
search box, ctrl+r) and the session, saved while the reader runs and restored at
the next start. Every read and write of the state database runs in a worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from textual.screen import Screen

from index import ALL, Library, Place, TabFilter

from ..widgets.result_list import ResultList
from ..widgets.search_box import SearchBox
from .history import HistoryScreen


class PlaceHost(Protocol):
    """What the places need of the screen they belong to."""

    @property
    def tab_filter(self) -> TabFilter: ...

    @property
    def view_is_shown(self) -> bool: ...

    def place(self) -> Place: ...

    def go_to_place(self, place: Place, remember: bool = False) -> None: ...

    def action_focus_results(self) -> None: ...


class Places:
    """The history and the session of one screen."""

    def __init__(self, screen: Screen, library: Library, restore: bool) -> None:
        self.screen = screen
        self.library = library
        self._restoring = restore  # the place saved last time is not yet shown
        self._to_restore: Place | None = None
        self._saved: Place | None = None  # the place saved last

    @property
    def restoring(self) -> bool:
        """Whether the place saved last time is yet to be shown."""
        return self._restoring

    @property
    def host(self) -> PlaceHost:
        return self.screen  # type: ignore[return-value]  # MainScreen is one

    @property
    def box(self) -> SearchBox:
        return self.screen.query_one(SearchBox)

    def start(self) -> None:
        """Read the history, and the place to restore (if the reader restores)."""
        self._run(self._load_history, "history")
        if self._restoring:
            self._run(self._load_place, "session")

    # --- the query history ------------------------------------------------------

    def settled(self, text: str) -> None:
        """The user settled on a query: first in the history from now on."""
        self._run(lambda: self.library.user.remember_query(text), "history")

    def _load_history(self) -> None:
        queries = self.library.user.queries()
        self.screen.app.call_from_thread(self._history_loaded, queries)

    def _history_loaded(self, queries: list[str]) -> None:
        history = self.box.history
        # Queries settled on while loading stay first.
        history.queries, settled = queries, history.queries
        for text in reversed(settled):
            history.remember(text)

    def open_history(self) -> None:
        def read() -> None:
            # Read again: another reader on this library may have added some.
            queries = self.library.user.queries()
            self.screen.app.call_from_thread(self._open_history, queries)

        self._run(read, "history")

    def _open_history(self, queries: list[str]) -> None:
        self._history_loaded(queries)
        self.screen.app.push_screen(HistoryScreen(self.box.history.queries), self._picked)

    def _picked(self, text: str | None) -> None:
        """Search the query picked, as submitted, and go to its results."""
        if not text:
            return
        self.box.history.remember(text)
        self.settled(text)  # first in the history again
        self.host.go_to_place(Place(text, self.host.tab_filter, exact=True), remember=True)
        self.host.action_focus_results()

    # --- the session --------------------------------------------------------------

    def _load_place(self) -> None:
        """The place saved last time, to open there once the first view is shown."""
        place = None
        try:
            data = self.library.user.load_session()
            place = Place.from_json(data) if data else None
        finally:  # (a failure is said by the screen; saving goes on)
            self.screen.app.call_from_thread(self._place_loaded, place)

    def _place_loaded(self, place: Place | None) -> None:
        self._to_restore = place
        if place is None:
            self._restoring = False
        elif self.host.view_is_shown:
            self._restore()

    def view_shown(self) -> None:
        """A view was shown: the first one brings the place saved last time."""
        if self._to_restore is not None:
            self._restore()

    def _restore(self) -> None:
        place, self._to_restore = self._to_restore, None
        self._restoring = False
        if place is None or self.box.value or self.host.tab_filter != ALL:
            return  # the user went somewhere already
        self.host.go_to_place(place)
        self.box.select_all()  # typing replaces the query restored

    def save(self) -> None:
        """Save the place for the next start if it changed (off the event loop)."""
        if self._restoring or not self.host.view_is_shown:
            return
        if (place := self.host.place()) != self._saved:
            self._saved = place
            self._run(lambda: self.library.user.save_session(place.to_json()), "session")

    async def save_now(self) -> None:
        """At quit: save the place if it changed (the caller bounds the wait)."""
        if self._restoring or not self.host.view_is_shown:
            return
        if (place := self.host.place()) != self._saved:
            self._saved = place
            await asyncio.to_thread(self.library.user.save_session, place.to_json())

    def _run(self, work: Callable[[], object], group: str) -> None:
        self.screen.run_worker(work, thread=True, group=group, exit_on_error=False)

    def scroll_to(self, place: Place) -> None:
        """The list scrolled as it was at the place, its paper where it stood."""
        results = self.screen.query_one(ResultList)
        hit = results.highlighted_hit
        if hit is None or hit.paper.key != place.key:
            return  # (quietly not, if the paper is gone)
        top = results.row_top(results.highlighted)
        moved = top - place.row if top is not None and place.row is not None else 0
        results.scroll_to(y=place.scroll + moved, animate=False, immediate=True)
        results.scroll_to_highlight()  # (a smaller window than it was left in)
