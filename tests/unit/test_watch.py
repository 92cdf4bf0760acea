"""DumpWatcher on real files with the system's own notifications: each change to
the dumps is told once the files settle, nothing else is, and it stops at once."""

from __future__ import annotations

import os
import queue
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Config, DumpWatcher, StateWatcher, UserDB

QUIET = 0.3  # seconds; the reader waits longer, the tests need not


class Told:
    """What a watcher told, in order, as it told it (from its own thread)."""

    def __init__(self) -> None:
        self.changes: queue.SimpleQueue[set[Path]] = queue.SimpleQueue()
        self.problems: queue.SimpleQueue[str] = queue.SimpleQueue()

    def next_change(self, timeout: float = 5.0) -> set[Path]:
        return self.changes.get(timeout=timeout)

    def no_more_changes(self) -> bool:
        """Nothing more is told for a while longer than a quiet spell."""
        try:
            self.changes.get(timeout=QUIET * 3)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "dumps"
    (made / "sub").mkdir(parents=True)
    (made / "alex.txt").write_text("Alex\nAbstract:One.\n", encoding="utf-8")
    (made / "sub" / "tony.txt").write_text("Tony\nAbstract:Two.\n", encoding="utf-8")
    return made


@pytest.fixture
def watching(tmp_path: Path, folder: Path) -> Iterator[tuple[DumpWatcher, Told]]:
    """A watcher on the dumps folder and on a dump file named by itself."""
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "jain.txt").write_text("Jain\nAbstract:Three.\n", encoding="utf-8")
    told = Told()
    watcher = DumpWatcher(
        [folder, tmp_path / "own" / "jain.txt"],
        changed=told.changes.put,
        problem=told.problems.put,
        quiet=QUIET,
        ignore=folder / "index",
    )
    watcher.start()
    assert watcher.wait_ready(5)
    yield watcher, told
    watcher.stop()


def test_a_new_dump_in_a_watched_folder_is_told(
    watching: tuple[DumpWatcher, Told], folder: Path
) -> None:
    _, told = watching
    (folder / "sub" / "bob.txt").write_text("Bob\nAbstract:New.\n", encoding="utf-8")
    assert told.next_change() == {folder / "sub" / "bob.txt"}
    assert told.no_more_changes()


def test_an_edited_dump_is_told_once(watching: tuple[DumpWatcher, Told], folder: Path) -> None:
    _, told = watching
    with (folder / "alex.txt").open("a", encoding="utf-8") as dump:
        dump.write("Abstract:Another.\n")
    assert told.next_change() == {folder / "alex.txt"}
    assert told.no_more_changes()


def test_a_removed_dump_is_told_once(watching: tuple[DumpWatcher, Told], folder: Path) -> None:
    _, told = watching
    (folder / "sub" / "tony.txt").unlink()
    assert told.next_change() == {folder / "sub" / "tony.txt"}
    assert told.no_more_changes()


def test_a_burst_of_writes_is_told_once_when_it_settles(
    watching: tuple[DumpWatcher, Told], folder: Path
) -> None:
    _, told = watching
    for number in range(12):  # longer in all than a quiet spell, never quiet that long
        with (folder / "alex.txt").open("a", encoding="utf-8") as dump:
            dump.write(f"Abstract:Paper {number}.\n")
        (folder / f"new{number % 3}.txt").write_text("Abstract:x.\n", encoding="utf-8")
        written = time.monotonic()
        time.sleep(0.05)
    changed = told.next_change()
    # Told once the last write had been followed by a quiet spell.
    assert time.monotonic() - written >= QUIET * 0.9
    assert changed == {folder / "alex.txt", *(folder / f"new{n}.txt" for n in range(3))}
    assert told.no_more_changes()


def test_files_that_are_no_dumps_are_not_told(
    watching: tuple[DumpWatcher, Told], folder: Path
) -> None:
    _, told = watching
    (folder / ".alex.txt.swp").write_text("editor state", encoding="utf-8")
    (folder / "notes.md").write_text("notes", encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "old.txt").write_text("Abstract:x.\n", encoding="utf-8")
    # The index, kept in the folder: its writes are no change (its lock file would
    # look like a dump by its name, and each update would set off the next).
    (folder / "index").mkdir()
    (folder / "index" / "UPDATE").write_text("", encoding="utf-8")
    assert told.no_more_changes()


def test_a_named_dump_saved_by_renaming_over_it_is_told(
    watching: tuple[DumpWatcher, Told], tmp_path: Path
) -> None:
    _, told = watching
    own = tmp_path / "own"
    (own / "other.txt").write_text("Abstract:not watched.\n", encoding="utf-8")
    (own / "jain.txt.tmp").write_text("Jain\nAbstract:Saved anew.\n", encoding="utf-8")
    os.replace(own / "jain.txt.tmp", own / "jain.txt")  # how many editors save
    assert told.next_change() == {own / "jain.txt"}
    assert told.no_more_changes()
    with (own / "jain.txt").open("a", encoding="utf-8") as dump:  # the new file is followed
        dump.write("Abstract:More.\n")
    assert told.next_change() == {own / "jain.txt"}


def test_a_watched_folder_removed_is_said_once_and_its_dumps_told(
    watching: tuple[DumpWatcher, Told], folder: Path
) -> None:
    watcher, told = watching
    shutil.rmtree(folder)
    changed = told.next_change()
    assert {folder / "alex.txt", folder / "sub" / "tony.txt"} <= changed
    assert told.problems.get(timeout=1) == f"Changes to {folder} are not followed: it was removed."
    assert told.problems.empty()
    assert watcher.running  # the other paths are still watched


def test_a_path_missing_is_waited_for_and_the_rest_watched(tmp_path: Path) -> None:
    told = Told()
    missing = tmp_path / "gone" / "alex.txt"
    (tmp_path / "dumps").mkdir()
    watcher = DumpWatcher(
        [missing, tmp_path / "dumps"], told.changes.put, told.problems.put, quiet=QUIET
    )
    watcher.start()
    try:
        assert watcher.wait_ready(5)
        (tmp_path / "dumps" / "bob.txt").write_text("Abstract:x.\n", encoding="utf-8")
        assert told.next_change() == {tmp_path / "dumps" / "bob.txt"}
        missing.parent.mkdir()
        missing.write_text("Alex\nAbstract:Late.\n", encoding="utf-8")
        assert told.next_change() == {missing}
        assert told.problems.empty()
    finally:
        watcher.stop()


def test_stop_returns_at_once_and_ends_every_thread(
    watching: tuple[DumpWatcher, Told], folder: Path
) -> None:
    watcher, told = watching
    (folder / "alex.txt").write_text("Alex\nAbstract:Changed.\n", encoding="utf-8")
    time.sleep(0.05)  # a change under way, not yet settled
    started = time.monotonic()
    watcher.stop()
    assert time.monotonic() - started < 0.5
    assert not watcher.running
    assert told.no_more_changes()  # what was not yet told is dropped


def test_watching_costs_nothing_while_nothing_changes(
    watching: tuple[DumpWatcher, Told],
) -> None:
    # The system tells of changes: between them the threads sleep, not poll.
    started = time.process_time()
    time.sleep(1)
    assert time.process_time() - started < 0.05


def test_the_config_can_turn_watching_off(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert Config().watch is True
    path.write_text("watch = false\n", encoding="utf-8")
    assert Config.load(path).watch is False
    path.write_text('watch = "no"\n', encoding="utf-8")
    config = Config.load(path)
    assert config.watch is True
    assert [str(problem) for problem in config.problems] == [f"{path}: watch must be true or false"]


@pytest.fixture
def state_watching(tmp_path: Path) -> Iterator[tuple[StateWatcher, queue.SimpleQueue[str]]]:
    """A StateWatcher on a state database not yet written, in a folder not yet made."""
    told: queue.SimpleQueue[str] = queue.SimpleQueue()
    watcher = StateWatcher(
        tmp_path / "data" / "libraries" / "lib.sqlite3",
        changed=lambda: told.put("changed"),
        problem=told.put,
    )
    watcher.start()
    assert watcher.wait_ready(5)
    yield watcher, told
    watcher.stop()


def test_the_state_database_written_first_and_then_is_told(
    state_watching: tuple[StateWatcher, queue.SimpleQueue[str]],
) -> None:
    watcher, told = state_watching
    assert watcher.path.parent.is_dir()  # made, to be watched
    writer = UserDB(watcher.path)
    writer.set_starred("a", True)  # creates the file
    assert told.get(timeout=5) == "changed"
    while not told.empty():  # (the same burst may be told in parts)
        told.get()
    writer.add_tag("a", "x")  # a commit in WAL mode writes the -wal file
    assert told.get(timeout=5) == "changed"
    writer.close()


def test_other_files_in_the_state_folder_are_not_told(
    state_watching: tuple[StateWatcher, queue.SimpleQueue[str]],
) -> None:
    watcher, told = state_watching
    other = UserDB(watcher.path.with_name("other.sqlite3"))
    other.set_starred("a", True)
    other.close()
    with pytest.raises(queue.Empty):
        told.get(timeout=1.0)
    started = time.monotonic()
    watcher.stop()
    assert time.monotonic() - started < 0.5 and not watcher.running


def test_a_state_folder_that_cannot_be_made_is_said(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    told: queue.SimpleQueue[str] = queue.SimpleQueue()
    watcher = StateWatcher(tmp_path / "file" / "lib.sqlite3", lambda: told.put("?"), told.put)
    watcher.start()
    assert watcher.wait_ready(5)
    said = told.get(timeout=5)
    assert said.startswith(f"Changes to {tmp_path / 'file' / 'lib.sqlite3'} are not followed")
    watcher.stop()


def drain(told: Told) -> set[Path]:
    """Everything told until a quiet spell passes without more."""
    changed: set[Path] = set()
    while True:
        try:
            changed |= told.changes.get(timeout=QUIET * 3)
        except queue.Empty:
            return changed


def test_a_watched_folder_removed_and_made_again_is_followed_again(
    watching: tuple[DumpWatcher, Told], folder: Path
) -> None:
    _, told = watching
    shutil.rmtree(folder)
    assert folder in drain(told)
    folder.mkdir()
    (folder / "bob.txt").write_text("Bob\nAbstract:Back.\n", encoding="utf-8")
    # Back: all of it is told (what came before its watch was set up too), then
    # its changes as before.
    assert folder in told.next_change()
    drain(told)
    (folder / "carol.txt").write_text("Carol\nAbstract:New.\n", encoding="utf-8")
    assert told.next_change() == {folder / "carol.txt"}
    # Gone again: said again.
    shutil.rmtree(folder)
    drain(told)
    said = f"Changes to {folder} are not followed: it was removed."
    assert [told.problems.get(timeout=1), told.problems.get(timeout=1)] == [said, said]


def test_a_watched_folder_made_again_at_once_is_followed_again(
    watching: tuple[DumpWatcher, Told], folder: Path
) -> None:
    """Made again before the watch looks: the file system may give the new folder
    the old one's inode, so only the folder's own removal tells them apart."""
    _, told = watching
    shutil.rmtree(folder)
    folder.mkdir()
    assert folder / "alex.txt" in told.next_change() | drain(told)  # gone
    (folder / "carol.txt").write_text("Carol\nAbstract:New.\n", encoding="utf-8")
    assert folder / "carol.txt" in told.next_change() | drain(told)


def test_a_watched_folder_moved_away_and_back_is_followed_again(
    watching: tuple[DumpWatcher, Told], folder: Path, tmp_path: Path
) -> None:
    _, told = watching
    away = tmp_path / "away"
    os.rename(folder, away)
    assert folder in told.next_change()
    (away / "bob.txt").write_text("Bob\nAbstract:Elsewhere.\n", encoding="utf-8")
    drain(told)  # (what happens to it elsewhere is none of the library's business)
    os.rename(away, folder)
    assert folder in told.next_change()
    drain(told)
    (folder / "carol.txt").write_text("Carol\nAbstract:New.\n", encoding="utf-8")
    assert told.next_change() == {folder / "carol.txt"}


def test_a_flood_that_goes_on_is_told_in_batches(tmp_path: Path) -> None:
    (tmp_path / "dumps").mkdir()
    told = Told()
    watcher = DumpWatcher([tmp_path / "dumps"], told.changes.put, told.problems.put, QUIET, most=1)
    watcher.start()
    try:
        assert watcher.wait_ready(5)
        started = time.monotonic()
        number = 0
        while told.changes.empty():  # never quiet for long: told once it has gone on a while
            assert time.monotonic() - started < 5
            (tmp_path / "dumps" / f"d{number}.txt").write_text("Abstract:x.\n", encoding="utf-8")
            number += 1
            time.sleep(QUIET / 3)
        assert 1 <= time.monotonic() - started < 2
    finally:
        watcher.stop()


@pytest.mark.parametrize("made_as", ["folder", "file"])
def test_a_path_missing_at_start_is_followed_as_what_it_becomes(
    tmp_path: Path, made_as: str
) -> None:
    """A library's folder that is not there when the reader opens (not mounted yet,
    or being copied) is followed with everything under it once it is made; a dump
    file made later is followed as a file."""
    path = tmp_path / ("later" if made_as == "folder" else "later.txt")
    told = Told()
    watcher = DumpWatcher([path], changed=told.changes.put, problem=told.problems.put, quiet=QUIET)
    watcher.start()
    try:
        assert watcher.wait_ready(5)
        if made_as == "folder":
            (path / "sub").mkdir(parents=True)
            assert path in told.next_change() | drain(told)
            (path / "sub" / "carol.txt").write_text("Carol\nAbstract:New.\n", encoding="utf-8")
            assert path / "sub" / "carol.txt" in told.next_change() | drain(told)
        else:
            path.write_text("Carol\nAbstract:New.\n", encoding="utf-8")
            assert path in told.next_change() | drain(told)
            with path.open("a", encoding="utf-8") as dump:
                dump.write("Abstract:Another.\n")
            assert path in told.next_change() | drain(told)
    finally:
        watcher.stop()
