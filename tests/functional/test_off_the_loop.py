"""What reads the index or the state folder runs in a worker, never on the event
loop: pinning and unpinning an author, the palette's author commands, and opening
a related paper leave the keys free while the disk is slow."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from helpers import FIXTURES, notices, on_the_loop, palette, settle

import tui.app
from index import Config, Library, StoreError
from tui.app import AbstractsApp
from tui.screens.related import RelatedScreen
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.search_box import SearchBox


def _tab_labels(app: AbstractsApp) -> list[str]:
    return [str(tab.label) for tab in app.screen.query("Tab")]


async def test_pins_and_related_papers_read_off_the_event_loop(
    dumps: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", dumps / "snapshot.jsonl")
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    on_loop: list[str] = []
    for name in ("get", "shelves", "authors", "count", "collections"):
        monkeypatch.setattr(library, name, on_the_loop(getattr(library, name), name, on_loop))
    monkeypatch.setattr(tui.app, "set_pinned", on_the_loop(tui.app.set_pinned, "pins", on_loop))
    app = AbstractsApp(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert threading.current_thread() is threading.main_thread()  # the loop's thread
        # The collection's tab, newest first: its oldest paper, Maldacena's, is last.
        await pilot.press("7", "G")
        await settle(pilot)
        await palette(pilot, "Pin author Juan")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert _tab_labels(app)[-1] == "★ Juan M. Maldacena 1"
        await palette(pilot, "Unpin author Juan")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not any("Maldacena" in label for label in _tab_labels(app))

        await pilot.press("1", "slash", *"heterophily", "down")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        key = app.screen.hits[0].paper.key
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(SearchBox).value == f"key:{key}"
        assert app.screen.query_one(AbstractViewer).hit.paper.key == key
    assert on_loop == []


async def test_the_palette_offers_its_actions_when_the_authors_cannot_be_read(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"id:2412.16720", "down")
        await settle(pilot)

        def unreadable() -> None:
            raise StoreError("the index in /x is damaged (a test)")

        monkeypatch.setattr(app.library, "shelves", unreadable)
        await palette(pilot, "Copy BibTeX")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard.startswith("@misc{")
        notes = [(n.title, n.message) for n in notices(app)]
        assert ("Could not list the authors", "the index in /x is damaged (a test)") in notes
