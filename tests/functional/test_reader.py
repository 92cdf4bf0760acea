"""The reader as a user drives it: keys in, screen and clipboard out."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from helpers import FIXTURES, notices, palette, paste, settle
from rich.text import Text
from textual.widgets import Static

from index import Config, Library
from index.text import printable
from tui.app import AbstractsApp
from tui.screens import main as main_screen
from tui.screens.help import HelpScreen
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.author_tabs import AuthorTabs
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox

ALL_37 = "37 papers (showing 20; more as you scroll) · newest first"


def shown(widget: Static) -> str:
    """The text a Static shows (its content is a rich Text or a plain string)."""
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def marked(widget: Static) -> set[str]:
    """The words shown as matches."""
    content = widget.content
    return {content.plain[s.start : s.end] for s in content.spans if "reverse" in str(s.style)}


def count_line(app: AbstractsApp) -> str:
    return shown(app.screen.query_one("#count", Static))


def result_keys(app: AbstractsApp) -> list[str]:
    return [hit.paper.key for hit in app.screen.query_one(ResultList).hits]


async def test_opens_on_all_papers_with_a_tab_per_author(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(AuthorTabs)
        labels = [str(tab.label) for tab in tabs.query("Tab")]
        assert labels == [
            "All 37",
            "000_e4898e36c2f54974 7",
            "Alex 9",
            "002_58a4e2d616259f18 7",
            "Tony 10",
            "Jain, Saachi 10",
        ]
        assert len(result_keys(app)) == 20
        assert count_line(app) == "37 papers (showing 20; more as you scroll) · newest first"
        assert app.focused is app.screen.query_one(ResultList)  # q quits, / searches
        viewer = app.screen.query_one(AbstractViewer)
        assert viewer.hit.paper.title == "OpenAI o1 System Card"


async def test_typing_searches_as_you_type(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"heteroph")
        await settle(pilot)
        assert count_line(app) == "2 papers found · best match first"
        assert len(result_keys(app)) == 2
        # While typing, the last word is a prefix: every word it starts is marked.
        words = marked(app.screen.query_one("#viewer-abstract", Static))
        assert "heterophily" in words and all(w.lower().startswith("heteroph") for w in words)
        for _ in range(8):
            await pilot.press("backspace")
        await settle(pilot)
        assert count_line(app) == ALL_37


async def test_matches_are_marked_in_stemmed_forms(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"annotators", "enter")
        await settle(pilot)
        # Stemmed forms of the word are marked, and only those.
        words = {w.lower() for w in marked(app.screen.query_one("#viewer-abstract", Static))}
        assert words and all(w.startswith("annotat") for w in words)


async def test_tabs_switch_by_key_and_by_mouse(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "Alex"
        assert count_line(app) == "9 papers · newest first"
        await pilot.press("]")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "002_58a4e2d616259f18"
        await pilot.press("[", "[", "[")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author is None
        await pilot.click("#tab-5")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "Jain, Saachi"
        assert len(result_keys(app)) == 10


async def test_search_stays_within_the_tab(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"model")
        await settle(pilot)
        everywhere = len(result_keys(app))
        await pilot.press("down", "6")
        await settle(pilot)
        assert count_line(app) == "8 papers found · best match first" and everywhere > 8


async def test_enter_opens_the_selected_paper_in_the_viewer(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"gpt-4o", "enter")  # enter in the search box: to the results
        await settle(pilot)
        assert isinstance(app.focused, ResultList)
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        assert app.focused is viewer
        assert shown(app.screen.query_one("#viewer-title", Static)) == "GPT-4o System Card"
        part = lambda name: shown(app.screen.query_one(f"#viewer-{name}", Static))  # noqa: E731
        assert part("facts").startswith("arXiv:2410.21276 · 2024")
        assert "Authors: 002_58a4e2d616259f18; Tony; Jain, Saachi" in part("meta")
        assert "003_fa869cb8beed8520.txt:3" in part("sources")


async def test_j_and_k_move_in_the_results(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "k")
        viewer = app.screen.query_one(AbstractViewer)
        assert viewer.hit.paper.key == result_keys(app)[1]


async def test_escape_backs_out_one_step_at_a_time(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"speech", "down", "enter")
        search = app.screen.query_one(SearchBox)
        assert isinstance(app.focused, AbstractViewer)
        await pilot.press("escape")
        assert isinstance(app.focused, ResultList)
        await pilot.press("escape")
        assert app.focused is search and search.value == "speech"
        await pilot.press("escape")
        await settle(pilot)
        assert search.value == "" and count_line(app) == ALL_37


async def test_keys_act_on_the_highlighted_paper_before_the_viewer_shows_it(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The viewer waits for the typing to pause; a copy made before then copies the
    paper the list highlights, not the one the viewer still shows."""
    monkeypatch.setattr(main_screen, "PREVIEW_DELAY", 30.0)  # a slow typist's pause
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown_before = app.screen.query_one(AbstractViewer).hit
        await pilot.press("slash")  # to the search box
        await pilot.press(*"deliberative alignment")
        await app.workers.wait_for_complete()
        await pilot.pause()
        results = app.screen.query_one(ResultList)
        highlighted = results.highlighted_hit
        assert highlighted is not None and highlighted.paper.title.startswith("Deliberative")
        assert shown_before is not None and shown_before.paper != highlighted.paper
        await pilot.press("down", "y")  # to the list, and copy at once
        assert app.clipboard == highlighted.paper.abstract


async def test_y_copies_exactly_the_abstract(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"deliberative alignment", "down", "y")
        await settle(pilot)
        paper = app.screen.query_one(AbstractViewer).hit.paper
        assert app.clipboard == paper.abstract
        assert app.clipboard.startswith("Modern Large Language Models (LLMs) are safety trained")
        assert "[2]-[4]" in app.clipboard
        notes = [n.message for n in notices(app)]
        assert any(
            "Deliberative Alignment" in n
            and f"{len(paper.abstract):,} characters" in n
            and "OSC 52" in n
            for n in notes
        )


async def test_c_copies_a_citation_and_the_palette_a_bibtex_entry(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"id:2412.16720", "down", "c")
        await settle(pilot)
        # Labels taken from file names say whose dump it is, not who wrote the paper.
        assert app.clipboard == (
            "OpenAI o1 System Card. Alex, Tony, Saachi Jain. arXiv:2412.16720 (2024). "
            "arXiv.org Artificial Intelligence."
        )
        await palette(pilot, "Copy BibTeX")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard.startswith("@misc{")
        assert "eprint = {2412.16720}" in app.clipboard
        assert "author = {Alex and Tony and Jain, Saachi}" in app.clipboard


async def test_copy_uses_the_system_clipboard_where_there_is_one(
    app: AbstractsApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for xclip that keeps the selection in a file: pyperclip runs for real.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    store = tmp_path / "selection"
    xclip = bin_dir / "xclip"
    xclip.write_text(f'#!/bin/sh\ncase "$*" in *-o*) cat "{store}";; *) cat > "{store}";; esac\n')
    xclip.chmod(xclip.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":99")
    import pyperclip

    monkeypatch.setattr(pyperclip, "copy", pyperclip.lazy_load_stub_copy)
    monkeypatch.setattr(pyperclip, "paste", pyperclip.lazy_load_stub_paste)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        paper = app.screen.query_one(AbstractViewer).hit.paper
        assert store.read_text() == paper.abstract
        assert any("to the clipboard." in n.message for n in notices(app))


async def test_o_without_a_browser_hands_over_the_link(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(variable, raising=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.clipboard == "https://arxiv.org/abs/2412.16720"
        await pilot.press("G", "o")  # the last listed: undated, without an id
        await settle(pilot)
        assert any("has no arXiv id" in n.message for n in notices(app))


async def test_help_lists_every_key(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)

        text = app.screen.source
        for key in (
            "`/`",
            "`enter`",
            "`escape`",
            "`[` `]`",
            "`y`",
            "`c`",
            "`o`",
            "`ctrl+p`",
            "`q`",
            "Search syntax",
            "year:[2020 TO 2022]",
        ):
            assert key in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_palette_goes_to_an_author(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await palette(pilot, "Go to author Tony")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "Tony"
        assert count_line(app) == "10 papers · newest first"


async def test_q_quits(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


MARKUP = (
    "Abstract:Results [2]-[4] and [/b] and [b]not bold[/b] and [red]x[/red] and [Fel19; CLK+19] "
    "and \\emph{x} and $x^2$ and 日本語 and café and \x1b[31mred\x1b[0m and a bell\x07.\n"
)


async def test_markup_and_escape_sequences_show_literally(tmp_path: Path) -> None:
    dump = tmp_path / "tricky.txt"
    dump.write_text("[b]Name[/b]\n" + MARKUP, encoding="utf-8")
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        labels = [str(tab.label) for tab in app.screen.query("Tab")]
        assert labels == ["All 1", "[b]Name[/b] 1"]
        body = shown(app.screen.query_one("#viewer-abstract", Static))
        assert "[2]-[4] and [/b] and [b]not bold[/b] and [red]x[/red] and [Fel19; CLK+19]" in body
        # LaTeX shown as what it means (m shows it as written; a copy keeps it so).
        assert "x and x² and 日本語 and café" in body
        assert "␛[31mred␛[0m and a bell␇." in body
        assert "\x1b" not in body and "\x07" not in body
        await pilot.press("y")
        await settle(pilot)
        # What is copied is the abstract as written, its controls as symbols:
        # a paste never carries an escape sequence into a terminal.
        assert app.clipboard == printable(MARKUP.removeprefix("Abstract:").strip())
        assert "␛[31mred␛[0m and a bell␇." in app.clipboard


HOSTILE = (
    "Abstract:x \x1b[31mRED \x1b]52;c;aGk=\x07 \x1b]0;TITLE\x07 \x1b[2J \u009b31m csi "
    "\u202eevil\u202c\ttab\nnext line end.\n"
)


def _no_controls(text: str) -> None:
    """No C0 control but newline and tab, no DEL, no C1, no bidi control."""
    assert re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text) == []


async def test_copies_carry_no_control_characters(tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    folder.mkdir()
    dump = folder / "Eve \x1b]0;T\x07 Mal\u202e.txt"
    dump.write_text("Eve \x1b[31mMal\u202e\u009b\n\n" + HOSTILE, encoding="utf-8")
    # A file that cannot be read: its name comes back in a notification.
    (folder / "bad \x1b]0;T\x07\u202e.txt").write_bytes(b"\x00\x01binary")
    library = Library([folder], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        _no_controls(app.clipboard)
        assert "␛]52;c;aGk=␇" in app.clipboard and "\ttab\nnext line" in app.clipboard
        assert "⟨U+202E⟩evil" in app.clipboard
        await pilot.press("c")
        await settle(pilot)
        _no_controls(app.clipboard)
        assert "Eve ␛[31mMal⟨U+202E⟩⟨U+009B⟩" in app.clipboard
        await palette(pilot, "Copy BibTeX")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard.startswith("@misc{")
        _no_controls(app.clipboard)
        notes = " ".join(f"{n.title} {n.message}" for n in notices(app))
        assert "bad ␛]0;T␇⟨U+202E⟩.txt" in notes
        _no_controls(notes)


async def test_a_query_that_does_not_parse_is_searched_as_words(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*'"deliberative alignment')
        await settle(pilot)
        assert (
            count_line(app)
            == "2 papers found · best match first · the query did not parse; searched for its words"
        )


async def test_a_damaged_index_is_rebuilt_while_searching(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.library.close()
        for segment in app.library.index_dir.glob("MAIN_*.*"):
            segment.write_bytes(b"\x00" * 10)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"heterophily")
        await settle(pilot)
        assert count_line(app) == "2 papers found · best match first"
        # The search that found it failed; the rebuild after it says why, once.
        said = [(n.title, n.message, n.severity) for n in notices(app)]
        [(title, message, severity)] = [n for n in said if "is damaged (" in n[1]]
        assert (title, severity) == ("Library", "warning")
        assert message.endswith("rebuilding from 5 dumps")
        assert not [n for n in said if n[2] == "error"]


async def test_first_run_builds_the_index_in_the_background(tmp_path: Path) -> None:
    library = Library([FIXTURES / "old_ids.txt"], tmp_path / "index", Config())
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert count_line(app) == "3 papers · newest first"
        assert any("Index updated" in n.message for n in notices(app))


async def test_bad_dumps_are_reported_in_the_reader(dumps: Path, tmp_path: Path) -> None:
    (dumps / "binary.txt").write_bytes((FIXTURES / "binary.txt").read_bytes())
    app = AbstractsApp(Library([dumps], tmp_path / "index", Config()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert count_line(app) == ALL_37
        assert any("binary.txt: binary file" in n.message for n in notices(app))


async def test_collections_get_a_tab_and_authors_can_be_pinned(dumps: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", dumps / "snapshot.jsonl")
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        labels = [str(tab.label) for tab in app.screen.query("Tab")]
        assert labels[0] == "All 40" and labels[-1] == "snapshot.jsonl 4"
        await pilot.press("7")
        await settle(pilot)
        assert count_line(app) == "4 papers · newest first"
        await pilot.press("G")  # Maldacena's paper, the oldest, comes last
        await settle(pilot)
        await palette(pilot, "Pin author Juan")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        labels = [str(tab.label) for tab in app.screen.query("Tab")]
        assert labels[-1] == "★ Juan M. Maldacena 1"
        await pilot.press("8")
        await settle(pilot)
        assert result_keys(app) == ["hep-th/9711200"]


async def test_long_lists_show_a_page_at_a_time_and_count_everything(tmp_path: Path) -> None:
    dump = tmp_path / "many.txt"
    dump.write_text(
        "Prolific\n" + "".join(f"Abstract:Paper {n} about otters.\n" for n in range(120))
    )
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(result_keys(app)) == 20
        assert count_line(app) == "120 papers (showing 20; more as you scroll) · newest first"
        for _ in range(6):  # each time at the end, the next page comes
            await pilot.press("G")
            await settle(pilot)
        assert len(result_keys(app)) == 120 and count_line(app) == "120 papers · newest first"
        await pilot.press("escape", *"otter")
        await settle(pilot)
        assert (
            count_line(app)
            == "120 papers found (showing 20; more as you scroll) · best match first"
        )


async def test_did_you_mean_is_offered_and_taken_with_one_key(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"transfromer ")
        await settle(pilot)
        assert (
            count_line(app)
            == "0 papers found · best match first · Did you mean: transformer ? (ctrl+s)"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one(SearchBox).value == "transformer "
        assert (
            count_line(app)
            == f"{app.library.search('transformer').total} papers found · best match first"
        )


async def test_related_papers_open_with_r_and_jump(app: AbstractsApp) -> None:
    from tui.screens.related import RelatedScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"heterophily", "down")
        await settle(pilot)
        first, second = result_keys(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        assert [h.paper.key for h in app.screen.hits][0] == second
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(SearchBox).value == f"key:{second}"
        assert result_keys(app) == [second]
        assert app.screen.query_one(AbstractViewer).hit.paper.key == second


async def test_viewer_says_why_and_jumps_between_matches(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"gpt-4o", "enter", "enter")
        await settle(pilot)
        meta = shown(app.screen.query_one("#viewer-meta", Static))
        assert "Matched in: title, abstract" in meta
        viewer = app.screen.query_one(AbstractViewer)
        count = len(viewer._matches)
        assert count >= 4 and viewer.border_subtitle == f"{count} matches · n/N"
        await pilot.press("n", "n")
        assert viewer.border_subtitle == f"match 2 of {count} · n/N"
        await pilot.press("N", "N")
        assert viewer.border_subtitle == f"match {count} of {count} · n/N"
        results = app.screen.query_one(ResultList)
        assert "matched: title, abstract" in results.row_text(0)


async def test_authors_view_lists_shared_papers_and_opens_a_tab(app: AbstractsApp) -> None:
    from textual.widgets import DataTable

    from tui.screens.authors import AuthorsScreen

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuthorsScreen)
        table = app.screen.query_one(DataTable)
        tony = [str(cell) for cell in table.get_row("Tony")]
        assert tony[:3] == ["Tony", "10", "2"]
        assert tony[3].startswith("002_58a4e2d616259f18 (2); Jain, Saachi (2)")
        await pilot.press("j", "j", "j", "enter")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "Tony"


async def test_search_box_completes_fields_and_author_names(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        search = app.screen.query_one(SearchBox)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"ti")
        await settle(pilot)
        await pilot.press("right")
        assert search.value == "title:"
        await pilot.press(*"card au")
        await settle(pilot)
        await pilot.press("right", *"ja")
        await settle(pilot)
        await pilot.press("right")
        assert search.value == "title:card author:jain"
        await settle(pilot)
        assert count_line(app) == "2 papers found · best match first"


async def test_export_from_the_palette(app: AbstractsApp, tmp_path: Path) -> None:
    import json

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"heterophily")
        await settle(pilot)
        await palette(pilot, "Export results")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        target = tmp_path / "out.jsonl"
        await paste(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot)
        rows = [json.loads(line) for line in target.read_text().splitlines()]
        assert len(rows) == 2 and all("heterophily" in r["abstract"].lower() for r in rows)
        assert any(f"Exported 2 papers to {target}" in n.message for n in notices(app))


async def test_notifications_quote_dump_text_literally(tmp_path: Path) -> None:
    dump = tmp_path / "tricky.txt"
    dump.write_text(MARKUP, encoding="utf-8")
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        [copied] = [n for n in notices(app) if n.title == "Copied"]
        # Quoted as written, and never read as markup when the toast is drawn.
        assert "“Results [2]-[4] and [/b] and [b]not bold[/b]" in copied.message
        assert copied.markup is False


def with_collection(dumps: Path, tmp_path: Path) -> AbstractsApp:
    """The reader on the seed dumps and a small arXiv snapshot collection."""
    import shutil

    shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", dumps)
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    return AbstractsApp(library)


async def test_authors_view_lists_a_collections_authors_and_pins_one(
    dumps: Path, tmp_path: Path
) -> None:
    from textual.widgets import DataTable, Input

    from tui.screens.authors import AuthorsScreen

    app = with_collection(dumps, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuthorsScreen)
        table = app.screen.query_one(DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Tony" in names and "Juan M. Maldacena" in names
        assert isinstance(app.focused, Input)  # typing filters at once
        await pilot.press(*"UNAL")  # case and accents ignored: Zoë Ünal
        await settle(pilot)
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "Zoë Ünal"
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen.query_one(AuthorTabs).author == "Zoë Ünal"
        assert count_line(app).startswith("1 paper")


async def test_a_config_pin_without_papers_here_has_no_tab(dumps: Path, tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('pinned = ["Nobody In These Dumps", "Saachi Jain"]\n')
    library = Library([dumps], tmp_path / "index", Config.load(config_file))
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        labels = [str(tab.label) for tab in app.screen.query_one(AuthorTabs).query("Tab")]
        assert not any("Nobody" in label for label in labels)


async def test_author_completes_from_every_author_of_the_library(
    dumps: Path, tmp_path: Path
) -> None:
    app = with_collection(dumps, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        search = app.screen.query_one(SearchBox)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"author:maldac")  # an author of the collection, with no tab
        await settle(pilot)
        await pilot.press("right")
        assert search.value == "author:maldacena"
