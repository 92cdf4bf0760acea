"""SVG snapshots of the reader: look at the report before updating them."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest
from helpers import settle
from textual.widgets import TextArea

from index import Config, Library, sample_dumps
from tui.app import AbstractsApp
from tui.widgets import abstract_viewer
from tui.widgets.search_box import SearchBox

# Textual's rendering changes between releases; the pictures were taken with this one,
# which the test extra pins. Another one fails here, loudly, rather than skip.
SNAPSHOT_TEXTUAL = "8.2.8"


def test_the_pictures_were_taken_with_this_textual() -> None:
    assert version("textual") == SNAPSHOT_TEXTUAL, (
        f"snapshots were taken with textual {SNAPSHOT_TEXTUAL}, this is {version('textual')}: "
        "install the test extra, or take them again (pytest --snapshot-update) and look"
    )


@pytest.fixture(autouse=True)
def no_reading_by_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A paper shown for a moment counts as read: no picture may depend on how long
    it took to take."""
    monkeypatch.setattr(abstract_viewer, "READ_AFTER", 3600.0)


def reader(library: Library) -> AbstractsApp:
    return AbstractsApp(library)  # indexed beforehand: no "index updated" toast in the picture


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(SearchBox).cursor_blink = False
    await settle(pilot)


def test_main_screen(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(reader(library), terminal_size=(100, 30), run_before=ready)


def test_search_with_highlights(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("slash", *"reinforcement learning", "enter")
        await settle(pilot)

    assert snap_compare(reader(library), terminal_size=(100, 30), run_before=search)


def test_author_tab(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    async def jain(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "6", "j", "enter")
        await settle(pilot)

    assert snap_compare(reader(library), terminal_size=(120, 36), run_before=jain)


def test_help(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    async def help_screen(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "question_mark")
        await settle(pilot)

    assert snap_compare(reader(library), terminal_size=(100, 30), run_before=help_screen)


@pytest.mark.parametrize("where", ["list", "search box"])
def test_help_at_80x24(snap_compare, library: Library, where: str) -> None:  # type: ignore[no-untyped-def]
    """The keys of the part with focus first, their column never wrapped."""

    async def help_screen(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down" if where == "list" else "slash", "question_mark")
        await settle(pilot)

    assert snap_compare(reader(library), terminal_size=(80, 24), run_before=help_screen)


def marked_reader(library: Library) -> AbstractsApp:
    """The reader with three speech papers starred, tagged, one read, one with a note."""
    app = reader(library)
    user = app.library.user
    first, second, third = (hit.paper.key for hit in app.library.search("speech", limit=3).hits)
    for key in (first, second, third):
        user.set_starred(key, True)
    user.add_tag(first, "survey")
    user.add_tag(first, "speech")
    user.add_tag(third, "to-cite")
    user.set_read(second)
    user.set_note(first, "## Why it matters\n\n- *compare* with the o1 card\n- [b]not markup[/b]")
    return app


def test_starred_tab(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    async def starred(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "2")
        await settle(pilot)

    app = marked_reader(library)
    assert snap_compare(app, terminal_size=(120, 36), run_before=starred)


def test_note_editor(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    async def editing(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "2", "e")
        await settle(pilot)
        pilot.app.screen.query_one(TextArea).cursor_blink = False
        await pilot.press("enter", *"Read the appendix.")
        await settle(pilot)

    app = marked_reader(library)
    assert snap_compare(app, terminal_size=(100, 30), run_before=editing)


def linked_reader(library: Library) -> AbstractsApp:
    """The marked reader, its first starred paper's note holding links."""
    app = marked_reader(library)
    first = app.library.search("speech", limit=1).hits[0].paper.key
    app.library.user.set_note(
        first, "Compare arXiv:2410.21276 and [the card](https://openai.com/o1)."
    )
    return app


@pytest.mark.parametrize("key", ["t", "r", "l"], ids=["tags", "related", "links"])
def test_dialog_over_the_paper(snap_compare, library: Library, key: str) -> None:  # type: ignore[no-untyped-def]
    """Each dialog on the lower half, the paper it is about dimmed above it."""

    async def opened(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "2", key)  # the starred tab's first paper
        await settle(pilot)

    assert snap_compare(linked_reader(library), terminal_size=(100, 30), run_before=opened)


def test_author_chart(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    async def listing_author(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "a", "down", "down")  # the arXiv listing's dump
        await settle(pilot)

    assert snap_compare(reader(library), terminal_size=(120, 40), run_before=listing_author)


def math_reader(folder: Path) -> AbstractsApp:
    """The reader on one math-heavy abstract of the shared corpus (arXiv 2510.08714)."""
    fixture = Path(__file__).parent.parent / "fixtures" / "math_abstracts.jsonl"
    records = [json.loads(line) for line in fixture.read_text(encoding="utf-8").splitlines()]
    texts = {r["field"]: r["written"] for r in records if r["id"] == "2510.08714"}
    paper = {"id": "2510.08714", "title": texts["title"], "abstract": texts["abstract"]}
    dump = folder / "math.jsonl"
    dump.write_text(json.dumps({**paper, "authors": ["A. Author"]}) + "\n", encoding="utf-8")
    library = Library([dump], folder / "index", Config())
    library.update()
    return reader(library)


@pytest.mark.parametrize("raw", [False, True], ids=["rendered", "raw"])
def test_math_rendered_and_raw(snap_compare, tmp_path: Path, raw: bool) -> None:  # type: ignore[no-untyped-def]
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("down", "enter", *(["m"] if raw else []))
        await settle(pilot)

    assert snap_compare(math_reader(tmp_path), terminal_size=(100, 30), run_before=open_it)


SIZES = [(80, 24), (100, 30), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_sizes(snap_compare, library: Library, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """The first paper opened: at 80×24 the footer whole, the tabs marked, the details
    in four lines; at 200×50 the abstract at a readable width."""

    async def opened(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(reader(library), terminal_size=size, run_before=opened)


def samples_reader(folder: Path) -> AbstractsApp:
    """The reader on the bundled samples, as a first run opens them."""
    library = Library([sample_dumps()], folder / "index", Config())
    library.update()
    return reader(library)


def test_first_run(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The samples at 80×24: tabs named, the welcome line, a paper to read."""
    assert snap_compare(samples_reader(tmp_path), terminal_size=(80, 24), run_before=ready)


def test_nothing_matches(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    async def no_match(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("slash", *"zzqx")
        await settle(pilot)

    assert snap_compare(reader(library), terminal_size=(80, 24), run_before=no_match)


def marked_search(theme: str | None = None):  # type: ignore[no-untyped-def]
    """A search with matches marked, a paper starred and tagged, the list focused."""

    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        if theme is not None:
            pilot.app.theme = theme
        await ready(pilot)
        await pilot.press("slash", *"speech", "enter")
        await settle(pilot)

    return search


def test_light_theme(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = marked_reader(library)
    assert snap_compare(app, terminal_size=(100, 30), run_before=marked_search("textual-light"))


def test_no_color(snap_compare, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")  # read as the app is made
    app = marked_reader(library)
    assert snap_compare(app, terminal_size=(80, 24), run_before=marked_search())
