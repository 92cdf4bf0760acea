"""Shared fixtures: every test runs with its own config, cache and state folders."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import SAMPLES, SEED

from index import Config, Library


def pytest_configure(config: pytest.Config) -> None:
    # The program that the tests run as a command (hundreds of times, and its index
    # workers) keeps its compiled modules, as an installed one does, rather than
    # compiling index and tui again at each start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The slow tests first: on several workers, one of them left for the end would
    # keep the others waiting.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep tests away from the user's real config, cache and state."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("ABSTRACTS_CONFIG", raising=False)
    return home


@dataclass(frozen=True)
class Seed:
    """The seed dumps, indexed once for a test session (each xdist worker's)."""

    dumps: Path  # where each test's copy of the dumps is made: one path for all
    index: Path  # their index, up to date for a copy made there (copied, never used)


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    root = tmp_path_factory.mktemp("seed")
    made = Seed(root / "dumps", root / "index")
    _copy_samples(made.dumps)
    with pytest.MonkeyPatch.context() as monkeypatch:  # no user folder is touched
        for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
            monkeypatch.setenv(variable, str(root / "home" / variable.lower()))
        library = Library([made.dumps], made.index, Config())
        report = library.update()
        library.close()
    assert report.errors == [] and report.papers > 0
    return made


def _copy_samples(folder: Path) -> None:
    # copytree keeps each file's mtime, which the index's manifest records.
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("__pycache__"))


@pytest.fixture
def dumps(seed: Seed) -> Path:
    """A writable copy of the seed dumps, made anew for each test at the same path
    (the worker's seed folder), so that a copy of the seed index is up to date for it:
    an index knows its dumps by path, size and mtime."""
    if seed.dumps.is_symlink() or seed.dumps.is_file():
        seed.dumps.unlink()
    elif seed.dumps.exists():  # (not when the test before removed it, or moved it away)
        shutil.rmtree(seed.dumps)
    _copy_samples(seed.dumps)
    return seed.dumps


@pytest.fixture
def index_dir(seed: Seed, dumps: Path, tmp_path: Path) -> Path:
    """A copy of the seed dumps' index, in the test's folder: a Library on `dumps`
    with it finds it up to date, as it would had it indexed them itself."""
    folder = tmp_path / "index"
    shutil.copytree(seed.index, folder)
    return folder


@pytest.fixture
def library(dumps: Path, index_dir: Path) -> Iterator[Library]:
    """The seed dumps, indexed in a temporary folder."""
    library = Library([dumps], index_dir, Config())
    report = library.update()
    # The copy is the index the dumps would have: nothing read or built again.
    assert report.read == [] and not report.rebuilt and report.unchanged == len(SEED)
    yield library
    library.close()


@pytest.fixture
def read_only():
    """Make a folder read-only: a read-only mount for root (who may write anywhere
    else), file modes for anyone else. Undone afterwards."""
    made: list[Path] = []

    def protect(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
        else:
            for command in (
                ["mount", "--bind", str(folder), str(folder)],
                ["mount", "-o", "remount,bind,ro", str(folder)],
            ):
                done = subprocess.run(command, capture_output=True)
                if done.returncode != 0:
                    pytest.skip(f"cannot make a read-only mount here: {done.stderr!r}")
                made.append(folder)

    yield protect
    for folder in made[:1]:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def small_disk():  # type: ignore[no-untyped-def]
    """Mount a 1 MB tmpfs on a folder (root only: skipped where mounting is not
    allowed); unmounted afterwards. `fill` (in helpers) then leaves it no room."""
    made: list[Path] = []

    def mount(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        command = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]
        done = subprocess.run(command, capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small disk here: {done.stderr!r}")
        made.append(folder)
        return folder

    yield mount
    for folder in reversed(made):
        subprocess.run(["umount", "-l", str(folder)], check=False)
