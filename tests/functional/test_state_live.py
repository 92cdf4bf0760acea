"""Marks set outside the reader (a second reader, `abstracts star` in a script) show
in it within a moment, without a key pressed: the list's marks, the tabs and their
counts, the viewer's paper, a search on marks. The reader's own changes are not
shown twice, and --no-watch leaves the state as it was read until the next key."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import paste, run, settle, until
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownBlock

from index import Library, StateWatcher, UserDB
from tui.app import AbstractsApp
from tui.screens import main
from tui.widgets import abstract_viewer
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox

O1 = "2412.16720"  # the o1 System Card: in every seed dump


@pytest.fixture(autouse=True)
def read_by_keys_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No paper counts as read by being shown: the reader writes only what a test says."""
    monkeypatch.setattr(abstract_viewer, "READ_AFTER", 3600.0)


def other(app: AbstractsApp) -> UserDB:
    """The library's state as another process opens it: a connection of its own."""
    return UserDB.for_library(app.library.index_dir)


async def following(pilot: Pilot) -> None:
    """The reader has shown the library and watches the state's folder."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, AbstractsApp)
    watcher = app.main.reading.watcher
    assert watcher is not None
    await until(pilot, lambda: watcher.wait_ready(0))


async def find(pilot: Pilot, query: str) -> None:
    """Search (the query pasted), then go to the results (the best paper highlighted)."""
    pilot.app.main.action_focus_search()
    pilot.app.main.query_one(SearchBox).value = ""
    await paste(pilot, query)
    await pilot.press("enter")
    await settle(pilot)


def results(app: AbstractsApp) -> ResultList:
    return app.main.query_one(ResultList)


def row(app: AbstractsApp, index: int) -> str:
    return results(app).row_text(index)


def highlighted(app: AbstractsApp) -> str | None:
    hit = results(app).highlighted_hit
    return hit.paper.key if hit else None


def tab_labels(app: AbstractsApp) -> list[str]:
    return [str(tab.label) for tab in app.main.query("Tab")]


def note_shown(app: AbstractsApp) -> list[str]:
    markdown = app.main.query_one(AbstractViewer).query_one("#viewer-note", Markdown)
    if not markdown.display:
        return []
    blocks = [block.render() for block in markdown.query(MarkdownBlock)]
    return [block.plain for block in blocks if isinstance(block, Content)]


async def test_a_star_and_a_tag_from_another_connection_show_in_place(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(140, 36)) as pilot:
        await following(pilot)
        await find(pilot, "speech")
        await pilot.press("j", "j")
        await settle(pilot)
        place, key = results(app).highlighted, highlighted(app)
        assert place == 2 and key is not None
        assert "★" not in row(app, place)
        assert not any("Starred" in label for label in tab_labels(app))

        writer = other(app)
        writer.set_starred(key, True)
        writer.add_tag(key, "survey")
        await until(pilot, lambda: "★ " in row(app, place))

        assert "#survey" in row(app, place)
        assert tab_labels(app)[:2] == ["All  6/37", "★ Starred 1/1"]
        assert (results(app).highlighted, highlighted(app)) == (place, key)
        marks = app.main.query_one(AbstractViewer).query_one("#viewer-marks", Static)
        assert "★ starred" in str(marks.content) and "#survey" in str(marks.content)

        # Taken off elsewhere: the mark and the tab go.
        writer.set_starred(key, False)
        await until(pilot, lambda: "★" not in row(app, place))
        assert not any("Starred" in label for label in tab_labels(app))
        assert highlighted(app) == key
        writer.close()
        watcher = app.main.reading.watcher
    assert watcher is not None and not watcher.running  # stopped with the reader


async def test_a_note_set_elsewhere_shows_in_the_viewer(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await following(pilot)
        await find(pilot, f"id:{O1}")
        await pilot.press("enter")  # opened in the viewer
        await settle(pilot)
        key = highlighted(app)
        assert key is not None and note_shown(app) == []
        tabs = list(app.main.query("Tab"))
        writer = other(app)
        writer.set_note(key, "# From the script\n\n[b]kept as text[/b]")
        await until(pilot, lambda: "From the script" in note_shown(app))
        assert "[b]kept as text[/b]" in note_shown(app)
        assert list(app.main.query("Tab")) == tabs  # no count changed: not made again
        writer.close()


async def test_a_search_on_marks_follows_changes_made_elsewhere(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await following(pilot)
        await find(pilot, "tag:later")
        assert results(app).hits == []
        await find(pilot, f"id:{O1}")
        key = highlighted(app)
        assert key is not None
        await find(pilot, "tag:later")
        writer = other(app)
        writer.add_tag(key, "later")
        await until(pilot, lambda: [h.paper.key for h in results(app).hits] == [key])
        writer.remove_tag(key, "later")
        await until(pilot, lambda: results(app).hits == [])
        writer.close()


async def test_the_first_star_ever_by_the_command_line_shows(
    app: AbstractsApp, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reader writes nothing of its own (its place is saved every hour): the
    # command line's star is the first the library's state ever had.
    monkeypatch.setattr(main, "SAVE_EVERY", 3600.0)
    state = other(app).path
    async with app.run_test(size=(140, 36)) as pilot:
        await following(pilot)  # no key pressed: no query remembered either
        assert not state.exists()
        key = highlighted(app)
        assert key is not None and key == results(app).hits[0].paper.key
        index_dir = app.library.index_dir
        done = await asyncio.to_thread(
            run, "star", key, "--index-dir", index_dir, env_home=isolated_home
        )
        assert done.returncode == 0, done.stderr
        await until(pilot, lambda: "★ " in row(app, 0))
        assert highlighted(app) == key
        assert "★ Starred 1" in tab_labels(app)


async def test_the_readers_own_star_is_searched_again_once(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = app.library.user
    asked: list[bool] = []  # what the reader made of each write it saw
    changed_elsewhere = user.changed_elsewhere

    def recorded() -> bool:
        asked.append(changed_elsewhere())
        return asked[-1]

    monkeypatch.setattr(user, "changed_elsewhere", recorded)
    # The reader's other writes: its place (saved every hour here), and the query.
    monkeypatch.setattr(main, "SAVE_EVERY", 3600.0)
    async with app.run_test(size=(140, 36)) as pilot:
        await following(pilot)
        await find(pilot, "speech")
        await until(pilot, lambda: asked)  # the query remembered: that write seen first
        searches: list[str | None] = []
        ask = app.main.ask

        def counted(request, then=None) -> None:  # type: ignore[no-untyped-def]
            if request is not None:  # a view asked again
                searches.append(highlighted(app))
            ask(request, then)

        monkeypatch.setattr(app.main, "ask", counted)
        asked.clear()
        await pilot.press("s")  # the reader's own: searched again once, by the key
        await until(pilot, lambda: asked)  # its write was seen on disk
        assert asked == [False] and len(searches) == 1

        # A star from elsewhere: one search more.
        second = results(app).hits[1].paper.key
        writer = other(app)
        writer.set_starred(second, True)
        await until(pilot, lambda: "★ " in row(app, 1))
        assert True in asked and len(searches) == 2
        writer.close()


async def test_no_watch_shows_changes_elsewhere_at_the_next_key_only(library: Library) -> None:
    app = AbstractsApp(library, watch=False)
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        assert app.main.reading.watcher is None
        await find(pilot, f"id:{O1}")
        key = highlighted(app)
        assert key is not None
        # A watcher of the reader's own kind, to tell when a watching reader would
        # have been told of the write.
        told = threading.Event()
        watcher = StateWatcher(app.library.user.path, told.set, lambda problem: None)
        watcher.start()
        try:
            assert watcher.wait_ready(5)
            other(app).set_starred(key, True)
            await until(pilot, told.is_set)
        finally:
            watcher.stop()
        assert "★" not in row(app, 0)
        await find(pilot, f"id:{O1}")  # the next search reads the marks
        assert "★ " in row(app, 0)


def recording(
    function: Callable[..., object], name: str, on_loop: list[str]
) -> Callable[..., object]:
    def recorded(*args: object, **kwargs: object) -> object:
        if threading.current_thread() is threading.main_thread():
            on_loop.append(name)
        return function(*args, **kwargs)

    return recorded


async def test_changes_elsewhere_are_read_off_the_event_loop(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = app.library.user
    on_loop: list[str] = []
    for name in ("state", "states", "keys", "tags", "version", "changed_elsewhere"):
        monkeypatch.setattr(user, name, recording(getattr(user, name), name, on_loop))
    async with app.run_test(size=(140, 36)) as pilot:
        await following(pilot)
        await find(pilot, f"id:{O1}")
        key = highlighted(app)
        assert key is not None
        writer = other(app)
        writer.set_starred(key, True)
        writer.set_note(key, "noted")
        await until(pilot, lambda: "★ " in row(app, 0) and "noted" in note_shown(app))
        writer.close()
    assert on_loop == []
