"""A field's terms in memory: completions by frequency, near terms by edits."""

from __future__ import annotations

from index.vocabulary import Vocabulary

WORDS = Vocabulary(
    [
        ("transform", 40),
        ("transfer", 90),
        ("transformer", 120),
        ("transit", 5),
        ("diffus", 300),
        ("diffract", 7),
        ("fusion", 12),
        ("tr", 1),
        ("ts", 2),
    ]
)


def test_completions_most_common_first() -> None:
    assert WORDS.completions("transf") == ["transformer", "transfer", "transform"]
    assert WORDS.completions("transf", 2) == ["transformer", "transfer"]
    assert WORDS.completions("tra", 1) == ["transformer"]
    assert WORDS.completions("x") == []
    assert WORDS.completions("tr") == ["transformer", "transfer", "transform", "transit", "tr"]


def test_within_counts_edits_and_keeps_the_first_letters() -> None:
    assert WORDS.within("difus", 1, prefix_length=1) == ["diffus"]
    assert WORDS.within("tarnsit", 1) == ["transit"]  # a swap is one edit
    assert WORDS.within("fiffus", 1, prefix_length=1) == []  # the first letter differs
    assert WORDS.within("fiffus", 1) == ["diffus"]
    assert sorted(WORDS.within("transfor", 2, prefix_length=1)) == ["transfer", "transform"]


def test_count() -> None:
    assert WORDS.count("diffus") == 300
    assert WORDS.count("diff") == 0
    assert WORDS.count("zzz") == 0
    assert len(WORDS) == 9
