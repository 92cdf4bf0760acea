"""The filters on the reading state typed in the reader's search box, as a user does:
is:starred, is:read, is:unread, tag:, note:, alone and with words, OR and NOT. The
state is written beforehand through a UserDB of its own (another process's, as the
command line's `abstracts star` would)."""

from __future__ import annotations

import pytest
from helpers import settle
from rich.text import Text
from textual.widgets import Static

from index import UserDB
from tui.app import AbstractsApp
from tui.widgets import abstract_viewer
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox

O1, GPT4O, RLHF = "2412.16720", "2410.21276", "2411.01111"


@pytest.fixture(autouse=True)
def read_by_keys_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(abstract_viewer, "READ_AFTER", 3600.0)


@pytest.fixture
def marked(app: AbstractsApp) -> AbstractsApp:
    user = UserDB.for_library(app.library.index_dir)
    user.set_starred(O1, True)
    user.add_tag(GPT4O, "survey")
    user.set_note(GPT4O, "A benchmark to come back to.")
    user.set_read(RLHF)
    user.close()
    return app


async def typed(pilot, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Type the query a letter at a time, then enter: the keys of the papers listed."""
    pilot.app.main.action_focus_search()
    pilot.app.main.query_one(SearchBox).value = ""
    await pilot.press(*[" " if c == " " else c for c in text])
    await pilot.press("enter")
    await settle(pilot)
    return {hit.paper.key for hit in pilot.app.main.query_one(ResultList).hits}


async def test_each_filter_typed_lists_the_papers_marked_so(marked: AbstractsApp) -> None:
    app = marked
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        everything = app.library.count()
        assert await typed(pilot, "is:starred") == {O1}
        assert await typed(pilot, "tag:survey") == {GPT4O}
        assert await typed(pilot, "note:benchmark") == {GPT4O}
        assert await typed(pilot, "is:read") == {RLHF}
        assert await typed(pilot, "NOT is:unread") == {RLHF}
        assert await typed(pilot, "is:starred OR tag:survey") == {O1, GPT4O}
        assert await typed(pilot, "tag:survey system card") == {GPT4O}
        assert await typed(pilot, "tag:survey reinforcement") == set()
        unread = await typed(pilot, "is:unread")
        assert RLHF not in unread and O1 in unread
        content = app.main.query_one("#count", Static).content
        count_line = content.plain if isinstance(content, Text) else str(content)
        assert count_line.startswith(f"{everything - 1} papers"), count_line
