"""`list` and `search` write each paper as soon as it is read, and stop quietly
when the program reading their output goes away."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import run

import index.engine.search
import index.engine.store
from index import Library, Paper, export
from tui.cli import main

ROOT = Path(__file__).parents[2]


class ClosedAfterOneLine(io.StringIO):
    """Standard output whose reader goes away after the first line, noting how many
    papers had been read from the index by then."""

    def __init__(self, papers_read: Callable[[], int], fileno: int) -> None:
        super().__init__()
        self.papers_read = papers_read
        self.read_at_first_line: int | None = None
        self._fileno = fileno

    def write(self, text: str) -> int:
        if self.read_at_first_line is None:
            self.read_at_first_line = self.papers_read()
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self._fileno

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("output", [[], ["--json"], ["--format", "bibtex"]])
def test_list_writes_the_first_paper_before_reading_the_rest(
    library: Library,
    index_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    output: list[str],
) -> None:
    read: list[str] = []
    for module in (index.engine.store, index.engine.search):  # each reads stored papers
        original = module.paper_from_stored

        def counted(stored: dict, original: Callable[[dict], Paper] = original) -> Paper:
            read.append(stored["key"])
            return original(stored)

        monkeypatch.setattr(module, "paper_from_stored", counted)
    with open(tmp_path / "stdout", "w") as sink:
        stdout = ClosedAfterOneLine(lambda: len(read), sink.fileno())
        monkeypatch.setattr(sys, "stdout", stdout)
        code = main(["list", "--index-dir", str(index_dir), *output])
    assert code == 141
    assert stdout.read_at_first_line == 1  # of the library's 37


@pytest.mark.parametrize("output", ["bibtex", "markdown", "json"])
def test_what_streams_is_the_whole_export(library: Library, index_dir: Path, output: str) -> None:
    listed = run("list", "--format", output, "--index-dir", index_dir, env_home=index_dir)
    assert listed.returncode == 0
    whole = export(library.papers(order="newest"), output)
    if output == "json":  # where each paper has its reading state too
        state = ("read", "starred", "tags", "note")
        lines = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [{k: v for k, v in line.items() if k not in state} for line in lines] == [
            json.loads(line) for line in whole.splitlines()
        ]
    else:
        assert listed.stdout == whole


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # More than a pipe holds (64 KiB), so the program is still writing when the
    # reader goes away.
    dump = tmp_path / "many.jsonl"
    with dump.open("w", encoding="utf-8") as file:
        for number in range(300):
            abstract = f"Paper {number} studies graphs. " + "Words of an abstract. " * 40
            record = {"id": f"2401.{number:05d}", "title": f"Paper {number}", "abstract": abstract}
            file.write(json.dumps(record | {"authors": ["Ann Lee"], "year": 2024}) + "\n")
    home = tmp_path / "home"
    assert run("index", dump, env_home=home).returncode == 0
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[variable] = str(home / variable.lower())
    for args in (["list"], ["list", "--format", "bibtex"], ["search", "graphs", "--limit", "300"]):
        program = subprocess.Popen(
            [sys.executable, "-m", "tui", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd="/",
        )
        assert program.stdout is not None and program.stderr is not None
        assert program.stdout.readline()
        program.stdout.close()
        assert program.wait(timeout=60) == 141  # as a program SIGPIPE ends
        assert program.stderr.read() == b""  # no traceback, no "Exception ignored"
        program.stderr.close()


def test_each_paper_comes_in_the_order_of_the_whole_list(library: Library) -> None:
    from index import ORDERS

    for order in ORDERS:
        assert [p.key for p in library.each_paper(order)] == [
            p.key for p in library.papers(order=order)
        ]
