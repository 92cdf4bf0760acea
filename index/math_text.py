"""LaTeX in titles and abstracts shown as Unicode: `$O(n^2)$` as O(n²), `\\"o` as ö.

`rendered(text)` cuts the text into pieces: text kept as written, and spans of
LaTeX (a formula, a text macro with its arguments, an accent, a tie) each with
the Unicode it is shown as and, for `\\emph`, `\\textbf` and `\\href`, a style.
A span that cannot be converted is kept as written; nothing read raises.
Offsets of the text as written (a search's matches) move to the text shown
through `Rendered.spans`. The text as written stays what is copied, cited and
exported: this is only how it is shown.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc import latexwalker

from .latex_unicode import Unconvertible, convert, walker

ITALIC = "italic"
BOLD = "bold"
LINK = "link"
# Text macros shown as their argument in a style.
_STYLES = {
    "emph": ITALIC,
    "textit": ITALIC,
    "textsl": ITALIC,
    "textbf": BOLD,
}

# Where a span of LaTeX may start: a formula, a macro, a group opened by one
# (`{\"o}`), a tie between words (`Fig.~2`; a `~` before a number after a blank
# or bracket means "about" and is left).
_START = re.compile(r"\$|\\|\{\\|(?<=[\w.}])~(?=\S)")
_DISPLAY = re.compile(r"\$\$((?:\\.|[^$\\])+?)\$\$", re.S)
_INLINE = re.compile(r"\$((?:\\.|[^$\\])+?)\$", re.S)
_PAREN = re.compile(r"\\\((.+?)\\\)", re.S)
_BRACKET = re.compile(r"\\\[(.+?)\\\]", re.S)
# `\href{url}{text}` and `\url{url}`: read here, as a URL's `%`, `#`, `_` and `~`
# are not LaTeX. (No nested braces: a URL has none.)
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}(?:\s*\{((?:[^{}]|\{[^{}]*\})*)\})?")
_URL = re.compile(r"\\url\s*\{([^{}]*)\}")
# Two words of running text: what lies between two dollar signs of prices
# ("costs $5 and $10"), not in a formula.
_MACRO_OR_GROUP = re.compile(r"\\[A-Za-z]+\*?\s*(?:\{[^{}]*\})?")
_PROSE = re.compile(r"\b[a-z]{2,}\s+[a-z]{3,}\b", re.IGNORECASE)
# A link shown as a link: a web address, nothing that could act on the terminal.
_WEB = re.compile(r"https?://[!-~]+")


@dataclass(frozen=True)
class Piece:
    """A part of the text: `text` shown for `start:end` of the text as written."""

    start: int
    end: int
    text: str
    style: str = ""  # ITALIC, BOLD, LINK or ""
    link: str = ""  # a LINK's address
    converted: bool = False  # shown otherwise than written


@dataclass(frozen=True)
class Rendered:
    """A text as written and as shown, piece by piece."""

    written: str
    pieces: tuple[Piece, ...]
    text: str  # as shown
    _shown_starts: tuple[int, ...]
    _written_starts: tuple[int, ...]

    @classmethod
    def of(cls, written: str, pieces: list[Piece]) -> Rendered:
        starts, position = [], 0
        for piece in pieces:
            starts.append(position)
            position += len(piece.text)
        text = "".join(piece.text for piece in pieces)
        return cls(written, tuple(pieces), text, tuple(starts), tuple(p.start for p in pieces))

    @property
    def changed(self) -> bool:
        """Whether anything is shown otherwise than written."""
        return any(piece.converted for piece in self.pieces)

    def at(self, offset: int, end: bool = False) -> int:
        """Where the character at `offset` of the text as written is shown (`end`:
        where it ends); a character inside a converted span is shown as all of it."""
        if not self.pieces:
            return 0
        index = max(bisect.bisect_right(self._written_starts, offset) - 1, 0)
        piece, shown = self.pieces[index], self._shown_starts[index]
        if piece.converted:
            return shown + len(piece.text) if end else shown
        return shown + min(max(offset - piece.start, 0) + end, len(piece.text))

    def spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Spans of the text as written, as spans of the text shown."""
        moved = [
            (self.at(start), self.at(end - 1, end=True)) for start, end in spans if end > start
        ]
        return [(start, end) for start, end in moved if end > start]

    def styled(self) -> list[tuple[int, int, str, str]]:
        """(start, end, style, link) of the styled parts of the text shown."""
        return [
            (start, start + len(piece.text), piece.style, piece.link)
            for piece, start in zip(self.pieces, self._shown_starts, strict=True)
            if piece.style and piece.text
        ]


def has_latex(text: str) -> bool:
    """Whether the text may hold LaTeX at all (else it is shown as it is)."""
    return "$" in text or "\\" in text


def as_written(text: str) -> Rendered:
    """The text shown as written, all of it one piece."""
    return Rendered.of(text, [Piece(0, len(text), text)] if text else [])


def rendered(text: str) -> Rendered:
    """The text with its LaTeX as Unicode."""
    return _converted(text) if has_latex(text) else as_written(text)


@lru_cache(maxsize=8192)
def _converted(text: str) -> Rendered:
    """Cached: the list shows the same titles again on every keystroke, and a
    title's LaTeX takes some 0.4 ms to convert."""
    try:
        pieces = _pieces(text)
    except Exception:  # a guard: no input may break the screen
        pieces = [Piece(0, len(text), text)]
    return Rendered.of(text, pieces)


def shown(text: str) -> str:
    """The text as shown: its LaTeX as Unicode."""
    return rendered(text).text


def search_words(text: str) -> str:
    """Words to index beside the text as written, so that searching for what is
    shown finds what is written and the reverse: the symbols its LaTeX names
    (`$\\alpha$`: α), and the LaTeX names of the symbols written in Unicode
    (α: alpha). Empty when there are none.

    A lookup, not a conversion: it runs on every paper of a build (a conversion
    costs a millisecond an abstract, which at 121k papers is minutes).
    """
    words: list[str] = []
    if "\\" in text:
        symbols = _symbols_by_name()
        words += [symbols[name] for name in _MACRO.findall(text) if name in symbols]
    if not text.isascii():
        words += sorted(filter(None, (_latex_name(char) for char in set(text) if ord(char) > 127)))
    return " ".join(dict.fromkeys(words))


_MACRO = re.compile(r"\\([A-Za-z]+)")
# Where the symbols with a LaTeX name are: Greek, arrows, mathematical operators.
_SYMBOL_BLOCKS = (
    (0x00B1, 0x00F7),  # ± × ÷
    (0x0391, 0x03C9),
    (0x2100, 0x214F),  # ℓ ℏ ℝ
    (0x2190, 0x22FF),
    (0x27F0, 0x27FF),
    (0x2A00, 0x2AFF),
)
# Names LaTeX also gives these symbols (`\\to` is `\\rightarrow`).
_ALSO = {"to": "→", "gets": "←", "le": "≤", "ge": "≥", "ne": "≠", "varepsilon": "ε", "varphi": "φ"}


@lru_cache(maxsize=1)
def _symbols_by_name() -> dict[str, str]:
    """Each symbol's LaTeX name (without the backslash) and the symbol."""
    symbols: dict[str, str] = {}
    for first, last in _SYMBOL_BLOCKS:
        for code in range(first, last + 1):
            name = _latex_name(chr(code))
            if name:
                symbols.setdefault(name, chr(code))
    return symbols | _ALSO


@lru_cache(maxsize=4096)
def _latex_name(char: str) -> str:
    """A Greek letter's or a math symbol's name in LaTeX, without the backslash."""
    name = unicodedata.name(char, "")
    for prefix in ("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER "):
        if name.startswith(prefix):
            letter = name.removeprefix(prefix).lower()
            if " " in letter or not letter.isalpha():
                return ""  # (a letter with a mark, or a symbol form)
            return letter if "SMALL" in prefix else letter.capitalize()
    if unicodedata.category(char) != "Sm":
        return ""
    from pylatexenc.latexencode import unicode_to_latex

    found = re.fullmatch(r"(?:\\ensuremath\{)?\\([A-Za-z]+)\}?\s*", unicode_to_latex(char))
    return found.group(1) if found else ""


def _pieces(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    kept = 0  # where the text kept as written since the last span starts
    position = 0
    parser: latexwalker.LatexWalker | None = None
    while True:
        found = _START.search(text, position)
        if found is None:
            break
        start = found.start()
        span = _math_at(text, start)
        if span is None and found.group() == "~":
            span = Piece(start, start + 1, "\u00a0", converted=True)
        if span is None and found.group() != "$":
            if parser is None:
                parser = walker(text)
            span = _macro_at(text, start, parser)
        if span is None:
            position = found.end()
            if found.group() == "\\" and position < len(text):
                position += 1  # `\\$`, `\\\\`: never the start of another span
            continue
        if start > kept:
            pieces.append(Piece(kept, start, text[kept:start]))
        pieces.append(span)
        kept = position = span.end
    if kept < len(text):
        pieces.append(Piece(kept, len(text), text[kept:]))
    return pieces


def _math_at(text: str, start: int) -> Piece | None:
    """The formula starting at `start`, converted (None: none starts there, or it
    cannot be converted: kept as written)."""
    for pattern in (_DISPLAY, _INLINE, _PAREN, _BRACKET):
        found = pattern.match(text, start)
        if found is None:
            continue
        inside = found.group(1)
        if pattern is _INLINE and _looks_like_prices(inside, text[found.end() : found.end() + 1]):
            return None
        try:
            shown = convert(inside, math=True)
        except Unconvertible:
            return Piece(start, found.end(), found.group(), converted=False)
        return Piece(start, found.end(), shown, converted=True) if shown else None
    return None


def _looks_like_prices(inside: str, after: str) -> bool:
    """Whether text between two dollar signs is running text, not a formula:
    `$5 and $10`, `$3M in $`."""
    if inside[-1:].isspace() and (inside[:1].isdigit() or after.isdigit()):
        return True
    return _PROSE.search(_MACRO_OR_GROUP.sub(" ", inside)) is not None


def _macro_at(text: str, start: int, parser: latexwalker.LatexWalker) -> Piece | None:
    """The text macro (with its arguments) or group starting at `start`, converted."""
    link = _HREF.match(text, start) or _URL.match(text, start)
    if link is not None:
        address = link.group(1).strip()
        label = link.group(2) if link.re is _HREF and link.group(2) is not None else address
        if link.re is _HREF:
            label = rendered(label).text if has_latex(label) else label
        web = address if _WEB.fullmatch(address) else ""
        return Piece(start, link.end(), label, LINK if web else "", web, converted=True)
    try:
        nodes, _, _ = parser.get_latex_nodes(pos=start, read_max_nodes=1)
    except Exception:
        return None
    if not nodes or nodes[0] is None:
        return None
    node = nodes[0]
    end = node.pos + node.len
    if node.pos != start or end <= start:
        return None
    written = text[start:end].rstrip()  # not the blank after `\\LaTeX`: it stays a blank
    end = start + len(written)
    style = ""
    if node.isNodeType(latexwalker.LatexMacroNode):
        style = _STYLES.get(node.macroname, "")
    try:
        shown = convert(written)
    except Unconvertible:
        return Piece(start, end, written)
    if "\n" in shown and "\n" not in written:
        return Piece(start, end, written)  # `\\\\` and the like: a layout, not text
    return Piece(start, end, shown, style, converted=True)
