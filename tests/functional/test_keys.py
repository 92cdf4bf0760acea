"""Keys do what the footer says, wherever focus is."""

from __future__ import annotations

from helpers import settle
from textual.widgets._footer import FooterKey

from tui.app import AbstractsApp
from tui.screens.help import HelpScreen
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox


def footer(app: AbstractsApp) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


async def test_question_mark_on_an_empty_search_box_opens_help(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, SearchBox)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_question_mark_in_a_query_is_typed_and_f1_still_helps(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"why", "question_mark")
        assert app.screen.query_one(SearchBox).value == "why?"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_escape_on_an_empty_search_box_goes_to_the_results(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        assert isinstance(app.focused, ResultList)
        await pilot.press("q")  # where nothing is typed, q quits
        await pilot.pause()
        assert not app.is_running


async def test_the_footer_shows_what_works_where_focus_is(app: AbstractsApp) -> None:
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        typing = footer(app)
        assert "Copy" not in typing and "Quit" not in typing and "Help" in typing
        await pilot.press("escape")
        await settle(pilot)
        reading = footer(app)
        assert {"Copy", "Cite", "Quit", "Help"} <= reading


async def test_ctrl_c_says_how_to_quit_in_plain_words(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "ctrl+c")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "Press ctrl+q to quit the app" in messages
        assert not any("[b]" in m for m in messages)


async def test_loading_more_never_moves_the_cursor(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultList)
        assert len(results.hits) == 20  # a page of the 37 papers
        await pilot.press("escape", "G")
        await settle(pilot)
        assert len(results.hits) > 20  # the next page came in
        assert results.highlighted == 19
        assert results.highlighted_hit is not None


async def test_the_viewer_border_counts_matches_in_words(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        await pilot.press(*"federated", "enter")  # one match in the best paper
        await settle(pilot)
        assert viewer.border_subtitle == "1 match · n/N"
        await pilot.press("escape", "escape")
        await pilot.press(*" zzzzqqq")
        await settle(pilot)
        assert viewer.hit is None and viewer.border_subtitle == ""
