"""The reader without a screen: it takes the reader's inputs and computes the one
view of everything the list, the count line and the tabs show.

Every path that changes what is shown is an input here: typing, Enter, a tab, an
order, a page more, the selection, a mark set (here or by another process), a
dump added, changed or removed, going back or to a place, the session restored.
Each input is cheap and made on the UI's event loop; it returns a `Request`,
whose `View` is computed by `answer()` off the loop (a search, the marks of the
papers found, the tabs when they may have changed). Only the newest request's
view is shown: an older one answers None.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..model import Paper
from ..session import PAGE, Ask, SearchSession
from ..userdb import PaperState, UserStateError
from .places import BackStack, Place
from .tabs import ALL, TabEntry, TabFilter, read_tabs
from .view import Inputs, View, selection, view_of

if TYPE_CHECKING:
    from ..library import Library


@dataclass(frozen=True)
class Request:
    """A view asked for: the inputs it is of, and whether the tabs are read again
    (the library or the marks changed: their counts may have)."""

    ask: Ask
    inputs: Inputs
    read_tabs: bool = False


class ReaderCore:
    """The inputs of one reader, and the views computed from them.

    Inputs change on one thread (the UI's); `answer` may run on any thread, one
    at a time winning (a newer request makes an older one answer None).
    """

    # Seconds without a key after which the typing counts as paused (see paused()).
    PAUSE = 0.6

    def __init__(self, library: Library) -> None:
        self.library = library
        self.inputs = Inputs()
        self.shown: View | None = None  # the view on screen
        self.back_stack = BackStack()
        self._session = SearchSession(library)
        self._tabs: tuple[TabEntry, ...] | None = None  # as read last

    # --- inputs: each returns the request to answer (None: nothing changes) ----

    def typed(self, text: str) -> Request | None:
        """The query as typed so far: its last word may be half a word. (The same
        text again, as when the box shows a query gone to, changes nothing.)"""
        if text == self.inputs.query:
            return None
        return self._ask(_new_list(self.inputs, query=text, exact=False, paused=False))

    def paused(self) -> Request | None:
        """The typing paused (PAUSE seconds after the last key): the same list, with
        the word being typed taken as complete for "Did you mean". None when there
        is nothing to do (submitted, paused already, nothing typed)."""
        now = self.inputs
        if now.exact or now.paused or not now.query.strip():
            return None
        return self._ask(replace(now, paused=True))

    def submitted(self) -> Request | None:
        """The query submitted (Enter): searched as `abstracts search` takes it."""
        if self.inputs.exact:
            return None
        return self._ask(_new_list(self.inputs, exact=True))

    def tab_chosen(self, tab: TabFilter) -> Request | None:
        if tab == self.inputs.tab:
            return None
        return self._ask(_new_list(self.inputs, tab=tab))

    def sorted(self, order: str) -> Request:
        """The list in another order, for this query and the next ones: the paper
        selected stays selected."""
        return self._ask(replace(self.inputs, order=order))

    def more(self) -> Request | None:
        """A page more, if there are more papers than are listed."""
        shown = self.shown
        now = self.inputs
        if shown is None or not shown.more_to_show or shown.inputs.limit != now.limit:
            return None  # (or a page more is on its way)
        if not shown.inputs.same_list(now):
            return None
        return self._ask(replace(self.inputs, limit=self.inputs.limit + PAGE))

    def select(self, key: str | None, row: int) -> None:
        """The user moved the selection: the view shows it, and later views keep
        this paper selected."""
        self.inputs = replace(self.inputs, selected=key, row=row)
        shown = self.shown
        if shown is not None and shown.inputs.same_list(self.inputs):
            self.shown = replace(
                shown,
                inputs=replace(shown.inputs, selected=key, row=row),
                selected=selection(self.inputs, shown.hits),
            )

    def state_shown(self, state: PaperState) -> None:
        """A paper's new state, shown in its row without searching again (a paper
        read by being shown stays in a list of unread ones until the next view)."""
        shown = self.shown
        if shown is not None and any(hit.paper.key == state.key for hit in shown.hits):
            self.shown = replace(shown, states={**shown.states, state.key: state})

    def marks_changed(self, tabs: bool = True) -> Request:
        """A mark was set or taken off, here or by another process: the same list
        again (a tab or filter on marks may have lost or gained the paper), and with
        `tabs` the tabs too (their counts of starred or tagged papers)."""
        return self._ask(self.inputs, read_tabs=tabs)

    def library_changed(self) -> Request:
        """Dumps were added, changed or removed, or tabs pinned: everything again,
        as far down the list as it went, the selected paper kept if still there."""
        return self._ask(self.inputs, read_tabs=True)

    def go_to(self, place: Place) -> Request:
        """A place gone to (back, the session restored, a query from the history):
        its query and tab, its paper selected, its pages listed."""
        return self._ask(
            Inputs(
                query=place.query,
                exact=place.exact,
                tab=place.tab,
                order=self.inputs.order,
                limit=max(PAGE, place.shown),
                selected=place.key,
            )
        )

    def back(self) -> Request | None:
        """The place before the last one gone to; None if there is none."""
        place = self.back_stack.pop()
        return None if place is None else self.go_to(place)

    def place(self, scroll: float = 0.0, row: int | None = None) -> Place:
        """Where the reader is (scroll and row: where the UI's list stands)."""
        shown = self.shown
        inputs = self.inputs
        return Place(
            query=inputs.query,
            tab=inputs.tab,
            exact=inputs.exact,
            key=inputs.selected if inputs.selected is not None else _first_key(shown),
            scroll=scroll,
            shown=len(shown.hits) if shown is not None else 0,
            row=row,
        )

    # --- views -----------------------------------------------------------------

    def is_current(self, request: Request) -> bool:
        return self._session.is_current(request.ask)

    def answer(self, request: Request) -> View | None:
        """The view `request` asks for (call off the event loop); None if a newer
        request was made first."""
        tabs = self._tabs
        if request.read_tabs or tabs is None:
            tabs = self._tabs = read_tabs(self.library)
        inputs = request.inputs
        filters = [entry[1] for entry in tabs]
        if inputs.tab not in filters:  # its tab is gone (its dump deleted, say)
            inputs = _new_list(inputs, tab=ALL)
        tab = inputs.tab
        ask = replace(
            request.ask,
            author=tab.author,
            source=tab.source,
            marks=tab.marks,
            tabs=tuple(each.searched for each in filters),
        )
        answer = self._session.answer(ask)
        if answer is None:
            return None
        keys = [hit.paper.key for hit in answer.result.hits]
        states, problem, read = self._states(keys)
        return view_of(inputs, answer.result, states, tabs, answer.suggestion, problem, read)

    def accept(self, request: Request, view: View) -> View | None:
        """The view to show for `request`, as the inputs now are (the selection may
        have moved while it was computed); None if it is no longer the newest."""
        if not self.is_current(request):
            return None
        now = self.inputs
        if now.selected != request.inputs.selected:
            inputs = replace(view.inputs, selected=now.selected, row=now.row)
            view = replace(view, inputs=inputs, selected=selection(inputs, view.hits))
        hit = view.selected_hit
        # What stays selected from now on: the paper shown selected.
        inputs = replace(
            view.inputs,
            selected=hit.paper.key if hit is not None else None,
            row=view.selected or 0,
        )
        self.inputs = inputs
        self.shown = view = replace(view, inputs=inputs)
        return view

    def compute(self, inputs: Inputs) -> View:
        """The view of `inputs` computed from nothing kept: the tabs, the search and
        the marks read afresh (what every other path must agree with)."""
        request = self._ask(inputs, read_tabs=True)
        view = self.answer(request)
        assert view is not None  # (no newer request: this is the only thread)
        accepted = self.accept(request, view)
        assert accepted is not None
        return accepted

    def _ask(self, inputs: Inputs, read_tabs: bool = False) -> Request:
        self.inputs = inputs
        tab = inputs.tab
        ask = self._session.ask(
            inputs.query,
            tab.author,
            tab.source,
            inputs.exact,
            marks=tab.marks,
            limit=inputs.limit,
            order=inputs.shown_order,
            paused=inputs.paused,
        )
        return Request(ask, inputs, read_tabs)

    def every_paper(self, inputs: Inputs) -> list[Paper]:
        """Every paper the list of `inputs` holds, in its order, all its pages: what
        an export of the list writes (call off the event loop)."""
        tab = inputs.tab
        result = self.library.search(
            inputs.query,
            author=tab.author,
            source=tab.source,
            marks=tab.marks,
            limit=None,
            as_you_type=not inputs.exact,
            order=inputs.shown_order,
        )
        return [hit.paper for hit in result.hits]

    def marks(self, keys: list[str]) -> dict[str, PaperState]:
        """The reading state of these papers (none where it cannot be read)."""
        return self._states(keys)[0]

    def _states(self, keys: list[str]) -> tuple[dict[str, PaperState], str | None, bool]:
        """The reading state of these papers, what went wrong reading it, and
        whether it was read: an unreadable database shows no marks, a damaged one
        set aside a new one's."""
        user = self.library.user
        try:
            states = user.states(keys)
        except UserStateError as error:
            return {}, str(error), False
        return states, user.problem, True


def _new_list(inputs: Inputs, **changes: object) -> Inputs:
    """Inputs for another list: its first page, its first paper selected."""
    return replace(inputs, limit=PAGE, selected=None, row=0, **changes)  # type: ignore[arg-type]


def _first_key(view: View | None) -> str | None:
    hit = view.selected_hit if view is not None else None
    return hit.paper.key if hit is not None else None
