"""Did-you-mean: words of a query corrected against the library's own vocabulary.

The index holds stems ("transform"), so a correction is found among stems and
then given a surface form close to what was typed ("transfromer" -> "transformer").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

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


# More endings a word may have past its stem, for finding the stems near a typo.
_MORE_ENDINGS = (
    "ement",
    "ements",
    "ance",
    "ances",
    "ence",
    "ences",
    "ant",
    "ent",
    "able",
    "ible",
    "ous",
    "ical",
    "ically",
    "ication",
    "ications",
    "ization",
    "izations",
    "ized",
    "izing",
    "ised",
    "ising",
    "ional",
    "ies",
    "ied",
    "ful",
    "less",
    "ative",
    "ator",
    "ual",
    "ings",
    "ist",
    "ism",
)
# A swap of two letters is the commonest slip: such a neighbour counts as this many
# times as common.
_SWAP_WEIGHT = 10


def max_edits(word: str) -> int:
    """How many edits a correction of `word` may make: short words have too many
    neighbours to guess from; gibberish is then left alone."""
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def spellings(
    word: str,
    stems: Iterable[tuple[str, int]],
    stem_of: Callable[[str], str],
    written: Callable[[str], list[str]],
    tries: int = 4,
) -> list[tuple[str, int, int]]:
    """Words close to `word`, as the library writes them (never a bare stem).

    Args:
        stems: Candidate stems of the index, each with how many papers hold it.
        written: The words the library writes for a stem ("segment": segmentation,
            segments, ...): stems are found by the forms they may take, and the
            nearest stems' real words are then compared with what was typed.
        tries: How many of the nearest stems to look up real words for.

    Returns:
        (word, edits, papers), best first: fewest edits (a swap of neighbours is
        one), then most papers, a swap counting as a commoner slip.
    """
    word = word.lower()
    limit = max_edits(word)
    if not limit:
        return []
    forms: dict[str, tuple[str, int]] = {}
    for stem, papers in stems:
        if not len(word) - 8 <= len(stem) <= len(word) + limit:
            continue
        endings = {stem + ending for ending in (*_ENDINGS, *_MORE_ENDINGS)}
        if stem.endswith("i"):  # "heterophili" is written "heterophily"
            endings |= {stem[:-1] + "y", stem[:-1] + "ies"}
        for form in endings:
            if form not in forms or forms[form][1] < papers:
                forms[form] = (stem, papers)
    near = process.extract(word, list(forms), scorer=OSA.distance, score_cutoff=limit, limit=None)
    nearest: dict[str, int] = {}
    for form, _edits, _ in sorted(near, key=lambda n: (n[1], -forms[n[0]][1])):
        stem = forms[form][0]
        if stem_of(form) == stem and stem not in nearest:
            nearest[stem] = forms[form][1]
    found = []
    for stem, papers in list(nearest.items())[:tries]:
        real = [w for w in written(stem) if w != word]
        if not real:
            continue
        edits, best = min((OSA.distance(word, w), w) for w in real)
        if edits <= limit:
            weight = _SWAP_WEIGHT if sorted(best) == sorted(word) else 1
            found.append((best, edits, papers, weight))
    found.sort(key=lambda c: (c[1], -c[2] * c[3], c[0]))
    return [(best, edits, papers) for best, edits, papers, _ in found]


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
