"""The reading-state keys of the main screen: read (`u`, and a paper shown for a
moment), star (`s`), tags (`t`) and a note (`e`).

Every read and write of the state database runs in a worker. Once written, the
paper's row and the viewer show the new state at once; then the search is run
again (a starred or tag tab, or an `is:` filter, may no longer hold the paper)
and, where stars or tags changed, the tabs and their counts are read again.

What another process writes (a second reader, `abstracts star` in a script) is
shown the same way, without a key pressed: the database's folder is watched, and
a write that SQLite says came from another connection reads the tabs, the
viewer's paper and the search again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from index import Paper, PaperState, StateWatcher, UserDB, UserStateError

from ..messages import LibraryNotice, StateChangedElsewhere
from ..widgets.abstract_viewer import AbstractViewer
from ..widgets.author_tabs import AuthorTabs
from ..widgets.result_list import ResultList
from .note import NoteScreen
from .tags import TagScreen

# Longer notes open in the user's editor (`abstracts note`): Textual's editor takes
# about a second a million characters to open one.
EDITABLE_NOTE = 200_000

if TYPE_CHECKING:
    from .main import MainScreen

# A change of a paper's state (by key), made in a worker: what to say once done.
Change = Callable[[UserDB, str], str | None]


class Reading:
    """What the state keys do on one main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._said = False  # a problem with the state database was said (once)
        self._watcher: StateWatcher | None = None
        # The tabs are made again by one change at a time: two at once (the reader's
        # own and another's) would mix their tabs.
        self._tabs_turn = asyncio.Lock()

    @property
    def user(self) -> UserDB:
        return self.screen.library.user

    def states(self, keys: list[str]) -> dict[str, PaperState]:
        """The state of these papers, for the list (call off the event loop). An
        unreadable state database, or a damaged one set aside, is said once; the
        list then shows no marks, or those of the new database."""
        try:
            states = self.user.states(keys)
        except UserStateError as error:
            self._say(str(error), "error")
            return {}
        if self.user.problem:
            self._say(self.user.problem, "warning")
        return states

    def _say(self, problem: str, severity: SeverityLevel) -> None:
        if not self._said:
            self._said = True
            self.screen.app.call_from_thread(
                self.screen.notify, problem, title="Reading state", severity=severity, timeout=12
            )

    # --- the keys -------------------------------------------------------------

    def toggle_read(self) -> None:
        def change(user: UserDB, key: str) -> None:
            user.toggle_read(key)  # the row and the viewer say so

        self._change(change, tabs=False)

    def toggle_star(self) -> None:
        def change(user: UserDB, key: str) -> None:
            user.toggle_star(key)

        self._change(change)

    def seen(self, key: str) -> None:
        """The paper was shown for a moment, or opened: it counts as read."""
        state = self.screen.query_one(ResultList).states.get(key)
        if state is not None and state.read:
            return

        def change(user: UserDB, key: str) -> None:
            user.set_read(key)

        self._change(change, key=key, tabs=False, search=False)

    def edit_tags(self) -> None:
        paper = self._paper()
        if paper is None:
            return
        key = paper.key

        def read() -> None:
            tags, in_use = self.user.state(key).tags, self.user.tags()
            self.screen.app.call_from_thread(self._open_tags, paper, tags, in_use)

        self._run(read)

    def _open_tags(
        self, paper: Paper, tags: tuple[str, ...], in_use: list[tuple[str, int]]
    ) -> None:
        def chosen(new: tuple[str, ...] | None) -> None:
            if new is None or set(new) == set(tags):
                return

            def change(user: UserDB, key: str) -> str:
                # Tag by tag, each its own write: tags another reader added meanwhile stay.
                for tag in set(tags) - set(new):
                    user.remove_tag(key, tag)
                for tag in set(new) - set(tags):
                    user.add_tag(key, tag)
                return "Tags: " + (" ".join(f"#{tag}" for tag in new) or "none")

            self._change(change, key=paper.key)

        self.screen.app.push_screen(TagScreen(paper.heading(limit=60), tags, in_use), chosen)

    def edit_note(self) -> None:
        paper = self._paper()
        if paper is None:
            return
        key = paper.key

        def read() -> None:
            note = self.user.state(key).note
            self.screen.app.call_from_thread(self._open_note, paper, note)

        self._run(read)

    def _open_note(self, paper: Paper, note: str) -> None:
        key = paper.key
        if len(note) > EDITABLE_NOTE:  # the editor would hold the screen for seconds
            self.screen.notify(
                f"This note is {len(note):,} characters long, too long to edit here: "
                f"`abstracts note {paper.arxiv_id or key}` opens it in your editor.",
                title="Note",
                severity="warning",
                timeout=12,
            )
            return

        def save(text: str) -> None:  # in the editor's worker
            self.user.set_note(key, text)

        def saved(text: str | None) -> None:
            if text is None:
                return

            def change(user: UserDB, key: str) -> str:  # written already: shown now
                return "Note saved." if text.strip() else "Note deleted."

            self._change(change, key=key, tabs=False)  # no tab counts notes

        screen = NoteScreen(paper.heading(limit=60), key, note, save)
        self.screen.app.push_screen(screen, saved)

    # --- doing it -------------------------------------------------------------

    def _paper(self) -> Paper | None:
        hit = self.screen.selected
        if hit is None:
            self.screen.notify("No paper is selected.", severity="warning")
            return None
        return hit.paper

    def _change(
        self,
        change: Change,
        key: str | None = None,
        tabs: bool = True,
        search: bool = True,
    ) -> None:
        """Change the state of the paper `key` (default: the selected one) in a
        worker, then show it: its row and the viewer at once, then (search) the
        search again and (tabs) the tabs with their counts."""
        if key is None:
            paper = self._paper()
            if paper is None:
                return
            key = paper.key
        paper_key = key

        def write() -> None:
            said = change(self.user, paper_key)
            state = self.user.state(paper_key)
            entries = self.screen.tab_entries() if tabs else None
            # mypy cannot solve call_from_thread's type variable for a coroutine of None.
            call = self.screen.app.call_from_thread
            call(self._changed, state, said, entries, search)  # type: ignore[arg-type]

        self._run(write)

    async def _changed(
        self, state: PaperState, said: str | None, entries: list | None, search: bool
    ) -> None:
        screen = self.screen
        screen.query_one(ResultList).show_state(state)
        viewer = screen.query_one(AbstractViewer)
        if viewer.hit is not None and viewer.hit.paper.key == state.key:
            viewer.show_state(state)
        if said:
            screen.notify(said, title="Reading state", timeout=3)
        if entries is not None:
            async with self._tabs_turn:
                await screen.show_tabs(entries)
        if search:
            screen.search_again()

    # --- changes made elsewhere -----------------------------------------------

    def follow(self) -> None:
        """Show what other processes write to the state, as they write it."""
        screen = self.screen
        self._watcher = StateWatcher(
            self.user.path,
            changed=self._written,
            problem=lambda text: screen.post_message(LibraryNotice(text)),
        )
        self._watcher.start()

    def stop_following(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    @property
    def watcher(self) -> StateWatcher | None:
        return self._watcher

    def _written(self) -> None:
        """The database was written (on the watcher's thread): by another process?
        The reader's own writes are shown already, and are not shown twice."""
        try:
            elsewhere = self.user.changed_elsewhere()
        except UserStateError:
            return  # the next read of the marks says why
        if elsewhere:
            self.screen.post_message(StateChangedElsewhere())

    def show_changes_elsewhere(self) -> None:
        """Read the tabs and the viewer's paper again, then search again in place."""
        viewer = self.screen.query_one(AbstractViewer)
        key = viewer.hit.paper.key if viewer.hit is not None else None

        def read() -> None:
            state = self.user.state(key) if key is not None else None
            entries = self.screen.tab_entries()
            call = self.screen.app.call_from_thread
            call(self._changed_elsewhere, state, entries)  # type: ignore[arg-type]

        self.screen.run_worker(
            read,
            thread=True,
            group="state-elsewhere",
            exclusive=True,  # a newer change reads everything again
            exit_on_error=False,
            description="reading state changed elsewhere",
        )

    async def _changed_elsewhere(self, state: PaperState | None, entries: list) -> None:
        screen = self.screen
        viewer = screen.query_one(AbstractViewer)
        if state is not None and viewer.hit is not None and viewer.hit.paper.key == state.key:
            viewer.show_state(state)  # it may not be in the list
        async with self._tabs_turn:
            if not screen.query_one(AuthorTabs).shows(entries):  # (a note changes none)
                await screen.show_tabs(entries)
        screen.search_again()

    def _run(self, work: Callable[[], None]) -> None:
        self.screen.run_worker(
            work, thread=True, group="state", exit_on_error=False, description="reading state"
        )
