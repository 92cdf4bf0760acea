"""A build that is killed, interrupted or runs out of disk leaves the library usable.

Real processes throughout: `abstracts index` runs as a subprocess on a collection
big enough for the two-process writer, and is killed or interrupted while its
workers are indexing.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import SAMPLES, json_lines, run

from index import Library

# Big enough that the writer starts its worker processes (more than 5,000 papers).
BULK = 6000


def _collection(path: Path, papers: int = BULK) -> Path:
    """A JSON Lines collection of made-up papers from the seed dumps' words."""
    words = sorted({w for f in SAMPLES.glob("*.txt") for w in f.read_text().split() if w.isalpha()})
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for n in range(papers):
            record = {
                "id": f"2401.{n:05d}",
                "title": " ".join(rng.choices(words, k=8)),
                "abstract": " ".join(rng.choices(words, k=120)),
                "authors": [f"Author {rng.randrange(500)}", f"Writer {rng.randrange(500)}"],
            }
            out.write(json.dumps(record) + "\n")
    return path


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[variable] = str(home / variable.lower())
    return env


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_bulk_index(folder: Path, index_dir: Path, home: Path) -> tuple[subprocess.Popen, set]:
    """`abstracts index` on a big collection, returned once its workers are indexing."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "index", str(folder), "--index-dir", str(index_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(home),
        start_new_session=True,  # its own process group, as a terminal's job is
        # Ctrl-C at its default, as in a terminal: a test run started in the
        # background of a script has it ignored, and its children inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = {pid for pid in _children(process.pid) if _alive(pid)}
        if len(workers) >= 2:
            time.sleep(0.5)  # let them take their first papers
            return process, workers
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"no workers started: {process.communicate()}")


def _wait_gone(pids: set[int], seconds: float = 10) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return {p for p in pids if _alive(p)}


def _leftovers(index_dir: Path, before: set[str]) -> set[str]:
    return {p.name for p in index_dir.iterdir()} - before


@pytest.fixture
def indexed(tmp_path: Path, isolated_home: Path) -> tuple[Path, Path, set[str]]:
    """The seed dumps indexed, plus a big collection added to the folder afterwards."""
    folder = tmp_path / "dumps"
    shutil.copytree(SAMPLES, folder)
    index_dir = tmp_path / "index"
    assert run("index", folder, "--index-dir", index_dir, env_home=isolated_home).returncode == 0
    before = {p.name for p in index_dir.iterdir()}
    _collection(folder / "big.jsonl")
    return folder, index_dir, before


def _papers(index_dir: Path, home: Path) -> int:
    listed = run("list", "--json", "--index-dir", index_dir, env_home=home)
    return len(json_lines(listed.stdout))


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_a_killed_build(indexed, isolated_home, signal_number):
    folder, index_dir, before = indexed
    process, workers = _start_bulk_index(folder, index_dir, isolated_home)
    os.kill(process.pid, signal_number)
    process.communicate(timeout=30)  # ends: no worker keeps its stdout open
    assert not _wait_gone(workers), "worker processes outlived their parent"

    started = time.monotonic()
    again = run("index", folder, "--index-dir", index_dir, env_home=isolated_home)
    assert again.returncode == 0, again.stderr
    assert "another" not in again.stderr
    assert time.monotonic() - started < 50  # never the 60 s wait for a lock
    assert _papers(index_dir, isolated_home) == 37 + BULK


def test_ctrl_c_stops_a_build_with_one_line(indexed, isolated_home):
    folder, index_dir, before = indexed
    process, workers = _start_bulk_index(folder, index_dir, isolated_home)
    os.killpg(process.pid, signal.SIGINT)  # the whole job, as a terminal sends it
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.strip() == "stopped; the index still holds 37 papers"
    assert "Traceback" not in stdout + stderr
    assert not _wait_gone(workers)
    assert not _leftovers(index_dir, before)
    assert Library.at(index_dir).papers_held() == 37  # as it was, without updating it


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB file system, where the system allows mounting one."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {made.stderr!r}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_leaves_the_index_as_it_was(tmp_path, small_disk, isolated_home):
    folder = tmp_path / "dumps"
    shutil.copytree(SAMPLES, folder)
    index_dir = small_disk / "index"
    assert run("index", folder, "--index-dir", index_dir, env_home=isolated_home).returncode == 0
    before = {p.name for p in index_dir.iterdir()}
    _collection(folder / "big.jsonl")

    full = run("index", folder, "--index-dir", index_dir, env_home=isolated_home)
    assert full.returncode == 1
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1, full.stderr
    assert "disk holding it is full" in lines[0] and "37 papers" in lines[0]
    assert "Traceback" not in full.stdout + full.stderr
    assert not _leftovers(index_dir, before)
    # Searching goes on with what the index holds, and says once why it is behind.
    listed = run("list", "--json", "--index-dir", index_dir, env_home=isolated_home)
    assert listed.returncode == 0
    assert len(json_lines(listed.stdout)) == 37
    assert listed.stderr.count("disk holding it is full") == 1


def test_a_read_only_index_is_read_as_it_is(tmp_path, isolated_home, read_only):
    folder = tmp_path / "dumps"
    shutil.copytree(SAMPLES, folder)
    index_dir = tmp_path / "index"
    assert run("index", folder, "--index-dir", index_dir, env_home=isolated_home).returncode == 0
    (folder / "000_e4898e36c2f54974.txt").unlink()  # a change the index cannot take in
    read_only(index_dir)

    listed = run("list", "--json", "--index-dir", index_dir, env_home=isolated_home)
    assert listed.returncode == 0, listed.stderr
    assert len(json_lines(listed.stdout)) == 37
    assert listed.stderr.count("cannot be written") == 1
    assert "Traceback" not in listed.stderr
    indexed = run("index", folder, "--index-dir", index_dir, env_home=isolated_home)
    assert indexed.returncode == 1
    assert "cannot be written" in indexed.stderr


def test_the_next_build_removes_what_a_killed_one_left(indexed, isolated_home):
    folder, index_dir, before = indexed
    process, workers = _start_bulk_index(folder, index_dir, isolated_home)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    _wait_gone(workers)
    assert any(name.endswith(".tmp") for name in _leftovers(index_dir, before))
    (folder / "big.jsonl").unlink()
    with (folder / "001_000eb8558b6da544.txt").open("a") as dump:
        dump.write("% changed\n")  # the next update that writes cleans up
    again = run("index", folder, "--index-dir", index_dir, env_home=isolated_home)
    assert again.returncode == 0, again.stderr
    assert not [name for name in _leftovers(index_dir, before) if name.endswith(".tmp")]
