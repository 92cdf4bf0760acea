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


def test_completions_pick_the_commonest_ties_in_term_order() -> None:
    """Among many completions with few distinct counts, the `limit` chosen are the
    ones a stable sort by count picks: ties are broken by the terms' order."""
    import random

    rng = random.Random(7)
    words = {"".join(rng.choices("abc", k=rng.randint(1, 8))) for _ in range(5000)}
    counts = {word: rng.choice([1, 1, 1, 2, 3, 9]) for word in words}
    vocabulary = Vocabulary(counts.items())
    for prefix in ["", "a", "ab", "cab", "ccc"]:
        starting = sorted(w for w in words if w.startswith(prefix))
        expected = sorted(starting, key=lambda w: -counts[w])
        for limit in [1, 3, 10, 250, len(starting) + 1]:
            assert vocabulary.completions(prefix, limit) == expected[:limit], (prefix, limit)
