"""The reader's search session: the newest search wins, pages grow, few hits get
a corrected query. Over a real index of the bundled samples."""

from __future__ import annotations

import shutil
import threading

import pytest
from helpers import FIXTURES

from index import PAGE, Config, Library, SearchSession


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("session")
    dump = folder / "arxiv.jsonl"
    shutil.copy(FIXTURES / "arxiv_sample_250.jsonl", dump)
    found = Library([dump], folder / "index", Config())
    found.update()
    return found


def test_an_answer_is_the_search_as_the_library_gives_it(library: Library) -> None:
    session = SearchSession(library)
    answer = session.answer(session.ask("network", exact=True))
    assert answer is not None
    direct = library.search("network", limit=PAGE)
    assert [h.paper.key for h in answer.result.hits] == [h.paper.key for h in direct.hits]
    assert answer.result.total == direct.total > PAGE


def test_a_search_asked_before_a_newer_one_gets_no_answer(library: Library) -> None:
    session = SearchSession(library)
    first = session.ask("network")
    second = session.ask("graph")
    assert session.answer(first) is None
    assert not session.is_current(first)
    answer = session.answer(second)
    assert answer is not None and answer.ask.text == "graph"


def test_a_newer_search_calls_off_one_under_way(library: Library) -> None:
    """A search waiting for its turn, or running, is dropped when a newer one is asked."""
    session = SearchSession(library)
    first = session.ask("network")
    answers: list = []
    with session._turn:  # another search holds the turn
        waiting = threading.Thread(target=lambda: answers.append(session.answer(first)))
        waiting.start()
        session.ask("graph")
    waiting.join(10)
    assert answers == [None]


def test_little_found_offers_a_corrected_query(library: Library) -> None:
    session = SearchSession(library)
    answer = session.answer(session.ask("kuramotto", exact=True))
    assert answer is not None and answer.suggestion == "kuramoto"
    plenty = session.answer(session.ask("network", exact=True))
    assert plenty is not None and plenty.suggestion is None


def test_a_tab_searches_within_its_author(library: Library) -> None:
    session = SearchSession(library)
    author = library.search("network", limit=1).hits[0].paper.authors[0]
    answer = session.answer(session.ask("network", author=author, exact=True))
    assert answer is not None and answer.result.hits
    assert all(author in h.paper.authors for h in answer.result.hits)


def test_again_asks_the_last_search_once_more_with_its_pages(library: Library) -> None:
    session = SearchSession(library)
    assert session.again() is None  # nothing asked yet
    first = session.ask("network", author=None, exact=True)
    paged = session.ask("", more=True)
    again = session.again()
    assert again is not None and session.is_current(again) and not session.is_current(paged)
    assert (again.text, again.exact, again.limit) == (first.text, True, 2 * PAGE)
    answer = session.answer(again)
    assert answer is not None and len(answer.result.hits) == min(2 * PAGE, answer.result.total)
    assert len(answer.result.hits) > PAGE
