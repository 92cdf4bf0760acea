"""The reading-state keys in the reader: u (read), s (star), t (tags), e (note), a
paper counted read once shown for a moment, the marks in the list, the starred and
pinned-tag tabs. What the reader writes is read back through a UserDB of its own:
the real SQLite file in the test's data folder."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from helpers import notices, on_the_loop, palette, paste, settle, until
from rich.text import Text
from textual.content import Content
from textual.widgets import Input, Markdown, OptionList, Static, TextArea
from textual.widgets._footer import FooterKey
from textual.widgets.markdown import MarkdownBlock

from index import Config, Library, UserDB
from tui.app import AbstractsApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.note import NoteScreen
from tui.screens.related import RelatedScreen
from tui.screens.tags import TagScreen
from tui.widgets import abstract_viewer
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox

O1 = "2412.16720"  # the o1 System Card: in every seed dump


@pytest.fixture(autouse=True)
def read_by_keys_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A paper shown for a moment counts as read: only the tests of that wait for it;
    the others' papers are read when they say so, however slow the machine."""
    monkeypatch.setattr(abstract_viewer, "READ_AFTER", 3600.0)


def reading_after(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setattr(abstract_viewer, "READ_AFTER", seconds)


async def past_reading_time(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the reader run until a paper shown from now on would count as read: a
    timer set now for READ_AFTER seconds has fired, and so has every one set
    before it for as long (timers fire in order); then let it take that in."""
    fired = asyncio.Event()
    pilot.app.set_timer(abstract_viewer.READ_AFTER, fired.set)
    await until(pilot, fired.is_set)


def fresh(app: AbstractsApp) -> UserDB:
    """The library's state as another process would read it."""
    return UserDB.for_library(app.library.index_dir)


def selected_key(app: AbstractsApp) -> str:
    hit = app.main.selected
    assert hit is not None
    return hit.paper.key


async def find(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    """Search (the query pasted), then go to the results (the best paper highlighted)."""
    pilot.app.main.action_focus_search()
    pilot.app.main.query_one(SearchBox).value = ""
    await paste(pilot, query)
    await pilot.press("enter")
    await settle(pilot)


def row(app: AbstractsApp, index: int = 0) -> str:
    return app.main.query_one(ResultList).row_text(index)


async def test_s_stars_and_unstars_the_highlighted_paper(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        key = selected_key(app)
        assert not row(app).startswith("★") and "★" not in row(app)
        await pilot.press("s")
        await settle(pilot)
        assert fresh(app).state(key).starred
        assert "★ " in row(app)  # the row shows it at once
        viewer = app.main.query_one(AbstractViewer)
        assert "★ starred" in str(viewer.query_one("#viewer-marks", Static).content)
        await pilot.press("s")
        await settle(pilot)
        assert not fresh(app).state(key).starred
        assert "★" not in row(app)


async def test_u_toggles_read_and_the_unread_dot(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        key = selected_key(app)
        assert row(app).startswith("• ")  # unread
        await pilot.press("u")
        await settle(pilot)
        assert fresh(app).state(key).read
        assert not row(app).startswith("•")
        reading_after(monkeypatch, 0.5)
        await pilot.press("u")
        await settle(pilot)
        assert not fresh(app).state(key).read
        assert row(app).startswith("• ")
        await past_reading_time(pilot)  # marked unread on purpose: not read again by being shown
        assert not fresh(app).state(key).read


async def test_a_paper_opened_or_shown_for_a_moment_counts_as_read(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading_after(monkeypatch, 1.5)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, "speech")
        first = selected_key(app)
        await pilot.press("enter")  # opened: read at once
        await settle(pilot)
        assert fresh(app).state(first).read
        assert not row(app).startswith("•")
        await pilot.press("escape", "j")  # the next one, shown in the viewer
        await settle(pilot)
        second = selected_key(app)
        assert not fresh(app).state(second).read  # not yet: only just shown
        await until(pilot, lambda: fresh(app).state(second).read)
        assert not row(app, 1).startswith("•")


async def test_a_paper_shown_while_a_query_is_typed_is_not_read(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading_after(monkeypatch, 0.5)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"speech")
        await settle(pilot)
        await past_reading_time(pilot)
        key = selected_key(app)
        assert not fresh(app).state(key).read
        await pilot.press("down")  # to the list: now it is being read
        await until(pilot, lambda: fresh(app).state(key).read)


async def test_t_adds_a_tag_with_completion_and_removes_it(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        key = selected_key(app)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagScreen)
        await pilot.press(*"Safety Cards", "enter", *"survey", "enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert fresh(app).state(key).tags == ("safety-cards", "survey")
        assert "#safety-cards #survey" in row(app)

        # Another paper: the tags in use are completed.
        await find(pilot, "speech")
        other = selected_key(app)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("s", "u")
        await pilot.press("right", "enter", "escape")  # → takes the completion
        await settle(pilot)
        assert fresh(app).state(other).tags == ("survey",)
        assert fresh(app).tags() == [("safety-cards", 1), ("survey", 2)]

        # Typing a tag the paper has removes it; so does delete in the list.
        await find(pilot, f"id:{O1}")
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"survey", "enter", "tab")
        tags = app.screen.query_one(OptionList)
        assert app.screen.focused is tags and tags.option_count == 1
        await pilot.press("delete")
        assert tags.option_count == 0
        await pilot.press("escape")
        await settle(pilot)
        assert fresh(app).state(key).tags == ()
        assert "#" not in row(app)


async def test_a_tag_of_nothing_is_refused_in_words(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"::", "enter")
        said = app.screen.query_one("#tags-said", Static).content
        assert "nothing a tag can hold" in str(said)
        await pilot.press("escape")
        await settle(pilot)
        assert fresh(app).tags() == []


async def test_e_edits_a_note_shown_as_markdown_in_the_viewer(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        key = selected_key(app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        area = app.screen.query_one(TextArea)
        area.insert("# Why read it\n\n- *safety* cases\n- [b]not markup[/b] \x1b[31m")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        note = fresh(app).state(key).note
        assert note.startswith("# Why read it") and "\x1b[31m" in note  # kept as written
        viewer = app.main.query_one(AbstractViewer)
        markdown = viewer.query_one("#viewer-note", Markdown)
        assert markdown.display
        blocks = [block.render() for block in markdown.query(MarkdownBlock)]
        shown = [block.plain for block in blocks if isinstance(block, Content)]
        assert shown[0] == "Why read it"  # a heading: the "#" is Markdown's
        assert "[b]not markup[/b] ␛[31m" in shown  # no markup, the escape as a symbol
        assert "safety cases" in shown  # emphasis drawn, its stars gone

        # Opened again with the note; escape with changes asks, a second escape drops them.
        await pilot.press("e")
        await settle(pilot)
        area = app.screen.query_one(TextArea)
        assert area.text == note
        area.insert("more")
        await pilot.press("escape")
        assert isinstance(app.screen, NoteScreen)
        assert "escape again" in str(app.screen.query_one("#note-said", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert fresh(app).state(key).note == note

        # Unchanged, escape closes at once; an emptied note is deleted.
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one(TextArea).clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert fresh(app).state(key).note == ""
        assert not markdown.display


async def test_state_keys_need_a_paper_and_are_typed_in_the_search_box(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"sute")  # typed, not star/read/tags/note
        await settle(pilot)
        assert app.main.query_one("#search", Input).value == "sute"
        assert isinstance(app.screen, MainScreen)
        assert fresh(app).keys() == set()
        await find(pilot, "zzqqxx")  # nothing found
        await pilot.press("s")
        await settle(pilot)
        notes = [n.message for n in notices(app)]
        assert "No paper is selected." in notes


async def test_tags_show_as_text_never_markup(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        key = selected_key(app)
        fresh(app).add_tag(key, "[b]bold")  # by another process: the next write shows it
        await pilot.press("s")
        await settle(pilot)
        assert "#bbold" in row(app)
        marks = app.main.query_one(AbstractViewer).query_one("#viewer-marks", Static).content
        assert isinstance(marks, Text) and "#bbold" in marks.plain


def tab_labels(app: AbstractsApp) -> list[str]:
    return [str(tab.label) for tab in app.main.query("Tab")]


async def test_the_starred_tab_holds_the_starred_papers_with_their_count(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        assert not any("Starred" in label for label in tab_labels(app))
        await find(pilot, "speech")
        results = app.main.query_one(ResultList)
        starred = {hit.paper.key for hit in results.hits[:2]}
        await pilot.press("s", "j", "s")
        await settle(pilot)
        labels = tab_labels(app)
        assert labels[:2] == ["All  6/37", "★ Starred 2/2"]  # with the query: its matches

        await pilot.press("2")  # the Starred tab, with the query kept
        await settle(pilot)
        assert {hit.paper.key for hit in results.hits} == starred
        app.main.query_one(SearchBox).value = ""
        await settle(pilot)
        assert {hit.paper.key for hit in results.hits} == starred
        assert str(app.main.query_one("#count", Static).content) == "2 papers · newest first"

        # Taking a star off there: the paper leaves the tab, the count follows at once.
        assert isinstance(app.focused, ResultList)
        await pilot.press("s")
        await settle(pilot)
        assert len(results.hits) == 1 and results.hits[0].paper.key in starred
        assert tab_labels(app)[1] == "★ Starred 1"
        assert results.highlighted == 0
        await pilot.press("s")  # the last star: the tab goes, back to All
        await settle(pilot)
        assert not any("Starred" in label for label in tab_labels(app))
        assert len(results.hits) == 20


async def test_a_pinned_tag_has_a_tab_of_its_own(app: AbstractsApp, dumps: Path) -> None:
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        await find(pilot, "speech")
        key = selected_key(app)
        await pilot.press("t", *"survey", "enter", "escape")
        await settle(pilot)
        await palette(pilot, "Pin tag #survey")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert tab_labels(app)[-1] == "#survey 1/1"  # the query "speech" on: its matches
        assert app.main.tab_filter.marks == "tag:survey"  # opened
        results = app.main.query_one(ResultList)
        assert [hit.paper.key for hit in results.hits] == [key]

        # Tagging another paper shows in the tab's count at once.
        await pilot.press("1")
        await find(pilot, f"id:{O1}")
        await pilot.press("t", *"surv", "right", "enter", "escape")
        await settle(pilot)
        assert tab_labels(app)[-1] == "#survey 1/2"  # of 2 tagged, 1 is the paper searched

    # The next reader of the library has the tab too; unpinning removes it.
    again = AbstractsApp(Library([dumps], app.library.index_dir, Config()))
    async with again.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        assert tab_labels(again)[-1] == "#survey 1/2"  # the last query, restored, on
        await pilot.press("escape")
        await palette(pilot, "Unpin tag #survey")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not any("#survey" in label for label in tab_labels(again))


async def test_the_reading_state_is_read_and_written_off_the_event_loop(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_loop: list[str] = []
    user = app.library.user
    for name in ("state", "states", "tags", "keys", "toggle_read", "toggle_star", "set_read"):
        monkeypatch.setattr(user, name, on_the_loop(getattr(user, name), name, on_loop))
    for name in ("add_tag", "remove_tag", "set_note", "version"):
        monkeypatch.setattr(user, name, on_the_loop(getattr(user, name), name, on_loop))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, "speech")
        await pilot.press("s", "u", "enter", "escape", "j")
        await settle(pilot)
        reading_after(monkeypatch, 0.5)
        await pilot.press("j")
        await settle(pilot)
        await until(pilot, lambda: fresh(app).state(selected_key(app)).read)  # shown long enough
        await pilot.press("t", *"su", "right", "enter", "escape")
        await settle(pilot)
        await pilot.press("e", *"a note", "ctrl+s")
        await settle(pilot)
        await pilot.press("2")  # the Starred tab
        await settle(pilot)
        await palette(pilot, "Pin tag")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert threading.current_thread() is threading.main_thread()
        assert app.main.tab_filter.marks == "tag:su"
    assert on_loop == []
    assert fresh(app).tags() == [("su", 1)]


async def test_help_and_the_footer_name_the_state_keys(app: AbstractsApp) -> None:
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        assert "Star" in {key.description for key in app.screen.query(FooterKey)}
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.source
        for key in ("`s`", "`u`", "`t`", "`e`", "★ Starred", "Pin tag"):
            assert key in text


async def test_a_link_in_a_note_opens_only_if_it_is_a_web_link(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(variable, raising=False)  # no browser: the link is copied
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        await pilot.press("e", *"[the card](https://openai.com/o1) [a file](ftp://example.org/x)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        paragraph = app.main.query_one("#viewer-note", Markdown).query_one(MarkdownBlock)
        await pilot.click(paragraph, offset=(1, 0))
        await settle(pilot)
        assert app.clipboard == "https://openai.com/o1"
        shown = paragraph.render()
        assert isinstance(shown, Content)
        await pilot.click(paragraph, offset=(shown.plain.index("a file") + 1, 0))
        await settle(pilot)
        assert app.clipboard == "https://openai.com/o1"
        notes = [n.message for n in notices(app)]
        assert "Only web links open here, not ftp://example.org/x" in notes


async def test_two_readers_of_one_library_both_keep_their_changes(
    app: AbstractsApp, dumps: Path
) -> None:
    other = AbstractsApp(Library([dumps], app.library.index_dir, Config()))
    async with app.run_test(size=(120, 36)) as one, other.run_test(size=(120, 36)) as two:
        await settle(one)
        await settle(two)
        await find(one, "speech")
        await find(two, "speech")
        await one.press("s", "t", *"survey", "enter", "escape")  # the first paper
        # The second paper starred, and the first tagged, by the other reader.
        await two.press("j", "s", "k", "t", *"audio", "enter", "escape")
        await settle(one)
        await settle(two)
        first, second = (hit.paper.key for hit in app.main.query_one(ResultList).hits[:2])
        state = fresh(app).states([first, second])
        assert state[first].starred and state[first].tags == ("audio", "survey")
        assert state[second].starred
        # Each reader shows the other's changes with its next change.
        await one.press("j", "j", "s")  # a third paper
        await settle(one)
        assert app.main.query_one(ResultList).states[second].starred
        assert tab_labels(app)[1] == "★ Starred 3/3"  # the query "speech" on


async def test_a_damaged_state_database_is_said_and_a_new_one_used(app: AbstractsApp) -> None:
    path = fresh(app).path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database" * 100)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        key = selected_key(app)
        await pilot.press("s")
        await settle(pilot)
        assert "★ " in row(app)
        notes = [(n.title, n.message) for n in notices(app)]
        assert any(title == "Reading state" and "kept as" in text for title, text in notes)
    assert fresh(app).state(key).starred
    assert list(path.parent.glob(path.name + ".damaged-*"))


async def test_a_change_keeps_the_pages_shown_and_the_paper_highlighted(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, ResultList)  # the reader opens on the list
        await pilot.press("G")  # to the list's end: a page more comes in
        await settle(pilot)
        results = app.main.query_one(ResultList)
        shown = len(results.hits)
        assert shown > 20
        await pilot.press("k", "k")
        await settle(pilot)
        place, key = results.highlighted, selected_key(app)
        await pilot.press("s")
        await settle(pilot)
        assert len(results.hits) == shown
        assert (results.highlighted, selected_key(app)) == (place, key)
        assert "★ " in row(app, place)


async def test_the_related_list_shows_the_marks_too(app: AbstractsApp) -> None:
    related = app.library.related(O1, top=15)
    fresh(app).set_starred(related[0].paper.key, True)
    fresh(app).set_read(related[1].paper.key)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, f"id:{O1}")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        results = app.screen.query_one(ResultList)
        assert results.row_text(0).startswith("• ★ ")
        assert not results.row_text(1).startswith(("•", "★"))
        assert results.row_text(2).startswith("• ")
