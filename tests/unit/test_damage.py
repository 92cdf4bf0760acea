"""A damaged index is noticed by `index` and rebuilt, saying why; waiting is said."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import run as run_abstracts

from index import Config, Library, StoreError
from index.engine.store import Store
from index.manifest import MANIFEST
from index.update import watching
from tui import cli


def run(*args: str | Path, home: Path) -> subprocess.CompletedProcess:
    return run_abstracts(*args, env_home=home, timeout=120, columns=200)


def cut_in_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def damage(index_dir: Path, how: str) -> None:
    if how == "segment cut in half":
        cut_in_half(max(index_dir.glob("MAIN_*.pst"), key=lambda p: p.stat().st_size))
    elif how == "_stored.col cut":
        cut_in_half(next(index_dir.glob("MAIN_*._stored.col")))
    else:  # random bytes over part of the TOC, its size unchanged
        toc = next(index_dir.glob("_MAIN_*.toc"))
        data = bytearray(toc.read_bytes())
        middle = len(data) // 2
        data[middle : middle + 16] = random.Random(5).randbytes(16)
        toc.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "how", ["segment cut in half", "_stored.col cut", "random bytes in the TOC"]
)
def test_index_notices_damage_and_says_why_it_rebuilds(
    how: str, dumps: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    first = run("index", dumps, "--index-dir", index_dir, home=tmp_path)
    assert first.returncode == 0
    damage(index_dir, how)
    result = run("index", dumps, "--index-dir", index_dir, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"the index in {index_dir} is damaged (" in result.stderr
    assert "rebuilding from 5 dumps" in result.stderr
    assert "37 papers (5 read, 0 unchanged, index built anew)" in result.stdout
    # Whole again: the next command neither rebuilds nor says anything.
    listed = run("list", "--json", "--index-dir", index_dir, home=tmp_path)
    assert listed.returncode == 0 and listed.stderr == ""
    assert len(listed.stdout.splitlines()) == 37


def test_an_unchanged_index_is_checked_not_rebuilt(library: Library) -> None:
    said: list[str] = []
    again = Library(library.paths, library.index_dir, Config())
    again.say = said.append
    before = (library.index_dir / MANIFEST).stat().st_mtime_ns
    started = time.perf_counter()
    report = again.update()
    assert time.perf_counter() - started < 1.0
    assert not report.rebuilt and report.unchanged == 5 and said == []
    assert (library.index_dir / MANIFEST).stat().st_mtime_ns == before
    again.close()


def zero_segments(index_dir: Path) -> None:
    """Garble the segments, their sizes kept: the checks of an update cannot see it."""
    for segment in index_dir.glob("MAIN_*.*"):
        segment.write_bytes(b"\x00" * segment.stat().st_size)


def test_damage_found_while_searching_is_said_by_the_rebuild_that_follows(
    library: Library,
) -> None:
    library.close()
    zero_segments(library.index_dir)
    said: list[str] = []
    seen: list[tuple[str, int, int]] = []
    library.say = said.append
    library.progress = lambda what, done, total: seen.append((what, done, total))
    # The search fails as it is, and starts nothing: the next update rebuilds.
    with pytest.raises(StoreError):
        library.search("heterophily")
    why = library.damage
    assert said == [] and seen == [] and why is not None
    report = library.update()
    assert report.rebuilt and report.damaged == why and library.damage is None
    assert len(said) == 1
    assert said[0].startswith(f"the index in {library.index_dir} is damaged (")
    assert said[0].endswith("rebuilding from 5 dumps")
    assert seen and seen[0][0] == "reading dumps"
    assert library.search("heterophily").total == 2


def test_damage_a_command_finds_while_reading_is_said_and_rebuilt(
    library: Library, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # Damage the update's checks cannot see, its files whole: the first search finds it.
    searched: list[str] = []
    search = Store.search

    def failing_once(store: Store, text: str, **options: object) -> object:
        searched.append(text)
        if len(searched) == 1:
            raise StoreError(f"the index in {library.index_dir} is damaged (a test)")
        return search(store, text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "search", failing_once)
    code = cli.main(["search", "heterophily", "--json", "--index-dir", str(library.index_dir)])
    out, err = capfd.readouterr()
    assert code == 0, err
    assert err.count("abstracts: the index in ") == 1
    assert f"the index in {library.index_dir} is damaged (a test); rebuilding from 5 dumps" in err
    assert len(out.splitlines()) == 2 and searched[:2] == ["heterophily", "heterophily"]


def test_a_first_build_under_way_is_said_with_its_progress(dumps: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with Store.updating(index_dir, timeout=1), watching(index_dir, None) as progress:
        progress("indexing", 1200, 5000)
        listed = run("list", "--index-dir", index_dir, home=tmp_path)
        report = Library([dumps], index_dir, Config()).update(wait=0.1)
    assert listed.returncode == 3
    assert "no library is indexed" not in listed.stderr
    assert (
        f"the library in {index_dir} is being built by another process "
        "(indexing: 1,200 of 5,000); try again when it is done"
    ) in listed.stderr
    assert not (index_dir / "progress.json").exists()
    # Said as it is: nothing is shown by `index`, which prints this.
    assert report.busy and [p.message for p in report.problems] == [
        "another abstracts process is updating this index"
    ]


def test_progress_of_an_update_is_written_for_others_then_removed(
    dumps: Path, tmp_path: Path
) -> None:
    library = Library([dumps], tmp_path / "index", Config())
    statuses: list[dict] = []

    def watch(what: str, done: int, total: int) -> None:
        status = tmp_path / "index" / "progress.json"
        if status.exists():
            statuses.append(json.loads(status.read_text()))

    library.update(watch)
    assert statuses and set(statuses[0]) == {"pid", "what", "done", "total"}
    assert statuses[0]["pid"] == os.getpid()
    assert not (tmp_path / "index" / "progress.json").exists()
    library.close()


def test_a_commit_the_manifest_missed_is_not_called_damage(library: Library, dumps: Path) -> None:
    # A process killed between committing the index and writing the manifest.
    before = (library.index_dir / MANIFEST).read_text()
    (dumps / "new.txt").write_text("Abstract:Penguins huddle for warmth.\n")
    library.update()
    (library.index_dir / MANIFEST).write_text(before)
    said: list[str] = []
    again = Library(library.paths, library.index_dir, Config())
    again.say = said.append
    report = again.update()
    assert said == [] and not report.rebuilt
    assert report.read == [str(dumps / "new.txt")] and report.papers == 38
    again.close()


def test_a_lock_outliving_its_process_is_said_as_such(dumps: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    # A process that ended, whose leftover workers still hold the lock.
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    with Store.updating(index_dir, timeout=1):
        (index_dir / "progress.json").write_text(
            json.dumps({"pid": int(ended), "what": "indexing", "done": 5, "total": 9})
        )
        listed = run("list", "--index-dir", index_dir, home=tmp_path)
    assert listed.returncode == 3
    assert (
        f"abstracts: the index in {index_dir} is locked by processes left over from abstracts "
        f"process {ended}, which has ended; they must end before it can be read"
    ) in listed.stderr
    assert "being built" not in listed.stderr
