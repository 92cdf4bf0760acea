"""Fixtures for driving the reader with Pilot."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from index import Config, Library
from tui.app import AbstractsApp


@pytest.fixture
def app(dumps: Path, tmp_path: Path) -> AbstractsApp:
    """The reader on a copy of the seed dumps, indexed beforehand."""
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    return AbstractsApp(library)


@pytest.fixture(autouse=True)
def unfrozen():  # type: ignore[no-untyped-def]
    """The reader takes what it keeps in memory out of the garbage collector's way
    (gc.freeze) and puts full collections off while typing: give both back after
    each test, so that tests do not pile up."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
