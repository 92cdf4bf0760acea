"""Sorting the list (O and the palette), each tab's matches in its label, and the
matches per year in the count line, driven with Pilot on the seed dumps."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import FIXTURES, SEED_LABELS, export_results, palette, settle
from textual.widgets import Tab

from index import Config, Library
from tui.app import AbstractsApp
from tui.screens.help import HelpScreen
from tui.widgets.result_list import ResultList
from tui.widgets.sparkline import BARS


def count_line(app: AbstractsApp) -> str:
    return str(app.screen.query_one("#count").render())


def listed(app: AbstractsApp) -> list[str]:
    return [hit.paper.key for hit in app.screen.query_one(ResultList).hits]


def labels(app: AbstractsApp) -> list[str]:
    return [str(tab.label) for tab in app.screen.query(Tab)]


def keys(library: Library, text: str, **options: object) -> list[str]:
    return [hit.paper.key for hit in library.search(text, limit=20, **options).hits]


async def test_o_cycles_the_orders_and_the_count_line_says_which(app: AbstractsApp) -> None:
    library = app.library
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert count_line(app) == "37 papers (showing 20; more as you scroll) · newest first"
        assert listed(app) == keys(library, "", order="newest")
        # The reader opens on the list: O is typed in the search box.
        assert isinstance(app.focused, ResultList)
        # Without a query relevance is newest first: the cycle goes on to oldest.
        for order, said in [("oldest", "oldest first"), ("title", "by title")]:
            await pilot.press("O")
            await settle(pilot)
            assert count_line(app).endswith(f"scroll) · {said}")
            assert listed(app) == keys(library, "", order=order)
        assert listed(app)[0] == "hf2120c207945"  # "Auto-regressive models are…"
        await pilot.press("O")
        await settle(pilot)
        assert count_line(app).endswith("scroll) · newest first")

        # The order chosen stays for a query; relevance is back in the cycle.
        await pilot.press("slash", *"model", "enter")
        await settle(pilot)
        assert count_line(app).startswith(
            "30 papers found (showing 20; more as you scroll) · newest"
        )
        assert listed(app) == keys(library, "model", order="newest")
        for order, said in [
            ("oldest", "oldest first"),
            ("title", "by title"),
            ("relevance", "best match first"),
            ("newest", "newest first"),
        ]:
            await pilot.press("O")
            await settle(pilot)
            assert count_line(app).startswith("30 papers found (showing 20")
            assert f"scroll) · {said}" in count_line(app)
            assert listed(app) == keys(library, "model", order=order)


async def test_the_order_is_kept_across_queries_and_tabs(app: AbstractsApp) -> None:
    library = app.library
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, ResultList)  # the reader opens on the list
        await pilot.press("O")  # oldest first
        await settle(pilot)
        await pilot.press("slash", *"learning")
        await settle(pilot)
        assert "· oldest first" in count_line(app)
        assert listed(app) == keys(library, "learning", order="oldest", as_you_type=True)
        await pilot.press("down", "5")  # Tony's tab
        await settle(pilot)
        assert "· oldest first" in count_line(app)
        assert listed(app) == keys(library, "learning", author="Tony", order="oldest")
        await pilot.press("escape", "escape")  # back to the search box, then clear it
        await settle(pilot)
        assert count_line(app) == "10 papers · oldest first"


async def test_the_palette_sorts_by_each_order(app: AbstractsApp) -> None:
    library = app.library
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"safety", "enter")
        await settle(pilot)
        for title, order, said in [
            ("Sort by title", "title", "by title"),
            ("Sort oldest first", "oldest", "oldest first"),
            ("Sort newest first", "newest", "newest first"),
            ("Sort by relevance", "relevance", "best match first"),
        ]:
            await palette(pilot, title)
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert f" · {said}" in count_line(app)
            assert listed(app) == keys(library, "safety", order=order)


async def test_tabs_show_their_matches_while_a_query_is_typed(app: AbstractsApp) -> None:
    library = app.library
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        plain = labels(app)
        assert plain[:3] == ["All 37", "000_e4898e36c2f54974 7", "Alex 9"]
        tabs = list(app.screen.query(Tab))
        await pilot.press("slash")  # to the search box
        await pilot.press(*"model")
        await settle(pilot)
        first, alex = (library.search("model", author=a).total for a in SEED_LABELS[:2])
        assert labels(app)[:3] == ["All 30/37", f"000_e4898e36c2f54974 {first}/7", f"Alex {alex}/9"]
        assert list(app.screen.query(Tab)) == tabs  # relabelled, not made again
        widths = [tab.label.cell_length for tab in tabs]
        await pilot.press(*" safety")
        await settle(pilot)
        counted = [library.search("model safety", author=a).total for a in (None, "Alex")]
        assert counted[0] < 10  # one digit fewer than before
        # Right-aligned in the width of the tab's total: a label keeps its width
        # while the query is typed, so an answer repaints the tabs, not the screen.
        assert labels(app)[0] == f"All  {counted[0]}/37"
        assert labels(app)[2] == f"Alex {counted[1]}/9"
        assert [tab.label.cell_length for tab in tabs] == widths
        await pilot.press("escape")  # clears the query
        await settle(pilot)
        assert labels(app) == plain
        assert list(app.screen.query(Tab)) == tabs


async def test_matches_per_year_show_as_a_sparkline(dumps: Path, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "arxiv_sample_250.jsonl", dumps / "sample.jsonl")
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        assert not set(count_line(app)) & set(BARS)  # no query: no chart
        await pilot.press("slash")  # to the search box
        await pilot.press(*"learning", "enter")
        await settle(pilot)
        years = library.search("learning").years
        first, last = years[0][0], years[-1][0]
        assert last - first + 1 == len(years) > 2
        line = count_line(app)
        assert line.endswith(f" · best match first · {first} {line[-len(years) - 5 : -5]} {last}")
        bars = line[-len(years) - 5 : -5]
        most = max(n for _, n in years)
        for (_, n), bar in zip(years, bars, strict=True):
            assert bar == ("█" if n == most else " " if n == 0 else bar)
            assert bar in BARS if n else bar == " "
        # One paper, one year: nothing to chart.
        await pilot.press("escape", "escape", *"id:2412.16720", "enter")
        await settle(pilot)
        assert count_line(app) == "1 paper found · best match first"


async def test_export_writes_the_results_in_the_list_order(
    app: AbstractsApp, tmp_path: Path
) -> None:
    target = tmp_path / "out.jsonl"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"model", "enter")
        await settle(pilot)
        await pilot.press("O", "O", "O")  # newest, oldest, by title
        await settle(pilot)
        assert "· by title" in count_line(app)
        written = [record["key"] for record in await export_results(pilot, target)]
    assert written == [
        h.paper.key for h in app.library.search("model", limit=None, order="title").hits
    ]
    assert written != [h.paper.key for h in app.library.search("model", limit=None).hits]


async def test_help_names_the_sort_key(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert any(keys == "`O`" and what.startswith("Sort") for keys, what in app.screen.rows)


async def test_a_tab_pinned_while_a_query_is_on_shows_its_matches(
    dumps: Path, tmp_path: Path
) -> None:
    shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", dumps / "snapshot.jsonl")
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"conformal", "down")
        await settle(pilot)
        assert listed(app) == ["hep-th/9711200"]
        await palette(pilot, "Pin author Juan")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert labels(app)[0] == "All  1/40"
        assert labels(app)[-1] == "★ Juan M. Maldacena 1/1"
