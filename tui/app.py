"""The reader: a Textual app over a library of dumps."""

from __future__ import annotations

import asyncio
import os
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import RenderableType
from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from index import (
    DumpWatcher,
    Inputs,
    Library,
    Paper,
    StoreError,
    TabFilter,
    bibtex,
    citation,
    pinned_authors,
    pinned_tags,
    printable,
    set_pinned,
    set_pinned_tags,
    write_export,
)

from .clipboard import copy, has_display
from .messages import DumpsChanged, LibraryNotice
from .note_links import refused_target
from .palette import Reader, ReaderCommands
from .screens.authors import AuthorsScreen
from .screens.export import ExportScreen
from .screens.help import HelpScreen, part_of
from .screens.main import MainScreen
from .screens.note import NoteScreen
from .screens.related import RelatedScreen
from .terminal_gate import clean_update
from .theme_memory import ThemeMemory
from .widgets.search_box import SearchBox
from .workers import DOING, DaemonThreads, failure_message

# Actions on letter keys, which the search box types instead.
TYPED_ACTIONS = frozenset(
    {"copy_abstract", "copy_citation", "open_arxiv", "related", "authors", "help", "quit_key"}
)


class AbstractsApp(App):
    """Search, read and copy paper abstracts."""

    TITLE = "abstracts"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # The reader's commands, then Textual's own (theme, keys, quit…): one provider
    # lists both, in that order (two would race, Textual's first).
    COMMANDS = {ReaderCommands}
    # Screens laid out tighter on a short terminal (main.tcss): 24 lines leave the
    # abstract most of the viewer.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("y", "copy_abstract", "Copy"),
        Binding("c", "copy_citation", "Cite"),
        Binding("o", "open_arxiv", "arXiv"),
        Binding("r", "related", "Related"),
        Binding("a", "authors", "Authors", show=False),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit_key", "Quit"),
    ]

    def __init__(self, library: Library, restore: bool = True, watch: bool = True) -> None:
        super().__init__()
        self.library = library
        # Back where the last session left off, unless the flag or the config says not to.
        # Follows the dumps while open, unless turned off (--no-watch, watch = false).
        self.follows_dumps = watch and library.config.watch
        self.main = MainScreen(
            library, restore=restore and library.config.restore, follow=self.follows_dumps
        )
        self._pins_lock = threading.Lock()
        self.theme_memory = ThemeMemory(self, library.config)
        self.watcher: DumpWatcher | None = None

    async def action_quit(self) -> None:
        """Quit, saving the reader's place for the next start (a slow disk waits not long);
        a note being written holds the first ctrl+q, keeping a copy of it."""
        if any(isinstance(s, NoteScreen) and s.holds_quit() for s in self.screen_stack):
            return
        await self.main.save_place_now()
        await super().action_quit()

    async def action_quit_key(self) -> None:
        """`q` quits where it is not typed (ctrl+q quits anywhere)."""
        await self.action_quit()

    def action_show_help(self) -> None:
        """Help from a key nobody types (F1): works wherever focus is."""
        self.action_help()

    def action_help_quit(self) -> None:
        """ctrl+c no longer quits: say what does (Textual's own hint reads markup)."""
        self.notify("Press ctrl+q to quit the app", title="Do you want to quit?")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the search box has focus, letters are typed: their keys neither work
        # nor show in the footer there.
        return not (action in TYPED_ACTIONS and isinstance(self.focused, SearchBox))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notify without reading markup: messages quote titles, names and paths from dumps,
        whose control characters are shown as symbols. (A screen's or a widget's notify
        asks for markup unless told not to: it is never read, whoever asks.)"""
        message, title = printable(message), printable(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        # Every update of the screen passes the last gate before the terminal.
        super()._display(screen, clean_update(renderable))

    def on_load(self) -> None:
        # Thread workers on daemon threads: one blocked in a slow read never keeps
        # the reader from quitting.
        asyncio.get_running_loop().set_default_executor(DaemonThreads())

    def on_mount(self) -> None:
        self.theme_memory.start()  # the theme of the last session
        # Pushed rather than made the default screen: only pushed screens load their CSS file.
        self.push_screen(self.main)
        self._follow_dumps()

    # --- dumps that change while the reader is open ---------------------------

    def _follow_dumps(self) -> None:
        """Watch the dumps (in threads of the watcher's): the main screen takes in
        what changed, and says why a path cannot be watched."""
        if not self.follows_dumps:
            return
        main = self.main
        self.watcher = DumpWatcher(
            self.library.paths,
            changed=lambda paths: main.post_message(DumpsChanged(paths)),
            problem=lambda text: main.post_message(LibraryNotice(text)),
            ignore=self.library.index_dir,
        )
        self.watcher.start()

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()  # at once: its threads look up from waiting many times a second

    # --- background work ----------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Say that background work failed, and why: no worker ends unseen. Every
        worker's failure comes here, the screens' too. One that found the index
        damaged has it rebuilt (see MainScreen.mend_index)."""
        mending = isinstance(worker.error, StoreError) and self.main.mend_index()
        if mending and worker.group == "search":
            return  # run again once the index is rebuilt, which says why
        doing = DOING.get(worker.group, "Something went wrong in the background")
        self.notify(failure_message(worker.error), title=doing, severity="error", timeout=20)

    # --- pins ---------------------------------------------------------------

    def pin(self, name: str) -> None:
        self._change_pins(
            lambda names: [*names, name], said=f"Pinned {name}: press ] or click the ★ tab."
        )

    def _pin_and_open(self, name: str) -> None:
        """An author of a collection has no tab until pinned: pin, then open it."""
        self._change_pins(lambda names: [*names, name], open_author=name)

    def unpin(self, name: str) -> None:
        self._change_pins(lambda names: [n for n in names if n != name])

    @work(thread=True, group="pins", exit_on_error=False)
    def _change_pins(
        self,
        change: Callable[[list[str]], list[str]],
        said: str | None = None,
        open_author: str | None = None,
    ) -> None:
        """Change the pins of this library and show the tabs again. The state file
        and the index are read and written here, off the event loop."""
        with self._pins_lock:  # one change at a time: each reads the one before
            index_dir = self.library.index_dir
            set_pinned(change(pinned_authors(self.library.config, index_dir)), index_dir)
        self.call_from_thread(self.main.refresh_tabs, open_author)
        if said:
            self.call_from_thread(self.notify, said, title="Pinned")

    def pin_tag(self, tag: str) -> None:
        """Give a tag a tab of its own in this library, and open it."""
        self._change_tag_pins(lambda tags: [*tags, tag], open_tag=tag)

    def unpin_tag(self, tag: str) -> None:
        self._change_tag_pins(lambda tags: [t for t in tags if t != tag])

    @work(thread=True, group="pins", exit_on_error=False)
    def _change_tag_pins(
        self, change: Callable[[list[str]], list[str]], open_tag: str | None = None
    ) -> None:
        with self._pins_lock:
            index_dir = self.library.index_dir
            set_pinned_tags(change(pinned_tags(index_dir)), index_dir)
        opened = TabFilter(marks=f"tag:{open_tag}") if open_tag else None
        self.call_from_thread(self.main.refresh_tabs, None, opened)

    # --- actions ------------------------------------------------------------

    def _paper(self) -> Paper | None:
        hit = self.main.selected
        if hit is None:
            self.notify("No paper is selected.", severity="warning")
            return None
        return hit.paper

    def action_copy_abstract(self) -> None:
        if paper := self._paper():
            self.copy(paper.abstract, f"the abstract of {_name(paper)}")

    def action_copy_citation(self) -> None:
        if paper := self._paper():
            self.copy(citation(paper, self.library.config), f"a citation of {_name(paper)}")

    def action_copy_bibtex(self) -> None:
        if paper := self._paper():
            self.copy(bibtex(paper, self.library.config), f"a BibTeX entry of {_name(paper)}")

    def copy(self, text: str, what: str) -> None:
        """Copy `text` and say so, naming it as `what` ("the abstract of …")."""
        copy(self, text, what)

    def action_open_arxiv(self) -> None:
        paper = self._paper()
        if paper is None:
            return
        if not paper.arxiv_id:
            self.notify(f"{_name(paper)} has no arXiv id.", severity="warning")
            return
        self.open_link(f"https://arxiv.org/abs/{paper.arxiv_id}")

    def open_link(self, url: str) -> None:
        """Open a web link in a browser (off the event loop), or copy it where none runs."""
        if not url.lower().startswith(("https://", "http://")):
            self.notify(f"Only web links open here, not {url}", severity="warning")
            return
        if refused_target(url):  # a browser's argument: nothing in it may act on a terminal
            self.notify(f"Not opened: the link holds control characters: {url}", severity="warning")
            return
        if not (has_display() or os.environ.get("BROWSER")):
            # A text browser would take over this terminal: hand over the link instead.
            self.copy(url, f"the link {url} (no browser here)")
            return
        self._open(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open(self, url: str) -> None:
        opened = webbrowser.open(url)
        message = f"Opened {url}" if opened else f"No browser could open {url}"
        self.call_from_thread(self.notify, message, severity="information" if opened else "warning")

    def action_related(self) -> None:
        if paper := self._paper():
            self._related(paper)

    @work(thread=True, group="related", exit_on_error=False)
    def _related(self, paper: Paper) -> None:
        hits = self.library.related(paper.key, top=15)
        states = self.main.core.marks([hit.paper.key for hit in hits])
        self.call_from_thread(self._show_related, paper, hits, states)

    def _show_related(self, paper: Paper, hits: list, states: dict) -> None:
        if not hits:
            self.notify(f"Nothing in the library is like {_name(paper)}.", severity="warning")
            return

        def chosen(key: str | None) -> None:
            if key:
                self.main.go_to_paper(key)

        self.push_screen(RelatedScreen(paper.heading(), hits, states), chosen)

    def action_authors(self) -> None:
        self._authors(self.main.tab_filter.author)  # opens on the tab's author

    @work(thread=True, group="authors", exit_on_error=False)
    def _authors(self, current: str | None) -> None:
        rows = self.library.coauthors()
        others = self.library.collection_authors()

        def chosen(author: str | None) -> None:
            if author and not self.main.go_to_author(author):
                self._pin_and_open(author)

        screen = AuthorsScreen(self.library, rows, others, current)
        self.call_from_thread(self.push_screen, screen, chosen)

    def action_export(self) -> None:
        def chosen(path: Path | None) -> None:
            if path:
                view = self.main.view
                self._export(path, view.inputs if view is not None else Inputs())

        self.push_screen(ExportScreen(self.main.total), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, path: Path, inputs: Inputs) -> None:
        # The very papers the count line counts: the view's list, all its pages.
        papers = self.main.core.every_paper(inputs)
        try:
            count = write_export(
                path,
                papers,
                title=inputs.query or None,
                config=self.library.config,
            )
        except (OSError, ValueError) as error:
            self.call_from_thread(
                self.notify, f"Could not export to {path}: {error}", severity="error"
            )
            return
        self.call_from_thread(
            self.notify, f"Exported {count:,} papers to {path}.", title="Exported"
        )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):  # the keys where focus is, first
            self.push_screen(HelpScreen(part_of(self.focused)))


def _name(paper: Paper) -> str:
    return f"“{paper.heading(limit=50)}”"


if TYPE_CHECKING:
    # The palette finds this app as a `Reader` by a cast: the type checker holds the
    # app to what that promises.
    _reader: type[Reader] = AbstractsApp
