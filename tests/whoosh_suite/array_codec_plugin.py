"""A pytest plugin for Whoosh's own test suite: the raw-array codec as Whoosh's
default codec (ABSTRACTS_WHOOSH_SUITE=codec), and the array writer as its
single-process writer too (=writer). Loaded by run.py with `-p`.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
import whoosh.codec
from whoosh.index import FileIndex

from index.engine.codec import ArrayCodec
from index.engine.writer import ArrayWriter

MODE = os.environ.get("ABSTRACTS_WHOOSH_SUITE", "codec")
_temp: list[str] = []  # the temp folder made for this process


def pytest_configure(config: pytest.Config) -> None:
    whoosh.codec.default_codec = lambda *args, **kwargs: ArrayCodec()
    if MODE == "writer":
        whooshs_writer = FileIndex.writer

        def writer(self, procs=1, **kwargs):  # type: ignore[no-untyped-def]
            if procs > 1 or "codec" in kwargs:
                return whooshs_writer(self, procs=procs, **kwargs)
            return ArrayWriter(self, **kwargs)

        FileIndex.writer = writer
    # Whoosh's writers keep their runs in <temp>/MAIN.tmp: a temp folder of its
    # own for each process, so that xdist's workers do not share it.
    _temp.append(tempfile.mkdtemp(prefix="whoosh-suite-"))
    tempfile.tempdir = _temp[-1]


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _temp:
        shutil.rmtree(folder, ignore_errors=True)
    tempfile.tempdir = None
