"""The reader at every size: at 80×24 the footer whole, the tab bar marked where
more tabs lie beyond it, the search box in a line; on a wide terminal the abstract
laid out no wider than a readable width."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import settle
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from index import Config, Library
from tui.app import AbstractsApp
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.author_tabs import AuthorTabs
from tui.widgets.search_box import SearchBox


@pytest.mark.parametrize("focus", ["list", "viewer", "search"])
async def test_the_footer_fits_80_columns_wherever_focus_is(app: AbstractsApp, focus: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*{"list": [], "viewer": ["enter"], "search": ["slash"]}[focus])
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        keys = list(footer.query(FooterKey))
        assert keys
        # Every key shown whole, the palette's too: none pushed past the edge.
        assert sum(key.outer_size.width for key in keys) <= 80
        assert all(key.region.right <= 80 and key.region.width > 0 for key in keys)


async def test_tabs_beyond_the_bar_are_marked_and_the_active_one_in_view(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(AuthorTabs)
        marker = lambda side: str(tabs.query_one(f"#tabs-{side}", Static).render())  # noqa: E731
        assert tabs.more == (False, True)  # All first, the others to the right
        assert (marker("before"), marker("after")) == ("", "▸")
        await pilot.press("5")  # the last tab (Jain, Saachi)
        await settle(pilot)
        await pilot.pause(0.5)  # (the tab bar scrolls in an animation)
        await settle(pilot)
        assert tabs.more == (True, False)
        assert (marker("before"), marker("after")) == ("◂", "")
        active = tabs.query_one("#tabs-list > Tab.-active")
        bar = tabs.query_one("#tabs-scroll").region
        assert bar.contains_region(active.region)


async def test_a_short_terminal_has_the_search_box_in_one_line(app: AbstractsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(SearchBox).outer_size.height == 1
        viewer = app.screen.query_one(AbstractViewer)
        # The abstract gets most of the viewer: its details take at most four lines.
        details = [viewer.query_one(f"#viewer-{part}") for part in ("facts", "meta", "sources")]
        assert sum(part.outer_size.height for part in details) <= 4
    async with AbstractsApp(app.library).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.screen.query_one(SearchBox).outer_size.height == 3


async def test_a_wide_terminal_lays_the_abstract_out_at_a_readable_width(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        assert viewer.content_region.width > 100
        assert viewer.query_one("#viewer-abstract").outer_size.width == 88


async def test_the_readable_width_comes_from_the_config(dumps: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("text_width = 60\n")
    library = Library([dumps], tmp_path / "index", Config.load(config))
    library.update()
    async with AbstractsApp(library).run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        viewer = pilot.app.screen.query_one(AbstractViewer)
        assert viewer.query_one("#viewer-abstract").outer_size.width == 60
    library.close()
