"""Did-you-mean: words of a query corrected against the library's own vocabulary.

The index holds stems ("transform"), so a correction is found among stems and
then given a surface form close to what was typed ("transfromer" -> "transformer").
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Plain words of a query: not field names, operators, or parts of ranges.
_WORD = re.compile(r"(?<![\w*~\[{])([A-Za-z][A-Za-z\-]{2,})(?![\w:*~\]}])")
_OPERATORS = {"AND", "OR", "NOT", "TO"}
_ENDINGS = (
    "",
    "e",
    "s",
    "es",
    "er",
    "ers",
    "ing",
    "ed",
    "ion",
    "ions",
    "ation",
    "ations",
    "y",
    "ity",
    "ities",
    "al",
    "ally",
    "ly",
    "ness",
    "ment",
    "ments",
    "ize",
    "ise",
    "ive",
    "ic",
    "ics",
)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (a swap of two letters is one edit)."""
    previous_row: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        older, previous_row = previous_row, row
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if (
                older is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                row[j] = min(row[j], older[j - 2] + 1)
    return row[-1]


def surface_form(typed: str, stem: str, new_stem: str, stem_of: Callable[[str], str]) -> str:
    """A word whose stem is `new_stem`, as close as can be to what was typed."""
    suffix = typed.lower()[len(stem) :] if typed.lower().startswith(stem) else ""
    candidates = {new_stem + suffix, *(new_stem + ending for ending in _ENDINGS)}
    if new_stem.endswith("i"):  # the stemmer made "heterophily" "heterophili"
        candidates |= {new_stem[:-1] + "y", new_stem[:-1] + "ies"}
    fitting = [word for word in candidates if stem_of(word) == new_stem] or [new_stem]
    best = min(fitting, key=lambda word: (edit_distance(typed.lower(), word), len(word)))
    return same_case(typed, best)


def same_case(typed: str, word: str) -> str:
    if typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def correctable_words(text: str) -> list[tuple[int, int, str, str | None]]:
    """(start, end, word, field) of the words a correction may replace; field None: any."""
    words = []
    for match in _WORD.finditer(text):
        if match[1] in _OPERATORS:
            continue
        before = text[: match.start(1)]
        if before.count('"') % 2:  # inside a phrase: the field is the phrase's
            before = before[: before.rfind('"')]
        qualified = re.search(r"(\w+):\(?$", before)
        words.append(
            (match.start(1), match.end(1), match[1], qualified[1].lower() if qualified else None)
        )
    return words


def corrected(text: str, fixes: dict[str, str]) -> str:
    """The query with the words in `fixes` replaced, everything else as typed."""
    out, last = [], 0
    for start, end, word, _ in correctable_words(text):
        if word in fixes:
            out += [text[last:start], fixes[word]]
            last = end
    return "".join(out) + text[last:]
