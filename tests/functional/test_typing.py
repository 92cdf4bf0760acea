"""Typing a query: one exact answer per keystroke, painted over the last one."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, settle, until
from rich.text import Text
from textual.widgets import Static

from index import PAGE, Config, Library
from tui.app import AbstractsApp
from tui.screens.main import MainScreen
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.result_list import ResultList


def count_line(app: AbstractsApp) -> str:
    content = app.screen.query_one("#count", Static).content
    return content.plain if isinstance(content, Text) else str(content)


@pytest.fixture
def arxiv(tmp_path: Path) -> AbstractsApp:
    """The reader on 250 arXiv papers, indexed beforehand."""
    dump = tmp_path / "arxiv.jsonl"
    shutil.copy(FIXTURES / "arxiv_sample_250.jsonl", dump)
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    return AbstractsApp(library)


class Watch:
    """Everything the list and the count line showed, with the query typed then."""

    def __init__(self, app: AbstractsApp) -> None:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        self.lists: list[tuple[str, list[str]]] = []
        self.counts: list[tuple[str, str]] = []
        results = screen.query_one(ResultList)
        show_hits, count = results.show_hits, screen._count_line

        def shown(hits, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.lists.append((screen.query_text, [hit.paper.key for hit in hits]))
            show_hits(hits, *args, **kwargs)

        def counted(text: str) -> None:
            self.counts.append((screen.query_text, text))
            count(text)

        results.show_hits = shown  # type: ignore[method-assign]
        screen._count_line = counted  # type: ignore[method-assign]


async def test_each_keystroke_shows_its_exact_ranking_and_count_at_once(
    arxiv: AbstractsApp,
) -> None:
    library = arxiv.library
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        watch = Watch(arxiv)
        results = arxiv.screen.query_one(ResultList)
        typed = ""
        for letter in "speech recognition":
            before = list(results.hits)
            await pilot.press(letter if letter != " " else "space")
            typed += letter
            # Until its answer is painted, the list keeps what it showed.
            assert results.hits == before or [h.paper.key for h in results.hits] == [
                h.paper.key for h in library.search(typed, as_you_type=True).hits
            ]
            await settle(pilot)
            exact = library.search(typed, as_you_type=True)
            assert [h.paper.key for h in results.hits] == [h.paper.key for h in exact.hits]
            found = f"{exact.total:,} paper{'' if exact.total == 1 else 's'} found"
            assert count_line(arxiv).startswith(found)
        for query, text in watch.counts:
            # Never a provisional count, never a count of another query.
            assert "+ papers" not in text and "ranking" not in text
            total = library.search(query, as_you_type=True).total
            assert text.startswith(f"{total:,} paper"), (query, text)
        for query, keys in watch.lists:
            # Nothing is ever shown but a query's exact ranking: never a blank list
            # while the answer is on its way.
            exact = library.search(query, as_you_type=True)
            assert keys == [h.paper.key for h in exact.hits], query
        # One answer per query: what is painted is never reordered by a later pass.
        queries = [query for query, _ in watch.lists]
        assert len(queries) == len(set(queries))


async def test_the_count_is_exact_beyond_the_first_page(arxiv: AbstractsApp) -> None:
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        watch = Watch(arxiv)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"lear")
        await settle(pilot)
        total = arxiv.library.search("lear", as_you_type=True).total
        assert total > PAGE
        assert count_line(arxiv).startswith(
            f"{total} papers found (showing {PAGE}; more as you scroll) · best match first"
        )
        assert all("+" not in text for _, text in watch.counts)


async def test_scrolling_to_the_end_loads_a_page_more_and_keeps_the_cursor(
    arxiv: AbstractsApp,
) -> None:
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"learning", "enter")
        await settle(pilot)
        results = arxiv.screen.query_one(ResultList)
        exact = arxiv.library.search("learning", limit=None)
        assert exact.total > 2 * PAGE
        first = [h.paper.key for h in results.hits]
        assert first == [h.paper.key for h in exact.hits[:PAGE]]
        await pilot.press("end")
        last = results.highlighted_hit
        assert results.highlighted == PAGE - 1
        await settle(pilot)
        keys = [h.paper.key for h in results.hits]
        # The next page came in after the first, which is as it was.
        assert keys == [h.paper.key for h in exact.hits[: 2 * PAGE]]
        assert results.highlighted == PAGE - 1
        assert results.highlighted_hit.paper.key == last.paper.key
        assert count_line(arxiv).startswith(
            f"{exact.total} papers found (showing {2 * PAGE}; more as you scroll)"
        )
        await pilot.press("pagedown")
        assert results.highlighted > PAGE - 1
        await pilot.press("home")
        assert results.highlighted == 0


async def test_enter_and_a_click_open_the_highlighted_paper(arxiv: AbstractsApp) -> None:
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"speech", "down", "j", "j", "k")
        results = arxiv.screen.query_one(ResultList)
        viewer = arxiv.screen.query_one(AbstractViewer)
        assert results.highlighted == 1
        await pilot.press("enter")
        await settle(pilot)
        assert arxiv.focused is viewer
        assert viewer.hit.paper.key == results.hits[1].paper.key
        # A click on a paper's title opens it too.
        await pilot.press("escape")
        third = (4, 1 + results._first[2] - int(results.scroll_y))
        await pilot.hover(ResultList, offset=third)
        assert results._hover == 2
        rule = (4, 1 + results._first[3] - 1 - int(results.scroll_y))  # the rule above the 4th
        await pilot.hover(ResultList, offset=rule)
        assert results._hover is None
        await pilot.hover(ResultList, offset=third)
        await pilot.click(ResultList, offset=third)
        await settle(pilot)
        assert results.highlighted == 2
        assert arxiv.focused is viewer and viewer.hit.paper.key == results.hits[2].paper.key


async def test_each_hit_is_its_title_its_details_and_a_rule(arxiv: AbstractsApp) -> None:
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"kuramoto")
        await settle(pilot)
        results = arxiv.screen.query_one(ResultList)
        lines = [results.render_line(y).text for y in range(results.size.height)]
        paper = results.hits[0].paper
        title = lines[0].strip().removeprefix("• ")  # the dot: not read yet
        assert title == paper.title[: len(title)]
        details = [line for line in lines if line.strip().startswith(f"{paper.year} · ")]
        assert details and paper.arxiv_id in details[0]
        assert results.row_text(0).endswith("· matched: title, abstract")
        rules = [line for line in lines if line.strip() and set(line.strip()) == {"─"}]
        assert len(rules) == len(results.hits)  # room to spare: under the last one too


async def test_titles_show_literally_in_the_list(tmp_path: Path) -> None:
    dump = tmp_path / "tricky.jsonl"
    title = "[2]-[4] [/b] [b]x[/b] \\emph{x} \x1b[31mred"
    paper = {"id": "2401.00001", "title": title, "abstract": "About markup.", "authors": ["A"]}
    dump.write_text(json.dumps(paper) + "\n", encoding="utf-8")
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    app = AbstractsApp(library)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"markup")
        await settle(pilot)
        results = app.screen.query_one(ResultList)
        shown = "".join(results.render_line(y).text for y in range(results.size.height))
        assert "[2]-[4] [/b] [b]x[/b] x ␛[31mred" in shown  # (\\emph{x} shown as meant)
        assert "\x1b" not in shown


async def test_the_library_is_kept_out_of_the_garbage_collector(arxiv: AbstractsApp) -> None:
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 0


async def test_rows_are_made_again_only_when_what_they_show_changes(
    arxiv: AbstractsApp,
) -> None:
    """Typing on through a word keeps most rows: a row whose paper, marked words
    and matched fields are the same is reused as made; one whose marks changed
    is made anew with them."""
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        results = arxiv.screen.query_one(ResultList)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"graph neur")
        await settle(pilot)
        before = dict(
            zip((hit.paper.key for hit in results.hits), results._rows.lines, strict=True)
        )
        # A longer prefix: other terms ("neuron" no longer), the same words marked.
        await pilot.press("a")
        await settle(pilot)
        after = dict(zip((hit.paper.key for hit in results.hits), results._rows.lines, strict=True))
        assert any(after[key] is before.get(key) for key in after), "no row was reused"
        # Another query marks other words in the same papers: their rows are new.
        await pilot.press(*["backspace"] * len("graph neura"), *"kuramoto")
        await settle(pilot)
        for hit, lines in zip(results.hits, results._rows.lines, strict=True):
            title = lines[0].plain
            if "Kuramoto" in title:
                assert lines is not before.get(hit.paper.key)
                marked = [title[span.start : span.end] for span in lines[0].spans]
                assert "Kuramoto" in marked


async def test_rows_below_the_screen_are_drawn_when_scrolled_to(arxiv: AbstractsApp) -> None:
    async with arxiv.run_test(size=(100, 16)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"network")
        await settle(pilot)
        results = arxiv.screen.query_one(ResultList)
        assert len(results.hits) == PAGE
        # Only the rows on screen were drawn with the search; the last is not.
        assert not results._rows.strips[-1]
        results.focus()
        await pilot.press("end")
        await settle(pilot)
        shown = results.highlighted_hit
        assert shown is not None and shown.paper.title
        lines = [results.render_line(y).text.strip() for y in range(results.size.height)]
        opening = " ".join(shown.paper.title.split()[:2])
        assert any(line.removeprefix("• ").startswith(opening) for line in lines), lines


async def test_full_garbage_collections_wait_for_the_typing_to_pause(arxiv: AbstractsApp) -> None:
    """A full collection is a pause of tens of ms in a reader in use: it runs once
    the typing pauses, not on whichever keystroke allocates last."""
    full: list[str] = []

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(typing)

    typing = "before"
    async with arxiv.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        gc.collect()
        await pilot.press("slash")  # to the search box
        gc.callbacks.append(collected)
        try:
            typing = "typing"
            for letter in "graph neural networks for molecules":
                await pilot.press(letter if letter != " " else "space")
                gc.collect(1)  # the young collections a long burst of typing makes
                await pilot.pause(0.01)
            typing = "paused"
            await until(pilot, lambda: "paused" in full, settled=False)
        finally:
            gc.callbacks.remove(collected)
    assert "typing" not in full
    assert "paused" in full


async def test_typing_never_lays_the_screen_out_again(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new layout of the screen costs a keystroke 10-30 ms at 121k. Typing a query
    and taking it back changes the list, the count and the tabs' labels, not where
    anything stands: no answer lays the screen out, whether its tabs show matches
    or not, and whether its rows fill the list or not."""
    # The viewer shows the best paper once the typing pauses; left out here.
    monkeypatch.setattr("tui.screens.main.PREVIEW_DELAY", 3600.0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, viewer=False)
        await pilot.press("slash")  # to the search box
        await settle(pilot, viewer=False)
        screen = app.screen
        layouts: list[str] = []
        refresh_layout = screen._refresh_layout

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            layouts.append(screen.query_text)
            return refresh_layout(*args, **kwargs)

        screen._refresh_layout = counted  # type: ignore[method-assign]
        results = screen.query_one(ResultList)
        lengths = set()
        # "speech" shows matches on the tabs; "speech recognitio" fills only part
        # of the list; back to nothing shows the tabs' plain counts again.
        for key in [*"speech recognitio", *["backspace"] * len("speech recognitio")]:
            await pilot.press(key if key != " " else "space")
            await settle(pilot, viewer=False)
            lengths.add(len(results.hits))
        assert screen.query_text == ""
        assert len(lengths) > 2  # answers long and short
        assert layouts == []
