"""The main screen: author tabs, search box, results and the abstract viewer.

Messages go up, method calls go down: the widgets post what happened, this
screen decides what it means. Each keystroke asks the search session for one
search, answered in a thread: it ranks and counts every match, and the list and
the count line show its answer together. Only the newest search is shown, and
the list keeps what it shows until the next answer is ready.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar, Static, Tabs
from textual.worker import Worker, WorkerState

from index import (
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

from ..messages import (
    IndexProgress,
    IndexReady,
    LibraryBusy,
    LibraryNotice,
    SearchFinished,
    TabsRead,
)
from ..widgets.abstract_viewer import AbstractViewer
from ..widgets.author_tabs import ALL, STARRED, AuthorTabs, TabFilter
from ..widgets.result_list import Painter, ResultList
from ..widgets.search_box import SearchBox
from ..widgets.suggester import QuerySuggester
from ..workers import failure_message
from .reading import Reading

# The list shows a page of papers first (PAGE), and a page more whenever the cursor
# nears its end; the count line above it says how many were found in all.
# Seconds of no typing before the viewer shows the best paper: a new abstract lays
# the screen out again, which would hold up the next keystroke's list.
PREVIEW_DELAY = 0.25


class MainScreen(Screen):
    CSS_PATH = "main.tcss"

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("ctrl+s", "accept_suggestion", "Did you mean", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False),
        Binding("right_square_bracket", "tab(1)", "Next tab", show=False),
        *[Binding(str(n), f"tab_number({n})", f"Tab {n}", show=False) for n in range(1, 10)],
        Binding("0", "tab_number(10)", "Tab 10", show=False),
        # The reading state of the paper highlighted (the search box types these).
        Binding("s", "toggle_star", "Star"),
        Binding("u", "toggle_read", "Read/unread", show=False),
        Binding("t", "edit_tags", "Tags", show=False),
        Binding("e", "edit_note", "Note", show=False),
    ]

    # Watched, never drawn: a change repaints only what shows it, not the screen.
    query_text: reactive[str] = reactive("", init=False, repaint=False)
    tab_filter: reactive[TabFilter] = reactive(ALL, init=False, repaint=False)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.session = SearchSession(library)
        self._shown_search: tuple[str, object, bool] | None = None
        self._limit = PAGE  # of the search shown
        self._total: int | None = None
        self._ready = False
        self._fallback = False
        self._preview_timer: Timer | None = None
        self._typed_at = 0.0  # when the query last changed
        self._exact = False  # search the query as submitted (Enter)
        self.shown_exact = False  # the results on screen are of the submitted query
        self._names: list[str] = []  # author names the search box completes
        self.suggestion: str | None = None
        self.reading = Reading(self)

    def compose(self) -> ComposeResult:
        yield AuthorTabs(id="tabs")
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
        self._typed_at = time.monotonic()
        self._stop_preview()  # the viewer waits for the typing to pause
        self._exact = False
        self.query_text = event.value

    @on(Tabs.TabActivated, "#tabs")
    def tab_changed(self, event: Tabs.TabActivated) -> None:
        self.tab_filter = self.query_one(AuthorTabs).filter

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
        asked = self.session.ask(
            self.query_text, tab.author, tab.source, self._exact, more, marks=tab.marks
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
        results = self.query_one(ResultList)
        if (
            not same
            or [h.paper.key for h in result.hits] != [h.paper.key for h in results.hits]
            or (message.rows is not None and message.rows.states != results.states)
        ):
            results.show_hits(result.hits, keep=same, rows=message.rows)
        self._update_count()
        self.preview()

    def _update_count(self) -> None:
        shown = len(self.query_one(ResultList).hits)
        text = _count_text(self._total, shown, self.query_text, self._fallback)
        if self.suggestion:
            text += f" · Did you mean: {self.suggestion}? (ctrl+s)"
        self._count_line(text)

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
        self.app.open_link(message.href)  # type: ignore[attr-defined]  # AbstractsApp's

    @on(SearchBox.Submitted, "#search")
    def go_to_results(self) -> None:
        self.action_focus_results()
        if not self._exact:  # submitted: searched as `abstracts search` would
            self._exact = True
            self.run_search()

    def _count_line(self, text: str) -> None:
        # One line of fixed size: no layout pass needed, which matters while typing.
        self.query_one("#count", Static).update(text, layout=False)

    @property
    def total(self) -> int | None:
        """How many papers the search shown matched."""
        return self._total

    @property
    def selected(self) -> Hit | None:
        """The paper keys act on (copy, cite, related…): the one highlighted in the
        list; the viewer may not show it yet, as it waits for the typing to pause."""
        return self.query_one(ResultList).highlighted_hit or self.query_one(AbstractViewer).hit

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
        """Back out one step: viewer, list, search box, then clear the query."""
        focused = self.focused
        search = self.query_one(SearchBox)
        if isinstance(focused, AbstractViewer):
            self.query_one(ResultList).focus()
        elif isinstance(focused, ResultList):
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
        self.query_one(AuthorTabs).select(ALL)
        search = self.query_one(SearchBox)
        search.value = f"id:{paper.arxiv_id}" if paper.arxiv_id else f"key:{key}"
        self.query_one(AbstractViewer).focus()

    def action_toggle_star(self) -> None:
        self.reading.toggle_star()

    def action_toggle_read(self) -> None:
        self.reading.toggle_read()

    def action_edit_tags(self) -> None:
        self.reading.edit_tags()

    def action_edit_note(self) -> None:
        self.reading.edit_note()

    def go_to_author(self, author: str | None) -> bool:
        """Show an author's tab (None: All); False if the author has none."""
        return self.query_one(AuthorTabs).select(TabFilter(author=author))


def _count_text(total: int | None, shown: int, query: str, fallback: bool) -> str:
    total = shown if total is None else total
    found = f"{total:,} paper" + ("" if total == 1 else "s")
    text = found if not query.strip() else f"{found} found"
    if total > shown:
        text += f" (showing {shown:,}; more as you scroll)"
    if fallback:
        text += " · the query did not parse; searched for its words"
    return text
