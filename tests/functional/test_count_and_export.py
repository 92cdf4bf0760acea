"""What the count line counts is what export writes and what `abstracts search` finds."""

from __future__ import annotations

import pytest
from helpers import export_results, notices, settle
from rich.text import Text
from textual.widgets import Static

from tui.app import AbstractsApp


def count_line(app: AbstractsApp) -> str:
    content = app.screen.query_one("#count", Static).content
    return content.plain if isinstance(content, Text) else str(content)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        # The word being typed stands for the words it starts: "data" for "data"
        # and "datasets", in 18 papers (one letter more can only narrow that).
        ("data", 18),
        # Complete (a space after it), it is searched as submitted: in 14 papers.
        ("data ", 14),
        ("data model", 11),
        ("dat", 18),
    ],
)
async def test_the_count_line_counts_what_is_exported(app, tmp_path, typed, found) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*typed)
        await settle(pilot)
        assert count_line(app).startswith(f"{found} papers found")
        rows = await export_results(pilot, tmp_path / "out.jsonl")
        assert len(rows) == found
        assert any(f"Exported {found} papers" in n.message for n in notices(app))


async def test_enter_searches_the_query_as_the_command_line_does(app, library) -> None:  # type: ignore[no-untyped-def]
    cli = library.search("dat", limit=None)  # the words as typed, no prefix
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"dat")
        await settle(pilot)
        assert count_line(app).startswith("18 papers found")
        await pilot.press("enter")
        await settle(pilot)
        assert count_line(app).startswith(f"{cli.total} paper")
        shown = [hit.paper.key for hit in app.screen.query_one("#results").hits]
        assert shown == [hit.paper.key for hit in cli.hits][: len(shown)]


def test_a_rare_fragment_still_stands_for_the_words_it_starts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from index import Config, Library

    # "transf" is a word of one paper (a broken line), and starts many more.
    dump = tmp_path / "dump.txt"
    lines = [f"Abstract:Transformers number {n} read long inputs." for n in range(6)]
    lines.append("Abstract:A line broken as transf ormer keeps the fragment.")
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    assert library.search("transf").total == 1
    assert library.search("transf", as_you_type=True).total == 7
    assert library.search("transformers", as_you_type=True).total == 6
    library.close()
