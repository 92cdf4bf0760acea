"""The reader's commands in the command palette (ctrl+p): its actions, the list's
orders, and going to, pinning and unpinning authors and tags. Textual's own
commands (theme, keys, quit…) come after them, from this provider too.

The palette knows the app only as a `Reader`: what it needs from it, which the
app has without naming it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any, Protocol, cast

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.notifications import SeverityLevel

from index import Hit as PaperHit
from index import Library, Paper, Shelves, pinned_tags

from .text import safe
from .workers import failure_message

# The app's actions as the palette offers them: (title, help, action).
ACTIONS = (
    ("Copy abstract", "Copy the selected paper's abstract (y)", "copy_abstract"),
    ("Copy citation", "Copy a one-line citation (c)", "copy_citation"),
    ("Copy BibTeX", "Copy a BibTeX entry of the selected paper", "copy_bibtex"),
    ("Open on arXiv", "Open the paper's arXiv page in a browser (o)", "open_arxiv"),
    ("Related papers", "Papers like the selected one (r)", "related"),
    ("Authors", "Authors, their papers and co-authors (a)", "authors"),
    ("Export results", "Write the results to BibTeX, Markdown or JSON Lines", "export"),
    ("Help", "Keys and search syntax (?)", "help"),
)

# The list's orders as the palette offers them: (title, help, order).
SORTS = (
    ("Sort by relevance", "Best match first; newest first without a query (O cycles)", "relevance"),
    ("Sort newest first", "The most recent papers first (O cycles)", "newest"),
    ("Sort oldest first", "The earliest papers first (O cycles)", "oldest"),
    ("Sort by title", "Titles from A to Z, leading articles aside (O cycles)", "title"),
)


class ReaderScreen(Protocol):
    """What the palette needs from the reader's main screen."""

    @property
    def selected(self) -> PaperHit | None:
        """The paper the commands act on, if any."""
        ...

    def sort_by(self, order: str) -> None:
        """Put the list in `order`."""
        ...

    def go_to_author(self, author: str | None) -> bool:
        """Show an author's tab (None: All); False if the author has none."""
        ...


class Reader(Protocol):
    """What the palette needs from the app: its library and main screen, its pins,
    and a way to say what went wrong. Its actions (ACTIONS) are its `action_…`
    methods."""

    @property
    def library(self) -> Library:
        """The library the reader shows."""
        ...

    @property
    def main(self) -> ReaderScreen:
        """The reader's main screen."""
        ...

    def notify(self, message: str, *, title: str = ..., severity: SeverityLevel = ...) -> None:
        """Show a notice."""
        ...

    def pin(self, name: str) -> None:
        """Give an author a tab."""
        ...

    def unpin(self, name: str) -> None:
        """Remove an author's tab."""
        ...

    def pin_tag(self, tag: str) -> None:
        """Give a tag a tab, and open it."""
        ...

    def unpin_tag(self, tag: str) -> None:
        """Remove a tag's tab."""
        ...


class ReaderCommands(Provider):
    """The reader's commands, gathered once each time the palette opens."""

    _commands: list[SystemCommand]
    _textual: list[SystemCommand]  # Textual's own: theme, keys, screenshot, quit…

    async def startup(self) -> None:
        # Textual makes its providers itself, handing them only the screen: the app
        # is the one way to the reader, and this provider is only ever the reader's.
        reader = cast(Reader, self.app)
        self._commands = action_commands(reader) + sort_commands(reader)
        self._textual = list(self.app.get_system_commands(self.screen))
        selected = reader.main.selected
        try:
            # The authors and the pins are read from the index and the state
            # folder: off the event loop, so a slow disk never stalls the keys.
            shelves = await asyncio.to_thread(reader.library.shelves)
        except Exception as error:  # the actions are still offered
            reader.notify(
                failure_message(error), title="Could not list the authors", severity="error"
            )
            return
        paper = selected.paper if selected else None
        self._commands += author_commands(reader, shelves, paper)
        try:
            in_use, pinned = await asyncio.to_thread(_tags, reader.library)
        except Exception as error:  # the other commands are still offered
            reader.notify(failure_message(error), title="Could not list the tags", severity="error")
            return
        self._commands += tag_commands(reader, in_use, pinned)

    async def discover(self) -> Hits:
        # The reader's own in alphabetical order, then Textual's.
        for command in sorted(self._commands, key=lambda command: command.title):
            yield DiscoveryHit(command.title, command.callback, help=command.help)
        for command in self._textual:
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in [*self._commands, *self._textual]:
            if (score := matcher.match(command.title)) > 0:
                yield Hit(
                    score, matcher.highlight(command.title), command.callback, help=command.help
                )


def _command(title: str, help: str, callback: Callable[..., Any]) -> SystemCommand:
    """A command as the palette shows it: names of authors, files and tags in its
    title and help are text from dumps and the reading state, shown as symbols
    where they hold control characters."""
    # The palette reads titles and help as markup: `[/b]` in a name is text.
    return SystemCommand(escape(safe(title)), escape(safe(help)), callback)


def action_commands(reader: Reader) -> list[SystemCommand]:
    """The app's actions that have no key of their own, or whose key the search box types."""
    return [
        _command(title, help, getattr(reader, f"action_{action}"))
        for title, help, action in ACTIONS
    ]


def sort_commands(reader: Reader) -> list[SystemCommand]:
    """Put the list in each order."""
    return [
        _command(title, help, lambda order=order: reader.main.sort_by(order))
        for title, help, order in SORTS
    ]


def author_commands(
    reader: Reader, shelves: Shelves, selected: Paper | None
) -> list[SystemCommand]:
    """Go to each author's tab; unpin an author pinned in the reader; pin an author of
    the selected paper who has no tab yet."""
    main = reader.main
    commands = [_command("Go to all papers", "Show the All tab", lambda: main.go_to_author(None))]
    for author in shelves.authors:
        commands.append(
            _command(
                f"Go to author {author.author}",
                f"{_papers(author.papers)} from {os.path.basename(author.source)}",
                lambda label=author.author: main.go_to_author(label),
            )
        )
    pinned = [name for name, _ in shelves.pinned]
    for name in pinned:
        commands.append(
            _command(
                f"Go to author {name}", "a pinned author", lambda name=name: main.go_to_author(name)
            )
        )
        if name not in reader.library.config.pinned:
            commands.append(
                _command(
                    f"Unpin author {name}",
                    "Remove the author's tab",
                    lambda name=name: reader.unpin(name),
                )
            )
    labels = {a.author for a in shelves.authors}
    for name in selected.authors if selected else ():
        if name not in pinned and name not in labels:
            commands.append(
                _command(
                    f"Pin author {name}",
                    "Give this author a tab of their own",
                    lambda name=name: reader.pin(name),
                )
            )
    return commands


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count:,} papers"


def _tags(library: Library) -> tuple[list[tuple[str, int]], list[str]]:
    """The tags in use and those pinned (reads the reading state: off the event loop)."""
    return library.user.tags(), pinned_tags(library.index_dir)


def tag_commands(
    reader: Reader, in_use: list[tuple[str, int]], pinned: list[str]
) -> list[SystemCommand]:
    """Pin each tag in use that has no tab yet; go to and unpin each pinned one."""
    commands = []
    for tag, count in in_use:
        if tag not in pinned:
            papers = _papers(count)
            commands.append(
                _command(
                    f"Pin tag #{tag}",
                    f"Give the tag a tab of its own ({papers})",
                    lambda tag=tag: reader.pin_tag(tag),
                )
            )
    for tag in pinned:
        commands.append(
            _command(
                f"Unpin tag #{tag}", "Remove the tag's tab", lambda tag=tag: reader.unpin_tag(tag)
            )
        )
    return commands
