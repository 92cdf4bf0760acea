"""Shared fixtures: every test runs with its own config, cache and state folders."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import SAMPLES

from index import Config, Library


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


@pytest.fixture
def dumps(tmp_path: Path) -> Path:
    """A writable copy of the seed dumps."""
    folder = tmp_path / "dumps"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.fixture
def library(dumps: Path, tmp_path: Path) -> Library:
    """The seed dumps, indexed in a temporary folder."""
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
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
