"""Search as you type: each letter can only narrow what the query finds.

A half-typed last word stands for every word of the library it starts; a word is
left out while it cannot be searched well; a space (the word complete) searches it
as submitted. Typed letter by letter, the papers found never grow in number, nor
does a paper come back once gone.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from helpers import FIXTURES, SEED
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index import Config, Library
from index.formats import read_dump

# Words of the seed papers' titles and abstracts, three letters or more.
WORDS = sorted(
    {
        word.lower()
        for path in SEED.values()
        for record in read_dump(path).records
        for word in re.findall(r"[A-Za-z]{3,}", f"{record.title or ''} {record.abstract}")
    }
)


def typed(library: Library, text: str) -> list[str]:
    return [hit.paper.key for hit in library.search(text, as_you_type=True, limit=None).hits]


def assert_narrows(library: Library, text: str) -> list[int]:
    """Type `text` a letter at a time: each answer within the one before."""
    counts = []
    before: set[str] | None = None
    for end in range(1, len(text) + 1):
        found = set(typed(library, text[:end]))
        if before is not None:
            assert found <= before, f"{text[:end]!r} found papers {text[: end - 1]!r} did not"
        before = found
        counts.append(len(found))
    return counts


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(earlier=st.lists(st.sampled_from(WORDS), max_size=2), word=st.sampled_from(WORDS))
@example(earlier=["and"], word="ability")  # "and " found none, then "and abi" two
@example(earlier=[], word="and")  # only a stop word: typed and submitted agree
def test_each_letter_only_narrows(library: Library, earlier: list[str], word: str) -> None:
    text = " ".join([*earlier, word])
    assert_narrows(library, text + " ")
    # The word complete: searched as submitted, as `abstracts search` does.
    assert len(typed(library, text + " ")) == library.search(text).total


@pytest.mark.parametrize(
    "text", ["speech recognition", "transformer", "reinforcement learning", "studies"]
)
def test_the_issue_s_words_never_widen(library: Library, text: str) -> None:
    counts = assert_narrows(library, text)
    # Two letters never show every paper after one showed fewer (nor ever do).
    assert counts[1] <= counts[0]


def test_a_whole_word_keeps_its_exact_count(library: Library) -> None:
    # Its completions share its stem: typed whole, it finds what Enter finds.
    for word in ("transformer", "reinforcement", "speech"):
        assert len(typed(library, word)) == library.search(word).total > 0


def test_a_word_whose_stem_is_not_its_start_is_found_while_typed(library: Library) -> None:
    # "study" is indexed as "studi": "stud" must stand for it already, or the
    # count would rise at "study", whose own stem it is.
    assert set(keys_exact(library, "study")) <= set(typed(library, "stud"))
    assert set(keys_exact(library, "study")) <= set(typed(library, "study"))


def keys_exact(library: Library, text: str) -> list[str]:
    return [hit.paper.key for hit in library.search(text, limit=None).hits]


@pytest.mark.parametrize("text", ["wit", "speech wit", "speech the", "speech NOT recog"])
def test_a_word_that_could_widen_once_complete_waits(library: Library, text: str) -> None:
    # "wit" may become "with", a stop word that every paper matches; a word under NOT
    # excludes fewer papers as it narrows. Either shows what the other words found.
    rest = re.sub(r"\s*(NOT\s+)?\w+$", "", text)
    assert typed(library, text) == typed(library, rest)


@pytest.fixture(scope="module")
def diffusion(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("diffusion")
    shutil.copy(FIXTURES / "diffusion_mods.jsonl", folder / "papers.jsonl")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data"))
        library = Library([folder / "papers.jsonl"], folder / "index", Config())
        library.update()
        yield library
        library.close()


def test_the_likeliest_completion_ranks_first(diffusion: Library) -> None:
    # "mod" starts "models" (in most papers) and "MODS" (one paper's name): the
    # papers about diffusion models come first, not the rare word's.
    hits = diffusion.search("diffusion mod", as_you_type=True).hits
    assert "Models" in (hits[0].paper.title or "")
    assert not (hits[0].paper.title or "").startswith("MODS")
    assert any((h.paper.title or "").startswith("MODS") for h in hits)  # still found
