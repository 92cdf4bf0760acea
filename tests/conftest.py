"""Shared fixtures: every test runs with its own config, cache and state folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Config, Library, sample_dumps

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sample_dumps()
SEED = {
    "plain": SAMPLES / "000_e4898e36c2f54974.txt",
    "alex": SAMPLES / "001_000eb8558b6da544.txt",
    "listing": SAMPLES / "002_58a4e2d616259f18.txt",
    "tony": SAMPLES / "003_fa869cb8beed8520.txt",
    "jain": SAMPLES / "004_668e95e94da32894.txt",
}


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
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
