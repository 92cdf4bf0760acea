"""History and navigation: the queries settled on (up/down, ctrl+r), going back to
the place before a "go somewhere" (backspace / escape), and opening where the
reader was left."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import notices, palette, settle, until
from textual.widgets import DataTable, OptionList

from index import Config, Library, Place
from tui import cli
from tui.app import AbstractsApp
from tui.screens import main as main_screen
from tui.screens.history import HistoryScreen
from tui.screens.related import RelatedScreen
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.author_tabs import AuthorTabs, TabFilter
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox


def box(app: AbstractsApp) -> SearchBox:
    return app.screen.query_one(SearchBox)


def results(app: AbstractsApp) -> ResultList:
    return app.screen.query_one(ResultList)


def selected_key(app: AbstractsApp) -> str | None:
    hit = results(app).highlighted_hit
    return hit.paper.key if hit else None


def searched(app: AbstractsApp) -> str:
    """The query of the results shown."""
    view = app.main.view
    assert view is not None
    return view.inputs.query


async def test_up_and_down_walk_the_queries_settled_on(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        search = box(app)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"speech", "enter")  # settled with enter
        await settle(pilot)
        await pilot.press("slash", "ctrl+u", *"heterophily", "down")  # by leaving the box
        await settle(pilot)
        assert isinstance(app.focused, ResultList)
        # Settled queries only, newest first: not one per keystroke.
        assert app.library.user.queries() == ["heterophily", "speech"]

        await pilot.press("slash", "up")  # the box holds the query settled on
        await settle(pilot)
        assert search.value == "speech" and searched(app) == "speech"
        await pilot.press("up")  # the oldest: stays
        assert search.value == "speech"
        await pilot.press("down")
        await settle(pilot)
        assert search.value == "heterophily" and searched(app) == "heterophily"
        assert app.focused is search
        await pilot.press("down")  # no newer query: down goes to the results, as ever
        assert isinstance(app.focused, ResultList) and search.value == "heterophily"

        # An edited query is not walked: up does nothing, down goes to the results.
        await pilot.press("slash", "backspace", "up")
        assert search.value == "heterophil"
        await pilot.press("down")
        assert isinstance(app.focused, ResultList)
        # On an empty box, up starts from the newest.
        await pilot.press("slash", "ctrl+u", "up")
        await settle(pilot)
        assert search.value == "heterophil"  # settled when it was left
        await pilot.press("up", "up")
        assert search.value == "speech"


async def test_down_on_an_empty_box_without_history_goes_to_the_results(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "up")  # in the search box: no history to walk
        assert app.focused is box(app) and box(app).value == ""
        await pilot.press("down")
        assert isinstance(app.focused, ResultList)


async def test_history_comes_from_the_store_deduplicated_and_the_last_500(
    app: AbstractsApp,
) -> None:
    user = app.library.user
    for number in range(510):
        user.remember_query(f"query {number}")
    user.remember_query("query 5")  # again: first, and once
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "up")  # in the search box: the newest query
        await settle(pilot)
        assert box(app).value == "query 5"
        await pilot.press("up")
        assert box(app).value == "query 509"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert len(app.screen.shown) == 500 and app.screen.shown[:2] == ["query 5", "query 509"]
        await pilot.press("escape")
        # A query typed again goes first, still once, and the oldest drop out.
        await pilot.press("ctrl+u", *"query 300", "enter")
        await settle(pilot)
    queries = user.queries()
    assert queries[:3] == ["query 300", "query 5", "query 509"]
    assert len(queries) == 500 and queries.count("query 300") == 1
    assert "query 10" not in queries  # among the oldest


async def test_ctrl_r_filters_the_history_and_searches_the_query_picked(
    app: AbstractsApp,
) -> None:
    for text in ("speech recognition", "[b]not bold[/b]", "heterophily", "Speech synthesis"):
        app.library.user.remember_query(text)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        options = screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(3)]
        assert prompts == ["Speech synthesis", "heterophily", "[b]not bold[/b]"]  # as typed
        await pilot.press(*"SPEECH")  # filtered as typed, in any case
        assert screen.shown == ["Speech synthesis", "speech recognition"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryScreen)
        assert box(app).value == "speech recognition"
        assert searched(app) == "speech recognition" and app.main.shown_exact
        assert isinstance(app.focused, ResultList)
        assert app.library.user.queries()[0] == "speech recognition"

        await pilot.press("ctrl+r", *"heteroph", "escape")  # escape: nothing changes
        await settle(pilot)
        assert box(app).value == "speech recognition"
        await pilot.press("ctrl+r", *"nothing like it", "enter")  # no match: stays open
        assert isinstance(app.screen, HistoryScreen)


async def _somewhere_down_the_list(pilot, app: AbstractsApp) -> Place:  # type: ignore[no-untyped-def]
    """Search `model` in Tony's tab, go eight papers down the list and three up: a
    scroll position that the selected paper alone would not give."""
    await pilot.press("slash", *"model", "enter", "5")  # typed in the search box
    await settle(pilot)
    assert app.screen.query_one(AuthorTabs).author == "Tony"
    await pilot.press(*"j" * 8)
    await settle(pilot)
    scroll = results(app).scroll_offset.y
    await pilot.press(*"k" * 3)
    await settle(pilot)
    place = app.main.place()
    assert (
        place.query == "model" and place.key == selected_key(app) == results(app).hits[5].paper.key
    )
    assert scroll > 0 and place.scroll > 0
    return place


def assert_back_at(app: AbstractsApp, place: Place) -> None:
    assert box(app).value == place.query and searched(app) == place.query
    assert app.screen.query_one(AuthorTabs).filter == place.tab
    assert selected_key(app) == place.key
    assert app.screen.query_one(AbstractViewer).hit.paper.key == place.key
    # The selected paper where it stood in the window (rows above it may have
    # changed: a paper read meanwhile loses its dot, and its title wraps otherwise).
    list_ = results(app)
    assert place.row is not None
    assert list_.row_top(list_.highlighted) - list_.scroll_offset.y == place.row - place.scroll
    assert isinstance(app.focused, ResultList)


async def test_back_after_a_related_paper_restores_the_list(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        place = await _somewhere_down_the_list(pilot, app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert box(app).value.startswith(("id:", "key:"))
        assert app.screen.query_one(AuthorTabs).author is None
        assert isinstance(app.focused, AbstractViewer)
        await pilot.press("escape")  # the viewer: to the list
        assert isinstance(app.focused, ResultList)
        await pilot.press("escape")  # the list: back to the place before
        await settle(pilot)
        assert_back_at(app, place)
        await pilot.press("escape")  # nowhere further back: up to the search box
        assert app.focused is box(app)
        assert app.library.user.queries() == ["model"]  # a paper gone to is no query


async def test_back_after_going_to_an_author_restores_the_list(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        place = await _somewhere_down_the_list(pilot, app)
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("Alex"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "Alex"
        assert box(app).value == "model"
        await pilot.press("backspace")
        await settle(pilot)
        assert_back_at(app, place)

        # From the palette, twice: back one place at a time.
        await palette(pilot, "Go to author Alex")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await palette(pilot, "Go to all papers")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author is None
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "Alex"
        await pilot.press("backspace")
        await settle(pilot)
        assert_back_at(app, place)
        await pilot.press("backspace")  # nothing left: nothing happens
        await settle(pilot)
        assert_back_at(app, place)


async def test_back_loads_the_pages_the_list_had(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(2):  # at the end, the next page comes
            await pilot.press("G")
            await settle(pilot)
        place = app.main.place()
        assert place.shown == 37 and place.key == results(app).hits[36].paper.key
        await palette(pilot, "Go to author Tony")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert len(results(app).hits) == 10
        await pilot.press("escape")
        await settle(pilot)
        assert len(results(app).hits) == 37
        assert_back_at(app, place)


def reader(
    dumps: Path, index_dir: Path, config: Config | None = None, **options: bool
) -> AbstractsApp:
    """A reader on the same library each time (the same index and data folders)."""
    library = Library([dumps], index_dir, config or Config())
    library.update()
    return AbstractsApp(library, **options)


async def _leave_somewhere(dumps: Path, index_dir: Path) -> Place:
    app = reader(dumps, index_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        place = await _somewhere_down_the_list(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running
    return place


async def test_the_reader_opens_where_it_was_left(dumps: Path, index_dir: Path) -> None:
    place = await _leave_somewhere(dumps, index_dir)
    app = reader(dumps, index_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        search = box(app)
        assert search.value == "model" and searched(app) == "model"
        assert app.screen.query_one(AuthorTabs).author == "Tony"
        assert selected_key(app) == place.key
        assert app.screen.query_one(AbstractViewer).hit.paper.key == place.key
        assert isinstance(app.focused, ResultList)  # the reader opens on the list
        # The query restored is selected: typing in the box replaces it.
        await pilot.press("slash", *"speech")
        await settle(pilot)
        assert search.value == "speech"


@pytest.mark.parametrize("how", ["flag", "config"])
async def test_restore_is_off_with_the_flag_or_the_config(
    dumps: Path, tmp_path: Path, index_dir: Path, how: str
) -> None:
    await _leave_somewhere(dumps, index_dir)
    if how == "flag":
        app = reader(dumps, index_dir, restore=False)
    else:
        config = tmp_path / "config.toml"
        config.write_text("restore = false\n")
        app = reader(dumps, index_dir, Config.load(config))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert box(app).value == "" and app.screen.query_one(AuthorTabs).author is None
        assert selected_key(app) == results(app).hits[0].paper.key


async def test_the_place_is_saved_as_it_changes_not_only_at_quit(
    dumps: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_screen, "SAVE_EVERY", 0.1)
    app = reader(dumps, index_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"speech", "enter", "j")
        await settle(pilot)
        key = selected_key(app)

        def saved() -> dict | None:
            return app.library.user.load_session()

        await until(pilot, lambda: (saved() or {}).get("key") == key)
        place = saved()
    # Left without quitting (a closed terminal): what was saved on the way is there.
    assert place is not None and place["query"] == "speech" and place["key"] == key


@pytest.mark.parametrize("paper", ["there", "gone"])
async def test_a_paper_or_tab_gone_since_is_skipped_quietly(
    dumps: Path, index_dir: Path, paper: str
) -> None:
    app = reader(dumps, index_dir)
    hits = app.library.search("speech").hits
    key = hits[2].paper.key if paper == "there" else "no such paper"
    gone = Place("speech", TabFilter(author="Nobody Here"), key=key, scroll=3.0, shown=20)
    app.library.user.save_session(gone.to_json())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # The tab is skipped: the query and the paper in the All tab.
        assert box(app).value == "speech" and searched(app) == "speech"
        assert app.screen.query_one(AuthorTabs).author is None
        expected = key if paper == "there" else hits[0].paper.key
        assert selected_key(app) == expected
        assert not notices(app)


async def test_a_damaged_saved_place_is_ignored(dumps: Path, index_dir: Path) -> None:
    app = reader(dumps, index_dir)
    app.library.user.save_session({"tab": "not a tab", "query": 3})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert box(app).value == "" and searched(app) == ""
        assert not notices(app)


def test_the_flag_turns_restore_off(
    dumps: Path, tmp_path: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []

    def run(self: AbstractsApp) -> None:  # the app as the command line made it
        started.append(self.main.places.restoring)

    monkeypatch.setattr(AbstractsApp, "run", run)
    index_dir = str(tmp_path / "index")
    assert cli.main([str(dumps), "--index-dir", index_dir]) == 0
    assert cli.main([str(dumps), "--index-dir", index_dir, "--no-restore"]) == 0
    assert started == [True, False]


def test_the_config_key_must_be_true_or_false(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("restore = false\n")
    assert Config.load(config).restore is False
    assert Config.load(tmp_path / "missing.toml").restore is True
    config.write_text('restore = "no"\n')
    [problem] = Config.load(config).problems
    assert "restore must be true or false" in str(problem)


async def test_history_and_places_are_read_and_written_off_the_event_loop(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = app.library.user
    user.remember_query("speech")
    user.save_session(Place("model").to_json())
    on_loop: list[str] = []
    called: set[str] = set()

    def recording(name: str) -> Callable[..., Any]:
        function = getattr(user, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            called.add(name)
            if threading.current_thread() is threading.main_thread():
                on_loop.append(name)
            return function(*args, **kwargs)

        return recorded

    used = ("remember_query", "queries", "save_session", "load_session")
    for name in used:
        monkeypatch.setattr(user, name, recording(name))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert box(app).value == "model"  # restored
        await pilot.press("slash", "ctrl+u", *"heterophily", "enter")
        await settle(pilot)
        await pilot.press("ctrl+r", "enter")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert called == set(used) and on_loop == []
    assert user.queries() == ["heterophily", "speech"]
    assert user.load_session()["query"] == "heterophily"  # type: ignore[index]
