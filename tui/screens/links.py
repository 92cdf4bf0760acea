"""The links of a note (`l`): each says where it goes; enter follows it.

A link to a paper of the library opens it in the reader, as a step of the back
stack (backspace returns); a web link opens in the browser; an arXiv id the
library lacks is said, and its arXiv page opened. Clicking a link in the viewer's
note goes the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, OptionList

from index import Hit, Library, arxiv_id_named

from ..messages import PaperAsked
from ..note_links import Target, clicked, links_in, resolve
from ..text import safe
from .panel import DockedPanel


class LinksScreen(DockedPanel[Target | None]):
    """Lists a note's links; dismisses with the one chosen (None: cancelled)."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    LinksScreen > Vertical { height: auto; }
    LinksScreen OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, about: str, targets: list[Target]) -> None:
        super().__init__()
        self.about = about
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = Text("Links in the note on ", style="bold")
            heading.append(safe(self.about))
            yield Label(heading)
            yield Label(Text("enter: follow the link · escape: back", style="dim"))
            yield OptionList(*[_option(target) for target in self.targets], id="links")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#links")
    def follow(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.targets[event.option_index])


def _option(target: Target) -> Text:
    """Where a link goes, in a line or two; the note's text is shown, never markup."""
    link, paper = target.link, target.paper
    if paper is not None:
        shown = Text("Paper  ", style="bold")
        shown.append(safe(paper.heading(limit=80)))
        name = f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else f"key {paper.key}"
        shown.append(f"  {safe(name)}", style="dim")
    elif link.web:
        shown = Text("Web    ", style="bold")
        shown.append(_one_line(link.href))
        if arxiv_id_named(link.href):
            shown.append("  not in this library", style="dim")
    elif link.arxiv_id:
        shown = Text("arXiv  ", style="bold")
        shown.append(f"arXiv:{safe(link.arxiv_id)}")
        shown.append("  not in this library: opens its arXiv page", style="dim")
    else:
        shown = Text("Other  ", style="bold")
        shown.append(_one_line(link.href))
        shown.append("  no paper of this library", style="dim")
    if link.text and link.text not in (link.href, f"arXiv:{link.arxiv_id}"):
        shown.append("\n       ")
        shown.append(f"“{safe(link.text)}”", style="italic dim")
    return shown


def _one_line(href: str) -> str:
    """A target as a line of text: its control characters shown as symbols."""
    return safe(href.replace("\n", "\u240a").replace("\t", "\u2409"))


class NoteLinks:
    """What the note's links do on one main screen: `l` lists them, a click or a
    choice follows one. Every look-up runs in a worker."""

    def __init__(
        self, screen: Screen, library: Library, selected: Callable[[], Hit | None]
    ) -> None:
        self.screen = screen
        self.library = library
        self._selected = selected

    def list_links(self) -> None:
        """The links of the selected paper's note, in a list to choose from."""
        screen = self.screen
        hit = self._selected()
        if hit is None:
            screen.notify("No paper is selected.", severity="warning")
            return
        paper = hit.paper

        def read() -> None:
            note = self.library.user.state(paper.key).note
            targets = [resolve(link, self.library.get) for link in links_in(note)]
            screen.app.call_from_thread(self._show_links, paper.heading(limit=60), note, targets)

        self._run(read)

    def _show_links(self, about: str, note: str, targets: list[Target]) -> None:
        screen = self.screen
        if not note.strip():
            screen.notify("This paper has no note (e writes one).", severity="warning")
        elif not targets:
            screen.notify("The note on this paper has no links.", severity="warning")
        else:

            def chosen(target: Target | None) -> None:
                if target is not None:
                    self.follow(target)

            screen.app.push_screen(LinksScreen(about, targets), chosen)

    def open(self, href: str, note: str) -> None:
        """A link of `note` was clicked: follow it (its text, if it names a paper, counts)."""

        def look_up() -> None:
            target = resolve(clicked(note, href), self.library.get)
            self.screen.app.call_from_thread(self.follow, target)

        self._run(look_up)

    def follow(self, target: Target) -> None:
        """To the paper, as a step of the back stack; else to the web, or say why not."""
        screen, link = self.screen, target.link
        if target.paper is not None:
            screen.post_message(PaperAsked(target.paper.key))  # the place left is pushed
            return
        if link.refused:
            screen.notify(
                f"A link holding control characters is not opened: {_one_line(link.href)}",
                severity="warning",
            )
        elif link.web:
            if (arxiv_id := arxiv_id_named(link.href)) is not None:
                self._not_here(arxiv_id)
            screen.app.open_link(link.href)  # type: ignore[attr-defined]  # AbstractsApp's
        elif link.arxiv_id is not None:
            self._not_here(link.arxiv_id)
            screen.app.open_link(f"https://arxiv.org/abs/{link.arxiv_id}")  # type: ignore[attr-defined]
        elif link.has_scheme:
            screen.app.open_link(link.href)  # type: ignore[attr-defined]  # says it opens none
        else:
            # (The app's notify shows text as written, never as markup.)
            screen.notify(
                f"No paper of this library has the id or key {link.href}.", severity="warning"
            )

    def _not_here(self, arxiv_id: str) -> None:
        self.screen.notify(
            f"arXiv:{arxiv_id} is not in this library: opening its arXiv page.", severity="warning"
        )

    def _run(self, work: Callable[[], None]) -> None:
        self.screen.run_worker(
            work, thread=True, group="links", exit_on_error=False, description="note links"
        )
