"""A first run that explains itself: the bundled samples' tabs named readably, a
line saying how to open one's own dumps, and a viewer that says why it shows no
paper and what to type next."""

from __future__ import annotations

from pathlib import Path

from helpers import settle
from textual.widgets import Static

from index import ALL, Config, Inputs, Library, TabFilter, View, sample_dumps
from tui.app import AbstractsApp
from tui.empty_states import nothing_shown
from tui.widgets.author_tabs import AuthorTabs


def samples(tmp_path: Path) -> Library:
    library = Library([sample_dumps()], tmp_path / "index", Config())
    library.update()
    return library


def test_the_samples_are_labelled_readably_where_they_name_no_author(tmp_path: Path) -> None:
    library = samples(tmp_path)
    labels = [info.author for info in library.authors()]
    assert "Apple Speech" in labels and "arXiv listing" in labels
    assert not any(label.startswith(("000_", "002_")) for label in labels)
    assert library.is_samples
    library.close()


def test_a_copy_of_the_samples_keeps_its_file_names_and_the_config_wins(
    dumps: Path, tmp_path: Path
) -> None:
    copy = Library([dumps], tmp_path / "copy", Config())
    copy.update()
    assert "000_e4898e36c2f54974" in [info.author for info in copy.authors()]
    assert not copy.is_samples
    copy.close()
    named = Config(labels={"000_e4898e36c2f54974.txt": "Siri"})
    library = Library([sample_dumps()], tmp_path / "named", named)
    library.update()
    assert "Siri" in [info.author for info in library.authors()]
    library.close()


def shown(widget: Static) -> str:
    return str(widget.render())


async def test_the_samples_say_how_to_open_ones_own_dumps(tmp_path: Path) -> None:
    async with AbstractsApp(samples(tmp_path)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = shown(pilot.app.screen.query_one("#welcome", Static))
        assert "abstracts PATH…" in line
        labels = [str(tab.label) for tab in pilot.app.screen.query("Tab")]
        assert labels[:3] == ["All 37", "Apple Speech 7", "Alex 9"]


async def test_ones_own_library_has_no_welcome(app: AbstractsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not pilot.app.screen.query("#welcome")


async def test_a_query_that_matches_nothing_says_what_to_try(app: AbstractsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "slash", *"[b]zzqx[/b]")  # a tab, and markup typed
        await settle(pilot)
        body = shown(app.screen.query_one("#viewer-abstract", Static))
        assert "Nothing matches “[b]zzqx[/b]” here." in body  # literally, not bold
        assert "Press 1 to search all papers" in body
        assert "escape to clear the query" in body
        assert not app.screen.query_one("#viewer-title").display
        await pilot.press("escape")  # cleared: the tab's papers again
        await settle(pilot)
        assert app.screen.query_one("#viewer-title").display
        assert app.screen.query_one(AuthorTabs).filter != ALL


def test_an_empty_library_says_what_to_type(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    said = nothing_shown(View(Inputs(), total=0), [tmp_path, missing]).plain
    assert said.startswith("No papers in this library yet.")
    assert f"• {missing}: no such file or folder" in said
    assert f"• {tmp_path}\n" in said
    assert "abstracts PATH…" in said


def test_an_empty_tab_says_where_the_papers_are() -> None:
    view = View(Inputs(tab=TabFilter(marks="tag:later")), total=0)
    assert nothing_shown(view, []).plain.startswith("No papers in this tab yet.")
    assert nothing_shown(None, []).plain == "Opening the library…"
