"""The reader never hangs silently: failures are said, and quitting is never held up."""

from __future__ import annotations

import gzip
import json
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from helpers import notices, settle
from rich.text import Text
from textual.widgets import ProgressBar, Static

from index import Config, Library
from index.engine.store import Store, StoreError
from index.update import watching
from tui.app import AbstractsApp
from tui.widgets.author_tabs import AuthorTabs


def count_line(app: AbstractsApp) -> str:
    content = app.screen.query_one("#count", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def notifications(app: AbstractsApp) -> list[tuple[str, str, str]]:
    return [(n.title, n.message, n.severity) for n in notices(app)]


def cut_collection(path: Path, count: int = 2000) -> None:
    lines = [
        json.dumps({"id": f"2101.{n:05d}", "abstract": f"Question {n} studied at length."})
        for n in range(count)
    ]
    data = gzip.compress("\n".join(lines).encode())
    path.write_bytes(data[: len(data) // 2])  # an interrupted download


async def test_a_cut_collection_is_said_and_the_rest_is_shown(dumps: Path, tmp_path: Path) -> None:
    cut = dumps / "snapshot.jsonl.gz"
    cut_collection(cut)
    app = AbstractsApp(Library([dumps], tmp_path / "index", Config()))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#progress", ProgressBar).display
        errors = [n for n in notifications(app) if n[2] == "error"]
        assert len(errors) == 1 and errors[0][1].startswith(f"{cut}:")
        assert "ends early" in errors[0][1]
        tabs = [str(tab.label) for tab in app.screen.query_one(AuthorTabs).query("Tab")]
        assert tabs[0].startswith("All ") and int(tabs[0].split()[1].replace(",", "")) > 37
        assert count_line(app).endswith("(showing 20; more as you scroll) · newest first")


async def test_an_unusable_index_folder_is_said_not_waited_on(dumps: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.write_text("a file where the index folder should be")
    app = AbstractsApp(Library([dumps], index_dir, Config()))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        line = count_line(app)
        assert line.startswith("Could not open the library: cannot write the index in ")
        assert str(index_dir) in line
        assert not app.screen.query_one("#progress", ProgressBar).display
        [(title, message, severity)] = notifications(app)
        assert severity == "error" and title == "Could not bring the library up to date"
        assert str(index_dir) in message


async def test_a_failure_after_the_library_is_shown_keeps_it_usable(
    dumps: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    library = Library([dumps], index_dir, Config())
    library.update()
    library.close()
    # The index is readable, but no update can be written: every dump changed.
    for dump in dumps.iterdir():
        dump.write_text(dump.read_text() + "\n")
    (index_dir / "UPDATE").unlink()
    (index_dir / "UPDATE").mkdir()  # the update lock cannot be taken
    app = AbstractsApp(Library([dumps], index_dir, Config()))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert any(severity == "error" for _, _, severity in notifications(app))
        assert count_line(app) == "37 papers (showing 20; more as you scroll) · newest first"


async def test_quitting_while_a_worker_is_blocked_is_at_once(app: AbstractsApp) -> None:
    # Another thread holds the index: the reader's worker waits on it, as on a slow read.
    store = app.library.store()
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with store.searcher_state.searching():
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    held.wait(5)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause(0.3)
            assert count_line(app) == "Opening the library…"  # the worker is stuck
            started = time.monotonic()
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running
            assert time.monotonic() - started < 2
        # The stuck worker runs on a daemon thread: it cannot keep the program alive.
        stuck = [t for t in threading.enumerate() if t.name == "abstracts-worker"]
        assert stuck and all(t.daemon for t in stuck)
    finally:
        release.set()
        holder.join(5)


async def test_a_first_build_by_another_process_is_waited_for_and_said(
    dumps: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    building = Library([dumps], index_dir, Config())
    app = AbstractsApp(Library([dumps], index_dir, Config()))
    with ExitStack() as held:
        # The lock is held before the reader starts, as by a build under way.
        held.enter_context(Store.updating(index_dir, timeout=1))
        async with app.run_test(size=(120, 30)) as pilot:
            with watching(index_dir, None) as progress:
                progress("indexing", 200, 1000)
                for _ in range(50):  # the reader waits 2 s for the lock first
                    await pilot.pause(0.1)
                    if "being built" in count_line(app):
                        break
                assert count_line(app) == (
                    "The library is being built by another process "
                    "(indexing: 200 of 1,000); waiting…"
                )
                assert not [n for n in notifications(app) if n[2] == "error"]
                held.close()
                building.update(progress)  # the other process finishes
            for _ in range(50):  # and the reader opens it on its next look
                await pilot.pause(0.1)
                if count_line(app).startswith("37 papers"):
                    break
            assert count_line(app) == "37 papers (showing 20; more as you scroll) · newest first"
    building.close()


async def test_an_index_that_cannot_be_written_is_read_as_it_is(
    dumps: Path, tmp_path: Path, read_only
) -> None:
    index_dir = tmp_path / "index"
    Library([dumps], index_dir, Config()).update()
    (dumps / "000_e4898e36c2f54974.txt").unlink()  # a change it cannot take in
    read_only(index_dir)
    app = AbstractsApp(Library([dumps], index_dir, Config()))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        behind = [n for n in notifications(app) if n[0] == "The index is behind"]
        assert len(behind) == 1 and "cannot be written" in behind[0][1]
        assert count_line(app).startswith("37 papers")


async def test_an_index_unreadable_once_rebuilt_is_said_not_rebuilt_again(
    app: AbstractsApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    updates: list[object] = []
    update = app.library.update

    def counted(*args: object, **kwargs: object) -> object:
        updates.append(args)
        return update(*args, **kwargs)  # type: ignore[arg-type]

    def unreadable(store: Store, text: str, **options: object) -> None:
        raise StoreError(f"the index in {app.library.index_dir} is damaged (a test)")

    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.library, "update", counted)
        monkeypatch.setattr(Store, "search", unreadable)
        await pilot.press("slash")  # to the search box
        await pilot.press(*"heterophily")
        await settle(pilot)
        await pilot.press(*" model")
        await settle(pilot)
        assert len(updates) == 1  # one rebuild for it, then it is said
        said = notifications(app)
        assert [n for n in said if n[0] == "Library" and "damaged (a test); rebuilding" in n[1]]
        assert [n for n in said if n[2] == "error" and "damaged (a test)" in n[1]]
