"""SVG snapshots of the reader: look at the report before updating them."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from helpers import settle

from index import Config, Library
from tui.app import AbstractsApp
from tui.widgets.search_box import SearchBox

# Textual's rendering changes between releases; the pictures were taken with this one,
# which the test extra pins. Another one fails here, loudly, rather than skip.
SNAPSHOT_TEXTUAL = "8.2.8"


def test_the_pictures_were_taken_with_this_textual() -> None:
    assert version("textual") == SNAPSHOT_TEXTUAL, (
        f"snapshots were taken with textual {SNAPSHOT_TEXTUAL}, this is {version('textual')}: "
        "install the test extra, or take them again (pytest --snapshot-update) and look"
    )


def reader(dumps: Path, tmp_path: Path) -> AbstractsApp:
    library = Library([dumps], tmp_path / "index", Config())
    library.update()  # built beforehand: no "index updated" toast in the picture
    return AbstractsApp(library)


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(SearchBox).cursor_blink = False
    await settle(pilot)


def test_main_screen(snap_compare, dumps: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(reader(dumps, tmp_path), terminal_size=(100, 30), run_before=ready)


def test_search_with_highlights(snap_compare, dumps: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press(*"reinforcement learning", "enter")
        await settle(pilot)

    assert snap_compare(reader(dumps, tmp_path), terminal_size=(100, 30), run_before=search)


def test_author_tab(snap_compare, dumps: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def jain(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "6", "j", "enter")
        await settle(pilot)

    assert snap_compare(reader(dumps, tmp_path), terminal_size=(120, 36), run_before=jain)


def test_help(snap_compare, dumps: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def help_screen(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "question_mark")
        await settle(pilot)

    assert snap_compare(reader(dumps, tmp_path), terminal_size=(100, 30), run_before=help_screen)
