"""One span of LaTeX (a formula, or a text macro with its arguments) as Unicode.

pylatexenc's latex2text knows the symbols, alphabets (`\\mathcal`, `\\mathbb`),
accents and text macros; on top of it, sub- and superscripts become Unicode's
small digits and letters where it has them all, fractions keep their grouping,
and a span holding a macro it does not know (a paper's own `\\method`, `\\cite`)
is refused: shown as written rather than with a word missing.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# pylatexenc says what it skips through logging: never to the reader's terminal.
logging.getLogger("pylatexenc").addHandler(logging.NullHandler())
logging.getLogger("pylatexenc").propagate = False

# Unicode's superscripts and subscripts, for the characters that have one.
_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδφχθ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᵠᵡᶿ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
# Superscripts read as a mark after their base (A†, f′, 90°, Aᵀ).
_MARKS = {"′": "′", "″": "″", "*": "*", "∗": "*", "†": "†", "‡": "‡", "∘": "°", "⊤": "ᵀ"}

# Macros pylatexenc knows but would show as a placeholder (`<cit.>`), or whose
# argument is no text (a label, a file): a span holding one stays as written.
_REFUSED = frozenset(
    [
        "cite",
        "citep",
        "citet",
        "citealp",
        "ref",
        "eqref",
        "autoref",
        "cref",
        "Cref",
        "label",
        "footnote",
        "input",
        "include",
        "includegraphics",
        "url",
        "href",
        "hyperlink",
        "begin",
        "end",
    ]
)
# Combining accents for the wide accents pylatexenc drops (its \tilde and \hat keep them).
_WIDE_ACCENTS = {
    "widetilde": "\u0303",
    "widehat": "\u0302",
    "overline": "\u0305",
}


# Delimiter sizes, shown as the delimiter that follows them.
_SIZES = [
    "left",
    "right",
    "middle",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "Biggl",
    "Biggr",
    "displaystyle",
    "textstyle",
    "scriptstyle",
    "limits",
    "nolimits",
]


# Font switches (`{\rm c}`, `{\it ab initio}`): their group is shown plain.
_SWITCHES = ["rm", "bf", "it", "sf", "tt", "em", "sc", "sl", "cal", "frak", "normalfont", "upshape"]


# Relations, arrows and operators written with a blank on each side when one follows.
_SPACED = frozenset("=<>≤≥≠≈∼≃≅≡∝≲≳≪≫∈∉∋⊂⊆⊃⊇⊊⊗⊕⊠×·±∓∪∩∧∨∣∥⊥≺≻⪯⪰⩽⩾") | frozenset(
    chr(code) for code in range(0x2190, 0x2200)
)
_FRACTIONS = frozenset({"frac", "tfrac", "dfrac"})
# Operator names pylatexenc does not know, shown as their names.
_OPERATORS = [
    "dim",
    "ker",
    "det",
    "arg",
    "hom",
    "Pr",
    "lg",
    "liminf",
    "limsup",
    "sinh",
    "cosh",
    "tanh",
    "arcsin",
    "arccos",
    "arctan",
]
_BLANKS = re.compile(r"\s+")


class Unconvertible(Exception):
    """The span holds something that has no faithful Unicode form here."""


def script(mark: str, argument: str) -> str:
    """A sub- (`mark` "_") or superscript ("^") of `argument`, already converted:
    Unicode's small forms where every character has one, else `_x`, `_word` or `_(a, b)`."""
    argument = argument.strip()
    if mark == "^" and argument in _MARKS:
        return _MARKS[argument]
    table = _SUPERSCRIPTS if mark == "^" else _SUBSCRIPTS
    if argument and all(c in table for c in argument):
        return "".join(table[c] for c in argument)
    if len(argument) <= 1 or (argument.isascii() and argument.isalnum()):
        return mark + argument
    return f"{mark}({argument})"


def _grouped(text: str) -> str:
    """A fraction's part, in parentheses unless it is one number, letter or symbol."""
    text = text.strip()
    return text if len(text) <= 1 or text.isalnum() else f"({text})"


def _frac(node: Any, l2tobj: LatexNodes2Text) -> str:
    top, bottom = (l2tobj.nodelist_to_text([arg]) for arg in node.nodeargd.argnlist[-2:])
    return f"{_grouped(top)}/{_grouped(bottom)}"


def _sqrt(node: Any, l2tobj: LatexNodes2Text) -> str:
    args = node.nodeargd.argnlist
    root = l2tobj.nodelist_to_text([args[-1]]).strip()
    index = l2tobj.nodelist_to_text([args[0]]).strip() if len(args) > 1 and args[0] else ""
    sign = {"3": "∛", "4": "∜"}.get(index, "√")
    if index and sign == "√":
        sign = script("^", index) + sign
    return sign + (root if len(root) <= 1 or root.isalnum() else f"({root})")


def _wide_accent(accent: str) -> Any:
    def shown(node: Any, l2tobj: LatexNodes2Text) -> str:
        text = l2tobj.nodelist_to_text(node.nodeargd.argnlist[-1:]).strip()
        return text + accent if len(text) == 1 else text

    return shown


def _last_argument(node: Any, l2tobj: LatexNodes2Text) -> str:
    return l2tobj.nodelist_to_text(node.nodeargd.argnlist[-1:])


def _unicode(node: Any, l2tobj: LatexNodes2Text) -> str:
    """MathJax's `\\unicode{x2013}` (or a decimal number): the character."""
    code = l2tobj.nodelist_to_text(node.nodeargd.argnlist[-1:]).strip().lower()
    try:
        value = int(code[1:], 16) if code.startswith("x") else int(code)
        return chr(value) if 32 <= value < 0x110000 and chr(value).isprintable() else ""
    except ValueError:
        raise Unconvertible(code) from None


def _degree(node: Any, l2tobj: LatexNodes2Text) -> str:
    """`\\deg` is the degree of a polynomial in a formula; arXiv's listings write
    the degree sign as `{\\deg}` in text."""
    return "deg" if getattr(l2tobj, "in_math", 0) else "°"


def _binom(node: Any, l2tobj: LatexNodes2Text) -> str:
    top, bottom = (l2tobj.nodelist_to_text([arg]).strip() for arg in node.nodeargd.argnlist[-2:])
    return f"C({top}, {bottom})"


def _styled_script(mark: str) -> Any:
    def shown(node: Any, l2tobj: LatexNodes2Text) -> str:
        return script(mark, l2tobj.nodelist_to_text(node.nodeargd.argnlist[-1:]))

    return shown


@lru_cache(maxsize=1)
def _contexts() -> tuple[Any, Any]:
    """The parser's and the converter's macro tables, with this module's additions."""
    walker = latexwalker.get_default_latex_context_db()
    from pylatexenc.macrospec import std_macro

    walker.add_context_category(
        "abstracts",
        prepend=True,
        macros=[
            std_macro("binom", False, 2),
            std_macro("tfrac", False, 2),
            std_macro("dfrac", False, 2),
            std_macro("textsuperscript", False, 1),
            std_macro("textsubscript", False, 1),
            std_macro("operatorname", True, 1),
            std_macro("boldsymbol", False, 1),
            std_macro("bm", False, 1),
            std_macro("unicode", False, 1),
        ],
    )
    text = get_default_latex_context_db()
    text.add_context_category(
        "abstracts",
        prepend=True,
        macros=[
            MacroTextSpec("frac", simplify_repl=_frac),
            MacroTextSpec("tfrac", simplify_repl=_frac),
            MacroTextSpec("dfrac", simplify_repl=_frac),
            MacroTextSpec("sqrt", simplify_repl=_sqrt),
            MacroTextSpec("binom", simplify_repl=_binom),
            MacroTextSpec("textsuperscript", simplify_repl=_styled_script("^")),
            MacroTextSpec("textsubscript", simplify_repl=_styled_script("_")),
            MacroTextSpec("boldsymbol", "%s"),
            MacroTextSpec("bm", "%s"),
            MacroTextSpec("|", "‖"),
            MacroTextSpec("lVert", "‖"),
            MacroTextSpec("rVert", "‖"),
            MacroTextSpec("Vert", "‖"),
            MacroTextSpec("lesssim", "≲"),
            MacroTextSpec("gtrsim", "≳"),
            MacroTextSpec("leqslant", "⩽"),
            MacroTextSpec("geqslant", "⩾"),
            MacroTextSpec("textdegree", "°"),
            MacroTextSpec("degree", "°"),
            MacroTextSpec("percent", "%"),
            MacroTextSpec("LaTeX", "LaTeX"),
            MacroTextSpec("unicode", simplify_repl=_unicode),
            MacroTextSpec("deg", simplify_repl=_degree),
            MacroTextSpec("imath", "ı"),
            MacroTextSpec("jmath", "ȷ"),
            MacroTextSpec("Bbbk", "𝕜"),
            *(MacroTextSpec(name, "") for name in _SWITCHES),
            *(MacroTextSpec(name, name) for name in _OPERATORS),
            MacroTextSpec("TeX", "TeX"),
            MacroTextSpec("texttt", simplify_repl=_last_argument),
            MacroTextSpec("operatorname", simplify_repl=_last_argument),
            *(MacroTextSpec(name, "") for name in _SIZES),
            *(
                MacroTextSpec(name, simplify_repl=_wide_accent(a))
                for name, a in _WIDE_ACCENTS.items()
            ),
        ],
    )
    return walker, text


class _Converter(LatexNodes2Text):
    """latex2text that raises on what it does not know and writes scripts small."""

    def __init__(self) -> None:
        super().__init__(latex_context=_contexts()[1], math_mode="text")
        self.in_math = 0

    def macro_node_to_text(self, node: Any) -> str:
        name = node.macroname
        if name in _REFUSED or self.latex_context.get_macro_spec(name) is None:
            raise Unconvertible(name)
        return str(super().macro_node_to_text(node))

    def environment_node_to_text(self, node: Any) -> str:
        raise Unconvertible(node.environmentname)

    def comment_node_to_text(self, node: Any) -> str:
        raise Unconvertible("%")  # a bare % in an abstract is a percent sign, not a comment

    def math_node_to_text(self, node: Any) -> str:
        self.in_math += 1
        try:
            return str(super().math_node_to_text(node))
        finally:
            self.in_math -= 1

    def nodelist_to_text(self, nodelist: Any) -> str:
        if not self.in_math:
            return str(super().nodelist_to_text(nodelist))
        return self._math_nodes(nodelist)

    def _math_nodes(self, nodelist: Any) -> str:
        """Formula nodes as text, `^`/`_` and their argument as one script."""
        out: list[str] = []
        mark = ""  # a ^ or _ waiting for its argument
        after_fraction = False
        for node in nodelist:
            if node is None:
                continue
            if node.isNodeType(latexwalker.LatexCharsNode):
                chars = node.chars
                index = 0
                while index < len(chars):
                    char = chars[index]
                    index += 1
                    if mark and not char.isspace():
                        out.append(script(mark, char))
                        mark = ""
                    elif char in "^_" and not mark:
                        mark = char
                    elif not mark:
                        out.append(char)
                after_fraction = after_fraction and not chars.strip()
                continue
            shown = self.node_to_text(node)
            fraction = node.isNodeType(latexwalker.LatexMacroNode) and node.macroname in _FRACTIONS
            if fraction and after_fraction and not mark:
                out.append(" ")  # `\frac{1}{n}\frac{m}{u}`: 1/n m/u, not 1/nm/u
            after_fraction = fraction
            if mark:
                out.append(script(mark, shown))
                mark = ""
            else:
                if shown and self._is_bare_macro_node(node) and node.macro_post_space:
                    # `\leq b`: the blank after a symbol is kept, and one set before
                    # a relation or an arrow to match it (`b ∼ n`, not `b∼ n`).
                    shown += " "
                    if len(shown) == 2 and shown[0] in _SPACED:
                        shown = " " + shown
                out.append(shown)
        if mark:
            raise Unconvertible(mark)  # a script with no argument
        return "".join(out)


def walker(latex: str) -> latexwalker.LatexWalker:
    """A parser of `latex` that knows this module's macros and raises on bad input."""
    return latexwalker.LatexWalker(latex, latex_context=_contexts()[0], tolerant_parsing=False)


def convert(latex: str, math: bool = False) -> str:
    """`latex` (a formula's inside when `math`, else text with macros) as Unicode.

    Raises:
        Unconvertible: something in it has no faithful Unicode form here, or it
            does not parse (pylatexenc's own errors are turned into this one).
    """
    converter = _Converter()
    try:
        parser = walker(latex)
        nodes, _, _ = parser.get_latex_nodes(parsing_state=_math_state(parser) if math else None)
        if math:
            converter.in_math = 1
        shown = converter.nodelist_to_text(nodes)
    except Unconvertible:
        raise
    except Exception as error:  # pylatexenc raises many kinds on odd input
        raise Unconvertible(type(error).__name__) from None
    if math:  # a formula's blanks, line breaks and ties are spacing: one blank
        shown = _BLANKS.sub(" ", shown).strip()
    return unicodedata.normalize("NFC", shown)


def _math_state(walker: Any) -> Any:
    return walker.make_parsing_state(in_math_mode=True)
