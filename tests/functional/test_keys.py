"""Keys do what the footer says, wherever focus is."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import notices, settle
from rich.text import Text
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from index import Config, Library
from tui.app import AbstractsApp
from tui.screens.help import HelpScreen
from tui.text import CURRENT_STYLE
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox


def footer(app: AbstractsApp) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


async def test_question_mark_on_an_empty_search_box_opens_help(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box, nothing typed
        assert isinstance(app.focused, SearchBox)
        assert app.screen.query_one(SearchBox).value == ""
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_question_mark_in_a_query_is_typed_and_f1_still_helps(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"why", "question_mark")
        assert app.screen.query_one(SearchBox).value == "why?"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_escape_on_an_empty_search_box_goes_to_the_results(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box, nothing typed
        assert isinstance(app.focused, SearchBox)
        await pilot.press("escape")
        assert isinstance(app.focused, ResultList)
        await pilot.press("q")  # where nothing is typed, q quits
        await pilot.pause()
        assert not app.is_running


async def test_the_footer_shows_what_works_where_focus_is(app: AbstractsApp) -> None:
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
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
        assert isinstance(app.focused, ResultList)  # the reader opens on the list
        await pilot.press("ctrl+c")
        await settle(pilot)
        messages = [n.message for n in notices(app)]
        assert "Press ctrl+q to quit the app" in messages
        assert not any("[b]" in m for m in messages)


async def test_loading_more_never_moves_the_cursor(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultList)
        assert len(results.hits) == 20  # a page of the 37 papers
        assert app.focused is results  # the reader opens on the list
        await pilot.press("G")
        await settle(pilot)
        assert len(results.hits) > 20  # the next page came in
        assert results.highlighted == 19
        assert results.highlighted_hit is not None


async def test_the_viewer_border_counts_matches_in_words(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"federated", "enter")  # one match in the best paper
        await settle(pilot)
        assert viewer.border_subtitle == "1 match · n/N"
        await pilot.press("escape", "escape")
        await pilot.press(*" zzzzqqq")
        await settle(pilot)
        assert viewer.hit is None and viewer.border_subtitle == ""


async def test_the_viewer_reads_a_hard_wrapped_abstract_as_paragraphs(tmp_path: Path) -> None:
    abstract = (
        "Kuramoto oscillators on\nsparse graphs synchronise\nslowly.\n\n"
        "We show why, with\nKuramoto models [2]-[4]."
    )
    app = _one_paper_app(tmp_path, abstract)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"kuramoto", "enter", "enter")  # to the results, then open
        await settle(pilot)
        body = app.screen.query_one("#viewer-abstract", Static)
        shown = body.content
        assert isinstance(shown, Text)
        assert shown.plain == (
            "Kuramoto oscillators on sparse graphs synchronise slowly.\n\n"
            "We show why, with Kuramoto models [2]-[4]."
        )
        marked = [shown.plain[span.start : span.end] for span in shown.spans]
        assert marked == ["Kuramoto", "Kuramoto"]
        # Copied as written, line breaks and all.
        await pilot.press("y")
        assert app.clipboard == abstract


async def test_n_marks_the_current_match_apart(tmp_path: Path) -> None:
    app = _one_paper_app(tmp_path, "Kuramoto here, Kuramoto there,\nand Kuramoto again.")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"kuramoto", "enter", "enter")  # to the results, then open
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        body = viewer.query_one("#viewer-abstract", Static)

        def current() -> list[int]:
            shown = body.content
            assert isinstance(shown, Text)
            return [n for n, span in enumerate(shown.spans) if span.style == CURRENT_STYLE]

        assert current() == []
        await pilot.press("n")
        assert current() == [0]
        await pilot.press("n", "n")
        assert current() == [2] and viewer.border_subtitle == "match 3 of 3 · n/N"
        await pilot.press("n")
        assert current() == [0]
        await pilot.press("N")
        assert current() == [2]


async def test_g_shift_g_ctrl_d_and_ctrl_u_scroll_the_abstract(tmp_path: Path) -> None:
    long = "\n\n".join(f"Kuramoto paragraph {n} " + "word " * 40 for n in range(12))
    app = _one_paper_app(tmp_path, long)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"kuramoto", "enter", "enter")  # to the results, then open
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        assert app.focused is viewer and viewer.max_scroll_y > 20
        await pilot.press("ctrl+d")
        half = viewer.scrollable_content_region.height // 2
        assert viewer.scroll_y == half
        await pilot.press("ctrl+d", "ctrl+u")
        assert viewer.scroll_y == half
        await pilot.press("G")
        assert viewer.scroll_y == viewer.max_scroll_y
        await pilot.press("g")
        assert viewer.scroll_y == 0


def _one_paper_app(folder: Path, abstract: str) -> AbstractsApp:
    dump = folder / "one.jsonl"
    paper = {"id": "2401.00002", "title": "On oscillators", "abstract": abstract, "authors": ["A"]}
    dump.write_text(json.dumps(paper) + "\n", encoding="utf-8")
    library = Library([dump], folder / "index", Config())
    library.update()
    return AbstractsApp(library)
