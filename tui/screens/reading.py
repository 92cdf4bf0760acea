"""The reading-state keys of the main screen: read (`u`, and a paper shown for a
moment), star (`s`), tags (`t`) and a note (`e`).

Every read and write of the state database runs in a worker, which ends in a
message to the screen (`MarksChanged`): the screen shows the paper's new state at
once, and asks the reader core for the view again (a starred or tag tab, or an
`is:` filter, may no longer hold the paper; the tabs' counts may have changed).

What another process writes (a second reader, `abstracts star` in a script) is
shown the same way, without a key pressed: the database's folder is watched, and
a write that SQLite says came from another connection is said to the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from index import Hit, Paper, PaperState, StateWatcher, UserDB, UserStateError

from ..messages import (
    LibraryNotice,
    MarksChanged,
    PaperStateRead,
    StateChangedElsewhere,
)
from .note import NoteScreen
from .tags import TagScreen

# Longer notes open in the user's editor (`abstracts note`): Textual's editor takes
# about a second a million characters to open one.
EDITABLE_NOTE = 200_000

# A change of a paper's state (by key), made in a worker: what to say once done.
Change = Callable[[UserDB, str], str | None]


class Reading:
    """What the state keys do on one screen, given the library's reading state,
    the paper selected and the state a paper shows."""

    def __init__(
        self,
        screen: Screen,
        user: Callable[[], UserDB],
        selected: Callable[[], Hit | None],
        shown_state: Callable[[str], PaperState | None],
    ) -> None:
        self.screen = screen
        self._user = user
        self._selected = selected
        self._shown_state = shown_state
        self._watcher: StateWatcher | None = None

    @property
    def user(self) -> UserDB:
        return self._user()

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
        state = self._shown_state(key)
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
        hit = self._selected()
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
        worker, then tell the screen (which shows it, then with `search` the list
        and with `tabs` the tabs as they now are)."""
        if key is None:
            paper = self._paper()
            if paper is None:
                return
            key = paper.key
        paper_key = key

        def write() -> None:
            said = change(self.user, paper_key)
            state = self.user.state(paper_key)
            self.screen.post_message(MarksChanged(state, said, tabs, search))

        self._run(write)

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

    def read_again(self, key: str | None) -> None:
        """Read the paper `key`'s state again (another process wrote the state): it
        may not be in the list, whose view is read again by the screen."""

        def read() -> None:
            state = self.user.state(key) if key is not None else None
            self.screen.post_message(PaperStateRead(state))

        self.screen.run_worker(
            read,
            thread=True,
            group="state-elsewhere",
            exclusive=True,  # a newer change reads it again
            exit_on_error=False,
            description="reading state changed elsewhere",
        )

    def _run(self, work: Callable[[], None]) -> None:
        self.screen.run_worker(
            work, thread=True, group="state", exit_on_error=False, description="reading state"
        )
