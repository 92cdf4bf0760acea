"""The reader's search session: the newest search wins, pages grow, few hits get
a corrected query. Over a real index of the bundled samples."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace

import pytest
from helpers import FIXTURES

from index import PAGE, Config, Library, ReaderCore, SearchSession


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


def test_dumps_changed_ask_the_shown_search_again_with_its_pages(library: Library) -> None:
    core = ReaderCore(library)
    core.compute(replace(core.inputs, query="network", exact=True))
    paged = core.more()
    assert paged is not None
    shown = core.accept(paged, core.answer(paged))
    assert shown is not None and len(shown.hits) > PAGE
    again = core.library_changed()
    assert core.is_current(again) and not core.is_current(paged)
    asked = again.ask
    assert (asked.text, asked.exact, asked.limit) == ("network", True, 2 * PAGE)
    view = core.answer(again)
    assert view is not None and [h.paper.key for h in view.hits] == [
        h.paper.key for h in shown.hits
    ]
