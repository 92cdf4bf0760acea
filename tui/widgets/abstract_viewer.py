"""The abstract viewer: a paper's details, then its whole abstract, matches marked,
and the reader's note on it under the abstract, as Markdown (a long note in part:
its beginning, then a line saying how much more there is, which `e` opens)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Markdown, Static

from index import (
    BOLD,
    ITALIC,
    LINK,
    Hit,
    PaperState,
    Rendered,
    as_written,
    highlight_spans,
    matched_fields,
    rendered,
)

from ..text import CURRENT_STYLE, MATCH_STYLE, Reflowed, displayable, highlighted, safe

# Seconds a paper is shown before it counts as read.
READ_AFTER = 1.5
# A note's characters and lines shown at most: Markdown is laid out on the event
# loop, in time that grows with the note's length and blocks (some 3 ms a list
# item), so a long note is shown in part.
NOTE_SHOWN = 10_000
NOTE_LINES = 12


class AbstractViewer(VerticalScroll):
    """Shows one hit; scrolls with the usual keys and j/k."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
        Binding("n", "match(1)", "Next match", show=False),
        Binding("N", "match(-1)", "Prev match", show=False),
    ]

    DEFAULT_CSS = """
    AbstractViewer { padding: 0 1; }
    AbstractViewer #viewer-title { text-style: bold; color: $text-accent; }
    AbstractViewer #viewer-facts, AbstractViewer #viewer-meta, AbstractViewer #viewer-sources {
        color: $text-muted;
    }
    AbstractViewer .one-line { text-wrap: nowrap; text-overflow: ellipsis; }
    AbstractViewer #viewer-abstract { margin-top: 1; }
    AbstractViewer #viewer-marks { color: $text-muted; }
    AbstractViewer #viewer-note {
        margin: 1 0 0 0; padding: 0 1; border: round $accent 60%; border-title-color: $text-accent;
    }
    AbstractViewer #viewer-note > MarkdownBlock:first-child { margin-top: 0; }
    AbstractViewer #viewer-note > MarkdownBlock:last-child { margin-bottom: 0; }
    AbstractViewer #viewer-note-more { color: $text-muted; text-style: italic; padding: 0 2; }
    """

    class Seen(Message):
        """A paper was shown for READ_AFTER seconds: it counts as read."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class LinkOpened(Message):
        """A link in a note was clicked."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = href

    def __init__(self, id: str | None = None, width: int = 0) -> None:
        super().__init__(id=id, can_focus=True)
        self._width = width  # the widest the text is laid out (0: the viewer's width)
        self.hit: Hit | None = None
        self._body = Reflowed.of("")  # the abstract as written: in paragraphs
        self._shown = rendered("")  # and as shown: its LaTeX as Unicode, unless raw
        self.math = True  # LaTeX shown as Unicode (False: as written)
        self._matches: list[tuple[int, int]] = []  # the abstract's matches, as shown
        self._match = -1
        self.state: PaperState | None = None  # the paper's reading state shown
        self._note = ""
        self._seen_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="viewer-title")
        yield Static(id="viewer-facts", classes="one-line")
        yield Static(id="viewer-meta")
        yield Static(id="viewer-sources", classes="one-line")
        yield Static(id="viewer-marks")
        yield Static(id="viewer-abstract")
        note = Markdown(id="viewer-note", open_links=False)
        note.border_title = "Note (e)"
        yield note
        more = Static(id="viewer-note-more")
        more.display = False
        yield more

    def on_mount(self) -> None:
        if self._width > 0:  # lines about as long as a book's, however wide the terminal
            for part in self.children:
                part.styles.max_width = self._width

    def show(
        self, hit: Hit | None, state: PaperState | None = None, empty: Text | None = None
    ) -> None:
        """Show a hit with its paper's reading state (None: not known; an unread
        paper shown for READ_AFTER seconds posts Seen); no hit: `empty`, which says
        why there is none."""
        self.hit = hit
        self.show_state(state if hit is not None else None)
        self.start_seen()
        title = self.query_one("#viewer-title", Static)
        meta = self.query_one("#viewer-meta", Static)
        facts = self.query_one("#viewer-facts", Static)
        sources = self.query_one("#viewer-sources", Static)
        body = self.query_one("#viewer-abstract", Static)
        self.scroll_home(animate=False)
        for part in (title, meta, facts, sources):
            part.display = hit is not None  # none: only why, from the top
        if hit is None:
            title.update("")
            meta.update("")
            facts.update("")
            sources.update("")
            body.update(empty if empty is not None else Text("No paper selected", style="dim"))
            self._body, self._matches, self._match = Reflowed.of(""), [], -1
            self._shown = rendered("")
            self.border_subtitle = ""
            return
        paper = hit.paper
        if paper.title:
            terms = hit.terms.get("title", ())
            shown = self._rendered(paper.title)
            title.update(math_text(shown, _matches(shown, terms, "title")))
        else:
            title.update(Text(safe(paper.heading(limit=300)) + "  (untitled)", style="italic"))
        facts.update(_facts(hit))
        meta.update(_details(hit))
        sources.update(_sources(hit))
        # Hard-wrapped in the dump, read as paragraphs (copied as written).
        self._body = Reflowed.of(paper.abstract)
        terms = hit.terms.get("abstract", ())
        self._shown = self._rendered(self._body.text)
        written = self._body.spans(highlight_spans(paper.abstract, terms))
        self._matches = _matches(self._shown, terms, "abstract", written)
        self._match = -1
        body.update(math_text(self._shown, self._matches))
        count = len(self._matches)
        matches = "1 match" if count == 1 else f"{count} matches"
        self.border_subtitle = f"{matches} · n/N" if count else ""

    @property
    def note(self) -> str:
        """The note shown under the abstract, as shown (its links are the ones clicked)."""
        return self._note

    def start_seen(self) -> None:
        """Post Seen if the paper shown is still shown, unread, in READ_AFTER seconds."""
        self._stop_seen()
        if self.hit is not None and self.state is not None and not self.state.read:
            self._seen_timer = self.set_timer(READ_AFTER, self._seen)

    def show_state(self, state: PaperState | None) -> None:
        """Show the shown paper's star, tags and note as they are now."""
        self.state = state
        marks = self.query_one("#viewer-marks", Static)
        shown = _marks(state) if state is not None else Text()
        marks.update(shown)
        marks.display = bool(shown)
        note, more = _shown_part(state.note) if state is not None else ("", 0)
        view = self.query_one("#viewer-note", Markdown)
        view.display = bool(note.strip())
        if note != self._note:
            self._note = note
            view.update(note)
        rest = self.query_one("#viewer-note-more", Static)
        rest.display = more > 0
        rest.update(f"… {more:,} more characters of this note: e opens all of it" if more else "")
        if state is not None and state.read:
            self._stop_seen()

    def _seen(self) -> None:
        self._seen_timer = None
        if self.hit is not None:
            self.post_message(self.Seen(self.hit.paper.key))

    def _stop_seen(self) -> None:
        if self._seen_timer is not None:
            self._seen_timer.stop()
            self._seen_timer = None

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        # A note is the user's text: its links are handed to the screen to decide.
        event.stop()
        self.post_message(self.LinkOpened(event.href))

    def action_match(self, step: int) -> None:
        """Scroll to the next (or previous) match in the abstract."""
        if not self._matches:
            self.notify("No match of the query in this abstract.", severity="warning")
            return
        self._match = (self._match + step) % len(self._matches)
        body = self.query_one("#viewer-abstract", Static)
        body.update(math_text(self._shown, self._matches, current=self._match))
        start = self._matches[self._match][0]
        line = _line_of(self._shown.text, start, body.content_region.width or 1)
        top = body.virtual_region.y + line
        self.scroll_to(y=max(0, top - 2), animate=False)
        self.border_subtitle = f"match {self._match + 1} of {len(self._matches)} · n/N"

    def toggle_math(self) -> bool:
        """Show LaTeX as written if shown as Unicode, and the reverse; the new way."""
        self.show_math(not self.math)
        return self.math

    def show_math(self, math: bool) -> None:
        """Show LaTeX as Unicode (`math`) or as written, keeping the place in the text."""
        if math != self.math:
            self.math = math
            if self.hit is not None:
                y = self.scroll_y
                self.show(self.hit, self.state)
                self.scroll_to(y=y, animate=False)

    def _rendered(self, text: str) -> Rendered:
        """The text as shown: its LaTeX as Unicode, or (raw) as written."""
        return rendered(text) if self.math else as_written(text)

    def action_half_page(self, direction: int) -> None:
        """Scroll half the viewer's height (ctrl+d down, ctrl+u up), as pagers do."""
        step = max(self.scrollable_content_region.height // 2, 1)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False)


def _matches(
    shown: Rendered, terms: Iterable[str], field: str, written: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The matches of a search in the text shown: those found in the text as written
    (`written`, else found here), moved to where they are shown, and those found
    in the Unicode shown (a search for α marks the α that `$\\alpha$` is shown as)."""
    found = highlight_spans(shown.written, terms, field) if written is None else written
    spans = set(shown.spans(found))
    if shown.changed:
        spans.update(highlight_spans(shown.text, terms, field))
    return sorted(spans)


def math_text(shown: Rendered, spans: list[tuple[int, int]], current: int | None = None) -> Text:
    """The text shown, its matches marked (the `current`-th apart) and its styled
    LaTeX (`\\emph`, `\\textbf`, `\\href`) in its style; every piece made safe on its
    own (a control character may become a symbol of several), never read as markup."""
    text = shown.text
    styles: list[tuple[int, int, str]] = []
    for start, end, style, link in shown.styled():
        if style == LINK:
            styles.append((start, end, f"underline link {link}" if link else "underline"))
        elif style in (ITALIC, BOLD):
            styles.append((start, end, style))
    for number, (start, end) in enumerate(spans):
        styles.append((start, end, CURRENT_STYLE if number == current else MATCH_STYLE))
    cuts = sorted({0, len(text), *(c for s, e, _ in styles for c in (s, e) if 0 <= c <= len(text))})
    result = Text()
    for start, end in zip(cuts, cuts[1:], strict=False):
        on = [style for s, e, style in styles if s <= start and end <= e]
        result.append(safe(text[start:end]), _style(on))
    return result


def _style(names: list[str]) -> str | Style:
    """Styles by name combined; a link's address is given as an address, never parsed."""
    links = [name for name in names if name.startswith("underline link ")]
    plain = " ".join(name for name in names if name not in links)
    if not links:
        return plain
    return Style.parse(plain) + Style(underline=True, link=links[0].removeprefix("underline link "))


def _shown_part(note: str) -> tuple[str, int]:
    """The part of a note shown (at most NOTE_LINES lines and NOTE_SHOWN characters,
    ending with a line where one ends late enough) as it is shown, and how many
    characters are left out."""
    end = -1  # where the NOTE_LINES-th line ends, if within NOTE_SHOWN characters
    for _ in range(NOTE_LINES):
        end = note.find("\n", end + 1, NOTE_SHOWN)
        if end < 0:
            break
    if end < 0:
        if len(note) <= NOTE_SHOWN:
            return displayable(note), 0
        last = note.rfind("\n", 0, NOTE_SHOWN)
        end = last if last > NOTE_SHOWN // 2 else NOTE_SHOWN
    elif len(note) - end <= NOTE_LINES and not note[end:].strip():
        return displayable(note), 0  # nothing more but blank lines
    part = note[:end]
    return displayable(part), len(note) - len(part)


def _line_of(text: str, offset: int, width: int) -> int:
    """The wrapped line the character at `offset` lands on, at this width."""
    from rich.console import Console

    console = Console(width=width, record=False)
    shown = safe(text)
    offset = len(safe(text[:offset]))  # a control character is shown as a wider symbol
    lines = Text(shown).wrap(console, width)
    seen = 0
    for number, line in enumerate(lines):
        seen += len(line.plain)
        # wrap() drops the spaces it breaks at; count them back
        if seen >= offset:
            return number
        seen += 1 if number + 1 < len(lines) and shown[seen : seen + 1] in " \n" else 0
    return max(0, len(lines) - 1)


def _marks(state: PaperState) -> Text:
    """The paper's star and tags, in a line (empty: neither)."""
    parts = []
    if state.starred:
        parts.append(Text("★ starred", style="bold yellow"))
    if state.tags:
        parts.append(Text(" ".join("#" + safe(tag) for tag in state.tags)))
    return Text(" · ").join(parts)


def _facts(hit: Hit) -> Text:
    """The paper's id, year and venue, in a line (cut short where it is too long)."""
    paper = hit.paper
    facts = [Text(f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "no arXiv id")]
    if paper.year:
        facts.append(Text(str(paper.year)))
    if paper.venue:
        facts.append(highlighted(paper.venue, hit.terms.get("venue", ())))
    return Text(" · ").join(facts)


def _details(hit: Hit) -> Text:
    """The authors, whole, and the fields a query matched in."""
    paper = hit.paper
    lines = [
        Text("Authors: ")
        + highlighted("; ".join(paper.authors), hit.terms.get("author", ()), "author")
    ]
    fields = matched_fields(hit)
    if fields:
        lines.append(Text("Matched in: " + ", ".join(fields), style="italic"))
    return Text("\n").join(lines)


def _sources(hit: Hit) -> Text:
    """Where the paper was read, in a line (cut short where it is too long)."""
    paper = hit.paper
    places = [f"{Path(r.source).name}:{r.line}" for r in paper.records] or list(paper.source_names)
    where = "In 1 dump: " if len(places) == 1 else f"In {len(places)} dumps: "
    return Text(where + safe(", ".join(places)))
