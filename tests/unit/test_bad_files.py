"""One bad file never stops the rest, and never costs the papers it held.

Cut and corrupt gzip files, junk behind the gzip magic bytes, absurdly nested
JSON, FIFOs, sockets and link loops: each is reported once, naming the file and
where it broke; every other dump is indexed; nothing blocks.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import subprocess
from pathlib import Path

import pytest
from helpers import run as run_abstracts

from index import Config, Library

TIMEOUT = 60


def collection(count: int, start: int = 0) -> bytes:
    """A gzip JSON Lines collection of `count` papers with arXiv ids."""
    lines = [
        json.dumps(
            {
                "id": f"2101.{n:05d}",
                "title": f"Paper number {n}",
                "abstract": f"We study question {n} in depth, {n * 7919 % 1000} times.",
                "authors": ["Ada Lovelace"],
            }
        )
        for n in range(start, start + count)
    ]
    return gzip.compress("\n".join(lines).encode(), mtime=0)


def cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def corrupt(data: bytes) -> bytes:
    damaged = bytearray(data)
    middle = len(damaged) // 2
    damaged[middle : middle + 64] = random.Random(7).randbytes(64)
    return bytes(damaged)


BAD_FILES = {
    "cut.jsonl.gz": lambda: cut(collection(2000)),
    "corrupt.jsonl.gz": lambda: corrupt(collection(2000)),
    "junk.jsonl.gz": lambda: b"\x1f\x8b" + random.Random(3).randbytes(3000),
    "deep.jsonl": lambda: b"[" * 100_000 + b"\n",
}


def run(*args: str | Path, home: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    return run_abstracts(*args, env_home=home, timeout=timeout, columns=200)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_collection_is_reported_once_and_the_rest_indexed(
    name: str, dumps: Path, tmp_path: Path
) -> None:
    bad = dumps / name
    bad.write_bytes(BAD_FILES[name]())
    index_dir = tmp_path / "index"
    result = run("index", dumps, "--index-dir", index_dir, home=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "cannot write the index" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    # Once, naming the file and the line (path:N) where it broke.
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {bad}:")
    if name.endswith(".gz"):
        assert "byte" in lines[0]
    if name == "cut.jsonl.gz":
        assert "ends early" in lines[0]
    # The seed dumps are all indexed (the cut file adds the papers before its cut).
    listed = run("list", "--json", "--index-dir", index_dir, home=tmp_path)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    sources = {Path(p) for line in listed.stdout.splitlines() for p in json.loads(line)["paths"]}
    assert {p for p in sources if p.parent == dumps} >= {
        p for p in dumps.iterdir() if p.suffix == ".txt"
    }
    searched = run("search", "heterophily", "--json", "--index-dir", index_dir, home=tmp_path)
    assert searched.returncode == 0 and len(searched.stdout.splitlines()) == 2


def test_a_cut_copy_keeps_the_papers_of_the_last_good_read(dumps: Path, tmp_path: Path) -> None:
    papers = dumps / "papers.jsonl.gz"
    whole = collection(1500)
    papers.write_bytes(whole)
    library = Library([dumps], tmp_path / "index", Config())
    assert library.update().papers == 37 + 1500

    papers.write_bytes(cut(whole))  # an interrupted download over the good copy
    report = library.update()
    assert report.papers == 37 + 1500
    [error] = report.errors
    assert error.path == str(papers) and error.line is not None
    assert "keeping its 1,500 papers from the last good read" in error.message
    # Said again on the next run, without reading it again or losing anything.
    again = library.update()
    assert again.read == [] and again.papers == 37 + 1500
    assert [e.message for e in again.errors] == [error.message]

    # A rebuild for another reason (a new collection) still carries its papers.
    (dumps / "more.jsonl.gz").write_bytes(collection(10, start=5000))
    rebuilt = library.update()
    assert rebuilt.rebuilt and rebuilt.papers == 37 + 1500 + 10
    assert library.get("2101.01499") is not None
    assert [e.path for e in rebuilt.errors] == [str(papers)]

    # Whole again: read cleanly, no message.
    papers.write_bytes(collection(1400))
    fixed = library.update()
    assert fixed.errors == [] and fixed.papers == 37 + 1400 + 10
    assert library.get("2101.01499") is None
    library.close()


def test_a_collection_that_never_read_cleanly_gives_the_papers_before_its_cut(
    dumps: Path, tmp_path: Path
) -> None:
    papers = dumps / "papers.jsonl.gz"
    papers.write_bytes(cut(collection(3000)))
    library = Library([dumps], tmp_path / "index", Config())
    report = library.update()
    [error] = report.errors
    good = int(error.message.split(" after ")[1].split()[0].replace(",", ""))
    assert 0 < good < 3000 and report.papers == 37 + good
    assert f"after {good:,} good papers" in error.message
    library.close()


def test_a_cut_collection_is_not_committed_by_halves_in_a_bulk_rebuild(
    dumps: Path, tmp_path: Path
) -> None:
    # Big enough to be written by the parallel writer.
    big = dumps / "big.jsonl.gz"
    whole = collection(6000)
    big.write_bytes(whole)
    library = Library([dumps], tmp_path / "index", Config())
    assert library.update().papers == 37 + 6000
    big.write_bytes(cut(whole))
    report = library.update()
    assert report.papers == 37 + 6000 and len(report.errors) == 1
    assert not [p for p in library.index_dir.iterdir() if p.suffix == ".tmp"]
    library.close()


# --- files that are not files --------------------------------------------------


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> socket.socket:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    return server


def test_fifos_sockets_and_devices_are_skipped_never_waited_on(dumps: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fifo(dumps / "pipe.txt")
    (dumps / "linked-pipe.jsonl").symlink_to(fifo(elsewhere / "pipe"))
    (dumps / "null.txt").symlink_to(os.devnull)
    server = unix_socket(dumps / "sock.txt")
    (dumps / "loop.txt").symlink_to(dumps / "loop.txt")
    named = fifo(tmp_path / "named.jsonl")
    looped = tmp_path / "looped.txt"
    looped.symlink_to(looped)
    try:
        result = run(
            *("index", dumps, named, looped, "--index-dir", tmp_path / "index"),
            home=tmp_path,
            timeout=30,
        )
    finally:
        server.close()
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # a FIFO named on the command line is an error
    said = result.stderr
    assert f"{dumps / 'pipe.txt'}: a FIFO, not a dump; skipped" in said
    assert f"{dumps / 'linked-pipe.jsonl'}: a FIFO, not a dump; skipped" in said
    assert f"{dumps / 'null.txt'}: a character device, not a dump; skipped" in said
    assert f"{dumps / 'sock.txt'}: a socket, not a dump; skipped" in said
    assert f"{named}: a FIFO, not a dump; skipped" in said
    assert f"{dumps / 'loop.txt'}: cannot read: a symlink loop" in said
    assert f"{looped}: cannot read: a symlink loop" in said
    assert "broken link" not in said
    assert "37 papers" in result.stdout


def test_the_reader_never_opens_a_fifo_that_replaced_a_dump(dumps: Path, tmp_path: Path) -> None:
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    alex = next(p for p in dumps.iterdir() if p.name.startswith("001_"))
    alex.unlink()
    fifo(alex)
    report = library.update()  # would block for good on open() of the FIFO
    assert [(p.path, p.message) for p in report.problems] == [
        (str(alex), "a FIFO, not a dump; skipped")
    ]
    assert report.removed == [str(alex)]
    library.close()
