"""The fast indexing analysis gives exactly the terms and positions Whoosh's chain gives.

Queries are analysed by Whoosh's own chain, so any difference would make
phrases or words silently unfindable. The chain is Whoosh's StemmingAnalyzer with
CJK runs in pairs of characters: on text without CJK, the same as Whoosh's own.
"""

from __future__ import annotations

from helpers import FIXTURES, SEED
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import analysis
from whoosh.support.charset import accent_map

from index.engine.analysis import (
    NamesAnalyzer,
    PackedPositions,
    StemmingAnalyzer,
    kept_alone,
    tokens,
)
from index.formats import read_dump

WHOOSH = StemmingAnalyzer()  # called as a Whoosh analyzer: its chain
STOCK = analysis.StemmingAnalyzer()
WHOOSH_NAMES = analysis.SimpleAnalyzer() | analysis.CharsetFilter(accent_map)


def whoosh_positions(text: str, analyzer=WHOOSH) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[int]] = {}
    for token in analyzer(text, positions=True, mode="index"):
        found.setdefault(token.text, []).append(token.pos)
    return found


def test_same_terms_and_positions_as_whoosh_on_every_seed_abstract() -> None:
    ours = StemmingAnalyzer()
    texts = [
        text
        for path in SEED.values()
        for record in read_dump(path).records
        for text in (record.abstract, record.title or "")
    ]
    assert len(texts) > 60
    for text in texts:
        assert ours.term_positions(text) == whoosh_positions(text)


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [
                "The",
                "a",
                "of",
                "I",
                "x",
                "models",
                "Modelling",
                "İstanbul",
                "3.5",
                "e.g.",
                "GPT-4o",
                "naïve",
                "_",
                "ß",
                " ",
                "  ",
                "\n",
                ",",
                "(",
                "[2]-[4]",
                "$x^2$",
                "深度学习",
                "的",
                "音声認識を",
                "인식을",
                "カ",
            ]
        )
        | st.text(max_size=8),
        max_size=40,
    ).map("".join)
)
def test_same_as_whoosh_on_any_text(text: str) -> None:
    assert StemmingAnalyzer().term_positions(text) == whoosh_positions(text)
    if not any(map(kept_alone, text)):  # (CJK, Greek letters, symbols: words alone)
        assert whoosh_positions(text) == whoosh_positions(text, STOCK)
    assert NamesAnalyzer().term_positions(text) == whoosh_positions(text, WHOOSH_NAMES)
    # Highlights: where each word stands, as the chain's character offsets say.
    stems = set(whoosh_positions(text))
    wanted = set(sorted(stems)[::2])
    expected = [(t.startchar, t.endchar) for t in WHOOSH(text, chars=True) if t.text in wanted]
    analyzer = StemmingAnalyzer()
    assert analyzer.spans(text, wanted) == expected
    assert analyzer.spans(text, wanted) == expected  # its terms kept: the same again
    names = set(whoosh_positions(text, WHOOSH_NAMES))
    wanted = set(sorted(names)[::2])
    expected = [
        (t.startchar, t.endchar) for t in WHOOSH_NAMES(text, chars=True) if t.text in wanted
    ]
    assert NamesAnalyzer().spans(text, wanted) == expected


def test_names_as_whoosh_on_every_seed_author() -> None:
    paths = [*SEED.values(), FIXTURES / "arxiv_sample_250.jsonl", FIXTURES / "collab_cjk.txt"]
    names = [
        name
        for path in paths
        for record in read_dump(path).records
        for name in (*record.authors, record.label or "")
    ]
    assert len(names) > 1000
    analyzer = NamesAnalyzer()
    for name in names + ["Jürgen Müller", "O'Neil, Ş.", "İlker Ğ", "Straße"]:
        assert analyzer.term_positions(name) == whoosh_positions(name, WHOOSH_NAMES)
        wanted = set(list(whoosh_positions(name, WHOOSH_NAMES))[::2])
        found = [
            (t.startchar, t.endchar) for t in WHOOSH_NAMES(name, chars=True) if t.text in wanted
        ]
        assert analyzer.spans(name, wanted) == found


def test_highlight_spans_as_whoosh_on_every_seed_abstract() -> None:
    ours = StemmingAnalyzer()
    for path in SEED.values():
        for record in read_dump(path).records:
            text = record.abstract
            wanted = set(list(whoosh_positions(text))[::3])
            expected = [
                (t.startchar, t.endchar) for t in WHOOSH(text, chars=True) if t.text in wanted
            ]
            assert ours.spans(text, wanted) == expected


@given(st.lists(st.integers(0, 200_000), min_size=1, max_size=50).map(sorted))
def test_packed_positions_read_back(positions: list[int]) -> None:
    packed = PackedPositions().encode(positions)
    assert PackedPositions().decode_positions(packed) == positions
    assert PackedPositions().decode_frequency(packed) == len(positions)


def _words_then_terms_as_whoosh(text: str) -> None:
    # The writer's path: each word once through term(), its place from words().
    for ours, chain in ((StemmingAnalyzer(), WHOOSH), (NamesAnalyzer(), WHOOSH_NAMES)):
        words = ours.words(text)
        kept = [term for term in map(ours.term, words) if term is not None]
        assert kept == [token.text for token in chain(text, mode="index")]
        # Every word has a place (the tokenizer of stems skips one-letter words).
        places = list(tokens(text)) if chain is WHOOSH else list(chain.items[0](text))
        assert len(words) == len(places)


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            ["The", "a", "of", "Models", "İstanbul", "e.g.", "naïve", "ß", " ", "\n", "学习", "한"]
        )
        | st.text(max_size=8),
        max_size=40,
    ).map("".join)
)
def test_words_then_terms_as_whoosh_on_any_text(text: str) -> None:
    _words_then_terms_as_whoosh(text)


@given(st.text(alphabet="aZ1_.*. -\n'é", max_size=40))
def test_words_of_ascii_text_as_whoosh(text: str) -> None:
    # ASCII text takes a faster pattern of its own: dots, stars and underscores.
    _words_then_terms_as_whoosh(text)
    _words_then_terms_as_whoosh(text.encode("ascii", "ignore").decode())
