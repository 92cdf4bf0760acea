"""The list of papers found: title, authors, year and arXiv id, matches marked,
and the reader's marks: ★ starred, • unread, the tags.

Drawn a line at a time (Textual's Line API): showing new hits lays nothing out,
and only the rows on screen are painted. The rows' text is made by a `Painter`,
which may run on the search's thread, so that the event loop only hands over
lines that are ready.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from index import (
    BOLD,
    ITALIC,
    Hit,
    Paper,
    PaperState,
    highlight_spans,
    matched_fields,
    rendered,
    unsafe_in,
)

from ..text import MATCH_STYLE, marked_pieces, safe

# The component classes a row is drawn in.
ROW = "result-list--option"
CURSOR = "result-list--option-highlighted"
HOVER = "result-list--option-hover"
RULE = "result-list--separator"
# The parts a line is drawn as: a row, the row under the cursor or the mouse, a rule.
_PARTS = [(ROW,), (ROW, CURSOR), (ROW, HOVER), (RULE,)]
# The reader's marks at the start of a row: a star, and a dot while unread.
STAR = "★"
STAR_STYLE = "bold yellow"
UNREAD = "•"
UNREAD_STYLE = "dodger_blue1"


@dataclass(frozen=True)
class Rows:
    """Hits as lines of text wrapped to a width; `strips` drawn in `style` already."""

    hits: Sequence[Hit]
    width: int
    lines: list[list[Content]]  # each hit's lines, without the rule under it
    style: Style | None = None
    strips: list[list[Strip]] = field(default_factory=list)
    # The reading state of the hits' papers, by key (read with the search); a paper
    # missing here shows no marks.
    states: dict[str, PaperState] = field(default_factory=dict)


# A row made: its lines, and the strips drawn of them in a style (None: not drawn).
Made = tuple[list[Content], Style | None, list[Strip]]
# Rows kept for papers shown again (typing back, the first page when a page more
# comes, the same query in another tab): at most this many.
KEPT = 500


@dataclass(frozen=True)
class Painter:
    """Makes rows for a list `width` cells wide, drawn in `style`.

    Touches no widget: it may run on any thread.
    """

    width: int
    style: Style | None = None
    console: Console | None = None
    height: int | None = None
    made: dict[tuple, Made] = field(default_factory=dict, repr=False)  # rows already made
    theme: TerminalTheme | None = None  # the app's, for the ANSI colours of the styles
    math: bool = True  # LaTeX in headings shown as Unicode (False: as written)

    @cached_property
    def row_styles(self) -> RowStyles:
        return RowStyles.parsed(self.console, self.theme)

    def rows(self, hits: Sequence[Hit], states: dict[str, PaperState] | None = None) -> Rows:
        """The hits' rows, marked with their papers' `states`: lines for all, strips
        drawn for those that start within `height` lines of the top (None: all); the
        list draws the others if scrolled to."""
        width, height = self.width, self.height
        states = states or {}
        if width <= 0:  # not laid out yet: made once it is
            return Rows(hits, width, [], states=states)
        if len(self.made) > KEPT:
            self.made.clear()
        lines, strips = [], []
        top = 0
        for hit in hits:
            # A row is made again only if what it shows changed: while a word is
            # typed, most rows keep their paper and their marked words.
            shown = _Shown.of(hit, states.get(hit.paper.key), self.math)
            key = (shown, width)
            made = self.made.get(key)
            if made is None:
                made = (shown.lines(width, self.row_styles), None, [])
            text, style, drawn = made
            on_screen = height is None or top < height
            if self.style is not None and style != self.style and on_screen:
                drawn = [_strip(line, self.style, width) for line in text]
                made = (text, self.style, drawn)
            self.made[key] = made
            lines.append(text)
            strips.append(drawn if style == self.style or on_screen else [])
            top += len(text) + 1
        drawn_strips = strips if self.style is not None else []
        return Rows(hits, width, lines, self.style, drawn_strips, states)


@dataclass(frozen=True)
class RowStyles:
    """The styles of a row's parts, parsed once for all the rows made together."""

    heading: Style  # a paper's title
    italic: Style  # \emph{…} in it
    bold: Style  # \textbf{…} in it
    untitled: Style  # the start of its abstract, for a paper without one
    match: Style
    unread: Style
    star: Style
    details: Style
    matched: Style

    @classmethod
    def parsed(cls, console: Console | None, theme: TerminalTheme | None) -> RowStyles:
        # As Content.from_rich_text reads a style: the console's names, the app's theme.
        get_style = console.get_style if console is not None else RichStyle.parse

        def parse(name: str) -> Style:
            return Style.from_rich_style(get_style(name), theme)

        return cls(
            heading=parse("bold"),
            italic=parse("italic"),
            bold=parse("bold"),
            untitled=parse("italic"),
            match=parse(MATCH_STYLE),
            unread=parse(UNREAD_STYLE),
            star=parse(STAR_STYLE),
            details=parse("dim"),
            matched=parse("italic dim"),
        )


class _Line:
    """Text and its styled spans, added piece by piece."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.spans: list[Span] = []
        self.length = 0
        self.cells = 0

    def add(self, piece: str, style: Style | None = None) -> None:
        if style is not None and piece:
            self.spans.append(Span(self.length, self.length + len(piece), style))
        self.text.append(piece)
        self.length += len(piece)
        # Counted piece by piece: printable ASCII (most of a row) is a cell a
        # character, and the few other pieces (" · ", the marks) are short.
        self.cells += len(piece) if piece.isascii() and piece.isprintable() else cell_len(piece)

    def content(self) -> Content:
        return Content("".join(self.text), self.spans, self.cells)


@dataclass(frozen=True)
class _Shown:
    """What a hit's row shows: its paper, the spans of the title marked, the fields
    matched, and the paper's reading state (found once per row; the row's text is
    made from these, so a paper starred or read is made again)."""

    paper: Paper
    marks: tuple[tuple[int, int], ...]  # in the heading as shown
    fields: tuple[str, ...]
    starred: bool = False
    unread: bool = False
    tags: tuple[str, ...] = ()
    math: bool = True  # the heading's LaTeX as Unicode

    @classmethod
    def of(cls, hit: Hit, state: PaperState | None = None, math: bool = True) -> _Shown:
        paper = hit.paper
        field = "title" if paper.title else "abstract"
        terms = hit.terms.get(field, ())
        heading = rendered(paper.heading())
        marks = highlight_spans(heading.written, terms, field)
        if math and heading.changed:
            found = set(heading.spans(marks)) | set(highlight_spans(heading.text, terms, field))
            marks = sorted(found)
        fields = tuple(matched_fields(hit, quick=True))
        shown = cls(paper, tuple(marks), fields, math=math)
        if state is None:
            return shown
        return replace(shown, starred=state.starred, unread=not state.read, tags=state.tags)

    def lines(self, width: int, styles: RowStyles) -> list[Content]:
        """The row's lines wrapped to `width`: the title (the reader's marks, then
        the heading with its matches) and a line of details, each piece made safe
        on its own (a control character may become a symbol of several)."""
        paper = self.paper
        title = _Line()
        if self.unread:
            title.add(UNREAD + " ", styles.unread)
        if self.starred:
            title.add(STAR + " ", styles.star)
        start = title.length
        base = len(title.spans)  # the heading's style, under its matches' (set below)
        heading = rendered(paper.heading())
        text = heading.text if self.math else heading.written
        for piece, number in marked_pieces(text, self.marks):
            title.add(piece, None if number is None else styles.match)
        style = styles.heading if paper.title else styles.untitled
        title.spans.insert(base, Span(start, title.length, style))
        if self.math and not unsafe_in(text):  # (else offsets moved: no styles)
            for left, right, name, _ in heading.styled():
                if name in (ITALIC, BOLD):
                    piece_style = styles.italic if name == ITALIC else styles.bold
                    title.spans.insert(base + 1, Span(start + left, start + right, piece_style))
        details = _Line()
        shown = [str(paper.year) if paper.year else "", paper.arxiv_id or ""]
        details.add(" · ".join(d for d in shown if d))
        if paper.authors:
            details.add((" · " if details.length else "") + safe(_short_authors(paper.authors)))
        if self.tags:
            details.add(
                (" · " if details.length else "") + " ".join("#" + safe(t) for t in self.tags)
            )
        details.spans.append(Span(0, details.length, styles.details))
        if self.fields:
            details.add(" · matched: " + ", ".join(self.fields), styles.matched)
        return _wrapped(title.content(), width) + _wrapped(details.content(), width)


class ResultList(ScrollView, can_focus=True):
    """The hits, each as its title and a line of details, with a rule under it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    DEFAULT_CSS = """
    ResultList {
        height: 1fr;
        color: $foreground;
        overflow-x: hidden;
        /* Always there: a bar coming or going would lay out the whole screen (and
           wrap the rows again) on the keystroke whose answer is short. */
        overflow-y: scroll;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .result-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .result-list--option-highlighted {
                /* Black or white, whichever reads on the theme's cursor (gruvbox's
                   own cursor text is 2.4:1 on it). */
                color: auto 90%;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .result-list--separator {
            color: $foreground 15%;
        }
        & > .result-list--option-hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {ROW, CURSOR, HOVER, RULE}

    # Their watchers repaint the rows they change, not the whole list.
    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """The index of the hit under the cursor (None: no hits)."""
    _hover: reactive[int | None] = reactive(None, repaint=False)

    class NearEnd(Message):
        """The cursor is near the last hit shown: time to show more."""

    class _HitMessage(Message):
        def __init__(self, results: ResultList, hit: Hit, index: int) -> None:
            super().__init__()
            self.results = results
            self.hit = hit
            self.index = index

        @property
        def control(self) -> ResultList:
            return self.results

    class Highlighted(_HitMessage):
        """The cursor moved to a hit."""

    class Selected(_HitMessage):
        """A hit was chosen (enter, or a click)."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self._rows = Rows([], 0, [])
        self._first: list[int] = []  # each hit's first line
        self._hit_at: list[int] = []  # the hit each line belongs to
        self._drawn: dict[tuple[int, Style], list[Strip]] = {}
        self._made: dict[tuple, Made] = {}  # rows made, for the papers shown again
        self._frame: tuple[int, int, dict[tuple[str, ...], Style]] | None = None
        self.math = True  # LaTeX in headings shown as Unicode (False: as written)

    # --- what is shown ------------------------------------------------------

    def painter(self) -> Painter:
        """What makes rows for this list as it is now laid out (call on the event loop)."""
        height = self.scrollable_content_region.height
        return Painter(
            self._width,
            self.get_visual_style(ROW),
            self.app.console,
            height,
            self._made,
            self.app.ansi_theme,
            self.math,
        )

    def show_hits(
        self,
        hits: Sequence[Hit],
        keep: bool = False,
        rows: Rows | None = None,
        states: dict[str, PaperState] | None = None,
        selected: int | None = None,
    ) -> None:
        """Show these hits from the top, or (keep) with the same paper highlighted;
        `selected`: the hit to highlight (it decides, where given).

        `rows` are the hits' rows made beforehand (by `painter().rows(hits, states)`);
        when missing, or made for another width, they are made here, marked with
        `states` (or those of `rows`).
        """
        current = self.highlighted_hit if keep else None
        place = self.highlighted if keep else None
        self.hits = list(hits)
        if rows is None or rows.width != self._width or len(rows.lines) != len(self.hits):
            # (none while not laid out)
            rows = self.painter().rows(self.hits, rows.states if rows is not None else states)
        self._set_rows(rows)
        if not keep:
            self.scroll_to(y=0, animate=False, immediate=True)
        index: int | None = None
        if selected is not None and 0 <= selected < len(self.hits):
            index = selected
        elif self.hits:
            keys = [hit.paper.key for hit in self.hits]
            key = current.paper.key if current else None
            # Kept in its place: loading more never sends the cursor back up.
            index = keys.index(key) if key in keys else min(place or 0, len(keys) - 1)
        # The screen that shows new hits says so itself: no Highlighted for this.
        self.set_reactive(ResultList.highlighted, index)
        self._hover = None
        self.scroll_to_highlight()
        self.refresh()

    def highlight_quietly(self, index: int | None) -> None:
        """Highlight the hit at `index` without saying so (the screen that set it
        knows); the list scrolls to it."""
        if index != self.highlighted:
            old = self.highlighted
            self.set_reactive(ResultList.highlighted, self.validate_highlighted(index))
            self._refresh_hit(old)
            self._refresh_hit(self.highlighted)
            self.scroll_to_highlight()

    @property
    def highlighted_hit(self) -> Hit | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.hits):
            return None
        return self.hits[self.highlighted]

    @property
    def states(self) -> dict[str, PaperState]:
        """The reading state of the papers shown, by key (empty: not read)."""
        return self._rows.states

    def show_state(self, state: PaperState) -> None:
        """Show a paper's new reading state in its row, at once (the next search
        reads it again)."""
        shown = any(hit.paper.key == state.key for hit in self.hits)
        if not shown or self._rows.states.get(state.key) == state:
            return
        states = {**self._rows.states, state.key: state}
        self._set_rows_in_place(self.painter().rows(self.hits, states))
        self.refresh()

    def show_math(self, math: bool) -> None:
        """Show LaTeX in the headings as Unicode (`math`) or as written."""
        if math != self.math:
            self.math = math
            self._set_rows_in_place(self.painter().rows(self.hits, self._rows.states))
            self.refresh()

    def row_text(self, index: int) -> str:
        """The text of a hit's row as shown, its lines joined by spaces."""
        return " ".join(line.plain for line in self._rows.lines[index])

    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width

    def _set_rows(self, rows: Rows) -> None:
        self._rows = rows
        self._drawn.clear()
        if rows.style is not None:
            for index, strips in enumerate(rows.strips):
                if strips:  # (rows below the screen are drawn when scrolled to)
                    self._drawn[index, rows.style] = strips
        self._first, self._hit_at = [], []
        for index, text in enumerate(rows.lines):
            self._first.append(len(self._hit_at))
            self._hit_at += [index] * (len(text) + 1)  # and the rule under it
        # No rule under the last hit.
        size = Size(rows.width, max(len(self._hit_at) - 1, 0))
        if size != self.virtual_size:
            # Only the list's own lines change: no layout of the screen (one is made
            # should the scroll bar come or go).
            self.set_reactive(ResultList.virtual_size, size)
            self._scroll_update(size)

    def _rewrap(self) -> None:
        """Wrap the rows again to the width the list has now."""
        if self._rows.width != self._width:
            self._set_rows_in_place(self.painter().rows(self.hits, self._rows.states))

    def _set_rows_in_place(self, rows: Rows) -> None:
        """New rows for the same hits, the highlighted one kept where it stands in
        the window though rows above it now take more or fewer lines."""
        before = self.row_top(self.highlighted)
        self._set_rows(rows)
        after = self.row_top(self.highlighted)
        if before is not None and after is not None and after != before:
            self.scroll_to(y=self.scroll_y + after - before, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()
        self.scroll_to_highlight()

    def notify_style_update(self) -> None:
        self._drawn.clear()
        self.refresh()
        super().notify_style_update()

    # --- drawing ------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._rewrap()  # a scroll bar came or went
        self._frame = self._frame_now()  # read once a frame, not once a line
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_now(self) -> tuple[int, int, dict[tuple[str, ...], Style]]:
        """The width, the first line on screen and the styles of the parts."""
        styles = {part: self.get_visual_style(*part) for part in _PARTS}
        return self._width, self.scroll_offset.y, styles

    def render_line(self, y: int) -> Strip:
        width, top, styles = self._frame or self._frame_now()
        number = top + y
        if not 0 <= number < len(self._hit_at) or not self._rows.lines:
            return Strip.blank(width, styles[ROW,].rich_style)
        index = self._hit_at[number]
        offset = number - self._first[index]
        lines = self._rows.lines[index]
        if offset >= len(lines):  # the rule under a hit
            return Strip([Segment("─" * width, styles[RULE,].rich_style)], width)
        if index == self.highlighted:
            style = styles[ROW, CURSOR]
        elif index == self._hover:
            style = styles[ROW, HOVER]
        else:
            style = styles[ROW,]
        strips = self._drawn.get((index, style))
        if strips is None:
            strips = [_strip(line, style, self._rows.width) for line in lines]
            self._drawn[index, style] = strips
        return strips[offset]

    def _refresh_hit(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self._first):
            self.refresh_lines(self._first[index], len(self._rows.lines[index]))

    def watch_highlighted(self, old: int | None, highlighted: int | None) -> None:
        self._refresh_hit(old)
        self._refresh_hit(highlighted)
        if highlighted is None:
            return
        self.scroll_to_highlight()
        self.post_message(self.Highlighted(self, self.hits[highlighted], highlighted))
        if highlighted >= len(self.hits) - 3:
            self.post_message(self.NearEnd())

    def watch__hover(self, old: int | None, hover: int | None) -> None:
        self._refresh_hit(old)
        self._refresh_hit(hover)

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self.hits:
            return None
        return clamp(highlighted, 0, len(self.hits) - 1)

    def row_top(self, index: int | None) -> int | None:
        """The first line of the hit at `index` in the list (None: no such hit)."""
        if index is None or not 0 <= index < len(self._first):
            return None
        return self._first[index]

    def scroll_to_highlight(self) -> None:
        index = self.highlighted
        if index is None or not self.is_mounted or index >= len(self._first):
            return
        self.scroll_to_region(
            Region(0, self._first[index], self._width, len(self._rows.lines[index])),
            force=True,
            animate=False,
            immediate=True,
        )

    # --- keys and mouse -----------------------------------------------------

    def _step(self, step: int) -> None:
        """Move one hit, round from the last to the first (and back), as lists do."""
        if self.hits:
            now = self.highlighted
            self.highlighted = (now + step) % len(self.hits) if now is not None else 0

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        if self.hits:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.hits:
            self.highlighted = len(self.hits) - 1

    def _move_page(self, direction: int) -> None:
        if not self.hits:
            return
        page = self.scrollable_content_region.height
        line = self._first[self.highlighted or 0] + direction * page
        self.highlighted = self._hit_at[clamp(line, 0, len(self._hit_at) - 1)]

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_select(self) -> None:
        index = self.highlighted
        if index is not None and 0 <= index < len(self.hits):
            self.post_message(self.Selected(self, self.hits[index], index))

    def _hit_under(self, event: events.MouseEvent) -> int | None:
        """The hit whose row is under the mouse (None: no row, or a rule)."""
        offset = event.get_content_offset(self)
        number = None if offset is None else self.scroll_offset.y + offset.y
        if number is None or not 0 <= number < len(self._hit_at):
            return None
        index = self._hit_at[number]
        return index if number - self._first[index] < len(self._rows.lines[index]) else None

    async def _on_click(self, event: events.Click) -> None:
        index = self._hit_under(event)
        if index is not None and 0 <= index < len(self.hits):
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = self._hit_under(event)

    def _on_leave(self, event: events.Leave) -> None:
        self._hover = None


def _wrapped(line: Content, width: int) -> list[Content]:
    """The line wrapped to `width`. Most fit: Content.wrap's general way (which
    would give the line back as it is) was a third of the cost of making a row."""
    if line.cell_length <= width and not ("\t" in line.plain or "\n" in line.plain):
        return [line]
    return line.wrap(width)


def _strip(line: Content, style: Style, width: int) -> Strip:
    """One line of a row drawn in a style, as wide as the list."""
    segments = [
        Segment(text, (style + text_style).rich_style)
        for text, text_style in line.render(style, end="")
    ]
    return Strip(segments, line.cell_length).extend_cell_length(width, style.rich_style)


def _short_authors(authors: tuple[str, ...]) -> str:
    shown = "; ".join(authors[:3])
    return shown + (f" +{len(authors) - 3}" if len(authors) > 3 else "")
