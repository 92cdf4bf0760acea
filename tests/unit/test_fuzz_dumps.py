"""Fuzzing: a few hundred random files, mixing the dump formats' markers, random
Unicode, binary and gzip. `index` ends with 0 or 1 and a message for each bad
file, never 70, never a traceback, and in bounded time."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import time
from pathlib import Path

import pytest
from helpers import run as run_abstracts

SEED = 20261122
FILES = 300
NAMES = (".txt", ".jsonl", ".jsonl.gz", "", ".dump", ".ndjson", ".text", ".ndjson.gz")

MARKERS = [
    "Abstract:",
    "abstract: ",
    "ABSTRACT:",
    "arXiv:2101.00001",
    "arXiv:2101.00001v2",
    "arXiv:hep-th/9711200",
    "arXiv:",
    "Collaborating Authors",
    "Lovelace, Ada",
    "Ada Lovelace",
    "Journal of Things 2020",
    "Accepted at NeurIPS",
    "{",
    "}",
    "[",
    '{"abstract": ',
    '"id": "2101.00001"',
    "\ufeff",
    "\r\n",
    "\r",
    "\n\n\n",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\ud800",
    "\\ud800",
    "\u00a0",
    "$x^2$",
    "[/b]",
]

JSON_VALUES = [
    None,
    True,
    0,
    -1,
    10**30,
    1.5e308,
    "",
    " ",
    "2101.00001",
    "arXiv:2101.00001",
    "\ud800",
    "A, B and C",
    [],
    [[]],
    [["Lovelace", "Ada"]],
    [1, 2],
    {},
    {"a": 1},
    "x" * 300,
]
JSON_KEYS = [
    "abstract",
    "title",
    "id",
    "authors",
    "authors_parsed",
    "categories",
    "year",
    "journal-ref",
    "comments",
]


ENCODINGS = [("utf-8", "surrogatepass"), ("utf-16", "surrogatepass"), ("cp1252", "replace")]


def random_text(rng: random.Random, size: int) -> str:
    pieces = []
    while sum(map(len, pieces)) < size:
        choice = rng.random()
        if choice < 0.35:
            pieces.append(rng.choice(MARKERS))
        elif choice < 0.6:
            words = rng.choices(["the", "paper", "quantum", "we", "show"], k=rng.randint(1, 30))
            pieces.append(" ".join(words) + ".")
        elif choice < 0.8:
            pieces.append("".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 20))))
        else:
            pieces.append("\n")
    return "".join(pieces)


def random_record(rng: random.Random) -> str:
    data = {key: rng.choice(JSON_VALUES) for key in rng.sample(JSON_KEYS, rng.randint(0, 6))}
    if rng.random() < 0.6:
        data["abstract"] = random_text(rng, rng.randint(1, 200))
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.1:
        cut = rng.randint(0, len(text))
        text = text[:cut]
    return text


def random_bytes(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.3:
        text = random_text(rng, rng.randint(0, 3000))
        encoding, errors = rng.choice(ENCODINGS)
        return text.encode(encoding, errors)
    if kind < 0.6:
        lines = [random_record(rng) for _ in range(rng.randint(1, 40))]
        return "\n".join(lines).encode("utf-8", "surrogatepass")
    if kind < 0.7:
        return rng.randbytes(rng.randint(0, 4000))
    if kind < 0.75:
        return b"[" * rng.randint(1000, 200_000)
    inner = random_bytes(rng)
    packed = gzip.compress(inner, mtime=0)
    damage = rng.random()
    if damage < 0.3:
        return packed[: rng.randint(0, len(packed))]
    if damage < 0.5:
        spoiled = bytearray(packed)
        for _ in range(rng.randint(1, 10)):
            spoiled[rng.randrange(len(spoiled))] = rng.randrange(256)
        return bytes(spoiled)
    if damage < 0.6:
        return b"\x1f\x8b" + rng.randbytes(rng.randint(0, 500))
    if damage < 0.7:
        return packed + packed  # two members
    return packed


def make_files(folder: Path, rng: random.Random) -> list[Path]:
    folder.mkdir()
    paths = []
    for number in range(FILES):
        path = folder / f"f{number:03d}{rng.choice(NAMES)}"
        path.write_bytes(random_bytes(rng))
        paths.append(path)
    return paths


def run(*args: str | Path, home: Path, timeout: float) -> subprocess.CompletedProcess:
    return run_abstracts(*args, env_home=home, timeout=timeout, columns=200)


@pytest.mark.parametrize("seed", [SEED, SEED + 1, SEED + 2])
def test_index_survives_random_files(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    folder = tmp_path / "dumps"
    make_files(folder, rng)
    started = time.monotonic()
    result = run("index", folder, "--index-dir", tmp_path / "index", home=tmp_path, timeout=60)
    assert time.monotonic() - started < 60
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout.strip().endswith(str(tmp_path / "index"))  # the summary line
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert (result.returncode == 1) == bool(errors)
    for line in errors:  # each names its file
        assert line.startswith(f"error: {folder}/f")
    # Once more, unchanged: the same messages, without reading anything again.
    again = run("index", folder, "--index-dir", tmp_path / "index", home=tmp_path, timeout=60)
    assert again.returncode == result.returncode and "0 read" in again.stdout
    assert sorted(again.stderr.splitlines()) == sorted(result.stderr.splitlines())
