"""Did you mean: real misspellings get the word meant, gibberish gets nothing.

The 121k-paper collection's figures for the words near each misspelling (how many
papers hold each stem, and how papers write it) are in a fixture taken from it, so
the corrector is checked against the real library's word counts without it.
"""

from __future__ import annotations

import json

import pytest
from helpers import FIXTURES

from index import Config, Library, ReaderCore, View
from index.engine.schema import stem_of
from index.spelling import spellings

NEAR_121K = json.loads((FIXTURES / "spelling_121k.json").read_text(encoding="utf-8"))

TYPOS = {
    "reinforcemnet": "reinforcement", "alignmnet": "alignment", "thougth": "thought",
    "transfromer": "transformer", "segmentaton": "segmentation", "difusion": "diffusion",
    "modle": "model", "netowrk": "network", "langauge": "language", "attetion": "attention",
    "recognitoin": "recognition", "optimzation": "optimization", "algorithim": "algorithm",
    "perfomance": "performance", "classifcation": "classification", "generaton": "generation",
    "retreival": "retrieval", "knowlege": "knowledge", "adversaral": "adversarial",
    "convolutonal": "convolutional", "embeding": "embedding", "benchmak": "benchmark",
    "evalution": "evaluation", "robustnes": "robustness", "datset": "dataset",
    "supervison": "supervision", "reasonning": "reasoning", "hallucinaton": "hallucination",
    "efficent": "efficient", "probabilty": "probability", "nueral": "neural",
    "detectoin": "detection", "archtecture": "architecture", "trainig": "training",
    "inferance": "inference",
}  # fmt: skip


def correction_in_121k(typed: str) -> str | None:
    heads = {typed[:2], typed[1::-1], typed[0] + typed[2]}
    stems = [(stem, entry["papers"]) for stem, entry in NEAR_121K.items() if stem[:2] in heads]
    found = spellings(typed, stems, stem_of, lambda stem: NEAR_121K[stem]["written"])
    return found[0][0] if found else None


@pytest.mark.parametrize(("typed", "meant"), TYPOS.items())
def test_real_misspellings_in_the_121k_collection(typed: str, meant: str) -> None:
    assert correction_in_121k(typed) == meant


@pytest.mark.parametrize("typed", ["zzqxq", "qwrtz", "xkcd"])
def test_gibberish_gets_no_suggestion(typed: str) -> None:
    assert correction_in_121k(typed) is None


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("transfromer", "transformer"),
        ("chain of thougth", "chain of thought"),
        ("reinforcemnet", "reinforcement"),
        ("alignmnet", "alignment"),
        ("langauge modle", "language model"),
        ("Heterophilly", "Heterophily"),
    ],
)
def test_the_library_suggests_words_that_find_more(
    library: Library, query: str, meant: str
) -> None:
    assert library.suggest(query) == meant
    assert library.search(meant).total > (library.search(query).total or 0)


@pytest.mark.parametrize("query", ["zzqxq", "speech", "transformer models"])
def test_no_suggestion_for_gibberish_or_known_words(library: Library, query: str) -> None:
    assert library.suggest(query) is None


def test_a_typo_a_few_papers_share_still_gets_the_common_word(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # As on the 121k collection, where one paper writes "transfromer".
    dump = tmp_path / "dump.txt"
    lines = [f"Abstract:Transformer model number {n} reads long inputs well." for n in range(25)]
    lines.append("Abstract:A transfromer, as one abstract misspells it, reads inputs.")
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    assert library.search("transfromer").total == 1
    assert library.suggest("transfromer") == "transformer"
    library.close()


def _typed(core: ReaderCore, text: str) -> View:
    request = core.typed(text)
    assert request is not None
    view = core.answer(request)
    assert view is not None
    accepted = core.accept(request, view)
    assert accepted is not None
    return accepted


def _paused(core: ReaderCore) -> View:
    request = core.paused()
    assert request is not None
    view = core.answer(request)
    assert view is not None and core.accept(request, view) is not None
    return view


def test_typing_suggests_as_enter_does_once_a_word_is_complete(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # As on the 121k collection: "transfromer" typed found 13 papers (its prefix)
    # and no suggestion; after Enter, 1 paper and "Did you mean: transformer?".
    dump = tmp_path / "dump.txt"
    lines = [f"Abstract:Transformer model number {n} reads long inputs well." for n in range(25)]
    lines.append("Abstract:A transfromer, as one abstract misspells it, reads inputs.")
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    core = ReaderCore(library)
    assert _typed(core, "transfromer").suggestion is None  # may still become a word
    assert _paused(core).suggestion == "transformer"  # the typing paused: complete
    assert _typed(core, "transfromer ").suggestion == "transformer "  # a space after it
    assert _typed(core, "transfromer mod").suggestion == "transformer mod"
    _typed(core, "transfromer")
    request = core.submitted()
    assert request is not None
    submitted = core.answer(request)
    assert submitted is not None and submitted.suggestion == "transformer"  # as Enter says
    # Words that find enough are not corrected, typed or submitted.
    assert _typed(core, "transformer ").suggestion is None
    assert core.paused() is not None
    library.close()
