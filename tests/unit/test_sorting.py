"""Sorting a search's whole match set (relevance, newest, oldest, title), each tab's
matches and the matches per year, on real indexes of the seed dumps."""

from __future__ import annotations

import dataclasses
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import FIXTURES, SEED_LABELS

from index import ORDERS, PAGE, Config, Library, Paper, ReaderCore, SearchSession, first_sentence
from index.engine.order import paper_date, title_key


def keys(library: Library, text: str, **options: object) -> list[str]:
    return [hit.paper.key for hit in library.search(text, limit=None, **options).hits]


def papers(library: Library, text: str, order: str) -> list[Paper]:
    return [hit.paper for hit in library.search(text, limit=None, order=order).hits]


def dated(paper: Paper) -> tuple[bool, int, str]:
    """How newest-first sorts a paper: dated before undated, later first, then by key."""
    return (paper_date(paper) == 0, -paper_date(paper), paper.key)


@pytest.fixture
def wide(dumps: Path, tmp_path: Path) -> Library:
    """The seed dumps, 250 arXiv papers of 2024 to 2026 and three old-style ids."""
    for name in ("arxiv_sample_250.jsonl", "old_ids.txt"):
        shutil.copy(FIXTURES / name, dumps / name)
    library = Library([dumps], tmp_path / "wide-index", Config())
    library.update()
    yield library
    library.close()


def test_newest_first_by_date_then_key_undated_last(library: Library) -> None:
    found = papers(library, "model", "newest")
    assert found == sorted(found, key=dated)
    assert [p.key for p in found[:5]] == [
        "2412.16720",
        "2411.01111",
        "2410.21276",
        "2311.00203",
        "2205.00501",
    ]
    undated = [p.key for p in found if not p.year]
    assert undated == sorted(undated) and len(undated) == 25


def test_oldest_first_keeps_undated_papers_last(library: Library) -> None:
    found = papers(library, "model", "oldest")
    assert [p.key for p in found[:5]] == [
        "2205.00501",
        "2311.00203",
        "2410.21276",
        "2411.01111",
        "2412.16720",
    ]
    assert all(not p.year for p in found[5:])
    assert [p.key for p in found[5:]] == sorted(p.key for p in found[5:])


def test_title_order_ignores_case_articles_and_punctuation(library: Library) -> None:
    found = papers(library, "", "title")
    assert [title_key(p) for p in found] == sorted(title_key(p) for p in found)
    headings = [p.heading() for p in found]
    # "A Mechanism…" sorts under M, "The NSF Workshop…" (a first sentence) under N.
    mechanism = headings.index("A Mechanism for Producing Aligned Latent Spaces with Autoencoders")
    assert headings[mechanism - 1].startswith("Machine learning models")
    assert headings[mechanism + 1].startswith("Model-free reinforcement")
    assert headings[mechanism + 2].startswith("The NSF Workshop")
    assert headings[mechanism + 3] == "OpenAI o1 System Card"
    assert headings[0].startswith("Auto-regressive models")


def test_a_paper_without_a_title_sorts_by_its_first_sentence(library: Library) -> None:
    found = papers(library, "", "title")
    untitled = [p for p in found if not p.title]
    assert len(untitled) > 10  # the seed dumps hold many papers without titles
    for paper in untitled:
        sentence = first_sentence(paper.abstract, 120)
        assert title_key(paper) == title_key(dataclasses.replace(paper, title=sentence))
    # Titled and untitled papers are interleaved, not one group after the other.
    titled = [bool(p.title) for p in found]
    assert sum(a != b for a, b in zip(titled, titled[1:], strict=False)) > 5


def test_title_keys() -> None:
    def key(title: str | None, abstract: str = "An abstract. More.") -> str:
        return title_key(Paper("k", title, None, None, abstract, None, (), (), ()))

    assert key("The Art of Computer Programming") == "art of computer programming"
    assert key("A Mechanism") == key("mechanism") == key("“Mechanism”") == "mechanism"
    assert key("Über Graphen") == "uber graphen"
    assert key("An") == "an"  # a title that is only an article keeps it
    assert key(None, "We study things. Then more.") == "we study things"
    assert key("(Re)thinking $x^2$") == "re thinking x 2"


def test_ties_on_a_date_go_by_key(library: Library) -> None:
    # Undated papers all tie on the date: they follow each other by key either way.
    for order in ("newest", "oldest"):
        undated = [p.key for p in papers(library, "", order) if not p.year]
        assert undated == sorted(undated)


def test_old_style_ids_give_year_and_month(wide: Library) -> None:
    witten = next(p for p in wide.papers() if p.arxiv_id == "hep-th/9802150")
    assert paper_date(witten) == 199802
    found = wide.papers(order="oldest")
    assert [p.arxiv_id for p in found[:3]] == ["hep-th/9802150", "math.AG/0601001", "0704.0033"]
    newest = [p for p in wide.papers() if p.year]
    assert [paper_date(p) for p in newest] == sorted(map(paper_date, newest), reverse=True)
    # Within a year, by month: a December paper before a January one.
    dates = [paper_date(p) for p in newest if p.year == 2025]
    assert dates[0] // 100 == 2025 and dates[0] % 100 > dates[-1] % 100


def test_new_ids_give_the_month() -> None:
    def date(arxiv_id: str | None, year: int | None) -> int:
        return paper_date(Paper("k", "t", arxiv_id, year, "a", None, (), (), ()))

    assert date("2412.16720", 2024) == 202412
    assert date("hep-th/9901001", 1999) == 199901
    assert date(None, 2020) == 202000  # a year without a month
    assert date("2412.16720", None) == 0
    assert date("2413.00001", 2024) == 202400  # no 13th month


def test_an_empty_query_lists_newest_first(library: Library) -> None:
    listed = [h.paper for h in library.search("", limit=None).hits]
    assert listed == papers(library, "", "newest") == sorted(listed, key=dated)
    assert library.papers() == listed


@pytest.mark.parametrize("text", ["model", "", "speech OR safety", "author:jain"])
def test_every_order_finds_the_same_papers(library: Library, text: str) -> None:
    found = {order: keys(library, text, order=order) for order in ORDERS}
    assert len({len(k) for k in found.values()}) == 1
    assert len({frozenset(k) for k in found.values()}) == 1


@pytest.mark.parametrize("order", ORDERS)
def test_a_page_is_the_start_of_the_whole_order(library: Library, order: str) -> None:
    whole = keys(library, "model", order=order)
    page = library.search("model", limit=4, order=order)
    assert [h.paper.key for h in page.hits] == whole[:4]
    assert page.total == len(whole)


def test_an_unknown_order_is_refused(library: Library) -> None:
    with pytest.raises(ValueError, match="no such order"):
        library.search("model", order="random")


TABS = (
    (None, None, None),
    *((label, None, None) for label in SEED_LABELS),
    ("Saachi Jain", None, None),
)


@pytest.mark.parametrize("text", ["model", "safety", "speech OR language", "nothingatall"])
def test_each_tab_counts_what_searching_it_finds(library: Library, text: str) -> None:
    result = library.search(text, tabs=TABS)
    alone = tuple(library.search(text, author=a, source=s).total for a, s, _ in TABS)
    assert result.tab_counts == alone
    assert result.total == alone[0]


def test_a_collection_tab_is_counted_too(library: Library, dumps: Path) -> None:
    source = str(sorted(dumps.glob("*.txt"))[1])
    tabs = ((None, None, None), (None, source, None))
    result = library.search("model", tabs=tabs)
    assert result.tab_counts[1] == library.search("model", source=source).total > 0


@pytest.mark.parametrize("order", ORDERS)
def test_counting_tabs_leaves_the_tab_searched_as_it_was(library: Library, order: str) -> None:
    plain = library.search("model", author="Tony", limit=None, order=order)
    counted = library.search("model", author="Tony", limit=None, order=order, tabs=TABS)
    assert [h.paper.key for h in counted.hits] == [h.paper.key for h in plain.hits]
    # Each paper scores what it scores in the All tab (a tab filter adds nothing).
    everywhere = {h.paper.key: h.score for h in library.search("model", limit=None).hits}
    assert [h.score for h in counted.hits] == [everywhere[h.paper.key] for h in counted.hits]
    assert counted.tab_counts[SEED_LABELS.index("Tony") + 1] == plain.total


def test_no_query_counts_no_tabs(library: Library) -> None:
    result = library.search("", author="Tony", tabs=TABS)
    assert result.tab_counts == () and result.years == ()
    assert result.total == 10


@pytest.mark.parametrize("text", ["learning", "model", "physics OR string"])
def test_matches_per_year_count_the_years_of_the_hits(wide: Library, text: str) -> None:
    result = wide.search(text, limit=None)
    counted = Counter(h.paper.year for h in result.hits if h.paper.year)
    years = dict(result.years)
    assert {year: n for year, n in years.items() if n} == counted
    assert list(years) == list(range(min(counted), max(counted) + 1))  # every year between


def test_matches_per_year_of_a_tab_are_its_own(wide: Library) -> None:
    tony = wide.search("model", author="Tony", limit=None, tabs=TABS)
    assert dict(tony.years) == dict(Counter(h.paper.year for h in tony.hits if h.paper.year))


def test_the_session_asks_in_its_order_and_counts_its_tabs(library: Library) -> None:
    session = SearchSession(library)
    asked = session.ask("model", "Tony", None, order="title", tabs=TABS)
    answer = session.answer(asked)
    assert answer is not None
    expected = library.search("model", author="Tony", order="title")
    assert [h.paper.key for h in answer.result.hits] == [h.paper.key for h in expected.hits]
    assert answer.result.tab_counts == library.search("model", tabs=TABS).tab_counts


def test_a_page_more_keeps_the_order_the_tab_and_the_query(library: Library) -> None:
    core = ReaderCore(library)
    first = core.compute(replace(core.inputs, query="model", exact=True, order="title"))
    assert first.total > PAGE  # (a page more to ask for)
    request = core.more()
    assert request is not None
    asked = request.ask
    assert (asked.order, asked.text, asked.exact, asked.limit) == ("title", "model", True, 2 * PAGE)
    more = core.accept(request, core.answer(request))
    assert more is not None and [h.paper.key for h in more.hits[:PAGE]] == [
        h.paper.key for h in first.hits
    ]


def test_a_tab_of_marks_counts_its_matches_and_follows_the_marks(library: Library) -> None:
    listed = library.papers()
    user = library.user
    for paper in listed[:3]:
        user.set_starred(paper.key, True)
    tabs = ((None, None, None), (None, None, "is:starred"), ("Tony", None, None))
    counted = library.search("model", tabs=tabs)
    starred = library.search("model", marks="is:starred")
    assert counted.tab_counts[1] == starred.total > 0
    inside = library.search("model", marks="is:starred", tabs=tabs, limit=None)
    assert [h.paper.key for h in inside.hits] == [
        h.paper.key for h in library.search("model", marks="is:starred", limit=None).hits
    ]
    # A star more: the next search counts it.
    more = next(
        h.paper.key
        for h in library.search("model", limit=None).hits
        if not user.keys(starred=True) >= {h.paper.key}
    )
    user.set_starred(more, True)
    assert library.search("model", tabs=tabs).tab_counts[1] == starred.total + 1
