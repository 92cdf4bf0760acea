"""Speed of abstracts at scale, side by side with SQLite FTS5. Run by hand, not in CI.

    python tests/benchmarks/bench.py [--corpus PATH] [--sizes 10k,121k,1M] [--skip-reader]
                                     [--json OUT.json] [--keep]
    python tests/benchmarks/bench.py --reader INDEX_DIR   (the reader's figures alone)
    python tests/benchmarks/bench.py --reader-build [PAPERS]   (the reader building a
                                     new collection of PAPERS, 20,000 by default, beside
                                     the command line building it)
    python tests/benchmarks/bench.py --typing INDEX_DIR   (the typing sequences alone)
    python tests/benchmarks/bench.py --flood [DUMPS]   (typing while 2,000 new dumps
                                     arrive in a watched folder: echo and stalls)

For each size it builds a library from a JSON Lines collection of that many
papers (the corpus shuffled with seed 42; sizes above the corpus repeat it with
new arXiv ids, so the vocabulary stays real), then measures the build, a re-open
of the unchanged library, a fresh process's first query, query latency over a
fixed set of queries with the highlights the reader shows, the reader's
keystroke-to-results time, and the same build and queries in SQLite FTS5.
Each query's count and top 20 are also checked against Whoosh's own exhaustive
search of the same index (ties broken by key). --json writes the figures of
every size as a list of objects (see to_json()).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
DEFAULT_CORPUS = HERE.parents[3] / "shared" / "data" / "abstracts-121689.jsonl.gz"

# At least 60 queries of every form the search box takes, top 20 each.
QUERIES: list[tuple[str, str]] = [
    *[
        ("term", q)
        for q in [
            "transformer",
            "diffusion",
            "graphene",
            "quantum",
            "segmentation",
            "retrieval",
            "entanglement",
            "robot",
            "protein",
            "benchmark",
            "hallucination",
            "superconductivity",
        ]
    ],
    *[
        ("common", q)
        for q in [
            "model",
            "learning",
            "data",
            "results",
            "method",
            "network",
            "language",
            "performance",
        ]
    ],
    *[
        ("words", q)
        for q in [
            "large language model",
            "graph neural network",
            "image segmentation",
            "reinforcement learning policy",
            "quantum error correction",
            "protein structure prediction",
            "speech recognition",
            "dark matter halo",
            "contrastive learning representation",
            "federated learning privacy",
        ]
    ],
    *[
        ("phrase", q)
        for q in [
            '"large language models"',
            '"neural network"',
            '"chain of thought"',
            '"knowledge distillation"',
            '"point cloud"',
            '"black hole"',
            '"vision transformer"',
            '"few-shot learning"',
        ]
    ],
    *[
        ("prefix", q)
        for q in [
            "transf*",
            "quant*",
            "segment*",
            "halluc*",
            "superconduct*",
            "embed*",
            "multimod*",
            "diffus*",
        ]
    ],
    *[
        ("fuzzy", q)
        for q in [
            "transfromer~",
            "difusion~",
            "graphen~",
            "entanglment~",
            "segmentaton~",
            "hallucinaton~",
        ]
    ],
    *[
        ("field", q)
        for q in [
            "title:diffusion",
            "title:benchmark",
            "abstract:graphene",
            "author:wang",
            "author:zhang",
            "year:2025",
            "year:[2020 TO 2024]",
            "title:survey year:2026",
        ]
    ],
    *[("author-filtered", q) for q in ["model", "learning", "segmentation", "quantum"]],
    *[
        ("phrase-heavy", q)
        for q in [
            '"large language models" "reinforcement learning"',
            '"graph neural network"',
            '"state of the art" "deep learning"',
            '"in this paper we propose"',
            '"neural network" "image classification"',
            '"dark matter" "galaxy cluster"',
        ]
    ],
    *[
        ("long-or", q)
        for q in [
            "transformer OR diffusion OR graphene OR quantum OR protein OR robot OR retrieval",
            "model OR learning OR data OR method OR network OR results",
            "segmentation OR detection OR classification OR tracking OR recognition OR "
            "captioning OR retrieval OR generation",
            "(graph OR network) AND (neural OR deep OR learning)",
        ]
    ],
    # Filters on the reading state seeded by seed_marks() (a reader's marks).
    *[
        ("marks", q)
        for q in [
            "is:starred",
            "is:unread diffusion",
            "tag:survey model",
            "tag:survey OR is:starred",
            "note:benchmark",
            "transformer NOT is:read",
        ]
    ],
]
AUTHOR_FILTER = "Wei Wang"  # the filter of the author-filtered queries
USER_DATA = "user-data"  # beside the index: the seeded reading state's data folder


def marks_of(number: int) -> dict:
    """The reading state seeded for the corpus's paper at this 0-based line: some
    hundreds of starred and noted papers and some thousands read or tagged at 121k,
    the same papers in the library and in FTS5."""
    return {
        "starred": number % 200 == 0,
        "read": number % 50 == 1,
        "tags": ["survey"] if number % 100 in (0, 2) else [],
        "note": "a benchmark to come back to" if number % 500 == 3 else "",
    }


def seed_marks(corpus_file: Path, index_dir: Path) -> int:
    """Import marks_of() each paper into the library's reading state, as
    `abstracts state import` does; how many papers have marks."""
    from index import UserDB

    records = []
    with corpus_file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            marks = marks_of(number)
            if any(marks.values()):
                key = json.loads(line)["id"]
                records.append(
                    {"key": key, **marks, "note_updated": 1.0 if marks["note"] else None}
                )
    user = UserDB.for_library(index_dir)
    user.import_records(records)
    user.close()
    return len(records)


def load_corpus(path: Path, size: int) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        papers = [json.loads(line) for line in lines]
    random.Random(42).shuffle(papers)
    out = papers[:size]
    copy = 0
    while len(out) < size:
        copy += 1
        for number, paper in enumerate(papers[: size - len(out)]):
            # A new, valid new-style id per copy: the same text is a different paper.
            out.append(
                {
                    **paper,
                    "id": f"{30 + copy % 60:02d}{1 + number // 99999 % 12:02d}."
                    f"{number % 99999:05d}",
                    "year": paper.get("year"),
                }
            )
    return out


def rss_mb() -> float:
    """This process's peak RSS. Not ru_maxrss: on Linux it keeps the peak of the
    process that forked this one, which here is the benchmark holding the corpus."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


BUILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench import rss_mb
from index import Config, Library
start = time.perf_counter()
report = Library([Path(sys.argv[1])], Path(sys.argv[2]), Config()).update()
seconds = time.perf_counter() - start
# The indexing processes started by this one, and this one.
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "papers": report.papers, "rss_mb": max(child, rss_mb())}))
"""

FIRST_QUERY = """
import json, sys, time
start = time.perf_counter()
from pathlib import Path
from index import Config, Library
library = Library.at(Path(sys.argv[1]), Config())
report = library.update()
opened = time.perf_counter()
result = library.search("large language model", limit=20)
done = time.perf_counter()
print(json.dumps({"open": opened - start, "first_query": done - opened, "total": done - start,
                  "wrote": bool(report.read or report.rebuilt)}))
"""


def run_python(code: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def query_latency(index_dir: Path) -> dict:
    """Run latency() in a process of its own, so that its memory is the reader's alone."""
    result = subprocess.run(
        [sys.executable, str(HERE), "--latency", str(index_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def latency(index_dir: Path) -> dict:
    """Seconds per query submitted in the reader (its search session: every match
    ranked and counted, a corrected query where little is found), with the
    highlights it draws (20 titles, one abstract)."""
    from index import Config, Library, SearchSession, highlight_spans

    library = Library.at(index_dir, Config())
    session = SearchSession(library)  # as the reader searches
    library.update()
    library.search("warm up")
    # As the reader does once it is open: the fields' terms into memory.
    start = time.perf_counter()
    library.warm_up()
    warm_up = time.perf_counter() - start
    every: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for kind, text in QUERIES:
        start = time.perf_counter()
        author = AUTHOR_FILTER if kind == "author-filtered" else None
        answer = session.answer(session.ask(text, author=author, exact=True))
        assert answer is not None  # (nothing newer was asked)
        result = answer.result
        for hit in result.hits:
            highlight_spans(hit.paper.title or "", hit.terms.get("title", ()), "title")
        if result.hits:
            first = result.hits[0]
            highlight_spans(first.paper.abstract, first.terms.get("abstract", ()))
        seconds = time.perf_counter() - start
        every.append(seconds)
        by_kind.setdefault(kind, []).append(seconds)
    rss = rss_mb()
    counts_equal, top20_equal = reference_check(library)
    return {
        "every": every,
        "by_kind": by_kind,
        "rss": rss,
        "warm_up": warm_up,
        "counts_equal_reference": counts_equal,
        "top20_equal_reference": top20_equal,
    }


def ranking(pairs: list[tuple[float, str]]) -> list[str]:
    """Keys best first, scores equal within 1e-9 in key order."""
    groups: list[list[tuple[float, str]]] = []
    for score, key in sorted(pairs, key=lambda p: -p[0]):
        if groups and abs(groups[-1][-1][0] - score) <= 1e-9 * max(abs(score), 1.0):
            groups[-1].append((score, key))
        else:
            groups.append([(score, key)])
    return [key for group in groups for _, key in sorted(group, key=lambda p: p[1])]


def reference_check(library) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """How many queries' counts, and top 20 keys, equal Whoosh's exhaustive search."""
    counts_equal = top20_equal = 0
    store = library.store()
    for kind, text in QUERIES:
        author = AUTHOR_FILTER if kind == "author-filtered" else None
        result = library.search(text, author=author, limit=20)
        with store.searcher_state.searching() as searcher:
            reader = searcher.reader()
            found = [
                (hit.score, hit.docnum)
                for hit in searcher.search(store.query_for(text, author=author), limit=None)
                if not reader.is_deleted(hit.docnum)
            ]
            found.sort(key=lambda p: -p[0])
            # Keys only for the top 20 and whatever ties with the 20th.
            floor = found[min(19, len(found) - 1)][0] if found else 0.0
            top = [
                (score, searcher.stored_fields(d)["key"])
                for score, d in found
                if score >= floor - 1e-9 * max(abs(floor), 1.0)
            ]
        counts_equal += result.total == len(found)
        mine = ranking([(hit.score, hit.paper.key) for hit in result.hits])
        top20_equal += mine == ranking(top)[:20]
    return counts_equal, top20_equal


async def reader_latency(index_dir: Path) -> tuple[list[float], list[float]]:
    """Keystroke to its exact results painted, and keystroke to the letter shown.

    Queries are typed through Pilot a letter every 120 ms, as a quick typist does.
    For the results, the clock starts when the query changes and stops after the
    screen refresh that shows that query's results (every match ranked and
    counted: there is no later pass). For the letter, it starts when the search
    box gets the key and stops after the refresh that shows the letter typed.
    """
    from index import Config, Library
    from tui.app import AbstractsApp
    from tui.screens.main import MainScreen
    from tui.widgets.result_list import ResultList
    from tui.widgets.search_box import SearchBox

    started: dict[str, float] = {}
    painted: dict[str, float] = {}
    echoes: list[float] = []
    ask, show_hits, on_key = MainScreen.ask, ResultList.show_hits, SearchBox._on_key

    def timed_ask(screen: MainScreen, request, then=None) -> None:  # type: ignore[no-untyped-def]
        if request is not None:  # the view of a query asked for: the clock starts
            started.setdefault(request.inputs.query, time.perf_counter())
        ask(screen, request, then)

    def timed_show(results: ResultList, hits: list, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        show_hits(results, hits, *args, **kwargs)
        text = results.screen.query_text
        if text in started:

            def shown() -> None:
                painted.setdefault(text, time.perf_counter() - started[text])

            results.call_after_refresh(shown)

    async def timed_key(box: SearchBox, event) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        await on_key(box, event)
        if event.is_printable:
            box.call_after_refresh(lambda: echoes.append(time.perf_counter() - start))

    MainScreen.ask, ResultList.show_hits = timed_ask, timed_show  # type: ignore[method-assign]
    SearchBox._on_key = timed_key  # type: ignore[method-assign]
    try:
        app = AbstractsApp(Library.at(index_dir, Config()))
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            await pilot.press("slash")  # the reader opens on the list
            for text in [
                "transformer",
                "graph neural",
                "quantum error",
                "diffusion model",
                "protein",
                "speech recognition",
            ]:
                started.clear()
                for letter in text:
                    await pilot.press(letter if letter != " " else "space")
                    await asyncio.sleep(0.12)
                await asyncio.sleep(3)
                for _ in text:
                    await pilot.press("backspace")
                await app.workers.wait_for_complete()
                await pilot.pause(0.5)
    finally:
        MainScreen.ask, ResultList.show_hits = ask, show_hits  # type: ignore[method-assign]
        SearchBox._on_key = on_key  # type: ignore[method-assign]
    return list(painted.values()), echoes


def all_tab(app) -> str:  # type: ignore[no-untyped-def]
    """What the reader's All tab says ("" while it has no tabs yet)."""
    from tui.widgets.author_tabs import AuthorTabs

    labels = [str(tab.label) for bar in app.screen.query(AuthorTabs) for tab in bar.query("Tab")]
    return labels[0] if labels else ""


async def reader_build(corpus: Path, size: int) -> dict:
    """The reader opened on a folder never indexed, holding the corpus's first
    `size` papers, against the command line building the same folder: the reader
    starts the same index workers from inside the app, whose stdout is not a file."""
    from textual.widgets import Static

    from index import Config, Library
    from tui.app import AbstractsApp

    folder = Path(tempfile.mkdtemp(prefix=f"bench-reader-build-{size}-"))
    try:
        dumps = folder / "dumps"
        dumps.mkdir()
        with (dumps / "corpus.jsonl").open("w", encoding="utf-8") as out:
            for paper in load_corpus(corpus, size):
                out.write(json.dumps(paper, ensure_ascii=False) + "\n")
        by_command_line = run_python(
            BUILD, str(dumps / "corpus.jsonl"), str(folder / "cli"), str(HERE.parent)
        )
        app = AbstractsApp(Library([dumps], folder / "reader", Config()))
        started = time.perf_counter()
        async with app.run_test(size=(120, 30)) as pilot:
            while all_tab(app) != f"All {size:,}":
                await pilot.pause(0.05)
            by_reader = time.perf_counter() - started
            shown = str(app.screen.query_one("#count", Static).content)
        return {
            "papers": size,
            "command_line_s": by_command_line["seconds"],
            "reader_s": by_reader,
            "shown": shown,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Queries typed a letter at a time (see typing_sequences): the corpus's, and CJK
# ones on the test fixtures' Chinese, Japanese and Korean papers.
TYPING = [
    "speech recognition",
    "transformer",
    "segmentation",
    "diffusion model",
    "graph neural network",
    "reinforcement learning",
    "large language model",
    "quantum error correction",
    "protein structure",
    "point cloud",
    "knowledge distillation",
    "generalization",
]
TYPING_CJK = [
    "语音识别",
    "基于深度学习",
    "機械翻訳",
    "音声認識の高精度化",
    "음성 인식",
    "의료 영상 분할",
]
CJK_FIXTURES = [HERE.parents[1] / "fixtures" / f"collab_{lang}.txt" for lang in ("zh", "ja", "ko")]


def typing_sequences(index_dir: Path, texts: list[str]) -> list[dict]:
    """Each text typed a letter at a time, searched as the reader's session does:
    the count after each letter, how many times a count rose (must be none), the
    seconds each keystroke's search took, and whether the top 20 after the last
    letter are those `abstracts search` lists for the text."""
    from index import Config, Library, SearchSession

    library = Library.at(index_dir, Config())
    session = SearchSession(library)
    library.update()
    library.warm_up()
    found = []
    for text in texts:
        counts: list[int] = []
        seconds: list[float] = []
        keys: list[str] = []
        for end in range(1, len(text) + 1):
            start = time.perf_counter()
            answer = session.answer(session.ask(text[:end]))
            seconds.append(time.perf_counter() - start)
            assert answer is not None  # (nothing newer was asked)
            counts.append(answer.result.total or 0)
            keys = [hit.paper.key for hit in answer.result.hits[:20]]
        searched = [hit.paper.key for hit in library.search(text, limit=20).hits]
        found.append(
            {
                "text": text,
                "counts": counts,
                "rises": sum(b > a for a, b in zip(counts, counts[1:], strict=False)),
                "seconds": seconds,
                "top20_equal_search": keys == searched,
            }
        )
    library.close()
    return found


def typing_cjk(folder: Path) -> list[dict]:
    """typing_sequences() of TYPING_CJK on a library of the CJK fixtures."""
    from index import Config, Library

    index_dir = folder / "cjk-index"
    Library(CJK_FIXTURES, index_dir, Config()).update()
    return typing_sequences(index_dir, TYPING_CJK)


def typing_in_process(index_dir: Path) -> list[dict]:
    """Run typing_sequences() of TYPING in a process of its own (as query_latency)."""
    result = subprocess.run(
        [sys.executable, str(HERE), "--typing", str(index_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def typing_report(results: list[dict]) -> list[str]:
    """The typing sequences' lines of the report: one per query and size."""
    lines = ["", "Typing a letter at a time (counts after each letter):", ""]
    lines.append(
        "| papers | typed | counts | rises | keystroke p50 / p95 / max | top 20 = search |"
    )
    lines.append("|---|---|---|---|---|---|")
    for r in results:
        for seq in r.get("typing", []):
            p50, p95, most = percentiles(seq["seconds"])
            lines.append(
                f"| {r['size']:,} | `{seq['text']}` | {' '.join(f'{c:,}' for c in seq['counts'])} "
                f"| {seq['rises']} | {p50 * 1000:.0f} / {p95 * 1000:.0f} / {most * 1000:.0f} ms "
                f"| {'yes' if seq['top20_equal_search'] else 'no'} |"
            )
    rises = sum(seq["rises"] for r in results for seq in r.get("typing", []))
    lines.append("")
    lines.append(f"Count rises over all typing sequences: {rises}")
    return lines


async def flood_latency(dumps: int = 2000) -> dict:
    """Typing while a flood of new dumps arrives in a watched folder (written by
    another process, as a copy would): each key's echo (sent as a terminal sends
    it, to the box showing it and the screen taking it), the event loop's longest
    stall, and how long the reader took to show them all."""
    from textual import events

    from index import Config, Library, sample_dumps
    from tui.app import AbstractsApp
    from tui.widgets.search_box import SearchBox

    folder = Path(tempfile.mkdtemp(prefix="bench-flood-"))
    try:
        shutil.copytree(sample_dumps(), folder / "dumps")
        arriving = folder / "dumps" / "arriving"
        arriving.mkdir()
        writer_script = (
            "import sys, pathlib\n"
            "folder = pathlib.Path(sys.argv[1])\n"
            f"for n in range({dumps}):\n"
            "    text = f'Author Number{n}\\nAbstract:Flooded paper {n} about otters.\\n'\n"
            "    (folder / f'd{n:04}.txt').write_text(text, encoding='utf-8')\n"
        )
        app = AbstractsApp(Library([folder / "dumps"], folder / "index", Config()))
        echoes: list[float] = []
        stalls: list[float] = []

        async def measure_stalls() -> None:
            while True:
                started = time.perf_counter()
                await asyncio.sleep(0.005)
                stalls.append(time.perf_counter() - started - 0.005)

        async with app.run_test(size=(120, 36)) as pilot:
            while app.watcher is None or not app.watcher.wait_ready(0) or not all_tab(app):
                await pilot.pause(0.05)
            before = all_tab(app)
            await pilot.press("slash")
            search = app.screen.query_one(SearchBox)
            stall_task = asyncio.get_running_loop().create_task(measure_stalls())
            started_flood = time.perf_counter()
            writer = subprocess.Popen([sys.executable, "-c", writer_script, str(arriving)])
            typed = ""
            target = f"{37 + dumps:,}"
            while not all_tab(app).endswith(target) and time.perf_counter() - started_flood < 180:
                key = "o" if len(typed) < 6 else "backspace"
                typed = typed + "o" if key == "o" else typed[:-1]
                started = time.perf_counter()
                app.post_message(events.Key(key, "o" if key == "o" else None))
                while search.value != typed or app.main.query_text != typed:
                    await asyncio.sleep(0.001)
                echoes.append(time.perf_counter() - started)
                await pilot.pause(0.05)
            taken_in = time.perf_counter() - started_flood
            stall_task.cancel()
            writer.wait()
            after = all_tab(app)
        p50, p95, worst = percentiles(echoes)
        return {
            "dumps": dumps,
            "echo_ms": {"p50": p50 * 1000, "p95": p95 * 1000, "max": worst * 1000},
            "keys": len(echoes),
            "loop_stall_max_ms": max(stalls, default=0.0) * 1000,
            "taken_in_s": taken_in,
            "all_tab": [before, after],
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fts5(corpus_file: Path, folder: Path) -> dict:
    """The same corpus and queries in SQLite FTS5, with snippets for highlights."""
    database = folder / "fts5.db"
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute(
        "CREATE VIRTUAL TABLE papers USING fts5(title, abstract, authors, "
        "year UNINDEXED, tokenize='porter unicode61')"
    )
    start = time.perf_counter()
    with corpus_file.open(encoding="utf-8") as lines:
        rows = (
            (p["title"], p["abstract"], "; ".join(p["authors"]), p.get("year"))
            for p in map(json.loads, lines)
        )
        db.executemany("INSERT INTO papers VALUES (?, ?, ?, ?)", rows)
    db.commit()
    build = time.perf_counter() - start
    count = db.execute("SELECT count(*) FROM papers").fetchone()[0]
    # The same reading state, by rowid (the corpus's line + 1).
    db.execute("CREATE TABLE marks (id INTEGER PRIMARY KEY, starred, read, tags, note)")
    db.executemany(
        "INSERT INTO marks VALUES (?, ?, ?, ?, ?)",
        (
            (n + 1, m["starred"], m["read"], " ".join(m["tags"]), m["note"])
            for n in range(count)
            if any((m := marks_of(n)).values())
        ),
    )
    db.commit()
    db.close()
    db = sqlite3.connect(database)
    samples = []
    for kind, text in QUERIES:
        sql, params = _fts5_query(kind, text)
        start = time.perf_counter()
        db.execute(sql, params).fetchall()
        samples.append(time.perf_counter() - start)
    return {
        "build": build,
        "docs_per_s": count / build,
        "size": database.stat().st_size,
        "latency": samples,
    }


# The marks queries in FTS5: the words to match (None: none), and the condition on
# the marks table (a paper without a row has no marks). With words, each match looks
# its row up by key (EXISTS); without, the marked rows are the papers.
_MARKED = "rowid IN (SELECT id FROM marks WHERE {})"
_HAS = "EXISTS (SELECT 1 FROM marks WHERE marks.id = papers.rowid AND {})"
_FTS5_MARKS = {
    "is:starred": (None, _MARKED.format("starred")),
    "is:unread diffusion": ("diffusion", "NOT " + _HAS.format("read")),
    "tag:survey model": ("model", _HAS.format("tags = 'survey'")),
    "tag:survey OR is:starred": (None, _MARKED.format("tags = 'survey' OR starred")),
    "note:benchmark": (None, _MARKED.format("note LIKE '%benchmark%'")),
    "transformer NOT is:read": ("transformer", "NOT " + _HAS.format("read")),
}


def _fts5_query(kind: str, text: str) -> tuple[str, tuple]:
    """Our query language in FTS5's: phrases, OR, NOT, prefix* and columns carry over;
    FTS5 has no fuzzy terms (the plain word is searched) and no year column index."""
    where, params = "papers MATCH ?", []
    match = text.replace("~", "")
    if kind == "field":
        if text.startswith("year:["):
            where, match = "year BETWEEN 2020 AND 2024", None
        elif text.startswith("year:"):
            where, match = "year = ?", None
            params.append(int(text.split(":")[1]))
        else:
            match = text.replace("author:", "authors:").replace(" year:2026", "")
            if "year:2026" in text:
                where += " AND year = 2026"
    elif kind == "author-filtered":
        match = f'{text} AND authors:"{AUTHOR_FILTER}"'
    elif kind == "marks":
        match, where = _FTS5_MARKS[text]
        if match is not None:
            where = f"papers MATCH ? AND {where}"
    if match is not None:
        params.insert(0, match)
    if match is None:  # no words: no ranking, and FTS5's snippets need a MATCH
        sql = f"SELECT rowid, title, abstract FROM papers WHERE {where} LIMIT 20"
        return sql, tuple(params)
    sql = (
        f"SELECT rowid, snippet(papers, 0, '[', ']', '…', 12), "
        f"highlight(papers, 1, '[', ']') FROM papers WHERE {where} ORDER BY bm25(papers) LIMIT 20"
    )
    return sql, tuple(params)


def bench(corpus: Path, size: int, reader: bool, keep: bool = False) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
    os.environ["XDG_DATA_HOME"] = str(folder / USER_DATA)  # the reading state seeded
    try:
        papers = load_corpus(corpus, size)
        corpus_file = folder / "corpus.jsonl"
        with corpus_file.open("w", encoding="utf-8") as out:
            for paper in papers:
                out.write(json.dumps(paper, ensure_ascii=False) + "\n")
        text_bytes = sum(len(p["title"]) + len(p["abstract"]) for p in papers)
        del papers
        index_dir = folder / "index"
        built = run_python(BUILD, str(corpus_file), str(index_dir), str(HERE.parent))
        before = snapshot(index_dir)
        reopened = run_python(FIRST_QUERY, str(index_dir))
        first = run_python(FIRST_QUERY, str(index_dir))
        assert snapshot(index_dir) == before, "re-opening an unchanged library wrote to the index"
        marked = seed_marks(corpus_file, index_dir)
        measured = query_latency(index_dir)
        keystrokes, echoes = asyncio.run(reader_latency(index_dir)) if reader else ([], [])
        typing = typing_in_process(index_dir) + typing_cjk(folder)
        fts = fts5(corpus_file, folder)
        return {
            "size": size,
            "built": built,
            "disk": folder_size(index_dir),
            "text": text_bytes,
            "reopen": reopened,
            "first": first,
            "latency": measured["every"],
            "by_kind": measured["by_kind"],
            "rss": measured["rss"],
            "warm_up": measured["warm_up"],
            "counts_equal_reference": measured["counts_equal_reference"],
            "top20_equal_reference": measured["top20_equal_reference"],
            "keystrokes": keystrokes,
            "echoes": echoes,
            "fts5": fts,
            "marked": marked,
            "typing": typing,
        }
    finally:
        if keep:  # for measuring the reader again with --reader FOLDER/index
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def report(results: list[dict]) -> str:
    lines = [
        "| figure | " + " | ".join(f"{r['size']:,} papers" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(name: str, cells: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    row("full build: wall time", [f"{r['built']['seconds']:.0f} s" for r in results])
    row(
        "full build: docs/s (FTS5; ratio)",
        [
            f"{r['size'] / r['built']['seconds']:.0f} ({r['fts5']['docs_per_s']:.0f}; "
            f"{(r['size'] / r['built']['seconds']) / r['fts5']['docs_per_s']:.2f}×)"
            for r in results
        ],
    )
    row(
        "full build: peak RSS (largest process)",
        [f"{r['built']['rss_mb']:.0f} MB" for r in results],
    )
    row(
        "index on disk (÷ text; FTS5)",
        [
            f"{r['disk'] / 1e6:.0f} MB ({r['disk'] / r['text']:.2f}×; "
            f"{r['fts5']['size'] / 1e6:.0f} MB)"
            for r in results
        ],
    )
    row(
        "re-open unchanged: wrote nothing",
        ["yes" if not r["reopen"]["wrote"] else "NO" for r in results],
    )
    row(
        "fresh process: open + first query",
        [f"{r['first']['open']:.2f} s + {ms(r['first']['first_query'])}" for r in results],
    )
    row(
        "reader: terms into memory (in the background)",
        [f"{r['warm_up']:.1f} s" for r in results],
    )

    def versus(ours: list[float], theirs: list[float], pick: int) -> str:
        mine, fts = percentiles(ours)[pick], percentiles(theirs)[pick]
        return f"{ms(mine)} ({ms(fts)}; {mine / max(fts, 1e-9):.1f}×)"

    for label, pick in (("p50", 0), ("p95", 1), ("max", 2)):
        row(
            f"search top 20 + highlights {label} (FTS5; ratio)",
            [versus(r["latency"], r["fts5"]["latency"], pick) for r in results],
        )
    for kind in results[0]["by_kind"]:
        row(
            f"  {kind}: p50 / max",
            [
                f"{ms(percentiles(r['by_kind'][kind])[0])} / "
                f"{ms(percentiles(r['by_kind'][kind])[2])}"
                for r in results
            ],
        )
    row("RSS of a process searching", [f"{r['rss']:.0f} MB" for r in results])
    row("papers with reading state (the marks queries')", [f"{r['marked']:,}" for r in results])
    row(
        "counts / top 20 equal to Whoosh's exhaustive search",
        [
            f"{r['counts_equal_reference']} / {r['top20_equal_reference']} of {len(QUERIES)}"
            for r in results
        ],
    )
    row(
        "reader: keystroke → exact results painted p50 / p95",
        [
            f"{ms(percentiles(r['keystrokes'])[0])} / {ms(percentiles(r['keystrokes'])[1])}"
            if r["keystrokes"]
            else "–"
            for r in results
        ],
    )
    row(
        "reader: keystroke → letter shown in the search box p50 / p95",
        [
            f"{ms(percentiles(r['echoes'])[0])} / {ms(percentiles(r['echoes'])[1])}"
            if r["echoes"]
            else "–"
            for r in results
        ],
    )
    return "\n".join(lines)


def to_json(r: dict) -> dict:
    """The figures of one size, as the benchmark contract names them."""

    def ms(samples: list[float], pick: int) -> float | None:
        return round(percentiles(samples)[pick] * 1000, 3) if samples else None

    return {
        "papers": r["size"],
        "build_docs_per_s": r["size"] / r["built"]["seconds"],
        "fts5_build_docs_per_s": r["fts5"]["docs_per_s"],
        "index_bytes": r["disk"],
        "text_bytes": r["text"],
        "open_s": r["first"]["open"],
        "rss_mb": r["rss"],
        "search_p50_ms": ms(r["latency"], 0),
        "search_p95_ms": ms(r["latency"], 1),
        "fts5_search_p50_ms": ms(r["fts5"]["latency"], 0),
        "fts5_search_p95_ms": ms(r["fts5"]["latency"], 1),
        "keystroke_painted_p50_ms": ms(r["keystrokes"], 0),
        "keystroke_painted_p95_ms": ms(r["keystrokes"], 1),
        "counts_equal_reference": r["counts_equal_reference"],
        "top20_equal_reference": r["top20_equal_reference"],
        "queries": len(QUERIES),
        "typing_count_rises": sum(seq["rises"] for seq in r["typing"]),
        "typing_keystroke_p95_ms": ms([t for seq in r["typing"] for t in seq["seconds"]], 1),
    }


def main() -> None:
    if sys.argv[1:2] in (["--latency"], ["--reader"], ["--typing"]):  # on an index built already
        os.environ["XDG_DATA_HOME"] = str(Path(sys.argv[2]).parent / USER_DATA)
    if sys.argv[1:2] == ["--latency"]:
        print(json.dumps(latency(Path(sys.argv[2]))))
        return
    if sys.argv[1:2] == ["--typing"]:  # the typing sequences alone, on an index built already
        print(json.dumps(typing_sequences(Path(sys.argv[2]), TYPING)))
        return
    if sys.argv[1:2] == ["--reader"]:  # the reader's figures alone
        painted, echoes = asyncio.run(reader_latency(Path(sys.argv[2])))
        print(
            f"keystroke → exact results painted p50 / p95: {percentiles(painted)[0] * 1000:.0f} / "
            f"{percentiles(painted)[1] * 1000:.0f} ms ({len(painted)} queries); → letter shown: "
            f"{percentiles(echoes)[0] * 1000:.0f} / {percentiles(echoes)[1] * 1000:.0f} ms "
            f"({len(echoes)} keystrokes)"
        )
        return
    if sys.argv[1:2] == ["--flood"]:  # typing while 2,000 dumps arrive
        size = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
        print(json.dumps(asyncio.run(flood_latency(size))))
        return
    if sys.argv[1:2] == ["--reader-build"]:  # the reader building a new collection
        size = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
        print(json.dumps(asyncio.run(reader_build(DEFAULT_CORPUS, size))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default="10k,121k")
    parser.add_argument("--skip-reader", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the built index and corpus")
    parser.add_argument("--json", type=Path, help="also write the figures here, as JSON")
    options = parser.parse_args()
    sizes = [
        int(float(s[:-1]) * {"k": 1000, "M": 1_000_000}[s[-1]]) if s[-1] in "kM" else int(s)
        for s in options.sizes.split(",")
    ]
    sizes = [121_689 if s == 121_000 else s for s in sizes]
    results = []
    for size in sizes:
        print(f"… {size:,} papers", file=sys.stderr, flush=True)
        results.append(bench(options.corpus, size, not options.skip_reader, options.keep))
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(report(results))
    print("\n".join(typing_report(results)))
    if options.json:
        options.json.write_text(json.dumps([to_json(r) for r in results], indent=2) + "\n")


# --- BibTeX keys of a whole library, parsed back (an optional step of its own) ---
#     python tests/benchmarks/bench.py --bibtex [CORPUS]
# builds the corpus's library in a temporary folder (about 2 minutes for 121k),
# prints `abstracts list --format bibtex` of it and parses that with bibtexparser:
# every paper an entry, no key with a space, no key twice.


def bibtex_round_trip(corpus: Path) -> dict:
    """Figures of the BibTeX export of the library of `corpus`, parsed back."""
    import re

    import bibtexparser

    with tempfile.TemporaryDirectory(prefix="abstracts-bibtex-") as folder:
        env = os.environ | {f"XDG_{kind}_HOME": f"{folder}/{kind}" for kind in ("CACHE", "STATE")}
        command = [sys.executable, "-m", "tui"]
        index_dir = ["--index-dir", f"{folder}/index"]
        subprocess.run([*command, "index", str(corpus), *index_dir], env=env, check=True)
        started = time.perf_counter()
        text = subprocess.run(
            [*command, "list", "--format", "bibtex", *index_dir],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        exported = time.perf_counter() - started
    # Keys as written, whether or not a parser would take them.
    written = re.findall(r"^@\w+\{([^,\n]*),$", text, flags=re.MULTILINE)
    started = time.perf_counter()
    parsed = bibtexparser.parse_string(text)
    keys = [entry.key for entry in parsed.entries]
    return {
        "entries written": len(written),
        "entries parsed": len(parsed.entries),
        "failed blocks": len(parsed.failed_blocks),
        "keys with a space": sum(" " in key for key in written),
        "keys not [a-z0-9]": sum(not re.fullmatch(r"[a-z0-9]+", key) for key in written),
        "duplicate keys": len(keys) - len(set(keys)),
        "export seconds": round(exported, 1),
        "parse seconds": round(time.perf_counter() - started, 1),
    }


def bibtex_main() -> None:
    corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_CORPUS
    figures = bibtex_round_trip(corpus)
    print(json.dumps(figures, indent=2))
    bad = figures["failed blocks"] + figures["keys with a space"] + figures["duplicate keys"]
    sys.exit(1 if bad or figures["entries parsed"] != figures["entries written"] else 0)


if __name__ == "__main__":
    bibtex_main() if sys.argv[1:2] == ["--bibtex"] else main()
