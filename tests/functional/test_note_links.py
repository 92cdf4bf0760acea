"""Links in a note: `l` lists them, and one to a paper of the library (chosen there
or clicked in the viewer) shows that paper in the reader as a step of the back
stack: backspace or escape returns to the query, tab, paper and scroll left. A web
link opens in the browser (copied here, where none runs); an arXiv id the library
lacks is said, and nothing is pushed."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from typing import Any

import pytest
from helpers import notice_texts, notices, paste, settle
from rich.text import Text
from textual.content import Content
from textual.widgets import Markdown, OptionList
from textual.widgets.markdown import MarkdownBlock

from index import Place, UserDB
from tui.app import AbstractsApp
from tui.screens.links import LinksScreen
from tui.screens.main import MainScreen
from tui.widgets import abstract_viewer
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.author_tabs import AuthorTabs
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox

GPT4O = "2410.21276"  # the GPT-4o System Card, in the seed dumps
CODEX = "h782b58b0193f"  # "We introduce Codex…": no arXiv id, known by its key
MISSING = "2401.01234"  # in no seed dump


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """No browser runs: a web link is copied, and the test sees where it led."""
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(variable, raising=False)
    # Papers are read when the test says so, however slow the machine.
    monkeypatch.setattr(abstract_viewer, "READ_AFTER", 3600.0)


def results(app: AbstractsApp) -> ResultList:
    return app.main.query_one(ResultList)


def shown_key(app: AbstractsApp) -> str | None:
    hit = app.main.query_one(AbstractViewer).hit
    return hit.paper.key if hit else None


async def somewhere_with_a_note(pilot, note: str) -> Place:  # type: ignore[no-untyped-def]
    """Search `model` in Tony's tab, go down the list (scrolled) and write `note` on
    the paper highlighted there: the place a link is followed from."""
    app = pilot.app
    await pilot.press("slash", *"model", "enter", "5")
    await settle(pilot)
    assert app.main.query_one(AuthorTabs).author == "Tony"
    await pilot.press(*"j" * 8, *"k" * 2)
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    await paste(pilot, note)
    await pilot.press("ctrl+s")
    await settle(pilot)
    place = app.main.place()
    assert place.scroll > 0 and place.key == results(app).hits[6].paper.key
    assert UserDB.for_library(app.library.index_dir).state(place.key).note == note
    return place


def assert_at_paper(app: AbstractsApp, key: str) -> None:
    """The paper gone to: searched for alone in All, highlighted and shown."""
    main = app.main
    assert isinstance(app.screen, MainScreen)
    assert main.query_one(SearchBox).value in (f"id:{key}", f"key:{key}")
    assert main.query_one(AuthorTabs).author is None
    assert results(app).highlighted_hit is not None
    assert results(app).highlighted_hit.paper.key == key
    assert shown_key(app) == key
    assert isinstance(app.focused, AbstractViewer)


def assert_back_at(app: AbstractsApp, place: Place) -> None:
    main = app.main
    assert main.query_one(SearchBox).value == place.query == "model"
    assert main.view is not None and main.view.inputs.query == place.query
    assert main.query_one(AuthorTabs).filter == place.tab
    assert results(app).highlighted_hit is not None
    assert results(app).highlighted_hit.paper.key == place.key == shown_key(app)
    list_ = results(app)
    assert place.row is not None
    assert list_.row_top(list_.highlighted) - list_.scroll_offset.y == place.row - place.scroll
    assert isinstance(app.focused, ResultList)
    assert len(main.back_stack) == 0


async def test_l_lists_the_notes_links_and_enter_goes_to_a_paper_and_back(
    app: AbstractsApp,
) -> None:
    note = f"Compare [the GPT-4o card](https://arxiv.org/abs/{GPT4O}v2) with https://openai.com/o1"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        place = await somewhere_with_a_note(pilot, note)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LinksScreen)
        options = app.screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(rows) == 2
        assert rows[0].startswith("Paper  GPT-4o System Card") and f"arXiv:{GPT4O}" in rows[0]
        assert "the GPT-4o card" in rows[0]  # the link's text, under where it goes
        assert rows[1] == "Web    https://openai.com/o1"
        await pilot.press("enter")  # the first: the paper
        await settle(pilot)
        assert_at_paper(app, GPT4O)
        assert len(app.main.back_stack) == 1

        await pilot.press("backspace")
        await settle(pilot)
        assert_back_at(app, place)

        # Once more, back with escape: the viewer, then the list, goes back.
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_at_paper(app, GPT4O)
        await pilot.press("escape")
        assert isinstance(app.focused, ResultList)
        await pilot.press("escape")
        await settle(pilot)
        assert_back_at(app, place)

        # The web link goes to the browser (copied here), and nowhere in the reader.
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.clipboard == "https://openai.com/o1"
        assert isinstance(app.screen, MainScreen) and len(app.main.back_stack) == 0
        # escape closes the list, following nothing.
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and len(app.main.back_stack) == 0
        assert app.main.place() == place


async def test_a_click_on_a_link_to_a_paper_goes_there_as_a_step_back(
    app: AbstractsApp,
) -> None:
    note = f"[GPT-4o](arXiv:{GPT4O}) [by its key]({CODEX})"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        place = await somewhere_with_a_note(pilot, note)
        paragraph = app.main.query_one("#viewer-note", Markdown).query_one(MarkdownBlock)
        app.main.query_one(AbstractViewer).scroll_to_widget(paragraph, animate=False)
        await pilot.pause()
        shown = paragraph.render()
        assert isinstance(shown, Content)
        await pilot.click(paragraph, offset=(shown.plain.index("GPT-4o") + 1, 0))
        await settle(pilot)
        assert_at_paper(app, GPT4O)
        await pilot.press("backspace")
        await settle(pilot)
        assert_back_at(app, place)

        # A paper without an arXiv id, by its key, as the Markdown widget says a click.
        note_view = app.main.query_one("#viewer-note", Markdown)
        note_view.post_message(Markdown.LinkClicked(note_view, CODEX))
        await settle(pilot)
        assert_at_paper(app, CODEX)
        await pilot.press("backspace")
        await settle(pilot)
        assert_back_at(app, place)


async def test_a_link_whose_text_names_a_paper_goes_to_it(app: AbstractsApp) -> None:
    note = f"[arXiv:{GPT4O}](https://example.com/my-copy.pdf)"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        place = await somewhere_with_a_note(pilot, note)
        note_view = app.main.query_one("#viewer-note", Markdown)
        note_view.post_message(Markdown.LinkClicked(note_view, "https://example.com/my-copy.pdf"))
        await settle(pilot)
        assert_at_paper(app, GPT4O)
        assert app.clipboard == ""  # not sent to the web
        await pilot.press("backspace")
        await settle(pilot)
        assert_back_at(app, place)


async def test_an_id_not_in_the_library_is_said_and_nothing_is_pushed(
    app: AbstractsApp,
) -> None:
    note = f"Next: arXiv:{MISSING}v2, then [this](hep-th/9711200) and [that](h000000000000)"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        place = await somewhere_with_a_note(pilot, note)
        await pilot.press("l")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert rows[0] == (
            f"arXiv  arXiv:{MISSING}  not in this library: opens its arXiv page"
            f"\n       “arXiv:{MISSING}v2”"
        )
        assert rows[1].startswith("arXiv  arXiv:hep-th/9711200  not in this library")
        assert rows[2].startswith("Other  h000000000000  no paper of this library")
        await pilot.press("enter")
        await settle(pilot)
        said = f"arXiv:{MISSING} is not in this library: opening its arXiv page."
        assert said in notice_texts(app)
        assert app.clipboard == f"https://arxiv.org/abs/{MISSING}"  # no browser: copied
        assert isinstance(app.screen, MainScreen) and len(app.main.back_stack) == 0
        assert app.main.place() == place

        note_view = app.main.query_one("#viewer-note", Markdown)
        note_view.post_message(Markdown.LinkClicked(note_view, "hep-th/9711200"))
        await settle(pilot)
        assert app.clipboard == "https://arxiv.org/abs/hep-th/9711200"
        note_view.post_message(Markdown.LinkClicked(note_view, "h000000000000"))
        await settle(pilot)
        assert "No paper of this library has the id or key h000000000000." in notice_texts(app)
        assert len(app.main.back_stack) == 0 and app.main.place() == place


async def test_no_note_or_no_links_is_said(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert "This paper has no note (e writes one)." in notice_texts(app)
        await pilot.press("e", *"Only words, 12.5% of 2024.", "ctrl+s")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert "The note on this paper has no links." in notice_texts(app)
        assert isinstance(app.screen, MainScreen)
        # Typed in the search box, l is a letter.
        await pilot.press("slash", "l")
        assert app.main.query_one(SearchBox).value == "l"


async def test_the_notes_text_is_shown_as_text_never_markup(app: AbstractsApp) -> None:
    note = "[\\[b\\]bold\\[/b\\]\x1bX\x07 ok](https://example.com/[red]\x1b[2Jx)"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        hit = results(app).highlighted_hit
        assert hit is not None
        app.library.user.set_note(hit.paper.key, note)
        await pilot.press("l")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        prompt = options.get_option_at_index(0).prompt
        assert isinstance(prompt, Text)
        assert prompt.plain == "Web    https://example.com/[red]␛[2Jx\n       “[b]bold[/b]␛X␇ ok”"
        assert "\x1b" not in prompt.plain and "\x07" not in prompt.plain
        # Followed: refused (a browser cannot have it as written), said as text, not markup.
        await pilot.press("enter")
        await settle(pilot)
        said = [n for n in notices(app) if "example.com/[red]␛[2Jx" in n.message]
        assert [n.message for n in said] == [
            "A link holding control characters is not opened: https://example.com/[red]␛[2Jx"
        ]
        assert not said[0].markup and app.clipboard != "https://example.com/[red]␛[2Jx"
        note_view = app.main.query_one("#viewer-note", Markdown)
        note_view.post_message(Markdown.LinkClicked(note_view, "ftp://example.org/[b]x"))
        await settle(pilot)
        said = [n for n in notices(app) if "ftp://example.org/[b]x" in n.message]
        assert [n.message for n in said] == ["Only web links open here, not ftp://example.org/[b]x"]
        assert not said[0].markup


async def test_links_are_looked_up_off_the_event_loop(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_loop: list[str] = []

    def recording(function: Callable[..., Any], name: str) -> Callable[..., Any]:
        def recorded(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is threading.main_thread():
                on_loop.append(name)
            return function(*args, **kwargs)

        return recorded

    monkeypatch.setattr(app.library, "get", recording(app.library.get, "get"))
    user = app.library.user
    monkeypatch.setattr(user, "state", recording(user.state, "state"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await somewhere_with_a_note(pilot, f"[GPT-4o]({GPT4O})")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_at_paper(app, GPT4O)
        await pilot.press("backspace")
        await settle(pilot)
        note_view = app.main.query_one("#viewer-note", Markdown)
        note_view.post_message(Markdown.LinkClicked(note_view, GPT4O))
        await settle(pilot)
        assert_at_paper(app, GPT4O)
    assert on_loop == []


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The links a browser was asked to open."""
    asked: list[str] = []
    monkeypatch.setenv("BROWSER", "a-browser")
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: not asked.append(url))
    return asked


async def test_a_link_reaches_the_browser_as_written_or_is_refused(
    app: AbstractsApp, opened: list[str]
) -> None:
    written = "https://example.com/a%1bb%0ac%00d"
    note = f"[escapes]({written}) and [a line break](https://example.com/a&#10;b)"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await somewhere_with_a_note(pilot, note)
        note_view = app.main.query_one("#viewer-note", Markdown)
        # The Markdown widget hands the target percent-decoded; the browser gets it as written.
        note_view.post_message(Markdown.LinkClicked(note_view, written))
        await settle(pilot)
        assert opened == [written]
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert opened == [written] * 2
        # A target that holds a control character as written (&#10; is a line break) is refused.
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        note_view.post_message(Markdown.LinkClicked(note_view, "https://example.com/a%0Ab"))
        await settle(pilot)
        assert opened == [written] * 2
        refused = [text for text in notice_texts(app) if "not opened" in text]
        assert (
            refused
            == ["A link holding control characters is not opened: https://example.com/a␊b"] * 2
        )


async def test_no_link_with_control_characters_reaches_a_browser_from_anywhere(
    app: AbstractsApp, opened: list[str]
) -> None:
    """The app's own door to the browser refuses them too, whoever calls it."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_link("https://example.com/\x1b]52;c;aGk=\x07")
        app.open_link("https://example.com/\u202eevil")
        app.open_link("https://example.com/a\nb")
        await settle(pilot)
        assert opened == []
        assert len([text for text in notice_texts(app) if text.startswith("Not opened")]) == 3
