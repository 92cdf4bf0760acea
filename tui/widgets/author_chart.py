"""An author at a glance: papers per year as bars, and who they write with.

Two widgets draw Library.author_profile(): the authors screen's panel (a bar
chart a few lines high, the years at its ends, and the top co-authors) and the
one line under the tabs of the main screen (a sparkline and the span). Both read
the profile in a worker, and show names from dumps as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from index import AuthorProfile, Library

from ..text import safe

# One eighth of a line more for each step; a year without papers is left blank.
BLOCKS = " ▁▂▃▄▅▆▇█"


def columns(counts: Sequence[int], width: int) -> list[int]:
    """The counts in at most `width` columns: neighbouring years summed where
    there are more years than columns."""
    if width <= 0 or not counts:
        return []
    group = -(-len(counts) // width)  # ceiling division
    return [sum(counts[i : i + group]) for i in range(0, len(counts), group)]


def bars(counts: Sequence[int], height: int = 1) -> list[str]:
    """Bars `height` lines tall, top line first, one character a count; the
    largest count fills the height, any other count at least one eighth."""
    peak = max(counts, default=0)
    if peak <= 0:
        return [" " * len(counts) for _ in range(height)]
    eighths = [max(1, round(8 * height * n / peak)) if n > 0 else 0 for n in counts]
    return [
        "".join(BLOCKS[min(8, max(0, e - 8 * row))] for e in eighths)
        for row in reversed(range(height))
    ]


def _papers(count: int) -> str:
    return f"{count:,} paper" + ("" if count == 1 else "s")


def summary(profile: AuthorProfile) -> str:
    """How many papers over which years: "9 papers, 2017–2024 (8 without a year)"."""
    text = _papers(profile.papers)
    span = profile.span
    if span is not None:
        text += f", {span[0]}" if span[0] == span[1] else f", {span[0]}–{span[1]}"
    if profile.undated == profile.papers > 0:
        text += ", without a year" if profile.papers == 1 else ", none with a year"
    elif profile.undated:
        text += f" ({profile.undated:,} without a year)"
    return text


class _ProfileReader(Widget):
    """What shows one author's profile: reads it in a worker as the author changes,
    keeps the profiles read, and draws the one of the author shown."""

    def __init__(self, library: Library, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.author: str | None = None
        self.profile: AuthorProfile | None = None  # of self.author, once read
        self._read: dict[str, AuthorProfile] = {}  # a screen's worth: the index may change

    def on_mount(self) -> None:
        self.draw()

    def show_author(self, author: str | None) -> None:
        """Show `author`'s profile (None: nobody), reading it in the background.

        What is shown stays until the profile is read (milliseconds, mostly): no
        flicker while the cursor runs down a list of authors.
        """
        self.author = author
        cached = self._read.get(author) if author is not None else None
        if author is None or cached is not None:
            self.profile = cached
            self.draw()
        else:
            self._load(author)

    def forget(self) -> None:
        """Read the profiles again (the index changed), starting with the one shown."""
        self._read.clear()
        self.show_author(self.author)

    @work(thread=True, exclusive=True, group="authors", exit_on_error=False)
    def _load(self, author: str) -> None:
        profile = self.library.author_profile(author)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, profile)

    def _loaded(self, profile: AuthorProfile) -> None:
        self._read[profile.author] = profile
        if profile.author == self.author:
            self.profile = profile
            self.draw()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.profile = None  # not another author's picture under this one's name
            self.draw()
            self.app.worker_failed(event.worker)  # type: ignore[attr-defined]

    def draw(self) -> None:
        raise NotImplementedError


class AuthorLine(_ProfileReader, Static):
    """One line under the tabs: the active author's papers per year as a sparkline,
    the span, and the co-authors most often alongside. Hidden without an author."""

    DEFAULT_CSS = """
    AuthorLine { height: 1; padding: 0 1; color: $text-muted; }
    """
    WIDTH = 40  # columns of the sparkline at most

    def draw(self) -> None:
        profile = self.profile
        # Hidden on All and a collection's tab, and for a pinned author without papers.
        self.display = profile is not None and profile.papers > 0
        if profile is None:
            self.update("")
            return
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        counts = columns(list(profile.years.values()), self.WIDTH)
        if counts:
            line.append(bars(counts)[0], "bold")
            line.append(" ")
        line.append(summary(profile))
        if profile.coauthors:
            line.append(" · with ")
            names = [f"{name} ({n})" for name, n in profile.coauthors[:3]]
            line.append(safe(", ".join(names)))
        self.update(line)


class AuthorChart(_ProfileReader, Vertical):
    """The authors screen's picture of the highlighted author: papers per year as
    bars a few lines tall, the first and last year beneath, the peak above, and
    beside them the co-authors with how many papers each shares (a list: `enter`
    on one says Chosen)."""

    DEFAULT_CSS = """
    AuthorChart { height: auto; padding: 0 1; border-top: solid $primary; }
    AuthorChart > Horizontal { height: auto; }
    AuthorChart #bars { width: auto; height: auto; margin-right: 4; }
    AuthorChart #coauthors { width: 1fr; height: auto; max-height: 9; border: none; padding: 0; }
    """
    HEIGHT = 4  # lines of bars
    WIDTH = 60  # columns of bars at most

    @dataclass
    class Chosen(Message):
        """A co-author was chosen (enter or a click)."""

        name: str

    def __init__(self, library: Library, id: str | None = None) -> None:
        super().__init__(library, id=id)
        self._coauthors: list[str] = []  # as listed

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        with Horizontal():
            yield Static(id="bars")
            yield OptionList(id="coauthors")

    def draw(self) -> None:
        profile = self.profile
        self.display = profile is not None
        if profile is None:
            return
        heading = Text(safe(profile.author), "bold", end="")
        heading.append(f" · {summary(profile)}", "dim")
        if profile.peak is not None:
            year, count = profile.peak
            heading.append(f" · most in {year}: {count:,}", "dim")
        self.query_one("#heading", Static).update(heading)
        self.query_one("#bars", Static).update(Text("\n", end="").join(self._chart(profile)))
        self._coauthors = [name for name, _ in profile.coauthors]
        options = self.query_one("#coauthors", OptionList)
        options.clear_options()
        if profile.coauthors:
            hint = Text("Most papers with (tab, then enter: their tab)", "dim")
            options.add_option(Option(hint, disabled=True))
            width = len(str(profile.coauthors[0][1]))
            for number, (name, count) in enumerate(profile.coauthors):
                prompt = Text(f"{count:>{width}}  ")
                prompt.append(safe(name))
                options.add_option(Option(prompt, id=str(number)))
        elif profile.papers:
            none = Text("No co-authors in this library", "dim")
            options.add_option(Option(none, disabled=True))

    @on(OptionList.OptionSelected, "#coauthors")
    def choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self._coauthors[int(event.option.id)]))

    def _chart(self, profile: AuthorProfile) -> list[Text]:
        """The bars with the peak's count at the top left, the years beneath."""
        span = profile.span
        if span is None:
            return []
        years = list(profile.years.values())
        counts = columns(years, self.WIDTH)
        # A few years get wider bars, to be seen at all.
        wide = max(1, min(3, self.WIDTH // max(len(counts), 1)))
        axis = len(str(max(counts)))
        lines = []
        for number, row in enumerate(bars(counts, self.HEIGHT)):
            label = str(max(counts)) if number == 0 else ""
            line = Text(f"{label:>{axis}} ┤ " if number == 0 else f"{'':>{axis}} │ ", "dim")
            line.append("".join(block * wide for block in row), "bold")
            lines.append(line)
        width = len(counts) * wide
        lines.append(Text(f"{'':>{axis}} └{'─' * (width + 1)}", "dim"))
        first, last = str(span[0]), str(span[1])
        # The first year under the first bar, the last one ending under the last bar.
        gap = max(width - len(first), len(last) + 1)
        under = first if span[0] == span[1] else first + last.rjust(gap)
        lines.append(Text(f"{'':>{axis}}   {under}", "dim"))
        return lines
