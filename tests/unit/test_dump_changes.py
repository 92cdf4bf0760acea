"""What an update says changed in each dump (UpdateReport.changes), and how the
reader words it when dumps change while it is open."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import FIXTURES

from index import Config, DumpChange, Library, Problem, UpdateReport
from tui.live import change_lines, fresh_problems

ALEX = "001_000eb8558b6da544.txt"
TONY = "003_fa869cb8beed8520.txt"
JAIN = "004_668e95e94da32894.txt"
TITLE = "Deliberative Alignment: Reasoning Enables Safer Language Models"


def _append(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8")
    path.write_text(old + ("" if old.endswith("\n") else "\n") + text, encoding="utf-8")


def test_a_first_build_compares_with_nothing(dumps: Path, tmp_path: Path) -> None:
    report = Library([dumps], tmp_path / "index", Config()).update()
    assert report.papers == 37 and report.changes == {}


def test_papers_added_to_a_dump(library: Library, dumps: Path) -> None:
    _append(dumps / ALEX, "Abstract:Zebra finches learn songs.\nAbstract:Herons wait.\n")
    report = library.update()
    assert report.changes == {str(dumps / ALEX): DumpChange(added=2)}
    assert report.papers == 39


def test_an_abstract_edited_in_place_is_one_paper_changed(library: Library, dumps: Path) -> None:
    path = dumps / ALEX
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace("Abstract:", "Abstract:Revised: ", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = library.update()
    assert report.changes == {str(path): DumpChange(changed=1)}


def test_a_new_title_is_one_paper_changed(library: Library, dumps: Path) -> None:
    path = dumps / JAIN
    path.write_text(path.read_text(encoding="utf-8").replace(TITLE, TITLE + " (v2)"))
    report = library.update()
    assert report.changes == {str(path): DumpChange(changed=1)}


def test_a_paper_deleted_from_a_dump(library: Library, dumps: Path) -> None:
    path = dumps / ALEX
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    report = library.update()
    assert report.changes == {str(path): DumpChange(removed=1)}


def test_a_new_dump_and_a_removed_dump(library: Library, dumps: Path) -> None:
    (dumps / "bob.txt").write_text("Bob\nAbstract:Penguins huddle.\n", encoding="utf-8")
    (dumps / TONY).unlink()
    report = library.update()
    assert report.changes == {
        str(dumps / "bob.txt"): DumpChange(added=1),
        str(dumps / TONY): DumpChange(removed=10),
    }
    assert report.removed == [str(dumps / TONY)]


def test_a_touched_dump_changes_nothing(library: Library, dumps: Path) -> None:
    path = dumps / ALEX
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    report = library.update()
    assert report.read == [str(path)]
    assert report.changes == {}


def test_a_collection_changed_is_counted_by_its_papers(dumps: Path, tmp_path: Path) -> None:
    snapshot = dumps / "snapshot.jsonl"
    shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", snapshot)
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    paper = {"id": "2501.00001", "title": "Herons", "authors": "A. Heron", "abstract": "Wading."}
    _append(snapshot, json.dumps(paper) + "\n")
    report = library.update()
    assert report.rebuilt  # a collection is read whole again
    assert report.changes == {str(snapshot): DumpChange(added=1)}


def test_the_notice_names_each_dump_and_what_changed() -> None:
    report = UpdateReport(
        read=["/d/alex.txt", "/d/bob.txt", "/d/same.txt", "/d/mixed.txt"],
        removed=["/d/tony.txt", "/d/empty.txt"],
        changes={
            "/d/alex.txt": DumpChange(added=2),
            "/d/bob.txt": DumpChange(changed=1),
            "/d/same.txt": DumpChange(),
            "/d/mixed.txt": DumpChange(added=1, changed=2, removed=3),
            "/d/tony.txt": DumpChange(removed=14),
            "/d/empty.txt": DumpChange(),
        },
    )
    assert change_lines(report) == [
        "2 papers added from alex.txt",
        "1 paper changed in bob.txt",
        "mixed.txt: 1 paper added, 2 changed, 3 removed",
        "tony.txt removed: 14 papers",
        "empty.txt removed",
    ]
    report = UpdateReport(read=["/d/jain.txt"], changes={"/d/jain.txt": DumpChange(removed=1)})
    assert change_lines(report) == ["1 paper removed from jain.txt"]


def test_a_notice_of_many_dumps_names_a_few() -> None:
    changes = {f"/d/{n}.txt": DumpChange(added=1) for n in range(8)}
    report = UpdateReport(read=list(changes), changes=changes)
    lines = change_lines(report)
    assert lines[:5] == [f"1 paper added from {n}.txt" for n in range(5)]
    assert lines[5:] == ["…and 3 more dumps"]
    del report.changes["/d/7.txt"], report.changes["/d/6.txt"]
    assert change_lines(report)[5:] == ["…and 1 more dump"]


def test_only_the_problems_of_what_changed_are_said_again(tmp_path: Path) -> None:
    fresh = Problem("/d/alex.txt", "a cut-off last record", line=12, error=False)
    seen = Problem("/d/tony.txt", "binary file")
    gone = Problem("/d", "no such file or folder")
    index = Problem(str(tmp_path), "cannot bring the index up to date: disk full")
    report = UpdateReport(read=["/d/alex.txt"], problems=[fresh, seen, gone, index])
    assert fresh_problems(report, {Path("/d")}, tmp_path) == [fresh, gone, index]
    assert str(fresh) == "/d/alex.txt:12: a cut-off last record"
