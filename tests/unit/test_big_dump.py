"""A 50 MB dump indexes completely (its time and memory are measured by hand, not here)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from helpers import SEED

from index import Config, Library
from index.formats import read_dump


def write_big_dump(path: Path, size: int) -> int:
    """Abstracts shuffled together from the seeds' sentences, each with a unique word."""
    sentences = [
        s
        for dump in SEED.values()
        for r in read_dump(dump).records
        for s in re.split(r"(?<=\.) ", r.abstract)
    ]
    rng = random.Random(7)
    written, count = 0, 0
    with path.open("w", encoding="utf-8") as out:
        out.write("Bulk Author\n")
        while written < size:
            line = f"Abstract:Study zq{count}x. " + " ".join(rng.sample(sentences, 9)) + "\n"
            out.write(line)
            written += len(line)
            count += 1
    return count


@pytest.mark.slow
def test_a_50_mb_dump_indexes_every_record(tmp_path: Path) -> None:
    dump = tmp_path / "big.txt"
    count = write_big_dump(dump, 50_000_000)
    assert dump.stat().st_size >= 50_000_000
    library = Library([dump], tmp_path / "index", Config())
    report = library.update()
    assert report.errors == [] and report.papers == count
    assert library.search(f"zq{count - 1}x").total == 1
    assert library.search("", author="Bulk Author", limit=1).total == count
