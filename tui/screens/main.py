"""The main screen: author tabs, search box, results and the abstract viewer.

Messages go up, method calls go down. What the list, the count line and the tabs
show is computed by the reader core (`ReaderCore`, below the UI): every event
here (a key typed, a tab, a mark set, a dump changed, going back) is an input
to it, whose request is answered in a worker thread with one `View` and the
list's rows made for it; this screen draws the newest view and nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar, Static, Tabs
from textual.worker import Worker, WorkerState

from index import (
    ALL,
    ORDERS,
    BackStack,
    Hit,
    Library,
    Paper,
    PaperState,
    Place,
    ReaderCore,
    Request,
    TabFilter,
    View,
)

from ..empty_states import nothing_shown
from ..idle_collection import IDLE_SECONDS, collect_while_idle, defer_full_collections
from ..live import change_lines, fresh_problems, problem_notices
from ..messages import (
    DumpsChanged,
    DumpsUpdated,
    IndexProgress,
    IndexReady,
    LibraryBusy,
    LibraryNotice,
    LibraryOpened,
    MarksChanged,
    PaperAsked,
    PaperStateRead,
    StateChangedElsewhere,
    ViewerPlace,
    ViewReady,
)
from ..text import safe
from ..widgets.abstract_viewer import AbstractViewer
from ..widgets.author_chart import AuthorLine
from ..widgets.author_tabs import AuthorTabs
from ..widgets.result_list import Painter, ResultList
from ..widgets.search_box import SearchBox
from ..widgets.sparkline import year_sparkline
from ..widgets.suggester import QuerySuggester
from ..widgets.welcome import welcome
from ..workers import failure_message
from .library_work import LibraryWork
from .links import NoteLinks
from .places import Places
from .reading import Reading
from .unread import UnreadKeys

# Seconds of no typing before the viewer shows the best paper: a new abstract lays
# the screen out again (10-30 ms at 121k), which would hold up the next keystroke's
# list. A quick typist's keys come 150-300 ms apart: a pause is longer than that.
PREVIEW_DELAY = 0.5
# Seconds between looks at whether the place changed, to save it for the next start.
SAVE_EVERY = 2.0


class MainScreen(Screen):
    CSS_PATH = "main.tcss"

    BINDINGS = [
        # Before the key is handed to the widget with focus: the keys that follow
        # it in one read (a paste, fast typing) are handed on after the box has focus.
        Binding("slash", "focus_search", "Search", priority=True),
        Binding("ctrl+s", "accept_suggestion", "Did you mean", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("backspace", "go_back", "Back to the last place", show=False),
        Binding("ctrl+r", "history", "Query history", show=False),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False),
        Binding("right_square_bracket", "tab(1)", "Next tab", show=False),
        *[Binding(str(n), f"tab_number({n})", f"Tab {n}", show=False) for n in range(1, 10)],
        Binding("0", "tab_number(10)", "Tab 10", show=False),
        # The reading state of the paper highlighted (the search box types these).
        Binding("s", "toggle_star", "Star"),
        Binding("u", "toggle_read", "Read/unread", show=False),
        Binding("t", "edit_tags", "Tags", show=False),
        Binding("e", "edit_note", "Note", show=False),
        Binding("O", "cycle_order", "Sort", show=False),
        Binding("l", "note_links", "Note links", show=False),
        Binding("m", "toggle_math", "Math/raw", show=False),
        Binding("J", "unread(1)", "Next unread", show=False),
        Binding("K", "unread(-1)", "Previous unread", show=False),
        Binding("A", "mark_all_read", "Mark all read", show=False),
        Binding("U", "undo_mark_all", "Undo mark all", show=False),
    ]

    def __init__(self, library: Library, restore: bool = True, follow: bool = True) -> None:
        super().__init__()
        self.library = library
        self.core = ReaderCore(library)
        self.work = LibraryWork(self, library)
        self.places = Places(self, library, restore)
        self.reading = Reading(self, lambda: library.user, lambda: self.selected, self._state_of)
        self.note_links = NoteLinks(self, library, lambda: self.selected)
        self.unread = UnreadKeys(self, self.core, lambda: library.user, self.ask)
        self._follow = follow  # marks set by another reader or the command line
        self._ready = False  # the library can be read: views are asked for
        self._preview_timer: Timer | None = None
        self._typed_at = 0.0  # when the query last changed
        self._pause_timer: Timer | None = None  # "Did you mean" once the typing pauses
        self._idle_timer: Timer | None = None  # the garbage collection put off
        self._names: list[str] = []  # author names the search box completes
        self._problem_said = False  # the reading state's problem, said once
        # Done once the view of a request is shown (a tab opened, a place scrolled to).
        self._then: dict[int, Callable[[], object]] = {}

    def action_toggle_math(self) -> None:  # m: LaTeX as Unicode, or as written
        self.query_one(ResultList).show_math(self.query_one(AbstractViewer).toggle_math())

    def compose(self) -> ComposeResult:
        yield AuthorTabs(id="tabs")
        yield AuthorLine(self.library, id="author-line")  # under the tabs, on an author's
        suggester = QuerySuggester(lambda: self._names, self.library.author_words)
        yield SearchBox(id="search", suggester=suggester)
        with Horizontal(id="status"):
            yield Static(id="count")
            yield ProgressBar(id="progress", show_eta=False)
        if self.library.is_samples:  # a first run: how to open one's own dumps
            yield welcome()
        with Horizontal(id="panes"):
            yield ResultList(id="results")
            with Vertical(id="viewer-pane"):
                yield AbstractViewer(id="viewer", width=self.library.config.text_width)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one(AbstractViewer).show(None)
        # The list first: `q` quits and the list's keys work at once; `/` types.
        self.set_focus(self.query_one(ResultList))
        self._count_line("Opening the library…")
        self.work.open()
        self.places.start()
        self.set_interval(SAVE_EVERY, self.places.save)
        defer_full_collections()
        if self._follow:
            self.reading.follow()

    def on_unmount(self) -> None:
        self.reading.stop_following()

    # --- what the reader shows -------------------------------------------------

    @property
    def view(self) -> View | None:
        """The view on screen (None before the library could be read)."""
        return self.core.shown

    @property
    def preview_pending(self) -> bool:
        """The viewer waits for the typing to pause before it shows the best paper."""
        return self._preview_timer is not None

    @property
    def view_is_shown(self) -> bool:
        return self.core.shown is not None

    @property
    def query_text(self) -> str:
        return self.core.inputs.query

    @property
    def tab_filter(self) -> TabFilter:
        return self.core.inputs.tab

    @property
    def order(self) -> str:
        return self.core.inputs.order

    @property
    def shown_order(self) -> str:
        return self.core.inputs.shown_order

    @property
    def shown_exact(self) -> bool:
        """Whether the results on screen are of the query as submitted."""
        return self.view is not None and self.view.inputs.exact

    @property
    def total(self) -> int | None:
        """How many papers the view shown matched."""
        return self.view.total if self.view is not None else None

    @property
    def suggestion(self) -> str | None:
        return self.view.suggestion if self.view is not None else None

    @property
    def back_stack(self) -> BackStack:
        return self.core.back_stack

    @property
    def selected(self) -> Hit | None:
        """The paper keys act on (copy, cite, related…): the one highlighted in the
        list; the viewer may not show it yet, as it waits for the typing to pause."""
        return self.query_one(ResultList).highlighted_hit or self.query_one(AbstractViewer).hit

    def ask(self, request: Request | None, then: Callable[[], object] | None = None) -> None:
        """Have the view of `request` computed and shown (`then` done once shown)."""
        if request is None or not self._ready:
            return
        if then is not None:
            self._then[request.ask.serial] = then
        self._answer(request, self.query_one(ResultList).painter())

    def _answer(self, request: Request, painter: Painter) -> None:
        def answer() -> None:
            view = self.core.answer(request)
            if view is None:
                return
            rows = painter.rows(view.hits, dict(view.states))
            if self.core.is_current(request):
                self.post_message(ViewReady(request, view, rows))

        # A description of its own: by default each call would write out its arguments.
        self.run_worker(
            answer, thread=True, group="search", exit_on_error=False, description="search"
        )

    @on(ViewReady)
    async def show_view(self, message: ViewReady) -> None:
        """Draw a view: the tabs, the list, the count line, then the viewer."""
        previous = self.core.shown
        view = self.core.accept(message.request, message.view)
        then = self._then.pop(message.request.ask.serial, None)
        if view is None:
            return  # a newer view is on its way
        self.work.index_read()
        tabs = self.query_one(AuthorTabs)
        if previous is None or view.tabs != previous.tabs or not tabs.filters:
            self._names = [tab.author for _, tab, _ in view.tabs if tab.author]
            await tabs.show_tabs(list(view.tabs))
        if tabs.filter != view.inputs.tab:  # (its tab gone, the view shows All)
            tabs.select(view.inputs.tab)
        results = self.query_one(ResultList)
        same = previous is not None and previous.inputs.same_list(view.inputs)
        rows = message.rows
        # Papers, not keys: a paper whose dump changed shows as it is now.
        if (
            not same
            or [h.paper for h in view.hits] != [h.paper for h in results.hits]
            or (rows is not None and rows.states != results.states)
        ):
            results.show_hits(view.hits, keep=same, rows=rows, selected=view.selected)
        else:
            results.highlight_quietly(view.selected)
        self._update_count(view)
        tabs.show_matches(view.tab_counts)
        if view.problem and not self._problem_said:
            self._problem_said = True
            severity: SeverityLevel = "warning" if view.marks_read else "error"
            self.notify(view.problem, title="Reading state", severity=severity, timeout=12)
        if then is not None:
            then()
        self.places.view_shown()
        self.preview()

    def _update_count(self, view: View) -> None:
        text = view.status
        chart = year_sparkline(view.years)
        if chart is not None:
            text += f" · {chart}"
        self._count_line(text)

    def _count_line(self, text: str) -> None:
        # One line of fixed size: no layout pass needed, which matters while typing.
        # Text, not markup: it quotes the query, its suggestion and file paths.
        self.query_one("#count", Static).update(Text(safe(text)), layout=False)

    def _state_of(self, key: str) -> PaperState | None:
        return self.query_one(ResultList).states.get(key)

    # --- the library ------------------------------------------------------------

    @on(LibraryOpened)
    def library_opened(self) -> None:
        self._library_readable()

    @on(IndexReady)
    def index_ready(self, message: IndexReady) -> None:
        self.query_one("#progress").display = False
        report = message.report
        for said, title in problem_notices(report.problems, self.library.index_dir):
            self.notify(said, title=title, severity="error", timeout=12)
        if report.read or report.removed or report.rebuilt or not self._ready:
            self._library_readable()
        if report.read or report.removed:
            self.notify(
                f"Index updated: {len(report.read)} dumps read, {len(report.removed)} removed, "
                f"{report.papers} papers.",
                title="Library",
            )

    def _library_readable(self) -> None:
        self._ready = True
        self.ask(self.core.library_changed())
        self.query_one(AuthorLine).forget()  # the papers may have changed

    @on(LibraryBusy)
    def library_busy(self, message: LibraryBusy) -> None:
        how_far = f" ({message.progress})" if message.progress else ""
        self._count_line(f"The library is being built by another process{how_far}; waiting…")
        self.set_timer(2.0, self.work.open)

    @on(LibraryNotice)
    def library_notice(self, message: LibraryNotice) -> None:
        self.notify(message.text, title="Library", severity="warning", timeout=12)

    @on(IndexProgress)
    def show_progress(self, message: IndexProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=max(message.total, 1), progress=message.done)
        if not self._ready:
            self._count_line(f"{message.what.capitalize()}…")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.work.work_ended(event.worker)
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "index":
            self.query_one("#progress").display = False
            if not self._ready:
                self._count_line(
                    f"Could not open the library: {failure_message(event.worker.error)}"
                )
        self.app.worker_failed(event.worker)  # type: ignore[attr-defined]

    def mend_index(self) -> bool:
        """Rebuild the index, a read having found it damaged; whether a rebuild is
        due or under way (LibraryWork.mend)."""
        return self.work.mend()

    def refresh_tabs(
        self, open_author: str | None = None, open_tab: TabFilter | None = None
    ) -> None:
        """Read the tabs again (an author or a tag was pinned or unpinned), then
        open `open_author`'s tab, or the tab `open_tab`, if given."""

        def opened() -> None:
            if open_author is not None:
                self.go_to_author(open_author)
            if open_tab is not None:
                self.query_one(AuthorTabs).select(open_tab)

        self.ask(self.core.library_changed(), then=opened)

    # --- dumps that change while the reader is open ---------------------------

    @on(DumpsChanged)
    def dumps_changed(self, message: DumpsChanged) -> None:
        self.work.dumps_changed(message.paths)

    @on(DumpsUpdated)
    def dumps_updated(self, message: DumpsUpdated) -> None:
        """Say what changed, then show the view again, in place: the same paper
        selected, the viewer where the reader was in it."""
        self.query_one("#progress").display = False
        report = message.report
        if report.busy:  # another process is updating the index: try again in a while
            self.set_timer(2.0, lambda: self.work.retry(message.changed))
            return
        if lines := change_lines(report):
            self.notify("\n".join(lines), title="Dumps changed")
        problems = fresh_problems(report, message.changed, self.library.index_dir)
        for problem in problems[:5]:
            severity: SeverityLevel = "error" if problem.error else "warning"
            index = problem.path == str(self.library.index_dir)  # full, read-only
            title = "The index is behind" if index else "In a changed dump"
            self.notify(str(problem), title=title, severity=severity, timeout=12)
        viewer = self.query_one(AbstractViewer)
        place = ViewerPlace(viewer.hit.paper.key, viewer.scroll_y) if viewer.hit else None
        self.ask(
            self.core.library_changed(),
            then=None if place is None else lambda: self.post_message(place),
        )
        if report.read or report.removed or report.rebuilt:
            self.query_one(AuthorLine).forget()  # the papers may have changed

    @on(ViewerPlace)
    def _put_viewer_back(self, place: ViewerPlace) -> None:
        viewer = self.query_one(AbstractViewer)
        if viewer.hit is not None and viewer.hit.paper.key == place.key:
            # Once the paper shown again is laid out: until then it cannot scroll.
            viewer.call_after_refresh(viewer.scroll_to, y=place.y, animate=False)

    # --- marks ------------------------------------------------------------------

    @on(MarksChanged)
    def marks_changed(self, message: MarksChanged) -> None:
        """Show a paper's new state at once, then the view again where it may change."""
        state = message.state
        self.query_one(ResultList).show_state(state)
        self.core.state_shown(state)
        viewer = self.query_one(AbstractViewer)
        if viewer.hit is not None and viewer.hit.paper.key == state.key:
            viewer.show_state(state)
        if message.said:
            self.notify(message.said, title="Reading state", timeout=3)
        if message.search or message.tabs:
            self.ask(self.core.marks_changed(tabs=message.tabs))

    @on(StateChangedElsewhere)
    def state_changed_elsewhere(self) -> None:
        if self._ready:  # (before, the first view reads the marks as they are)
            viewer = self.query_one(AbstractViewer)
            self.reading.read_again(viewer.hit.paper.key if viewer.hit else None)
            self.ask(self.core.marks_changed())

    @on(PaperStateRead)
    def paper_state_read(self, message: PaperStateRead) -> None:
        viewer = self.query_one(AbstractViewer)
        state = message.state
        if state is not None and viewer.hit is not None and viewer.hit.paper.key == state.key:
            viewer.show_state(state)  # it may not be in the list

    # --- typing, tabs, the list ---------------------------------------------------

    @on(SearchBox.Changed, "#search")
    def query_changed(self, event: SearchBox.Changed) -> None:
        request = self.core.typed(event.value)
        if request is None:
            return  # a query the reader went to, searched already
        self._typed_at = time.monotonic()
        self._stop_preview()  # the viewer waits for the typing to pause
        self._collect_when_idle()
        self.ask(request)
        if self._pause_timer is not None:
            self._pause_timer.stop()
        self._pause_timer = self.set_timer(self.core.PAUSE, lambda: self.ask(self.core.paused()))

    @on(SearchBox.Settled, "#search")
    def query_settled(self, event: SearchBox.Settled) -> None:
        self.places.settled(event.text)

    @on(SearchBox.Submitted, "#search")
    def go_to_results(self) -> None:
        self.action_focus_results()
        self.ask(self.core.submitted())  # searched as `abstracts search` would

    @on(Tabs.TabActivated, "#tabs")
    def tab_changed(self) -> None:
        tab = self.query_one(AuthorTabs).filter
        self.ask(self.core.tab_chosen(tab))
        self.query_one(AuthorLine).show_author(tab.author)

    def sort_by(self, order: str) -> None:
        """Put the list in `order` (one of ORDERS), for this query and the next ones."""
        self.ask(self.core.sorted(order))

    def action_cycle_order(self) -> None:
        """The next order: relevance, newest, oldest, title (relevance skipped
        without a query, where it lists newest first)."""
        orders = [o for o in ORDERS if o != "relevance" or self.query_text.strip()]
        shown = self.shown_order
        self.sort_by(orders[(orders.index(shown) + 1) % len(orders)])

    def action_accept_suggestion(self) -> None:
        if self.suggestion:
            search = self.query_one(SearchBox)
            search.value = self.suggestion
            search.cursor_position = len(search.value)

    @on(ResultList.NearEnd)
    def show_more(self) -> None:
        self.ask(self.core.more())

    @on(ResultList.Highlighted, "#results")
    def highlighted(self, message: ResultList.Highlighted) -> None:
        self.core.select(message.hit.paper.key, message.index)
        self.preview()

    def preview(self) -> None:
        """Show the highlighted paper: at once, but while the query is being typed
        once the typing pauses, so that each keystroke repaints only the list."""
        self._stop_preview()
        typed = time.monotonic() - self._typed_at
        if typed < PREVIEW_DELAY:
            self._preview_timer = self.set_timer(PREVIEW_DELAY - typed, self.show_abstract)
        else:
            self.show_abstract()

    def _collect_when_idle(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.stop()
        self._idle_timer = self.set_timer(IDLE_SECONDS, collect_while_idle)

    def _stop_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    def show_abstract(self) -> None:
        self._preview_timer = None
        viewer = self.query_one(AbstractViewer)
        results = self.query_one(ResultList)
        hit = results.highlighted_hit
        state = results.states.get(hit.paper.key) if hit else None
        if hit is None:  # why there is none, and what to type next
            viewer.show(None, empty=nothing_shown(self.view, self.library.paths))
        elif hit != viewer.hit:  # the same paper, marked the same: kept as it is
            viewer.show(hit, state)
        elif state != viewer.state:
            viewer.show_state(state)

    @on(ResultList.Selected, "#results")
    def open_abstract(self) -> None:
        self.show_abstract()
        self.query_one(AbstractViewer).focus()
        if (hit := self.query_one(AbstractViewer).hit) is not None:
            self.reading.seen(hit.paper.key)  # opened: read

    @on(AbstractViewer.Seen)
    def paper_seen(self, message: AbstractViewer.Seen) -> None:
        # Shown while the user reads the list or the abstract, not while a query is typed.
        if isinstance(self.focused, SearchBox):
            self.query_one(AbstractViewer).start_seen()  # counted once the typing is left
        else:
            self.reading.seen(message.key)

    @on(AbstractViewer.LinkOpened)
    def open_link(self, message: AbstractViewer.LinkOpened) -> None:
        # To a paper of the library in the reader (a step back with backspace), else the web.
        self.note_links.open(message.href, self.query_one(AbstractViewer).note)

    @on(PaperAsked)
    def paper_asked(self, message: PaperAsked) -> None:
        self.go_to_paper(message.key)

    # --- keys ---------------------------------------------------------------

    def action_focus_results(self) -> None:
        """To the list (down or enter in the search box)."""
        self.set_focus(self.query_one(ResultList))
        if self._preview_timer is not None:  # no more typing: show it now
            self._stop_preview()
            self.show_abstract()

    def action_focus_search(self) -> None:
        """To the search box, at once: a paste or fast typing after `/` lands whole
        in the box, and no list key fires on the way. In the box, `/` is typed."""
        search = self.query_one(SearchBox)
        if self.focused is search:
            search.insert_text_at_cursor("/")
        else:
            self.set_focus(search)

    def action_back(self) -> None:
        """Back out one step: viewer, list (to the last place, if any), search box,
        then clear the query."""
        focused = self.focused
        search = self.query_one(SearchBox)
        if isinstance(focused, AbstractViewer):
            self.set_focus(self.query_one(ResultList))
        elif isinstance(focused, ResultList):
            if not self.action_go_back():  # nowhere to go back to: up to the query
                self.set_focus(search)
        elif search.value:
            search.value = ""
            self.set_focus(search)
        else:  # an empty search box: on to the results
            self.set_focus(self.query_one(ResultList))

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(AuthorTabs)
        if step > 0:
            tabs.action_next_tab()
        else:
            tabs.action_previous_tab()

    def action_tab_number(self, number: int) -> None:
        self.query_one(AuthorTabs).select_number(number)

    def go_to_paper(self, key: str) -> None:
        """Search for one paper (by its arXiv id where it has one) and open it."""

        def look_up() -> None:
            paper = self.library.get(key)  # may read the index: off the event loop
            if paper is not None:
                self.app.call_from_thread(self._show_paper, key, paper)

        self.run_worker(look_up, thread=True, group="paper", exit_on_error=False)

    def _show_paper(self, key: str, paper: Paper) -> None:
        query = f"id:{paper.arxiv_id}" if paper.arxiv_id else f"key:{key}"
        self.go_to_place(Place(query, ALL), remember=True)
        self.set_focus(self.query_one(AbstractViewer))

    def action_toggle_star(self) -> None:
        self.reading.toggle_star()

    def action_toggle_read(self) -> None:
        self.reading.toggle_read()

    def action_unread(self, step: int) -> None:
        self.unread.step(step)

    def action_mark_all_read(self) -> None:
        self.unread.mark_all_read()

    def action_undo_mark_all(self) -> None:
        self.unread.undo()

    def action_edit_tags(self) -> None:
        self.reading.edit_tags()

    def action_edit_note(self) -> None:
        self.reading.edit_note()

    def action_note_links(self) -> None:
        self.note_links.list_links()

    def action_history(self) -> None:
        self.places.open_history()

    def go_to_author(self, author: str | None) -> bool:
        """Show an author's tab (None: All); False if the author has none."""
        tabs = self.query_one(AuthorTabs)
        wanted = TabFilter(author=author)
        if wanted != tabs.filter and wanted in tabs.filters.values():
            self.remember_place()
        return tabs.select(wanted)

    # --- places -------------------------------------------------------------------

    def place(self) -> Place:
        """Where the reader is: query, tab, selected paper, scroll position."""
        results = self.query_one(ResultList)
        return self.core.place(results.scroll_offset.y, results.row_top(results.highlighted))

    def remember_place(self) -> None:
        """Before going somewhere: the place to come back to with backspace / escape."""
        if self._ready:
            self.back_stack.push(self.place())

    def action_go_back(self) -> bool:
        """Back to the place before the last "go somewhere"; False if there is none."""
        place = self.back_stack.pop()
        if place is None:
            return False
        self.go_to_place(place)
        self.set_focus(self.query_one(ResultList))
        return True

    def go_to_place(self, place: Place, remember: bool = False) -> None:
        """Show the place's tab and query; its paper is selected and the list scrolled
        as it was when its view comes (with `remember`, the place left is pushed)."""
        if remember:
            self.remember_place()
        tabs = self.query_one(AuthorTabs)
        if not tabs.select(place.tab):  # its tab is gone: the query in the tab shown
            place = dataclasses.replace(place, tab=tabs.filter)
        self._stop_preview()
        request = self.core.go_to(place)
        # The box shows the query; its Changed finds it searched already.
        self.query_one(SearchBox).show_query(place.query)
        self.ask(request, then=lambda: self.places.scroll_to(place))

    async def save_place_now(self, timeout: float = 1.0) -> None:
        """At quit: save the place if it changed, waiting for the disk at most `timeout` s."""
        if not self._ready:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.places.save_now(), timeout)
