"""Reading new papers as a feed: J/K walk the unread papers of the list, A marks
every paper of the list read after asking, U undoes exactly that."""

from __future__ import annotations

import pytest
from helpers import notice_texts, settle, until

from index import Library, UserDB
from tui.app import AbstractsApp
from tui.screens.confirm import ConfirmScreen
from tui.widgets import abstract_viewer
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.result_list import ResultList


@pytest.fixture(autouse=True)
def read_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A paper shown for a moment counts as read: here only the keys mark papers."""
    monkeypatch.setattr(abstract_viewer, "READ_AFTER", 3600.0)


def results(app: AbstractsApp) -> ResultList:
    return app.main.query_one(ResultList)


def database(app: AbstractsApp) -> UserDB:
    return UserDB.for_library(app.library.index_dir)


def read_keys(app: AbstractsApp) -> set[str]:
    """The papers the database holds read."""
    return {key for key, state in database(app).all_states().items() if state.read}


def list_keys(library: Library, query: str = "") -> list[str]:
    return [hit.paper.key for hit in library.search(query, limit=None, order="newest").hits]


async def test_j_and_k_walk_the_unread_papers(library: Library) -> None:
    keys = list_keys(library)
    for index in (0, 1, 3, 4, 5):
        library.user.set_read(keys[index])
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert [hit.paper.key for hit in results(app).hits[:6]] == keys[:6]
        assert results(app).highlighted == 0
        await pilot.press("J")
        await settle(pilot)
        assert results(app).highlighted == 2  # 1 is read
        assert app.main.query_one(AbstractViewer).hit.paper.key == keys[2]
        await pilot.press("J")
        await settle(pilot)
        assert results(app).highlighted == 6  # 3, 4 and 5 are read
        await pilot.press("K")
        await settle(pilot)
        assert results(app).highlighted == 2
        await pilot.press("K")
        await settle(pilot)
        assert results(app).highlighted == 2  # 0 and 1 are read: it stays, and says so
        assert "No unread paper before this one in the list." in notice_texts(app)


async def test_j_looks_past_the_papers_loaded(library: Library) -> None:
    keys = list_keys(library)
    assert len(keys) > 21  # more than a page
    library.user.set_read_many(keys[:21])  # the whole first page, and one more
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(results(app).hits) < 22
        await pilot.press("J")
        await until(pilot, lambda: results(app).highlighted == 21)
        assert results(app).highlighted_hit.paper.key == keys[21]


async def test_a_asks_then_marks_the_list_read_and_u_undoes_exactly_that(
    library: Library,
) -> None:
    speech = list_keys(library, "speech")
    others = set(list_keys(library)) - set(speech)
    before = {speech[0], next(iter(others))}  # read already: one of the list, one not
    library.user.set_read_many(before)
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"speech", "enter")
        await settle(pilot)
        assert {hit.paper.key for hit in results(app).hits} == set(speech)

        await pilot.press("A")  # asks first: no says no
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is app.main
        assert read_keys(app) == before

        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: read_keys(app) == before | set(speech))
        # The list and the view say so: every row read, the view's marks too.
        await until(pilot, lambda: all(s.read for s in results(app).states.values()))
        assert set(results(app).states) == set(speech)
        view = app.main.view
        assert view is not None
        assert all(view.states[key].read for key in speech)
        assert app.main.query_one(AbstractViewer).state.read
        assert any(
            text.startswith(f"Marked {len(speech) - 1} papers read") for text in notice_texts(app)
        )

        await pilot.press("U")  # the papers unread before are unread again, no others
        await until(pilot, lambda: read_keys(app) == before)
        await until(pilot, lambda: not results(app).states[speech[1]].read)
        view = app.main.view
        assert view is not None
        assert {key for key in speech if view.states.get(key) and view.states[key].read} == {
            speech[0]
        }
        await pilot.press("U")  # once only
        await settle(pilot)
        assert "Nothing to undo: A marks every paper of the list read." in notice_texts(app)
        assert read_keys(app) == before
