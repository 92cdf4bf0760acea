"""The reader: a Textual app over a library of dumps."""

from __future__ import annotations

import asyncio
import os
import sys
import webbrowser
from collections.abc import Iterable
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from index import Library, Paper
from index.cite import bibtex, citation
from index.export import write_export
from index.library import pinned_authors, set_pinned
from index.text import first_sentence, printable

from .clipboard import clipboard_text, system_clipboard_copy
from .screens.authors import AuthorsScreen
from .screens.export import ExportScreen
from .screens.help import HelpScreen
from .screens.main import MainScreen
from .screens.related import RelatedScreen
from .widgets.author_tabs import TabFilter
from .widgets.search_box import SearchBox
from .workers import DOING, DaemonThreads, failure_message

# The app's actions as the command palette offers them: (title, help, action).
# Actions on letter keys, which the search box types instead.
TYPED_ACTIONS = frozenset(
    {"copy_abstract", "copy_citation", "open_arxiv", "related", "authors", "help", "quit_key"}
)

PALETTE = (
    ("Copy abstract", "Copy the selected paper's abstract (y)", "copy_abstract"),
    ("Copy citation", "Copy a one-line citation (c)", "copy_citation"),
    ("Copy BibTeX", "Copy a BibTeX entry of the selected paper", "copy_bibtex"),
    ("Open on arXiv", "Open the paper's arXiv page in a browser (o)", "open_arxiv"),
    ("Related papers", "Papers like the selected one (r)", "related"),
    ("Authors", "Authors, their papers and co-authors (a)", "authors"),
    ("Export results", "Write the results to BibTeX, Markdown or JSON Lines", "export"),
    ("Help", "Keys and search syntax (?)", "help"),
)


class AbstractsApp(App):
    """Search, read and copy paper abstracts."""

    TITLE = "abstracts"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("y", "copy_abstract", "Copy"),
        Binding("c", "copy_citation", "Cite"),
        Binding("o", "open_arxiv", "arXiv"),
        Binding("r", "related", "Related"),
        Binding("a", "authors", "Authors", show=False),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit_key", "Quit"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.main = MainScreen(library)

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
        whose control characters are shown as symbols."""
        message, title = printable(message), printable(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_load(self) -> None:
        # Thread workers on daemon threads: one blocked in a slow read never keeps
        # the reader from quitting.
        asyncio.get_running_loop().set_default_executor(DaemonThreads())

    def on_mount(self) -> None:
        # Pushed rather than made the default screen: only pushed screens load their CSS file.
        self.push_screen(self.main)

    # --- background work ----------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Say that background work failed, and why: no worker ends unseen. Every
        worker's failure comes here, the screens' too."""
        doing = DOING.get(worker.group, "Something went wrong in the background")
        self.notify(failure_message(worker.error), title=doing, severity="error", timeout=20)

    # --- the palette --------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help, action in PALETTE:
            yield SystemCommand(title, help, getattr(self, f"action_{action}"))
        yield SystemCommand(
            "Go to all papers", "Show the All tab", lambda: self.main.go_to_author(None)
        )
        authors = self.library.authors()
        for author in authors:
            yield SystemCommand(
                f"Go to author {author.author}",
                f"{author.papers} papers from {os.path.basename(author.source)}",
                lambda label=author.author: self.main.go_to_author(label),
            )
        pinned = self.pinned()
        for name in pinned:
            yield SystemCommand(
                f"Go to author {name}",
                "a pinned author",
                lambda name=name: self.main.go_to_author(name),
            )
            if name not in self.library.config.pinned:
                yield SystemCommand(
                    f"Unpin author {name}",
                    "Remove the author's tab",
                    lambda name=name: self.unpin(name),
                )
        hit = self.main.selected
        labels = {a.author for a in authors}
        for name in hit.paper.authors if hit else ():
            if name not in pinned and name not in labels:
                yield SystemCommand(
                    f"Pin author {name}",
                    "Give this author a tab of their own",
                    lambda name=name: self.pin(name),
                )

    def pinned(self) -> list[str]:
        """The authors with a tab of their own in this library."""
        return pinned_authors(self.library.config, self.library.index_dir)

    def _save_pins(self, names: list[str]) -> None:
        set_pinned(names, self.library.index_dir)

    def pin(self, name: str) -> None:
        self._save_pins([*self.pinned(), name])
        self.call_later(self.main.refresh_tabs)
        self.notify(f"Pinned {name}: press ] or click the ★ tab.", title="Pinned")

    async def _pin_and_open(self, name: str) -> None:
        """An author of a collection has no tab until pinned: pin, then open it."""
        self._save_pins([*self.pinned(), name])
        await self.main.refresh_tabs()
        self.main.go_to_author(name)

    def unpin(self, name: str) -> None:
        self._save_pins([n for n in self.pinned() if n != name])
        self.call_later(self.main.refresh_tabs)

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

    @work(thread=True, group="clipboard", exit_on_error=False)
    def copy(self, text: str, what: str) -> None:
        """Copy to the system clipboard, else through the terminal; say which."""
        text = clipboard_text(text)
        system = system_clipboard_copy(text)  # may run a helper program: not on the UI thread
        self.call_from_thread(self._copied, text, what, system)

    def _copied(self, text: str, what: str, system: bool) -> None:
        # Always the app's own clipboard too, so ctrl+v in the search box pastes it.
        self.copy_to_clipboard(text)
        size = f"{len(text):,} characters"
        if system:
            self.notify(f"Copied {what} ({size}) to the clipboard.", title="Copied")
        elif os.environ.get("TERM_PROGRAM") == "Apple_Terminal":
            self.notify(
                f"No clipboard can be reached from here (this terminal ignores OSC 52): "
                f"{what} was not copied.",
                severity="warning",
            )
        else:
            self.notify(
                f"Copied {what} ({size}) through the terminal's clipboard (OSC 52).",
                title="Copied",
            )

    def action_open_arxiv(self) -> None:
        paper = self._paper()
        if paper is None:
            return
        if not paper.arxiv_id:
            self.notify(f"{_name(paper)} has no arXiv id.", severity="warning")
            return
        url = f"https://arxiv.org/abs/{paper.arxiv_id}"
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("BROWSER")
        ):
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
        self.call_from_thread(self._show_related, paper, hits)

    def _show_related(self, paper: Paper, hits: list) -> None:
        if not hits:
            self.notify(f"Nothing in the library is like {_name(paper)}.", severity="warning")
            return

        def chosen(key: str | None) -> None:
            if key:
                self.main.go_to_paper(key)

        self.push_screen(RelatedScreen(paper.title or first_sentence(paper.abstract), hits), chosen)

    def action_authors(self) -> None:
        self._authors()

    @work(thread=True, group="authors", exit_on_error=False)
    def _authors(self) -> None:
        rows = self.library.coauthors()
        others = self.library.collection_authors()

        def chosen(author: str | None) -> None:
            if author and not self.main.go_to_author(author):
                self.call_later(self._pin_and_open, author)

        self.call_from_thread(self.push_screen, AuthorsScreen(rows, others), chosen)

    def action_export(self) -> None:
        def chosen(path: Path | None) -> None:
            if path:
                main = self.main
                self._export(path, main.query_text, main.tab_filter, not main.shown_exact)

        self.push_screen(ExportScreen(self.main.total), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, path: Path, text: str, tab: TabFilter, as_you_type: bool) -> None:
        # The very papers the count line counts: the same search, all its pages.
        result = self.library.search(
            text, author=tab.author, source=tab.source, limit=None, as_you_type=as_you_type
        )
        try:
            count = write_export(
                path,
                [hit.paper for hit in result.hits],
                title=text or None,
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
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def _name(paper: Paper) -> str:
    title = paper.title or first_sentence(paper.abstract, limit=50)
    return f"“{title}”"
