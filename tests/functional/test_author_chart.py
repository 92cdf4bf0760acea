"""The picture of an author: the authors screen's chart and co-authors for the
highlighted author, and the line under the tabs on an author's tab."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from helpers import FIXTURES, notices, palette, settle
from rich.console import Console
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static

from index import Config, Library, StoreError
from tui.app import AbstractsApp
from tui.messages import DumpsChanged
from tui.screens.authors import AuthorsScreen
from tui.widgets.author_chart import AuthorChart, AuthorLine, bars, columns
from tui.widgets.result_list import ResultList


def shown(widget: Static) -> str:
    """What the widget shows, as plain text lines without trailing blanks."""
    out = io.StringIO()
    Console(file=out, width=widget.size.width or 120, no_color=True).print(widget.content)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def pictured(chart: AuthorChart) -> tuple[str, list[str]]:
    """The chart's heading and bars as text, and its co-authors' lines."""
    drawn = [shown(chart.query_one(f"#{part}", Static)) for part in ("heading", "bars")]
    options = chart.query_one(OptionList)
    listed = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return "\n".join(part for part in drawn if part), listed


async def open_authors(pilot) -> AuthorChart:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert isinstance(pilot.app.focused, ResultList)  # where `a` is no letter typed
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AuthorsScreen)
    return pilot.app.screen.query_one(AuthorChart)


def test_bars_fill_eighths_of_lines() -> None:
    assert bars([1, 0, 0, 0, 1, 1, 1, 3]) == ["▃   ▃▃▃█"]
    assert bars([1, 0, 3], height=2) == ["  █", "▅ █"]
    assert bars([0, 0]) == ["  "]
    assert bars([]) == [""]
    # Many years in few columns: neighbours summed.
    assert columns([1, 2, 3, 4, 5], 2) == [6, 9]
    assert columns([1, 2], 10) == [1, 2]


async def test_the_highlighted_author_is_pictured(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_authors(pilot)
        assert chart.author == "000_e4898e36c2f54974"  # the first row, at once
        await pilot.press("down", "down")  # past Alex: the arXiv listing's dump
        await settle(pilot)
        assert chart.author == "002_58a4e2d616259f18"
        assert chart.profile is not None and chart.profile.papers == 7
        text, coauthors = pictured(chart)
        lines = text.splitlines()
        assert lines[0] == "002_58a4e2d616259f18 · 7 papers, 2017–2024 · most in 2024: 3"
        # 2017: 1, 2018–2020: none, 2021–2023: 1 each, 2024: 3; three columns a year.
        assert lines[1:] == [
            "3 ┤                      ███",
            "  │                      ███",
            "  │ ▃▃▃         ▃▃▃▃▃▃▃▃▃███",
            "  │ ███         ████████████",
            "  └─────────────────────────",
            "    2017                2024",
        ]
        assert coauthors == [
            "Most papers with (tab, then enter: their tab)",
            "2  Jain, Saachi",
            "2  Tony",
            "1  000_e4898e36c2f54974",
            "1  Alex",
        ]
        await pilot.press("up")  # Alex: most papers have no year
        await settle(pilot)
        assert pictured(chart)[0].splitlines()[0] == (
            "Alex · 9 papers, 2024 (8 without a year) · most in 2024: 1"
        )


async def test_enter_on_a_coauthor_opens_their_tab(dumps: Path, tmp_path: Path) -> None:
    (dumps / "snapshot.jsonl").write_bytes((FIXTURES / "arxiv_snapshot.jsonl").read_bytes())
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_authors(pilot)
        await pilot.press("tab", "down", "down")  # to the table: the arXiv listing's dump
        await settle(pilot)
        assert chart.author == "002_58a4e2d616259f18"
        await pilot.press("tab")
        assert isinstance(app.focused, OptionList)
        await pilot.press("j", "j", "k", "down", "enter")  # "2  Tony"
        await settle(pilot)
        assert app.screen is app.main
        assert app.main.tab_filter.author == "Tony"
        assert app.main.query_one(AuthorLine).author == "Tony"
        # A collection's author has no tab: pinned, and opened.
        await pilot.press("down", "a")
        await settle(pilot)
        assert app.screen.query_one(AuthorChart).author == "Tony"  # opened on the tab's
        await pilot.press("tab", "up", "tab")  # the arXiv listing's dump, just above
        _, coauthors = pictured(app.screen.query_one(AuthorChart))
        assert coauthors[4] == "1  Aaron Jaech"
        await pilot.press(*["down"] * 4, "enter")
        await settle(pilot)
        assert app.main.tab_filter.author == "Aaron Jaech"
        assert str(app.main.query("Tab").last().label) == "★ Aaron Jaech 1"
        assert app.main.query_one(AuthorLine).display
        await pilot.press("7")  # the collection's tab: no one author to picture
        await settle(pilot)
        assert app.main.tab_filter.source is not None
        assert not app.main.query_one(AuthorLine).display


async def test_a_filter_that_leaves_nobody_empties_the_chart(dumps: Path, tmp_path: Path) -> None:
    (dumps / "snapshot.jsonl").write_bytes((FIXTURES / "arxiv_snapshot.jsonl").read_bytes())
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    async with AbstractsApp(library).run_test(size=(120, 40)) as pilot:
        chart = await open_authors(pilot)
        await pilot.press(*"maldacena")  # a collection's author, in the filter box
        await settle(pilot)
        assert chart.author == "Juan M. Maldacena"
        heading, coauthors = pictured(chart)
        assert heading.splitlines()[0] == "Juan M. Maldacena · 1 paper, 1997 · most in 1997: 1"
        assert coauthors == ["No co-authors in this library"]
        await pilot.press(*"zzz")
        await settle(pilot)
        assert pilot.app.screen.query_one(DataTable).row_count == 0
        assert chart.author is None and not chart.display


async def test_an_author_tab_shows_its_line_and_all_hides_it(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        line = app.screen.query_one(AuthorLine)
        assert not line.display  # All
        await pilot.press("4")  # the arXiv listing's dump
        await settle(pilot)
        assert line.display
        assert shown(line) == (
            "▃   ▃▃▃█ 7 papers, 2017–2024 · with "
            "Jain, Saachi (2), Tony (2), 000_e4898e36c2f54974 (1)"
        )
        await pilot.press("3")  # Alex
        await settle(pilot)
        assert shown(line).startswith("█ 9 papers, 2024 (8 without a year) · with ")
        await pilot.press("1")
        await settle(pilot)
        assert not line.display
        await pilot.press("]")
        await settle(pilot)
        assert line.display and line.author == "000_e4898e36c2f54974"


async def test_names_from_dumps_are_shown_as_written(dumps: Path, tmp_path: Path) -> None:
    abstract = "Abstract:A paper about markup in names.\n"
    (dumps / "odd.txt").write_text("[b]Bob[/b] \x1b[31mX\n" + abstract, encoding="utf-8")
    (dumps / "odder.txt").write_text("[i]Eve\x07\n" + abstract, encoding="utf-8")
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    async with AbstractsApp(library).run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        line = pilot.app.screen.query_one(AuthorLine)
        assert line.author == "[b]Bob[/b] \x1b[31mX"
        assert shown(line) == "1 paper, without a year · with [i]Eve␇ (1)"
        await pilot.press("a")
        await settle(pilot)
        pilot.app.screen.query_one(DataTable).move_cursor(row=5)
        await settle(pilot)
        heading, coauthors = pictured(pilot.app.screen.query_one(AuthorChart))
        assert heading == "[b]Bob[/b] ␛[31mX · 1 paper, without a year"
        assert coauthors[1:] == ["1  [i]Eve␇"]


async def test_profiles_are_read_off_the_event_loop(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = app.library
    on_loop: list[str] = []
    read = library.author_profile

    def recorded(name: str, top: int = 8):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            on_loop.append(name)
        return read(name, top)

    monkeypatch.setattr(library, "author_profile", recorded)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2", "3")
        await settle(pilot)
        assert pilot.app.screen.query_one(AuthorLine).profile is not None
        await open_authors(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        chart: Widget = pilot.app.screen.query_one(AuthorChart)
        assert isinstance(chart, AuthorChart) and chart.profile is not None
    assert on_loop == []


async def test_the_line_follows_the_index(app: AbstractsApp, dumps: Path) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        line = app.screen.query_one(AuthorLine)
        assert shown(line).startswith("▃   ▃▃▃█ 7 papers, 2017–2024 ·")
        with (dumps / "002_58a4e2d616259f18.txt").open("a", encoding="utf-8") as dump:
            dump.write("\nA new paper on sparklines in terminals.\narXiv:2501.00001\n")
        # The reader watches its dumps: told of the change, it updates the index.
        app.main.post_message(DumpsChanged({dumps / "002_58a4e2d616259f18.txt"}))
        await settle(pilot)
        assert shown(line).startswith("▃   ▃▃▃█▃ 8 papers, 2017–2025 ·")
        with (dumps / "002_58a4e2d616259f18.txt").open("a", encoding="utf-8") as dump:
            dump.write("\nAnother paper on sparklines, later still.\narXiv:2601.00001\n")
        app.main.work.open()  # what the reader does as it opens: the index is updated
        await settle(pilot)
        assert shown(line).startswith("▃   ▃▃▃█▃▃ 9 papers, 2017–2026 ·")


async def test_a_profile_that_cannot_be_read_is_said(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(name: str, top: int = 8) -> None:
        raise StoreError("cannot read the index (gone)")

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        line = app.screen.query_one(AuthorLine)
        assert line.display
        monkeypatch.setattr(app.library, "author_profile", broken)
        await pilot.press("4")
        await settle(pilot)
        assert not line.display  # not Alex's picture on this tab
        said = [(n.title, n.message) for n in notices(app)]
        assert ("Could not list the authors", "cannot read the index (gone)") in said


async def test_going_back_to_a_place_shows_the_line_of_its_tab(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await palette(pilot, "Go to author Tony")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        line = app.main.query_one(AuthorLine)
        assert line.display and line.author == "Tony"
        await pilot.press("escape")  # back to the list of All
        await settle(pilot)
        assert app.main.tab_filter.author is None
        assert not line.display


async def test_the_authors_view_opens_on_the_tabs_author(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")  # Tony's tab
        await settle(pilot)
        chart = await open_authors(pilot)
        table = pilot.app.screen.query_one(DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "Tony"
        assert chart.author == "Tony"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_authors_table_keeps_its_height_as_the_chart_changes(
    app: AbstractsApp, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        chart = await open_authors(pilot)
        table = pilot.app.screen.query_one(DataTable)
        heights, pictures = set(), set()
        for _ in range(table.row_count):
            heights.add(table.region.height)
            text, coauthors = pictured(chart)
            pictures.add((text, tuple(coauthors)))
            await pilot.press("down")
            await settle(pilot)
        assert len(pictures) == table.row_count  # each author pictured apart
        assert heights == {table.region.height} and table.region.height >= 3
