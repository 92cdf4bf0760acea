"""The reader builds any collection the command line builds: its index worker
processes start from inside the reader, whose stdout and stderr are not files."""

from __future__ import annotations

import asyncio
import json
import random
import time
from pathlib import Path

from helpers import SAMPLES, notices, settle
from textual.widgets import Static

from index import Config, Library
from tui.app import AbstractsApp
from tui.widgets.author_tabs import AuthorTabs


def _collection(folder: Path, papers: int, long_abstract: int = 0) -> Path:
    """A folder holding a JSON Lines collection of made-up papers from the seed
    dumps' words; the first paper's abstract `long_abstract` characters long, if given."""
    folder.mkdir(exist_ok=True)
    path = folder / "corpus.jsonl"
    words = sorted({w for f in SAMPLES.glob("*.txt") for w in f.read_text().split() if w.isalpha()})
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as out:
        for n in range(papers):
            abstract = " ".join(rng.choices(words, k=120))
            if n == 0 and long_abstract:
                abstract = (abstract + " ") * (long_abstract // len(abstract) + 1)
            record = {
                "id": f"2402.{n:05d}",
                "title": " ".join(rng.choices(words, k=8)),
                "abstract": abstract,
                "authors": [f"Author {rng.randrange(500)}", f"Writer {rng.randrange(500)}"],
            }
            out.write(json.dumps(record) + "\n")
    return folder


def _all_tab(app: AbstractsApp) -> str:
    return str(app.screen.query_one(AuthorTabs).query("Tab").first().label)


def _errors(app: AbstractsApp) -> list[str]:
    return [n.message for n in notices(app) if n.severity == "error"]


async def _open(folder: Path, index_dir: Path) -> tuple[str, list[str], float]:
    """Open the reader on a folder never indexed: what the All tab and the count
    line say once it has built the folder, the errors said, and how long it took."""
    app = AbstractsApp(Library([folder], index_dir, Config()))
    started = time.monotonic()
    async with app.run_test(size=(120, 30)) as pilot:
        async with asyncio.timeout(180):  # a reader that hangs fails, not waits
            await settle(pilot)
        took = time.monotonic() - started
        count = app.screen.query_one("#count", Static).content
        return f"{_all_tab(app)} | {count}", _errors(app), took


async def test_the_reader_builds_a_collection_big_enough_for_worker_processes(
    tmp_path: Path,
) -> None:
    folder = _collection(tmp_path / "dumps", 6000)
    shown, errors, _ = await _open(folder, tmp_path / "index")
    assert errors == []
    assert shown.startswith("All 6,000 |") and "6,000 papers" in shown


async def test_a_five_megabyte_abstract_beside_the_samples_is_indexed(tmp_path: Path) -> None:
    folder = _collection(tmp_path / "dumps", 1, long_abstract=5_000_000)
    for sample in SAMPLES.glob("*.txt"):
        (folder / sample.name).write_bytes(sample.read_bytes())
    shown, errors, _ = await _open(folder, tmp_path / "index")
    assert errors == []
    assert "a worker process" not in shown
    assert int(shown.split()[1].replace(",", "")) > 37


# The reader building 20,000 papers beside the command line is timed by the benchmark:
# python tests/benchmarks/bench.py --reader-build 20000
