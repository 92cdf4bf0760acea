"""A pytest plugin for Whoosh's own test suite: the raw-array codec as Whoosh's
default codec (ABSTRACTS_WHOOSH_SUITE=codec), and the array writer as its
single-process writer too (=writer). Loaded by run.py with `-p`.

A test whose schema the array writer refuses (SchemaNotSupported, raised when
the writer is made) is reported as skipped with the refusal: refused, never
written wrong.
"""

from __future__ import annotations

import os
import tempfile

import pytest
import whoosh.codec
from whoosh.index import FileIndex

from index.engine.codec import ArrayCodec
from index.engine.writer import ArrayWriter, SchemaNotSupported

MODE = os.environ.get("ABSTRACTS_WHOOSH_SUITE", "codec")


def pytest_configure(config: pytest.Config) -> None:
    whoosh.codec.default_codec = lambda *args, **kwargs: ArrayCodec()
    if MODE == "writer":
        whoosh_writer = FileIndex.writer

        def writer(self, procs=1, **kwargs):  # type: ignore[no-untyped-def]
            if procs > 1 or "codec" in kwargs:
                return whoosh_writer(self, procs=procs, **kwargs)
            return ArrayWriter(self, **kwargs)

        FileIndex.writer = writer
    # Whoosh's writers keep their runs in <temp>/MAIN.tmp: one temp folder per
    # process, so that xdist's workers do not share it.
    tempfile.tempdir = tempfile.mkdtemp(prefix="whoosh-suite-")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is not None and call.excinfo.errisinstance(SchemaNotSupported):
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1], f"refused: {call.excinfo.value}")
    return report
