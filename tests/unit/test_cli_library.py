"""The library a command reads: named by path with --library, never changed by a
command that fails, and said on stderr to a person at a terminal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, json_lines, run


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """A second library: one dump of old-style papers (Witten's holography paper)."""
    folder = tmp_path / "other"
    folder.mkdir()
    shutil.copy(FIXTURES / "old_ids.txt", folder / "witten.txt")
    return folder


def _last(home: Path) -> dict:
    return json.loads((home / "xdg_state_home" / "abstracts" / "last.json").read_text())


def _system_cards(home: Path) -> list[str]:
    found = run("search", "system card", "--json", env_home=home)
    assert found.returncode == 0, found.stderr
    return [paper["title"] for paper in json_lines(found.stdout)]


def test_an_index_of_missing_paths_changes_nothing(dumps: Path, home: Path, tmp_path: Path) -> None:
    assert run("index", dumps, env_home=home).returncode == 0
    before = _last(home)
    missing = run("index", "/no/such/dir", env_home=home)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr == "abstracts: no such file or folder: /no/such/dir\n"
    # One path of several missing (a typo) is refused too: nothing half done.
    some = run("index", dumps, tmp_path / "typo", env_home=home)
    assert some.returncode == 1 and some.stderr.count("\n") == 1 and "typo" in some.stderr
    assert _last(home) == before
    assert _system_cards(home) == ["GPT-4o System Card", "OpenAI o1 System Card"]
    listed = run("list", "--json", env_home=home)
    assert len(json_lines(listed.stdout)) == 37


def test_an_index_that_reads_no_dump_changes_nothing(
    dumps: Path, home: Path, tmp_path: Path
) -> None:
    assert run("index", dumps, env_home=home).returncode == 0
    before = _last(home)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF")  # not a dump by its name
    nothing = run("index", empty, env_home=home)
    assert nothing.returncode == 1 and nothing.stdout == ""
    assert nothing.stderr == f"abstracts: no dump file in {empty}\n"
    binary = tmp_path / "binary.txt"
    shutil.copy(FIXTURES / "binary.txt", binary)
    unread = run("index", binary, env_home=home)
    assert unread.returncode == 1 and "no dump could be read" in unread.stderr
    assert _last(home) == before
    assert _system_cards(home) == ["GPT-4o System Card", "OpenAI o1 System Card"]


def test_the_reader_on_missing_or_empty_paths_changes_nothing(
    dumps: Path, home: Path, tmp_path: Path
) -> None:
    assert run("index", dumps, env_home=home).returncode == 0
    before = _last(home)
    empty = tmp_path / "empty"
    empty.mkdir()
    for path in (tmp_path / "nope", empty):
        result = run(path, env_home=home)
        assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert _last(home) == before


def test_search_reads_the_library_named_and_leaves_the_one_in_use(
    dumps: Path, other: Path, home: Path
) -> None:
    assert run("index", dumps, env_home=home).returncode == 0
    before = _last(home)
    found = run("search", "holography", "--library", other, "--json", env_home=home)
    assert found.returncode == 0, found.stderr
    assert [paper["sources"] for paper in json_lines(found.stdout)] == [["witten.txt"]]
    # The query stays free text: a path among its words would be searched for.
    assert run("search", "holography", "--json", env_home=home).stdout == ""
    assert _last(home) == before
    assert _system_cards(home) == ["GPT-4o System Card", "OpenAI o1 System Card"]
    both = run(
        "search", "system", "card", "--library", dumps, "--library", other, "--json",
        env_home=home,
    )  # fmt: skip
    assert len(json_lines(both.stdout)) == 2


def test_every_reading_command_takes_the_library(dumps: Path, other: Path, home: Path) -> None:
    assert run("index", dumps, env_home=home).returncode == 0
    listed = json_lines(run("list", "--json", "--library", other, env_home=home).stdout)
    assert {paper["sources"][0] for paper in listed} == {"witten.txt"}
    key = listed[0]["key"]
    authors = json_lines(run("authors", "--json", "--library", other, env_home=home).stdout)
    assert [row["source"] for row in authors] == ["witten.txt"]
    related = run("related", key, "--json", "--library", other, env_home=home)
    assert related.returncode == 0 and related.stderr == ""
    tagged = run("tag", key, "holo", "--library", other, env_home=home)
    assert tagged.returncode == 0, tagged.stderr
    assert run("tag", key, "--library", other, env_home=home).stdout == "holo\n"
    assert run("star", key, "--library", other, env_home=home).returncode == 0
    note = run("note", key, "--set", "read it", "--library", other, env_home=home)
    assert note.returncode == 0
    exported = json_lines(run("state", "export", "--library", other, env_home=home).stdout)
    assert [(r["key"], r["starred"], r["tags"], r["note"]) for r in exported] == [
        (key, True, ["holo"], "read it")
    ]
    # The library in use knows nothing of that paper, and has no state of its own.
    assert run("tag", key, env_home=home).returncode == 1
    assert run("state", "export", env_home=home).stdout == ""


def test_a_missing_library_is_said_in_one_line(home: Path, tmp_path: Path) -> None:
    result = run("list", "--library", tmp_path / "nope", env_home=home)
    assert result.returncode == 1
    assert result.stderr == f"abstracts: no such file or folder: {tmp_path / 'nope'}\n"


def test_the_library_read_is_named_on_a_terminal_only(dumps: Path, other: Path, home: Path) -> None:
    assert run("index", dumps, env_home=home).returncode == 0
    table = run("search", "holography", "--library", other, env_home=home, terminal=True)
    assert f"library: {other}\n" in table.stderr
    bare = run("list", env_home=home, terminal=True)
    assert f"library: {dumps}\n" in bare.stderr
    piped = run("search", "holography", "--library", other, env_home=home)
    assert "library:" not in piped.stderr
