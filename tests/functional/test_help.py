"""Help where you are: `?` shows the keys of the part with focus first, in columns
that do not wrap; the palette lists the reader's commands before Textual's; the
README's keys are help.md's."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import settle, until
from textual.command import CommandList, CommandPalette

from tui.app import AbstractsApp
from tui.screens.help import HelpScreen, key_table
from tui.screens.help_sections import PARTS, read_help

README = Path(__file__).parents[2] / "README.md"


def shown_titles(app: AbstractsApp) -> list[str]:
    """The key sections' headings in the order the help screen shows them."""
    titles = {part: title for title, part in PARTS.items()}
    return [titles[static.id.removeprefix("keys-")] for static in app.screen.query(".help-keys")]


async def test_help_in_the_list_shows_the_lists_keys_first(app: AbstractsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "question_mark")  # the list has focus
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.part == "list"
        assert shown_titles(app)[:2] == ["In the list", "Everywhere but the search box"]


async def test_help_in_the_search_box_shows_its_keys_first(app: AbstractsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "question_mark")  # on an empty box: help
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert shown_titles(app)[0] == "In the search box"
        await pilot.press("escape")
        await pilot.press(*"why", "f1")  # in a query `?` is typed: F1 helps
        await settle(pilot)
        assert shown_titles(app)[0] == "In the search box"


async def test_help_in_the_viewer_shows_its_keys_first(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "question_mark")  # a paper opened: the viewer
        await settle(pilot)
        assert shown_titles(app)[0] == "In the viewer"


def test_every_part_has_its_keys_and_no_key_column_wraps() -> None:
    """At 80 columns (the help panel's room there) every key fits on one line."""
    from rich.console import Console

    help = read_help()
    assert {section.part for section in help.sections} == set(PARTS.values())
    console = Console(width=66, record=True)  # 80 × 90 %, less border and padding
    for section in help.sections:
        assert section.rows
        lines = console.render_lines(key_table(section), pad=False)
        shown = ["".join(segment.text for segment in line) for line in lines]
        for keys, _ in section.rows:
            first = re.sub(r"`", "", keys)
            assert any(line.lstrip().startswith(first) for line in shown), (keys, shown)


def test_the_readme_lists_the_keys_of_help() -> None:
    """Each key section of help.md is in the README, row for row."""
    readme = README.read_text(encoding="utf-8")
    for section in read_help().sections:
        heading = readme.index(f"#### {section.title}\n")
        table = readme[heading:].split("\n\n")[1]
        rows = table.splitlines()[2:]
        assert rows == [f"| {keys} | {what} |" for keys, what in section.rows], section.title


async def test_the_palette_lists_the_readers_commands_first(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        commands = app.screen.query_one(CommandList)
        await until(pilot, lambda: commands.option_count > 20)
        options = [commands.get_option_at_index(i) for i in range(commands.option_count)]
        titles = [str(option.prompt).split("\n")[0] for option in options]  # (help under)
        textual = [titles.index(name) for name in ("Keys", "Quit", "Theme") if name in titles]
        assert len(textual) == 3, titles
        reader = [titles.index(name) for name in ("Copy abstract", "Help", "Sort by title")]
        assert max(reader) < min(textual), titles
