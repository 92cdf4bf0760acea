"""The same paper across dumps is one paper; different papers stay apart."""

from __future__ import annotations

import json
import random
import re
import unicodedata

from helpers import SEED, SEED_LABELS
from hypothesis import given
from hypothesis import strategies as st

from index.formats import read_dump
from index.merge import merge
from index.model import Record
from index.text import normalise_abstract


def seed_records() -> list[Record]:
    return [record for path in SEED.values() for record in read_dump(path).records]


def test_the_seeds_hold_43_records_and_37_papers() -> None:
    records = seed_records()
    assert len(records) == 43
    assert len(merge(records)) == 37


def test_o1_system_card_is_one_paper_with_five_sources() -> None:
    papers = {p.key: p for p in merge(seed_records())}
    o1 = papers["2412.16720"]
    assert o1.title == "OpenAI o1 System Card"  # known only from the Collaborating Authors page
    assert o1.arxiv_id == "2412.16720"  # known only from the listing
    assert o1.year == 2024
    assert len(o1.sources) == 5
    assert o1.authors == SEED_LABELS


def test_gpt4o_system_card_has_three_sources() -> None:
    papers = {p.key: p for p in merge(seed_records())}
    gpt4o = papers["2410.21276"]
    assert gpt4o.title == "GPT-4o System Card"
    assert [s.split("/")[-1][:3] for s in gpt4o.sources] == ["002", "003", "004"]
    assert gpt4o.authors == ("002_58a4e2d616259f18", "Tony", "Jain, Saachi")


def test_the_two_heterophily_papers_stay_two_papers() -> None:
    papers = merge(seed_records())
    gnn = [p for p in papers if p.abstract.startswith("Graph Neural Networks (GNNs) extend")]
    assert len(gnn) == 2
    assert gnn[0].key != gnn[1].key


def test_untitled_papers_have_null_title_and_id() -> None:
    papers = merge(seed_records())
    untitled = [p for p in papers if p.title is None]
    assert len(untitled) == 37 - 10  # the Collaborating Authors page titles ten
    # Without an arXiv id there is nothing to take a year from, and the key comes from
    # the abstract; with one, the key is the id.
    for paper in papers:
        if paper.arxiv_id is None:
            assert paper.year is None and paper.key != paper.arxiv_id
        else:
            assert paper.key == paper.arxiv_id


def test_merge_ignores_case_whitespace_and_punctuation_only() -> None:
    a = Record("a.txt", 1, "A", "Deep nets,  they LEARN!\nWell.")
    b = Record("b.txt", 1, "B", "deep nets they learn well")
    c = Record("c.txt", 1, "C", "deep nets they learned well")
    papers = merge([a, b, c])
    assert sorted(len(p.sources) for p in papers) == [1, 2]


def test_different_ids_never_merge_even_with_equal_abstracts() -> None:
    a = Record("a.txt", 1, "A", "Same text.", arxiv_id="2101.00001")
    b = Record("b.txt", 1, "B", "Same text.", arxiv_id="2101.00002")
    c = Record("c.txt", 1, "C", "Same text.")
    papers = merge([a, b, c])
    assert sorted(p.key for p in papers) == ["2101.00001", "2101.00002"]
    assert {p.key: len(p.records) for p in papers} == {"2101.00001": 2, "2101.00002": 1}


def test_merge_does_not_depend_on_record_order() -> None:
    records = seed_records()
    expected = json.dumps([p.to_json() for p in merge(records)])
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert json.dumps([p.to_json() for p in merge(shuffled)]) == expected


@given(
    st.lists(
        st.sampled_from(["Ab", "ﬁ", "İ", "ß", "_", "x_1", " ", "\u00a0", "2²", "é", "—"])
        | st.text(max_size=6),
        max_size=30,
    ).map("".join)
)
def test_normalised_abstracts_keep_letters_and_digits_only(text: str) -> None:
    # The fingerprint of every stored paper depends on it: ASCII's fast path
    # must give what the pattern gives.
    folded = unicodedata.normalize("NFKC", text).casefold()
    assert normalise_abstract(text) == re.sub(r"[\W_]+", "", folded)
