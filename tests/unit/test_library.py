"""Keeping the index in step with the dumps: incremental, and it recovers by itself."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import FIXTURES, SEED, wait_for

from index import Config, Library
from index.engine.errors import StoreError
from index.engine.schema import SCHEMA_VERSION
from index.engine.store import Store
from index.manifest import MANIFEST
from index.state import set_pinned


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_first_update_indexes_the_seeds(library: Library) -> None:
    assert library.store().count() == 37
    assert [(a.author, a.papers) for a in library.authors()] == [
        ("000_e4898e36c2f54974", 7),
        ("Alex", 9),
        ("002_58a4e2d616259f18", 7),
        ("Tony", 10),
        ("Jain, Saachi", 10),
    ]


def test_an_unchanged_library_writes_nothing(library: Library, tmp_path: Path) -> None:
    before = snapshot(library.index_dir)
    again = Library(library.paths, library.index_dir, Config())
    report = again.update()
    assert (report.read, report.removed, report.unchanged, report.papers) == ([], [], 5, 37)
    assert snapshot(library.index_dir) == before


def test_a_touched_but_unchanged_dump_is_not_indexed_again(library: Library, dumps: Path) -> None:
    os.utime(SEED_COPY(dumps, "alex"), ns=(1, 1))
    report = library.update()
    assert report.read == [] and report.unchanged == 5 and report.papers == 37


def SEED_COPY(dumps: Path, name: str) -> Path:
    return dumps / SEED[name].name


def test_adding_a_dump_merges_with_what_is_indexed(library: Library, dumps: Path) -> None:
    extra = dumps / "extra.txt"
    o1 = library.get("2412.16720").abstract
    extra.write_text(f"Grace\nAbstract:{o1.upper()}\nAbstract:A brand new paper about zebras.\n")
    report = library.update()
    assert report.read == [str(extra)]
    assert report.papers == 38
    o1_paper = library.get("2412.16720")
    assert "Grace" in o1_paper.authors and len(o1_paper.sources) == 6
    assert [h.paper.authors for h in library.search("zebras").hits] == [("Grace",)]


def test_changing_a_dump_updates_only_its_papers(library: Library, dumps: Path) -> None:
    tony = SEED_COPY(dumps, "tony")
    lines = tony.read_text().split("\n")
    # Drop Tony's GPT-4o record and add a new paper.
    tony.write_text(
        "\n".join([lines[0], lines[1]] + lines[3:] + ["Abstract:Tony now studies otters."])
    )
    report = library.update()
    assert report.read == [str(tony)]
    assert report.papers == 38
    gpt4o = library.get("2410.21276")
    assert "Tony" not in gpt4o.authors and len(gpt4o.sources) == 2
    assert library.get("2412.16720").authors.count("Tony") == 1
    assert library.search("otters").total == 1


def test_removing_a_dump_takes_its_part_out_of_merged_papers(library: Library, dumps: Path) -> None:
    SEED_COPY(dumps, "jain").unlink()
    report = library.update()
    assert report.removed == [str(SEED_COPY(dumps, "jain"))]
    assert report.papers == 37 - 8  # eight of its ten papers are only there
    o1 = library.get("2412.16720")
    assert o1.title is None  # the title came from that dump alone
    assert "Jain, Saachi" not in o1.authors and len(o1.sources) == 4
    assert library.search("datamodels").total == 0


def test_a_new_title_or_id_fills_in_the_paper_for_every_dump(library: Library, dumps: Path) -> None:
    alex = SEED_COPY(dumps, "alex")
    lines = alex.read_text().split("\n")
    # Alex's Lingvo record, given an id in a new listing.
    lingvo = lines[9].removeprefix("Abstract:")
    (dumps / "listing2.txt").write_text(f"{lingvo}\narXiv:1902.08295\n")
    library.update()
    paper = library.get("1902.08295")
    assert paper is not None and paper.year == 2019
    assert paper.authors == ("Alex", "listing2")


def test_results_equal_a_full_rebuild_after_many_changes(
    library: Library, dumps: Path, tmp_path: Path
) -> None:
    SEED_COPY(dumps, "plain").unlink()
    (dumps / "copy.txt").write_text(SEED_COPY(dumps, "listing").read_text())
    tony = SEED_COPY(dumps, "tony")
    tony.write_text(tony.read_text().replace("Tony", "Anthony", 1))
    library.update()
    fresh = Library([dumps], tmp_path / "fresh", Config())
    fresh.update()
    as_dicts = lambda lib: sorted((p.to_json() for p in lib.papers()), key=lambda d: d["key"])  # noqa: E731
    assert as_dicts(library) == as_dicts(fresh)


def test_config_label_names_a_dump_that_names_none(dumps: Path, tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[labels]\n"000_e4898e36c2f54974.txt" = "Apple Speech"\n')
    library = Library([dumps], tmp_path / "index", Config.load(config_file))
    library.update()
    assert library.authors()[0].author == "Apple Speech"
    assert library.search("", author="apple speech").total == 7
    # Changing the config relabels without the dump changing.
    config_file.write_text('[labels]\n"000_e4898e36c2f54974.txt" = "Siri Team"\n')
    library.config = Config.load(config_file)
    assert library.update().read == [str(SEED_COPY(dumps, "plain"))]
    assert library.search("", author="Siri Team").total == 7


def test_a_broken_config_is_reported_not_fatal(dumps: Path, tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text("[labels\n")
    library = Library([dumps], tmp_path / "index", Config.load(config_file))
    report = library.update()
    assert report.papers == 37
    assert "config ignored" in report.problems[0].message


def test_bad_files_in_a_folder_are_reported_and_the_rest_indexed(
    dumps: Path, tmp_path: Path
) -> None:
    for name in ("binary.txt", "empty.txt", "only_name.txt", "latin1.txt", "shift_jis.txt"):
        shutil.copy(FIXTURES / name, dumps / name)
    (dumps / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (dumps / "notes.csv").write_text("a,b\n")  # not a dump name: left alone in folders
    library = Library([dumps], tmp_path / "index", Config())
    report = library.update()
    errors = {Path(p.path).name: p.message for p in report.errors}
    assert set(errors) == {"binary.txt", "shift_jis.txt", "dangling.txt"}
    assert report.papers == 37 + 2
    warnings = {Path(p.path).name for p in report.problems if not p.error}
    assert warnings == {"empty.txt", "only_name.txt", "latin1.txt"}
    # Reported again on the next run, without reading anything again.
    again = library.update()
    assert again.read == [] and {Path(p.path).name for p in again.errors} == {
        "binary.txt",
        "shift_jis.txt",
        "dangling.txt",
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_in_a_folder(dumps: Path, tmp_path: Path) -> None:
    secret = dumps / "secret.txt"
    shutil.copy(FIXTURES / "latin1.txt", secret)
    secret.chmod(0)
    report = Library([dumps], tmp_path / "index", Config()).update()
    assert [Path(p.path).name for p in report.errors] == ["secret.txt"]
    assert "cannot read" in report.errors[0].message and report.papers == 37


def test_a_dump_that_becomes_unreadable_keeps_its_papers(library: Library, dumps: Path) -> None:
    tony = SEED_COPY(dumps, "tony")
    tony.unlink()
    tony.symlink_to(dumps / "gone.txt")  # same name, now a broken link
    report = library.update()
    assert report.papers == 37 and report.removed == []
    assert [Path(p.path).name for p in report.errors] == [tony.name]


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    report = Library([tmp_path / "nope"], tmp_path / "index", Config()).update()
    assert "no such file or folder" in report.errors[0].message and report.papers == 0


@pytest.mark.parametrize(
    "damage", ["delete", "garble_toc", "garble_segments", "garble_manifest", "old_schema"]
)
def test_a_damaged_index_is_rebuilt(library: Library, damage: str) -> None:
    folder = library.index_dir
    library.close()
    if damage == "delete":
        shutil.rmtree(folder)
    elif damage == "garble_toc":
        for toc in folder.glob("*.toc"):
            toc.write_bytes(b"garbage")
    elif damage == "garble_segments":
        segments = list(folder.glob("MAIN_*.*"))
        assert segments
        for segment in segments:
            segment.write_bytes(b"\x00" * 10)
    elif damage == "garble_manifest":
        (folder / MANIFEST).write_text("{not json")
    else:
        manifest = (folder / MANIFEST).read_text()
        (folder / MANIFEST).write_text(
            manifest.replace(f'"schema": {SCHEMA_VERSION}', '"schema": 0')
        )
    reopened = Library(library.paths, folder, Config())
    report = reopened.update()
    assert report.papers == 37
    assert reopened.search("heterophily").total == 2


def test_a_damaged_index_found_while_searching_is_rebuilt_by_the_next_update(
    library: Library,
) -> None:
    library.close()
    segments = list(library.index_dir.glob("MAIN_*.*"))
    assert segments
    for segment in segments:
        segment.write_bytes(b"\x00" * 10)
    with pytest.raises(StoreError):
        library.search("heterophily")
    report = library.update()
    assert report.rebuilt and report.damaged
    assert library.search("heterophily").total == 2


def test_a_locked_index_is_read_and_reported_busy(library: Library, dumps: Path) -> None:
    (dumps / "new.txt").write_text("Abstract:Penguins.\n")
    with Store.updating(library.index_dir, timeout=1):
        report = library.update(wait=0.2)
        assert report.busy and "another abstracts process" in report.problems[-1].message
        assert library.search("heterophily").total == 2
    assert library.update().papers == 38


WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from index import Config, Library
    library = Library([Path(sys.argv[1])], Path(sys.argv[2]), Config())
    kill_at = int(sys.argv[3])
    def progress(what, done, total):
        if what == "indexing" and kill_at and done >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
    library.update(progress)
    print("done")
    """
)


def make_big_dump(path: Path, papers: int) -> None:
    lines = ["Bulk"]
    for n in range(papers):
        lines.append(
            f"Abstract:Paper number {n} studies topic{n % 97} with method{n % 13} on data."
        )
    path.write_text("\n".join(lines) + "\n")


def test_a_process_killed_while_indexing_loses_nothing(dumps: Path, tmp_path: Path) -> None:
    make_big_dump(dumps / "big.txt", 3000)
    index_dir = tmp_path / "index"
    killed = subprocess.run([sys.executable, "-c", WRITER, str(dumps), str(index_dir), "1000"])
    assert killed.returncode == -signal.SIGKILL
    library = Library([dumps], index_dir, Config())
    report = library.update()
    assert report.papers == 37 + 3000
    assert library.search("topic5 method5").total == len(
        [n for n in range(3000) if n % 97 == 5 and n % 13 == 5]
    )


def test_searching_while_another_process_indexes(library: Library, dumps: Path) -> None:
    make_big_dump(dumps / "big.txt", 3000)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(dumps), str(library.index_dir), "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    seen = set()
    while writer.poll() is None:
        seen.add(library.search("heterophily").total)
        library.update(wait=0.05)  # never blocks for long, never raises
        time.sleep(0.05)
    assert writer.stdout.read().strip() == "done"
    library.store().refresh()
    assert seen == {2}
    # The shared searcher checks for new commits at most twice a second.
    wanted = len([n for n in range(3000) if n % 97 == 5])
    wait_for(lambda: library.search("topic5").total == wanted)


def test_the_count_is_every_match_after_deletions(library: Library, dumps: Path) -> None:
    tony = SEED_COPY(dumps, "tony")
    tony.write_text(tony.read_text().replace("model", "modal"))
    library.update()
    for text in ("model", "speech", "safety NOT alignment", "transf*", ""):
        # Every search counts all its matches, whatever page it shows.
        counted = library.search(text, limit=None)
        assert library.search(text, limit=3).total == len(counted.hits) == counted.total


def test_an_index_of_another_version_is_found_and_rebuilt(library: Library) -> None:
    manifest = library.index_dir / MANIFEST
    manifest.write_text(manifest.read_text().replace(f'"schema": {SCHEMA_VERSION}', '"schema": 0'))
    library.close()
    again = Library.at(library.index_dir, Config())
    assert again.paths == library.paths
    report = again.update()
    assert report.rebuilt and report.papers == 37


def test_segments_are_separate_files(library: Library) -> None:
    # Whoosh copies a compound segment into memory whole when it opens it.
    assert not list(library.index_dir.glob("*.seg"))
    assert list(library.index_dir.glob("*.pst"))


def test_the_tabs_hold_the_first_dumps_and_the_authors_pinned_among_the_others(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(6):
        (folder / f"d{number}.txt").write_text(
            f"Author Number{number}\nAbstract:Paper {number} about otters.\n", encoding="utf-8"
        )
    library = Library([folder], tmp_path / "index", Config())
    library.update()
    set_pinned(["Author Number5"], library.index_dir)
    shelves = library.shelves(most=3)
    assert shelves.papers == 6
    assert [a.author for a in shelves.authors] == [f"Author Number{n}" for n in range(3)]
    assert shelves.pinned == (("Author Number5", 1),)
    assert len(library.authors()) == 6  # the list of authors has them all
    library.close()


def test_an_empty_library_reads_as_empty_not_damaged(tmp_path: Path) -> None:
    """A folder holding no dump yet (or whose dumps were all deleted): the reader's
    view of it is empty, with no index damage said and no rebuild."""
    from index import ReaderCore

    (tmp_path / "dumps").mkdir()
    library = Library([tmp_path / "dumps"], tmp_path / "index", Config())
    assert library.update().papers == 0
    said: list[str] = []
    library.say = said.append
    view = ReaderCore(library).compute(ReaderCore(library).inputs)
    assert (view.total, view.hits, view.problem) == (0, (), None)
    assert library.shelves() is not None and said == []
    library.close()
