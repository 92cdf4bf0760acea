"""The main screen: author tabs, search box, results and the abstract viewer.

Messages go up, method calls go down: the widgets post what happened, this
screen decides what it means. Each keystroke asks the search session for one
search, answered in a thread: it ranks and counts every match, and the list and
the count line show its answer together. Only the newest search is shown, and
the list keeps what it shows until the next answer is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar, Static, Tabs
from textual.worker import Worker, WorkerState

from index import (
    ORDERS,
    PAGE,
    Ask,
    Hit,
    Library,
    Paper,
    Problem,
    SearchSession,
    StoreError,
    UserStateError,
    being_built,
    left_locked,
    pinned_tags,
)

from ..idle_collection import IDLE_SECONDS, collect_while_idle, defer_full_collections
from ..live import change_lines, fresh_problems
from ..messages import (
    DumpsChanged,
    DumpsUpdated,
    IndexProgress,
    IndexReady,
    LibraryBusy,
    LibraryNotice,
    SearchFinished,
    StateChangedElsewhere,
    TabsRead,
    ViewerPlace,
)
from ..navigation import BackStack, Place
from ..text import safe
from ..widgets.abstract_viewer import AbstractViewer
from ..widgets.author_chart import AuthorLine
from ..widgets.author_tabs import ALL, STARRED, AuthorTabs, TabFilter
from ..widgets.result_list import Painter, ResultList
from ..widgets.search_box import SearchBox
from ..widgets.sparkline import year_sparkline
from ..widgets.suggester import QuerySuggester
from ..workers import failure_message
from .history import HistoryScreen
from .links import NoteLinks
from .reading import Reading

# The list shows a page of papers first (PAGE), and a page more whenever the cursor
# nears its end; the count line above it says how many were found in all.
# Seconds of no typing before the viewer shows the best paper: a new abstract lays
# the screen out again (10-30 ms at 121k), which would hold up the next keystroke's
# list. A quick typist's keys come 150-300 ms apart: a pause is longer than that.
PREVIEW_DELAY = 0.5
# How the count line names each order of the list.
ORDER_NAMES = {
    "relevance": "best match first",
    "newest": "newest first",
    "oldest": "oldest first",
    "title": "by title",
}
# Seconds between looks at whether the place changed, to save it for the next start.
SAVE_EVERY = 2.0


class MainScreen(Screen):
    CSS_PATH = "main.tcss"

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
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
    ]

    # Watched, never drawn: a change repaints only what shows it, not the screen.
    query_text: reactive[str] = reactive("", init=False, repaint=False)
    tab_filter: reactive[TabFilter] = reactive(ALL, init=False, repaint=False)

    def __init__(self, library: Library, restore: bool = True) -> None:
        super().__init__()
        self.library = library
        self.back_stack = BackStack()
        self._going_to: Place | None = None  # its paper is selected once its results come
        self._restoring = restore  # the place saved last time is loaded and not yet shown
        self._to_restore: Place | None = None
        self._saved: Place | None = None  # the place saved last
        self.session = SearchSession(library)
        self._shown_search: tuple[str, object, bool] | None = None
        self._limit = PAGE  # of the search shown
        self._total: int | None = None
        self._ready = False
        self._fallback = False
        self._preview_timer: Timer | None = None
        self._typed_at = 0.0  # when the query last changed
        self._idle_timer: Timer | None = None  # the garbage collection put off
        self._exact = False  # search the query as submitted (Enter)
        self.shown_exact = False  # the results on screen are of the submitted query
        self._names: list[str] = []  # author names the search box completes
        self.suggestion: str | None = None
        self._dumps_changed: set[Path] = set()  # not yet taken in (see dumps_changed)
        self.reading = Reading(self)
        self.note_links = NoteLinks(self)
        # The list's order, one of ORDERS: kept across queries and tabs.
        self.order = "relevance"
        self._years: tuple[tuple[int, int], ...] = ()  # matches per year shown

    def compose(self) -> ComposeResult:
        yield AuthorTabs(id="tabs")
        yield AuthorLine(self.library, id="author-line")  # under the tabs, on an author's
        suggester = QuerySuggester(lambda: self._names, self.library.author_words)
        yield SearchBox(id="search", suggester=suggester)
        with Horizontal(id="status"):
            yield Static(id="count")
            yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="panes"):
            yield ResultList(id="results")
            with Vertical(id="viewer-pane"):
                yield AbstractViewer(id="viewer")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one(AbstractViewer).show(None)
        self.query_one(SearchBox).focus()
        self._count_line("Opening the library…")
        self.open_library()
        self.load_history()
        if self._restoring:
            self.load_place()
        self.set_interval(SAVE_EVERY, self.save_place)
        defer_full_collections()
        if self.app.follows_dumps:  # type: ignore[attr-defined]  # AbstractsApp's (--no-watch)
            self.reading.follow()  # marks set by another reader or the command line

    def on_unmount(self) -> None:
        self.reading.stop_following()

    # --- the index ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def open_library(self) -> None:
        """Show what the index holds at once, then bring it up to date in the background.

        Everything that reads the library runs here, off the event loop: a slow or
        damaged index never freezes the keys. A failure is said by
        on_worker_state_changed.
        """
        library = self.library
        library.say = lambda text: self.post_message(LibraryNotice(text))
        try:
            library.store()
            self.post_message(TabsRead(self.tab_entries()))
        except StoreError:
            pass  # nothing indexed yet: the update below builds it

        def progress(what: str, done: int, total: int) -> None:
            self.post_message(IndexProgress(what, done, total))

        report = library.update(progress)
        if report.busy and library.store_or_none() is None:
            # Another process is building the library: wait for it, saying so.
            ended = left_locked(library.index_dir)
            self.post_message(
                LibraryBusy(
                    f"its process {ended} has ended, but processes it left hold the lock"
                    if ended
                    else being_built(library.index_dir) or ""
                )
            )
            return
        self.post_message(IndexReady(report, self.tab_entries()))
        library.warm_up()
        # What the library keeps for as long as it is open (its vocabularies, the
        # widgets) need not be walked by every full garbage collection: a pause
        # while typing otherwise.
        gc.freeze()

    @on(LibraryBusy)
    def library_busy(self, message: LibraryBusy) -> None:
        how_far = f" ({message.progress})" if message.progress else ""
        self._count_line(f"The library is being built by another process{how_far}; waiting…")
        self.set_timer(2.0, self.open_library)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "index":
            self.query_one("#progress").display = False
            if not self._ready:
                self._count_line(
                    f"Could not open the library: {failure_message(event.worker.error)}"
                )
        self.app.worker_failed(event.worker)  # type: ignore[attr-defined]

    @on(LibraryNotice)
    def library_notice(self, message: LibraryNotice) -> None:
        self.notify(message.text, title="Library", severity="warning", timeout=12)

    @on(TabsRead)
    async def tabs_read(self, message: TabsRead) -> None:
        await self._show_library(message.entries)

    @on(IndexProgress)
    def show_progress(self, message: IndexProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=max(message.total, 1), progress=message.done)
        if not self._ready:
            self._count_line(f"{message.what.capitalize()}…")

    @on(IndexReady)
    async def index_ready(self, message: IndexReady) -> None:
        self.query_one("#progress").display = False
        report = message.report
        self._report_problems(report.problems)
        changed = report.read or report.removed or report.rebuilt or not self._ready
        if changed:
            await self._show_library(message.entries)
        if report.read or report.removed:
            self.notify(
                f"Index updated: {len(report.read)} dumps read, {len(report.removed)} removed, "
                f"{report.papers} papers.",
                title="Library",
            )

    async def _show_library(self, entries: list[tuple[str, TabFilter, int]]) -> None:
        self._ready = True
        self._names = [tab.author for _, tab, _ in entries if tab.author]
        await self.query_one(AuthorTabs).show_tabs(entries)
        self.run_search()
        self.query_one(AuthorLine).forget()  # the papers may have changed

    def tab_entries(self) -> list[tuple[str, TabFilter, int]]:
        """All, each dump's author, each collection, then the pinned authors.

        Reads the index and the state folder: call it off the event loop.
        """
        shelves = self.library.shelves()
        entries = [("All", ALL, shelves.papers)]
        # The starred papers, once there are any (read from the reading state).
        if starred := self._marked(STARRED):
            entries.append(("★ Starred", STARRED, starred))
        entries += [(a.author, TabFilter(author=a.author), a.papers) for a in shelves.authors]
        entries += [
            (Path(path).name, TabFilter(source=path), count) for path, count in shelves.collections
        ]
        # The config pins authors in every library: only where they have papers.
        entries += [
            (f"★ {name}", TabFilter(author=name), count) for name, count in shelves.pinned if count
        ]
        # The tags pinned in this library, each with its papers.
        for tag in pinned_tags(self.library.index_dir):
            pinned = TabFilter(marks=f"tag:{tag}")
            entries.append((f"#{tag}", pinned, self._marked(pinned)))
        return entries

    def _marked(self, tab: TabFilter) -> int:
        """How many papers of the library a tab on marks holds (0 when the reading
        state cannot be read: its failure is said by the search)."""
        try:
            return self.library.search("", marks=tab.marks, limit=0).total or 0
        except UserStateError:
            return 0

    async def show_tabs(
        self,
        entries: list[tuple[str, TabFilter, int]],
        open_author: str | None = None,
        open_tab: TabFilter | None = None,
    ) -> None:
        """Show the tabs again (after an author or a tag was pinned or unpinned),
        then open `open_author`'s tab, or the tab `open_tab`, if given."""
        await self.query_one(AuthorTabs).show_tabs(entries)
        if self.query_text.strip():
            self.run_search()  # the new tabs' matches counted too
        if open_author is not None:
            self.go_to_author(open_author)
        if open_tab is not None:
            self.query_one(AuthorTabs).select(open_tab)

    def _report_problems(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.error]
        for problem in errors[:5]:
            # The index folder itself: full, read-only; the papers it holds still show.
            index = problem.path == str(self.library.index_dir)
            title = "The index is behind" if index else "Could not read a dump"
            self.notify(str(problem), title=title, severity="error", timeout=12)
        if len(errors) > 5:
            self.notify(
                f"…and {len(errors) - 5} more (run 'abstracts index' to list them)",
                severity="error",
                timeout=12,
            )

    # --- searching ----------------------------------------------------------

    @on(SearchBox.Changed, "#search")
    def query_changed(self, event: SearchBox.Changed) -> None:
        if event.value == self.query_text:
            return  # a query the reader went to, searched already
        self._typed_at = time.monotonic()
        self._stop_preview()  # the viewer waits for the typing to pause
        self._collect_when_idle()
        self._exact = False
        self.query_text = event.value

    @on(Tabs.TabActivated, "#tabs")
    def tab_changed(self, event: Tabs.TabActivated) -> None:
        self.tab_filter = self.query_one(AuthorTabs).filter
        # Here, not in the watcher: going back to a place sets the tab without it.
        self.query_one(AuthorLine).show_author(self.tab_filter.author)

    def watch_query_text(self) -> None:
        self.run_search()

    def watch_tab_filter(self) -> None:
        self.run_search()

    def run_search(self, more: bool = False) -> None:
        """Search for the query in the current tab (more: the same, one page further).

        While typing, a last word that is no word of the library is taken as a prefix;
        once submitted (Enter) the query is searched as `abstracts search` takes it.
        """
        if not self._ready:
            return
        tab = self.tab_filter
        tabs = self.query_one(AuthorTabs).searched
        asked = self.session.ask(
            self.query_text,
            tab.author,
            tab.source,
            self._exact,
            more,
            marks=tab.marks,
            order=self.order,
            tabs=tabs,
        )
        self._search(asked, tab, self.query_one(ResultList).painter())

    def search_again(self) -> None:
        """The search shown, once more (its pages too): the reading state changed."""
        if self._ready and (asked := self.session.again()) is not None:
            self._search(asked, self.tab_filter, self.query_one(ResultList).painter())

    # A description of its own: by default each call would write out its arguments.
    @work(thread=True, group="search", exit_on_error=False, description="search")
    def _search(self, asked: Ask, tab: TabFilter, painter: Painter) -> None:
        """The search's answer, with the list's rows made ready to paint.

        A newer keystroke calls this search off wherever it is.
        """
        answer = self.session.answer(asked)
        if answer is None:
            return
        hits = answer.result.hits
        rows = painter.rows(hits, self.reading.states([hit.paper.key for hit in hits]))
        if self.session.is_current(asked):
            self.post_message(SearchFinished(answer, tab, rows))

    @on(SearchFinished)
    def show_results(self, message: SearchFinished) -> None:
        answer = message.answer
        asked = answer.ask
        if not self.session.is_current(asked):
            return  # a newer search is on its way
        result = answer.result
        self.shown_exact = asked.exact
        self._limit = asked.limit
        # A new query starts from its best hit; a page more keeps the place.
        search = (asked.text, message.tab, asked.exact)
        same = search == self._shown_search
        self._shown_search = search
        self._fallback = result.fallback
        self._total = result.total
        self.suggestion = answer.suggestion
        self._years = result.years
        results = self.query_one(ResultList)
        # Papers, not keys: a paper whose dump changed shows as it is now.
        if (
            not same
            or [h.paper for h in result.hits] != [h.paper for h in results.hits]
            or (message.rows is not None and message.rows.states != results.states)
        ):
            results.show_hits(result.hits, keep=same, rows=message.rows)
        self._update_count()
        if self._going_to is not None:
            self._select_place(asked)
        elif self._to_restore is not None:
            self._restore_place()
        tabs = self.query_one(AuthorTabs)
        if asked.tabs == tabs.searched:  # (else the tabs changed since it was asked)
            tabs.show_matches(result.tab_counts if asked.text.strip() else None)
        self.preview()

    def _update_count(self) -> None:
        shown = len(self.query_one(ResultList).hits)
        text = _count_text(self._total, shown, self.query_text, self._fallback, self.shown_order)
        if self.suggestion:
            text += f" · Did you mean: {self.suggestion}? (ctrl+s)"
        chart = year_sparkline(self._years) if self.query_text.strip() else None
        if chart is not None:
            text += f" · {chart}"
        self._count_line(text)

    @property
    def shown_order(self) -> str:
        """The order the list is in: without a query, relevance lists newest first."""
        if self.order == "relevance" and not self.query_text.strip():
            return "newest"
        return self.order

    def sort_by(self, order: str) -> None:
        """Put the list in `order` (one of ORDERS), for this query and the next ones."""
        self.order = order
        self.run_search()

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
        shown = len(self.query_one(ResultList).hits)
        if shown >= self._limit and (self._total or 0) > shown:
            self.run_search(more=True)

    @on(ResultList.Highlighted, "#results")
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
        if hit != viewer.hit:  # the same paper, marked the same: kept as it is
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

    @on(SearchBox.Submitted, "#search")
    def go_to_results(self) -> None:
        self.action_focus_results()
        if not self._exact:  # submitted: searched as `abstracts search` would
            self._exact = True
            self.run_search()

    def _count_line(self, text: str) -> None:
        # One line of fixed size: no layout pass needed, which matters while typing.
        # Text, not markup: it quotes the query, its suggestion and file paths.
        self.query_one("#count", Static).update(Text(safe(text)), layout=False)

    @property
    def preview_pending(self) -> bool:
        """The viewer waits for the typing to pause before it shows the best paper."""
        return self._preview_timer is not None

    @property
    def total(self) -> int | None:
        """How many papers the search shown matched."""
        return self._total

    @property
    def selected(self) -> Hit | None:
        """The paper keys act on (copy, cite, related…): the one highlighted in the
        list; the viewer may not show it yet, as it waits for the typing to pause."""
        return self.query_one(ResultList).highlighted_hit or self.query_one(AbstractViewer).hit

    @on(StateChangedElsewhere)
    def state_changed_elsewhere(self) -> None:
        if self._ready:  # (before, the first search reads the marks as they are)
            self.reading.show_changes_elsewhere()

    # --- dumps that change while the reader is open ---------------------------

    @on(DumpsChanged)
    def dumps_changed(self, message: DumpsChanged) -> None:
        self._dumps_changed |= message.paths
        self._take_in_dumps()

    def _take_in_dumps(self) -> None:
        """Bring the index up to date with the dumps that changed; while it is being
        worked on, once that is done (one update takes in every change since)."""
        if not self._dumps_changed or self._index_at_work():
            return
        changed, self._dumps_changed = self._dumps_changed, set()
        self._update_for_dumps(changed)

    def _index_at_work(self) -> bool:
        return any(
            worker.group == "index" and worker.node is self and not worker.is_finished
            for worker in self.app.workers
        )

    @on(Worker.StateChanged)
    def _index_work_ended(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "index" and event.worker.is_finished:
            self._take_in_dumps()

    @work(thread=True, group="index", exit_on_error=False, description="changed dumps")
    def _update_for_dumps(self, changed: set[Path]) -> None:
        """The library's own update (it reads only what changed), then the tabs: read
        again even when this update changed nothing, as another process may have
        brought the index up to date already."""
        started = shown = time.monotonic()

        def progress(what: str, done: int, total: int) -> None:
            nonlocal shown
            # A small change is taken in before a bar could be read: none for it;
            # a large one moves the bar a few times a second, not once a dump.
            now = time.monotonic()
            if now - started > 0.5 and now - shown > 0.2:
                shown = now
                self.post_message(IndexProgress(what, done, total))

        report = self.library.update(progress)
        self.post_message(DumpsUpdated(report, [] if report.busy else self.tab_entries(), changed))

    @on(DumpsUpdated)
    async def dumps_updated(self, message: DumpsUpdated) -> None:
        """Say what changed, then show the tabs and the search again, in place."""
        self.query_one("#progress").display = False
        report = message.report
        if report.busy:  # another process is updating the index: try again in a while

            def again() -> None:
                self._dumps_changed |= message.changed
                self._take_in_dumps()

            self.set_timer(2.0, again)
            return
        lines = change_lines(report)
        if lines:
            self.notify("\n".join(lines), title="Dumps changed")
        problems = fresh_problems(report, message.changed, self.library.index_dir)
        for problem in problems[:5]:
            severity: SeverityLevel = "error" if problem.error else "warning"
            index = problem.path == str(self.library.index_dir)  # full, read-only
            title = "The index is behind" if index else "In a changed dump"
            self.notify(str(problem), title=title, severity=severity, timeout=12)
        tabs = self.query_one(AuthorTabs)
        moved = report.read or report.removed or report.rebuilt
        if not tabs.shows(message.entries):  # (the index changed, here or elsewhere)
            self._names = [tab.author for _, tab, _ in message.entries if tab.author]
            await tabs.show_tabs(message.entries)
        elif not moved:
            return
        self._search_again()
        self.query_one(AuthorLine).forget()  # the papers may have changed

    def _search_again(self) -> None:
        """The search shown, again, as far down as the list went: the library changed
        under it. The list keeps its place (the same paper highlighted, if it is
        still found); typing meanwhile searches what the index held before."""
        if not self._ready:
            return
        tab = self.tab_filter
        limit = max(self._limit, PAGE)
        asked = self.session.ask(
            self.query_text,
            tab.author,
            tab.source,
            self._exact,
            marks=tab.marks,
            limit=limit,
            order=self.order,
            tabs=self.query_one(AuthorTabs).searched,
        )
        viewer = self.query_one(AbstractViewer)
        place = ViewerPlace(viewer.hit.paper.key, viewer.scroll_y) if viewer.hit else None
        self._search_keeping_place(asked, tab, self.query_one(ResultList).painter(), place)

    @work(thread=True, group="search", exit_on_error=False, description="search")
    def _search_keeping_place(
        self, asked: Ask, tab: TabFilter, painter: Painter, place: ViewerPlace | None
    ) -> None:
        """As _search; then the viewer, which shows its paper again (the paper's
        score moved with the library), is put back where the reader was in it."""
        answer = self.session.answer(asked)
        if answer is None or not self.session.is_current(asked):
            return
        self.post_message(SearchFinished(answer, tab, painter.rows(answer.result.hits)))
        if place is not None:
            self.post_message(place)

    @on(ViewerPlace)
    def _put_viewer_back(self, place: ViewerPlace) -> None:
        viewer = self.query_one(AbstractViewer)
        if viewer.hit is not None and viewer.hit.paper.key == place.key:
            # Once the paper shown again is laid out: until then it cannot scroll.
            viewer.call_after_refresh(viewer.scroll_to, y=place.y, animate=False)

    # --- keys ---------------------------------------------------------------

    def action_focus_results(self) -> None:
        """To the list (down or enter in the search box)."""
        self.query_one(ResultList).focus()
        if self._preview_timer is not None:  # no more typing: show it now
            self._stop_preview()
            self.show_abstract()

    def action_focus_search(self) -> None:
        self.query_one(SearchBox).focus()

    def action_back(self) -> None:
        """Back out one step: viewer, list (to the last place, if any), search box,
        then clear the query."""
        focused = self.focused
        search = self.query_one(SearchBox)
        if isinstance(focused, AbstractViewer):
            self.query_one(ResultList).focus()
        elif isinstance(focused, ResultList):
            if not self.action_go_back():  # nowhere to go back to: up to the query
                search.focus()
        elif search.value:
            search.value = ""
            search.focus()
        else:  # an empty search box: on to the results
            self.query_one(ResultList).focus()

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(AuthorTabs)
        if step > 0:
            tabs.action_next_tab()
        else:
            tabs.action_previous_tab()

    def action_tab_number(self, number: int) -> None:
        self.query_one(AuthorTabs).select_number(number)

    @work(thread=True, group="paper", exit_on_error=False)
    def go_to_paper(self, key: str) -> None:
        """Search for one paper (by its arXiv id where it has one) and open it."""
        paper = self.library.get(key)  # may read the index: off the event loop
        if paper is not None:
            self.app.call_from_thread(self._show_paper, key, paper)

    def _show_paper(self, key: str, paper: Paper) -> None:
        self.remember_place()
        self.query_one(AuthorTabs).select(ALL)
        search = self.query_one(SearchBox)
        search.show_query(f"id:{paper.arxiv_id}" if paper.arxiv_id else f"key:{key}")
        self.query_one(AbstractViewer).focus()

    def action_toggle_star(self) -> None:
        self.reading.toggle_star()

    def action_toggle_read(self) -> None:
        self.reading.toggle_read()

    def action_edit_tags(self) -> None:
        self.reading.edit_tags()

    def action_edit_note(self) -> None:
        self.reading.edit_note()

    def action_note_links(self) -> None:
        self.note_links.list_links()

    def go_to_author(self, author: str | None) -> bool:
        """Show an author's tab (None: All); False if the author has none."""
        tabs = self.query_one(AuthorTabs)
        wanted = TabFilter(author=author)
        if wanted != tabs.filter and wanted in tabs.filters.values():
            self.remember_place()
        return tabs.select(wanted)

    # --- places: back stack, query history, session restore -----------------

    def place(self) -> Place:
        """Where the reader is: query, tab, selected paper, scroll position."""
        results = self.query_one(ResultList)
        hit = results.highlighted_hit
        return Place(
            query=self.query_text,
            tab=self.tab_filter,
            exact=self._exact,
            key=hit.paper.key if hit else None,
            scroll=results.scroll_offset.y,
            shown=len(results.hits),
            row=results.row_top(results.highlighted),
        )

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
        self.query_one(ResultList).focus()
        return True

    def go_to_place(self, place: Place) -> None:
        """Show the place's tab and query; its paper is selected and the list scrolled
        as it was when the results come (quietly not, if they are gone)."""
        tabs = self.query_one(AuthorTabs)
        if not tabs.select(place.tab):  # its tab is gone: the query in the tab shown
            place = dataclasses.replace(place, tab=tabs.filter)
        self._stop_preview()
        self.query_one(SearchBox).show_query(place.query)
        # Set without their watchers: one search below, not one for each.
        self.set_reactive(MainScreen.tab_filter, place.tab)
        self.set_reactive(MainScreen.query_text, place.query)
        self._exact = place.exact
        self._going_to = place
        self.run_search()

    def _select_place(self, asked: Ask) -> None:
        """Select the paper of the place gone to, once the results hold it."""
        place = self._going_to
        assert place is not None
        if (asked.text, asked.author, asked.source, asked.marks) != (
            place.query,
            place.tab.author,
            place.tab.source,
            place.tab.marks,
        ):
            self._going_to = None  # the user moved on before the results came
            return
        results = self.query_one(ResultList)
        keys = [hit.paper.key for hit in results.hits]
        if place.key in keys:
            results.highlighted = keys.index(place.key)
            # The paper where it stood in the window, though rows above it changed.
            top = results.row_top(results.highlighted)
            moved = top - place.row if top is not None and place.row is not None else 0
            results.scroll_to(y=place.scroll + moved, animate=False, immediate=True)
            results.scroll_to_highlight()  # (a smaller window than it was left in)
        elif place.key and len(keys) < min(place.shown, self._total or 0):
            self.run_search(more=True)  # it was further down: the pages it had
            return
        self._going_to = None

    @on(SearchBox.Settled, "#search")
    def query_settled(self, event: SearchBox.Settled) -> None:
        self._remember_query(event.text)

    @work(thread=True, group="history", exit_on_error=False)
    def _remember_query(self, text: str) -> None:
        self.library.user.remember_query(text)

    @work(thread=True, group="history", exit_on_error=False)
    def load_history(self) -> None:
        """The library's earlier queries, for up and down in the search box."""
        queries = self.library.user.queries()
        self.app.call_from_thread(self._history_loaded, queries)

    def _history_loaded(self, queries: list[str]) -> None:
        history = self.query_one(SearchBox).history
        # Queries settled on while loading stay first.
        history.queries, settled = queries, history.queries
        for text in reversed(settled):
            history.remember(text)

    def action_history(self) -> None:
        self._search_history()

    @work(thread=True, group="history", exit_on_error=False)
    def _search_history(self) -> None:
        # Read again: another reader on this library may have added some.
        queries = self.library.user.queries()
        self.app.call_from_thread(self._open_history, queries)

    def _open_history(self, queries: list[str]) -> None:
        self._history_loaded(queries)
        history = self.query_one(SearchBox).history
        self.app.push_screen(HistoryScreen(history.queries), self._history_picked)

    def _history_picked(self, text: str | None) -> None:
        """Search the query picked, as submitted, and go to its results."""
        if not text:
            return
        self.remember_place()
        self.query_one(SearchBox).history.remember(text)
        self._remember_query(text)  # first in the history again
        self.go_to_place(Place(text, self.tab_filter, exact=True))
        self.action_focus_results()

    @work(thread=True, group="session", exit_on_error=False)
    def load_place(self) -> None:
        """The place saved last time, to open there once the first results come."""
        place = None
        try:
            data = self.library.user.load_session()
            place = Place.from_json(data) if data else None
        finally:  # (a failure is said by on_worker_state_changed; saving goes on)
            self.app.call_from_thread(self._place_loaded, place)

    def _place_loaded(self, place: Place | None) -> None:
        self._to_restore = place
        if place is None:
            self._restoring = False
        elif self._shown_search is not None:  # the first results came already
            self._restore_place()

    def _restore_place(self) -> None:
        place, self._to_restore = self._to_restore, None
        self._restoring = False
        search = self.query_one(SearchBox)
        if place is None or search.value or self.tab_filter != ALL:
            return  # the user went somewhere already
        self.go_to_place(place)
        search.select_all()  # typing replaces the query restored

    def save_place(self) -> None:
        """Save the place for the next start if it changed (off the event loop)."""
        if self._ready and not self._restoring and (place := self.place()) != self._saved:
            self._saved = place
            self._save_place(place)

    @work(thread=True, group="session", exit_on_error=False)
    def _save_place(self, place: Place) -> None:
        self.library.user.save_session(place.to_json())

    async def save_place_now(self, timeout: float = 1.0) -> None:
        """At quit: save the place if it changed, waiting for the disk at most `timeout` s."""
        if not self._ready or self._restoring or (place := self.place()) == self._saved:
            return
        self._saved = place
        # Quitting: nowhere left to say a failure; the periodic save had the place before.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                asyncio.to_thread(self.library.user.save_session, place.to_json()), timeout
            )


def _count_text(
    total: int | None, shown: int, query: str, fallback: bool, order: str = "relevance"
) -> str:
    total = shown if total is None else total
    found = f"{total:,} paper" + ("" if total == 1 else "s")
    text = found if not query.strip() else f"{found} found"
    if total > shown:
        text += f" (showing {shown:,}; more as you scroll)"
    text += f" · {ORDER_NAMES[order]}"
    if fallback:
        text += " · the query did not parse; searched for its words"
    return text
