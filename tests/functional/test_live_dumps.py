"""Dumps that change while the reader is open: the index follows them in the
background, says what changed, and the list keeps the user's place."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FIXTURES, notice_texts, notices, settle, until
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from index import Config, Library
from index.engine.store import Store
from tui.app import AbstractsApp
from tui.cli import main
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.author_tabs import AuthorTabs
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox

ALEX = "001_000eb8558b6da544.txt"
TONY = "003_fa869cb8beed8520.txt"
JAIN = "004_668e95e94da32894.txt"
TITLE = "Deliberative Alignment: Reasoning Enables Safer Language Models"


async def opened(pilot: Pilot) -> None:
    """The reader has shown the library and watches its dumps."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, AbstractsApp) and app.watcher is not None
    await until(pilot, lambda: app.watcher.wait_ready(0))


def tabs(app: AbstractsApp) -> list[str]:
    return [str(tab.label) for tab in app.screen.query_one(AuthorTabs).query("Tab")]


def count_line(app: AbstractsApp) -> str:
    content = app.screen.query_one("#count", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def highlighted_key(app: AbstractsApp) -> str | None:
    hit = app.screen.query_one(ResultList).highlighted_hit
    return hit.paper.key if hit else None


def append(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8")
    path.write_text(old + ("" if old.endswith("\n") else "\n") + text, encoding="utf-8")


async def test_a_paper_added_to_a_dump_shows_and_the_list_keeps_its_place(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        assert "Alex 9" in tabs(app)
        # Far down the list, past a screenful, below where Alex's papers end.
        await pilot.press(*["down"] * 19, "up", "up")
        await settle(pilot)
        results = app.screen.query_one(ResultList)
        key, scroll = highlighted_key(app), results.scroll_offset.y
        assert key is not None and results.highlighted == 17 and scroll > 0

        append(dumps / ALEX, "Abstract:Zebra finches learn their songs from tutors.\n")
        await until(pilot, lambda: f"1 paper added from {ALEX}" in notice_texts(app))
        assert "All 38" in tabs(app) and "Alex 10" in tabs(app)
        assert count_line(app).startswith("38 papers")
        # The new paper (undated: among the undated by its key) came in below it:
        # the same paper is highlighted where it was, and the list did not scroll.
        zebra = [h.paper.abstract.startswith("Zebra finches") for h in results.hits].index(True)
        assert zebra > 17
        assert highlighted_key(app) == key and results.highlighted == 17
        assert results.scroll_offset.y == scroll
        assert app.screen.query_one(AbstractViewer).hit.paper.key == key

        await pilot.press("slash", *"zebra finches")
        await settle(pilot)
        [hit] = results.hits
        assert hit.paper.abstract == "Zebra finches learn their songs from tutors."
        assert hit.paper.authors == ("Alex",)


async def test_a_new_dump_in_the_folder_gets_a_tab(app: AbstractsApp, dumps: Path) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        (dumps / "bob.txt").write_text(
            "Bob\nAbstract:Penguins huddle to keep warm.\nAbstract:Owls hunt at night.\n",
            encoding="utf-8",
        )
        await until(pilot, lambda: "Bob 2" in tabs(app))
        assert "2 papers added from bob.txt" in notice_texts(app)
        assert tabs(app)[0] == "All 39"
        await pilot.press("7")  # the new tab, after All and the five seed dumps
        await settle(pilot)
        assert count_line(app) == "2 papers · newest first"


async def test_problems_in_a_new_dump_are_named_by_file_and_line(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        snapshot = dumps / "snapshot.jsonl"
        shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", snapshot)
        await until(pilot, lambda: "snapshot.jsonl 4" in tabs(app))
        # One of its papers is the o1 System Card, in the seed dumps already.
        assert "4 papers added from snapshot.jsonl" in notice_texts(app)
        assert tabs(app)[0] == "All 40"
        said = [(n.title, n.severity, n.message) for n in notices(app)]
        assert ("In a changed dump", "error", f"{snapshot}:5: skipped: no abstract") in said
        assert sum(message.startswith(f"{snapshot}:") for _, _, message in said) == 3


async def test_a_removed_dump_takes_its_papers_and_tab_away(app: AbstractsApp, dumps: Path) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press("5")  # Tony's tab
        await settle(pilot)
        assert count_line(app) == "10 papers · newest first"
        (dumps / TONY).unlink()
        await until(pilot, lambda: not any(label.startswith("Tony") for label in tabs(app)))
        assert f"{TONY} removed: 10 papers" in notice_texts(app)
        # Tony's own 8 papers are gone; the 2 in other dumps too stay.
        assert tabs(app)[0] == "All 29"
        # The tab shown went away: back to All.
        assert count_line(app).startswith("29 papers")


async def test_an_edited_paper_shows_as_it_is_now_in_the_viewer(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press("slash", *"deliberative alignment", "enter", "enter")
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        assert viewer.hit.paper.title == TITLE and app.focused is viewer
        path = dumps / JAIN
        path.write_text(path.read_text().replace(TITLE, TITLE + ", Revised"))
        await until(pilot, lambda: f"1 paper changed in {JAIN}" in notice_texts(app))
        assert viewer.hit.paper.title == TITLE + ", Revised"
        assert app.focused is viewer


def updating(app: AbstractsApp) -> bool:
    """An update of the index for changed dumps is under way."""
    return any(w.description == "changed dumps" and w.is_running for w in app.workers)


async def test_typing_goes_on_while_an_update_waits_for_another_process(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        # Another process updating the same index holds its lock: ours waits its turn.
        with Store.updating(app.library.index_dir, timeout=0):
            append(dumps / ALEX, "Abstract:Zebra finches learn their songs from tutors.\n")
            await until(pilot, lambda: updating(app), settled=False)
            await pilot.press("slash", *"zebra finches")
            # Answered from the index as it is, while the update waits.
            await until(
                pilot, lambda: count_line(app) == "0 papers found · best match first", settled=False
            )
            assert updating(app)
        # Once the other process is done, the change is taken in, and the search shown
        # is run again.
        await until(pilot, lambda: f"1 paper added from {ALEX}" in notice_texts(app))
        assert count_line(app) == "1 paper found · best match first"


async def test_tabs_and_count_follow_an_index_another_process_brought_up_to_date(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        assert tabs(app)[:3] == ["All 37", "000_e4898e36c2f54974 7", "Alex 9"]
        # Another reader of the library takes the change in first: this one's own
        # update finds the index up to date.
        other = Library(app.library.paths, app.library.index_dir, Config())
        append(dumps / ALEX, "Abstract:Zebra finches learn their songs from tutors.\n")
        assert other.update().read == [str(dumps / ALEX)]
        other.close()
        await until(pilot, lambda: tabs(app)[:3] == ["All 38", "000_e4898e36c2f54974 7", "Alex 10"])
        assert count_line(app).startswith("38 papers")
        await pilot.press("slash", *"zebra finches")
        await settle(pilot)
        assert count_line(app).startswith("1 paper found")
        assert tabs(app)[:3] == ["All  1/38", "000_e4898e36c2f54974 0/7", "Alex  1/10"]


async def test_a_burst_of_saves_is_one_update(app: AbstractsApp, dumps: Path) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        for number in range(5):  # an editor saving, or a copy in pieces
            append(dumps / ALEX, f"Abstract:Burst paper number {number} about herons.\n")
            await pilot.pause(0.1)
        await until(pilot, lambda: any("added from" in note for note in notice_texts(app)))
        added = [n for n in notice_texts(app) if "added from" in n]
        assert added == [f"5 papers added from {ALEX}"]


async def test_a_watched_folder_that_goes_away_is_said_once(app: AbstractsApp, dumps: Path) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        shutil.rmtree(dumps)
        await until(pilot, lambda: tabs(app) == ["All 0"])
        said = [n for n in notice_texts(app) if "not followed" in n]
        assert said == [f"Changes to {dumps} are not followed: it was removed."]
        await pilot.press("slash", *"reasoning")
        await settle(pilot)
        assert count_line(app) == "0 papers found · best match first"


async def test_a_watched_folder_made_again_or_moved_back_is_followed_again(
    app: AbstractsApp, dumps: Path, tmp_path: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        saved = tmp_path / "saved"
        shutil.copytree(dumps, saved)
        shutil.rmtree(dumps)
        await until(pilot, lambda: tabs(app) == ["All 0"])
        shutil.copytree(saved, dumps)  # made again
        await until(pilot, lambda: tabs(app)[:1] == ["All 37"])
        assert count_line(app).startswith("37 papers")
        append(dumps / ALEX, "Abstract:Zebra finches learn their songs from tutors.\n")
        await until(pilot, lambda: tabs(app)[:1] == ["All 38"])

        away = tmp_path / "away"
        dumps.rename(away)  # moved away...
        await until(pilot, lambda: tabs(app) == ["All 0"])
        append(away / ALEX, "Abstract:Herons wait for the fish.\n")
        away.rename(dumps)  # ...and back, with a paper more
        await until(pilot, lambda: tabs(app)[:1] == ["All 39"])
        append(dumps / ALEX, "Abstract:Otters hold hands while they sleep.\n")
        await until(pilot, lambda: tabs(app)[:1] == ["All 40"])
        assert count_line(app).startswith("40 papers")


async def test_watching_can_be_turned_off(dumps: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("watch = false\n", encoding="utf-8")
    library = Library([dumps], tmp_path / "index", Config.load(config))
    library.update()
    for app in (AbstractsApp(library), AbstractsApp(Library([dumps]), watch=False)):
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert app.watcher is None


async def test_quitting_ends_the_watcher(app: AbstractsApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        watcher = app.watcher
        started = time.monotonic()
        await pilot.press("q")
    assert watcher is not None and not watcher.running
    assert time.monotonic() - started < 2


async def test_a_paper_past_the_first_page_stays_highlighted(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press(*["down"] * 30)  # the list loads its second page
        await settle(pilot)
        results = app.screen.query_one(ResultList)
        key = highlighted_key(app)
        assert len(results.hits) == 37 and results.highlighted == 30
        append(dumps / ALEX, "Abstract:Zebra finches learn their songs from tutors.\n")
        await until(pilot, lambda: f"1 paper added from {ALEX}" in notice_texts(app))
        # Searched again as far down as the list went, not its first page alone.
        assert len(results.hits) == 38
        assert highlighted_key(app) == key and results.highlighted == 31


def test_the_no_watch_flag_reaches_the_reader(dumps: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    followed: list[bool] = []
    # Everything but the terminal: the reader is made as the command line makes it.
    monkeypatch.setattr(AbstractsApp, "run", lambda app: followed.append(app.follows_dumps))
    assert main([str(dumps), "--no-watch"]) == 0
    assert main([str(dumps)]) == 0
    assert followed == [False, True]


async def test_the_viewer_keeps_its_place_in_the_paper_it_shows(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(80, 16)) as pilot:
        await opened(pilot)
        await pilot.press("slash", *"deliberative alignment", "enter", "enter", "ctrl+d")
        await settle(pilot)
        viewer = app.screen.query_one(AbstractViewer)
        key, place = viewer.hit.paper.key, viewer.scroll_y
        assert place > 0
        append(dumps / ALEX, "Abstract:Deliberative herons wait for alignment of the fish.\n")
        await until(pilot, lambda: f"1 paper added from {ALEX}" in notice_texts(app))
        # The paper's score moved with the library (the viewer shows it again), its
        # place in it stays.
        assert viewer.hit.paper.key == key and viewer.scroll_y == place
        assert app.focused is viewer


class Lag:
    """The event loop's responsiveness: the longest a 5 ms sleep overslept."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _measure(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - started - 0.005)

    def __enter__(self) -> Lag:
        self._task = asyncio.get_running_loop().create_task(self._measure())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_a_flood_of_dumps_is_taken_in_while_typing_stays_responsive(
    app: AbstractsApp, dumps: Path
) -> None:
    arriving = dumps / "arriving"
    arriving.mkdir()
    flood = 2000

    # Written by another process, as a copy or a download would: the reader's own
    # threads are measured, not the writer's.
    script = (
        "import sys, pathlib\n"
        "folder = pathlib.Path(sys.argv[1])\n"
        f"for n in range({flood}):\n"
        "    text = f'Author Number{n}\\nAbstract:Flooded paper {n} about otters.\\n'\n"
        "    (folder / f'd{n:04}.txt').write_text(text, encoding='utf-8')\n"
    )

    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        search = app.screen.query_one("#search", SearchBox)
        await pilot.press("slash")  # to the search box
        assert app.focused is search
        echoes: list[float] = []
        with Lag() as lag:
            writer = subprocess.Popen([sys.executable, "-c", script, str(arriving)])
            deadline = time.monotonic() + 90
            typed = ""
            # Type (and clear) while the flood is taken in, timing each key's echo.
            while not "".join(tabs(app)[:1]).endswith(
                f"{37 + flood:,}"
            ):  # "All 1/2,037" while typing
                assert time.monotonic() < deadline, f"not taken in: {tabs(app)[:1]}"
                key = "o" if len(typed) < 6 else "backspace"
                typed = typed + "o" if key == "o" else typed[:-1]
                started = time.perf_counter()
                # As a terminal sends it: Pilot's press would also wait for idle.
                app.post_message(events.Key(key, "o" if key == "o" else None))
                # Echoed, and taken by the screen (which searches for it): a screen
                # busy with the tabs would leave the search behind the typing.
                while search.value != typed or app.main.query_text != typed:
                    await asyncio.sleep(0.001)
                echoes.append(time.perf_counter() - started)
                await pilot.pause(0.05)
            assert writer.wait() == 0
        # How fast is a figure for the benchmark, not a bound here: on this 2-core
        # machine the worst of some 200 samples ranged from 26 to 160 ms between runs
        # (the project measures speed in bench.py, engines side by side). Every key
        # was echoed and searched while the flood was taken in, which is asserted.
        print(f"echo worst {max(echoes) * 1000:.0f} ms, loop lag worst {lag.worst * 1000:.0f} ms")
        assert len(echoes) > 0
        search.value = ""
        await until(pilot, lambda: count_line(app).startswith(f"{37 + flood:,} papers"))
        assert tabs(app)[0] == f"All {37 + flood:,}"


async def test_tabs_shown_twice_at_once_come_out_as_the_last_asked(app: AbstractsApp) -> None:
    """A pin made while a live update adds its tabs a few at a time: one waits for the
    other, and neither mounts a tab twice."""
    from index import TabFilter, read_tabs

    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(AuthorTabs)
        entries = list(await asyncio.to_thread(read_tabs, app.library))
        more = [(f"Author {n}", TabFilter(author=f"Author {n}"), 1) for n in range(12)]
        pinned = [("Pinned", TabFilter(author="Pinned"), 2)]
        await asyncio.gather(bar.show_tabs(entries + more), bar.show_tabs(entries + pinned))
        await settle(pilot)
        assert bar.shows(entries + pinned)
        ids = [tab.id for tab in bar.query("Tab")]
        assert len(ids) == len(set(ids)) == len(entries) + 1


async def test_matches_counted_while_new_tabs_are_still_being_added(app: AbstractsApp) -> None:
    """A flood's tabs are added a few at a time; an answer typed meanwhile counts the
    matches of every tab known, some not on screen yet: those are labelled once
    there, and nothing fails (the reader stopped with NoMatches)."""
    from index import TabFilter

    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(AuthorTabs)
        old = [
            (label, bar.filters[tab_id], count) for tab_id, (label, count) in bar._labels.items()
        ]
        new = [(f"Author {n}", TabFilter(author=f"Author {n}"), 1) for n in range(30)]
        adding = asyncio.ensure_future(bar.show_tabs(old + new))
        while len(bar._labels) == len(old):  # the first few are being mounted
            await asyncio.sleep(0)
        bar.show_matches(tuple(1 for _ in bar._labels))
        await adding
        await settle(pilot)
        bar.show_matches(tuple(1 for _ in bar._labels))
        await settle(pilot)
        assert [str(tab.label) for tab in bar.query("Tab")][-1] == "Author 29 1/1"
