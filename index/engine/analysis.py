"""How text becomes indexed terms, fast enough for a big library.

Whoosh analyses text as a chain of generators that pass one Token object along
for every word, then pickles each word's positions: most of the time a build
spends in Python. The stemming analyzer here gives the same terms and positions
as Whoosh's StemmingAnalyzer in one loop, and the positions format stores them
as packed integers. Queries still go through Whoosh's own chain, so what is
searched is analysed exactly as before.

Chinese, Japanese and Korean text has no spaces between its words: a run of
their characters is indexed as its overlapping pairs of characters (as Lucene's
CJK analyzer does), a lone character as itself, so that a word inside a run is
found as the pairs it is made of, in order (a phrase: see schema.py).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator

from whoosh import analysis, formats
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

_STEM_CACHE_SIZE = 200_000
# Texts this long or shorter (titles, author lists) keep their terms' places for
# highlighting (see _spans).
_SHORT = 400
_SHORT_CACHE_SIZE = 4_000


# Han (with its marks), Hiragana, Katakana and Hangul, half-width Katakana too.
CJK_CHARS = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3130-\u318f"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff"
    "\uff66-\uff9f"
)
_CJK = re.compile(f"[{CJK_CHARS}]")
# Greek letters and mathematical symbols: a lone one is a word (`α`, `≤`, `→`), as
# a formula shown as Unicode writes them (see math_text.search_words).
SYMBOL_CHARS = (
    "\u00b1\u00d7\u00f7\u0370-\u03ff\u2100-\u214f\u2190-\u21ff\u2200-\u22ff"
    "\u27f0-\u27ff\u2a00-\u2aff"
)
_ALONE = re.compile(f"[{CJK_CHARS}{SYMBOL_CHARS}]")
# Whoosh's default word pattern ("[\\w\\*]+(\\.?[\\w\\*]+)*": word characters, a word's
# parts joined by single dots), with a run of CJK characters a word of its own;
# and the same for ASCII text, faster.
WORDS = re.compile(
    rf"[{CJK_CHARS}]+|(?:[^\W{CJK_CHARS}]|\*)+(?:\.(?:[^\W{CJK_CHARS}]|\*)+)*|[{SYMBOL_CHARS}]"
)
_ASCII_WORDS = re.compile(r"[\w*]+(?:\.[\w*]+)*", re.ASCII)
# Words shorter than this are dropped, but for a lone CJK character or symbol.
_SHORTEST = 2


def is_cjk(char: str) -> bool:
    """Whether a character is Chinese, Japanese or Korean (see CJK_CHARS)."""
    return bool(_CJK.match(char))


def kept_alone(char: str) -> bool:
    """Whether a character is a word by itself (CJK, a Greek letter, a math symbol)."""
    return bool(_ALONE.match(char))


def _kept_length(word: str) -> bool:
    return len(word) >= _SHORTEST or (word != "" and kept_alone(word))


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Each word of `text` as written with its (start, end), a run of CJK
    characters as its overlapping pairs (a lone one as itself)."""
    for match in WORDS.finditer(text):
        start, end = match.span()
        if end - start > 1 and is_cjk(text[start]):
            for at in range(start, end - 1):
                yield text[at : at + 2], at, at + 2
        else:
            yield match.group(), start, end


class WordsTokenizer(analysis.RegexTokenizer):
    """Whoosh's RegexTokenizer on WORDS, a CJK run giving its pairs of characters
    (see tokens()); a one-letter word is counted but not given (Whoosh's stop
    filter would drop it: here, so that a lone CJK character is kept)."""

    def __init__(self) -> None:
        super().__init__(WORDS)

    def __call__(  # type: ignore[no-untyped-def]
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        if not tokenize:
            yield from super().__call__(
                value, positions, chars, keeporiginal, removestops, start_pos, start_char,
                tokenize, mode, **kwargs,
            )  # fmt: skip
            return
        token = analysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (text, start, end) in enumerate(tokens(value)):
            if not _kept_length(text):
                continue
            token.text = text
            token.boost = 1.0
            if keeporiginal:
                token.original = text
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


# Each term of a text with the (start, end) of its word.
TermsAt = tuple[tuple[str, int, int], ...]


def _spans(
    text: str,
    wanted: set[str],
    terms_at: Callable[[str], Iterator[tuple[str, int, int]]],
    kept: dict[str, TermsAt],
) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` whose term is in `wanted`; the terms of
    a short text (a title, an author list) are found once and kept in `kept`, a
    cache of bounded size, as every keystroke marks the same rows again."""
    terms: Iterable[tuple[str, int, int]]
    if len(text) > _SHORT:
        terms = terms_at(text)
    else:
        found = kept.get(text)
        if found is None:
            if len(kept) >= _SHORT_CACHE_SIZE:
                kept.clear()
            found = kept[text] = tuple(terms_at(text))
        terms = found
    return [(start, end) for term, start, end in terms if term in wanted]


def whole_matches(expression: re.Pattern) -> Callable[[str], list[str]]:
    """The tokenizer's words of a text in one call: its pattern's findall() with the
    groups made non-capturing, so that it returns whole matches."""
    if "\\(" in expression.pattern or "(?" in expression.pattern:  # not a plain group
        return lambda text: [match.group() for match in expression.finditer(text)]
    return re.compile(expression.pattern.replace("(", "(?:"), expression.flags).findall


class StemmingAnalyzer(analysis.CompositeAnalyzer):
    """Whoosh's StemmingAnalyzer, with a one-loop path for indexing (term_positions)."""

    def __init__(self) -> None:
        # Whoosh's StemmingAnalyzer with CJK runs in pairs: its tokenizer drops the
        # one-letter words its stop filter would (see WordsTokenizer).
        _, lower, _, stemmer = analysis.StemmingAnalyzer().items
        stop_filter = analysis.StopFilter(minsize=1)
        super().__init__(WordsTokenizer(), lower, stop_filter, stemmer)
        self._stops = stop_filter.stops
        self._stems: dict[str, str] = {}
        self._short: dict[str, TermsAt] = {}

    # Whoosh's stop filter renumbers: the first word kept keeps its place in the
    # text, the words kept after it follow it one by one (see words()).
    renumbers = True

    def words(self, text: str) -> list[str]:
        """Every word of `text` as the chain lowercases it, stop words too; each
        counts for its place in the text, and term() tells which are kept.

        With term(), the indexing path: a writer maps each distinct word to its
        term once, instead of analysing every word of every paper.
        """
        if text.isascii():  # lowercasing ASCII changes neither words nor their ends
            return _ASCII_WORDS.findall(text.lower())
        return [word.lower() for word, _, _ in tokens(text)]

    def term(self, word: str) -> str | None:
        """The term a word of words() is indexed as; None for a word dropped."""
        if not _kept_length(word) or word in self._stops:
            return None
        found = self._stems.get(word)  # shared with the fields before (titles, abstracts)
        if found is None:
            if len(self._stems) > _STEM_CACHE_SIZE:
                self._stems.clear()
            found = self._stems[word] = stem(word)
        return found

    def __getstate__(self) -> dict:
        # The analyzer is pickled with the schema: leave the cache behind.
        return {**self.__dict__, "_stems": {}, "_short": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({"_short": {}, **state})  # (an index written before it)

    def term_positions(self, text: str) -> dict[str, list[int]]:
        """Each stem in `text` with its positions, as the Whoosh chain numbers them.

        Stop words and one-letter words are dropped and not counted, except that
        the first word kept keeps its place in the text (Whoosh's renumbering).
        """
        stems = self._stems
        if len(stems) > _STEM_CACHE_SIZE:
            stems.clear()
        stops = self._stops
        found: dict[str, list[int]] = {}
        pos = -1
        for index, word in enumerate(self.words(text)):
            if not _kept_length(word) or word in stops:
                continue
            pos = index if pos < 0 else pos + 1
            term = stems.get(word)
            if term is None:
                term = stems[word] = stem(word)
            places = found.get(term)
            if places is None:
                found[term] = [pos]
            else:
                places.append(pos)
        return found

    def spans(self, text: str, wanted: set[str]) -> list[tuple[int, int]]:
        """(start, end) of each word of `text` whose stem is in `wanted`: the
        Whoosh chain's tokens with chars=True, in one loop."""
        return _spans(text, wanted, self._terms_at, self._short)

    def _terms_at(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Each term of `text` with the (start, end) of its word."""
        stems = self._stems
        stops = self._stops
        for written, start, end in tokens(text):
            word = written.lower()
            if not _kept_length(word) or word in stops:
                continue
            term = stems.get(word)
            if term is None:
                term = stems[word] = stem(word)
            yield term, start, end


class NamesAnalyzer(analysis.CompositeAnalyzer):
    """Whoosh's SimpleAnalyzer with accents folded ("muller" finds Müller), with a
    one-loop path for indexing (term_positions)."""

    def __init__(self) -> None:
        chain = analysis.SimpleAnalyzer() | analysis.CharsetFilter(accent_map)
        super().__init__(*chain.items)
        tokenizer, _, charset = self.items
        self._words = tokenizer.expression
        self._charmap = charset.charmap
        self._findall = whole_matches(self._words)
        self._short: dict[str, TermsAt] = {}

    renumbers = False  # every word is kept, at its place in the text

    def words(self, text: str) -> list[str]:
        """Every word of `text` as the tokenizer gives it (see term())."""
        return self._findall(text)

    def term(self, word: str) -> str:
        """The term a word of words() is indexed as."""
        return word.lower().translate(self._charmap)

    def spans(self, text: str, wanted: set[str]) -> list[tuple[int, int]]:
        """(start, end) of each word of `text` whose term is in `wanted`: the
        Whoosh chain's tokens with chars=True."""
        return _spans(text, wanted, self._terms_at, self._short)

    def _terms_at(self, text: str) -> Iterator[tuple[str, int, int]]:
        charmap = self._charmap
        for match in self._words.finditer(text):
            yield match.group().lower().translate(charmap), *match.span()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_short": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({"_short": {}, **state})

    def term_positions(self, text: str) -> dict[str, list[int]]:
        """Each term in `text` with its positions, as the Whoosh chain gives them."""
        charmap = self._charmap
        found: dict[str, list[int]] = {}
        for pos, match in enumerate(self._words.finditer(text)):
            found.setdefault(match.group().lower().translate(charmap), []).append(pos)
        return found


# Analyzers whose terms and positions come from one loop (term_positions).
ONE_LOOP = (StemmingAnalyzer, NamesAnalyzer)


class PackedPositions(formats.Positions):
    """Positions as packed unsigned integers: the count, then the gaps between them.

    One typecode byte says how wide they are ("H" unless a gap is too big).
    """

    def word_values(self, value, analyzer, **kwargs) -> Iterator[tuple[str, int, float, bytes]]:  # type: ignore[no-untyped-def]
        if not isinstance(analyzer, ONE_LOOP):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, places in analyzer.term_positions(value).items():
            yield term, len(places), len(places) * boost, self.encode(places)

    def encode(self, poslist) -> bytes:  # type: ignore[no-untyped-def]
        gaps = [len(poslist)]
        base = 0
        for pos in poslist:
            gaps.append(pos - base)
            base = pos
        code = "H" if max(gaps) < 0x10000 else "I"
        return code.encode() + array(code, gaps).tobytes()

    def _numbers(self, valuestring: bytes) -> array:
        return array(chr(valuestring[0]), valuestring[1:])

    def decode_positions(self, valuestring):  # type: ignore[no-untyped-def]
        numbers = self._numbers(valuestring)
        positions = []
        position = 0
        for gap in numbers[1:]:
            position += gap
            positions.append(position)
        return positions

    def decode_frequency(self, valuestring):  # type: ignore[no-untyped-def]
        return self._numbers(valuestring[:5])[0]


def packed(field):  # type: ignore[no-untyped-def]
    """A TEXT field that keeps its positions packed (see PackedPositions)."""
    field.format = PackedPositions(field_boost=field.format.field_boost)
    return field
