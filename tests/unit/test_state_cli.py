"""Marking papers from the command line, and moving the reading state, as a user
runs the commands: a separate process each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import json_lines, run

from index import remember_last

O1, GPT4O = "2412.16720", "2410.21276"


@pytest.fixture
def home(dumps: Path, index_dir: Path, tmp_path: Path) -> Path:
    """A user's folders, with the sample dumps indexed, the library used last: as
    `abstracts index` leaves them (tested in test_cli), from a copy of the seed index."""
    home = tmp_path / "home"
    with pytest.MonkeyPatch.context() as env:  # the user state folder run() gives it
        env.setenv("XDG_STATE_HOME", str(home / "xdg_state_home"))
        remember_last([dumps], index_dir)
    return home


def papers(home: Path, *args: str) -> dict[str, dict]:
    listed = run("list", "--json", *args, env_home=home)
    assert listed.returncode == 0, listed.stderr
    return {paper["key"]: paper for paper in json_lines(listed.stdout)}


def test_star_read_and_their_undoing_show_in_list_json(home: Path) -> None:
    starred = run("star", O1, f"arXiv:{GPT4O}v2", env_home=home)
    assert starred.returncode == 0, starred.stderr
    assert "starred: 2412.16720 OpenAI o1 System Card" in starred.stderr
    assert run("read", O1, env_home=home).returncode == 0
    listed = papers(home)
    assert listed[O1].items() >= {"read": True, "starred": True, "tags": [], "note": ""}.items()
    assert listed[GPT4O]["starred"] is True and listed[GPT4O]["read"] is False
    assert sum(p["starred"] for p in listed.values()) == 2
    assert sum(p["read"] for p in listed.values()) == 1
    assert run("unstar", GPT4O, env_home=home).returncode == 0
    assert run("unread", O1, env_home=home).returncode == 0
    listed = papers(home)
    assert [k for k, p in listed.items() if p["starred"]] == [O1]
    assert not any(p["read"] for p in listed.values())


def test_an_unknown_id_is_named_and_nothing_is_marked(home: Path) -> None:
    done = run("star", O1, "9999.99999", env_home=home)
    assert done.returncode == 1
    assert "no paper has the id '9999.99999'" in done.stderr and "Traceback" not in done.stderr
    assert not any(p["starred"] for p in papers(home).values())
    assert run("note", "nope", "--set", "x", env_home=home).returncode == 1
    assert run("tag", "nope", "x", env_home=home).returncode == 1


def test_a_paper_without_an_arxiv_id_is_marked_by_its_key(home: Path) -> None:
    key = next(k for k, p in papers(home).items() if p["arxiv_id"] is None)
    assert run("star", key, env_home=home).returncode == 0
    assert papers(home)[key]["starred"] is True


def test_search_takes_the_filters_and_exports_them(home: Path) -> None:
    for paper in (O1, GPT4O):
        assert run("star", paper, env_home=home).returncode == 0
    assert run("tag", GPT4O, "survey", env_home=home).returncode == 0
    bibtex = run("search", "is:starred", "--format", "bibtex", env_home=home)
    assert bibtex.returncode == 0, bibtex.stderr
    assert bibtex.stdout.count("@") == 2 and "OpenAI o1 System Card" in bibtex.stdout
    assert "GPT-4o System Card" in bibtex.stdout
    found = run("search", "tag:survey OR note:anything", "--json", env_home=home)
    hits = json_lines(found.stdout)
    assert [h["key"] for h in hits] == [GPT4O]
    assert hits[0]["tags"] == ["survey"] and hits[0]["starred"] is True
    assert hits[0]["read"] is False and hits[0]["note"] == ""
    unread = run("search", "NOT is:starred", "--json", "--limit", "100", env_home=home)
    assert len(json_lines(unread.stdout)) == 35


def test_tags_are_added_removed_and_printed(home: Path) -> None:
    added = run("tag", O1, "Survey", "to read", env_home=home)
    assert added.returncode == 0, added.stderr
    assert "survey, to-read" in added.stderr
    assert run("tag", O1, env_home=home).stdout.splitlines() == ["survey", "to-read"]
    changed = run("tag", O1, "safety", "--remove", "survey", env_home=home)
    assert changed.returncode == 0
    assert papers(home)[O1]["tags"] == ["safety", "to-read"]
    refused = run("tag", O1, ":()", env_home=home)
    assert refused.returncode == 2 and "is not a tag" in refused.stderr


def test_a_note_is_set_shown_and_deleted(home: Path) -> None:
    assert run("note", O1, "--set", "Line one\nline [b]two[/b]", env_home=home).returncode == 0
    shown = run("note", O1, "--show", env_home=home)
    assert shown.stdout == "Line one\nline [b]two[/b]\n"
    assert papers(home)[O1]["note"] == "Line one\nline [b]two[/b]"
    assert run("note", O1, "--set", "", env_home=home).returncode == 0
    assert papers(home)[O1]["note"] == ""
    assert run("note", O1, "--show", env_home=home).stdout == ""
    assert run("note", O1, "--set", "red \x1b[31malert", env_home=home).returncode == 0
    assert run("note", O1, "--show", env_home=home).stdout == "red ␛[31malert\n"
    assert papers(home)[O1]["note"] == "red \x1b[31malert"  # JSON keeps it exactly


@pytest.fixture
def editor(tmp_path: Path) -> str:
    """An editor that changes "one" to "ONE" and adds a line, as a person would."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text().replace('one', 'ONE')\n"
        "path.write_text(text + '\\nAdded in the editor.\\n')\n"
    )
    return f"{sys.executable} {script}"


def test_note_opens_the_editor_on_the_note_and_saves_it(
    home: Path, editor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", O1, "--set", "Line one", env_home=home).returncode == 0
    monkeypatch.setenv("VISUAL", editor)  # VISUAL before EDITOR
    monkeypatch.setenv("EDITOR", "false")
    edited = run("note", O1, env_home=home)
    assert edited.returncode == 0, edited.stderr
    assert "note saved" in edited.stderr
    assert papers(home)[O1]["note"] == "Line ONE\nAdded in the editor."


def test_a_failing_or_missing_editor_leaves_the_note(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", O1, "--set", "kept", env_home=home).returncode == 0
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "false")
    failed = run("note", O1, env_home=home)
    assert failed.returncode == 1 and "exited with 1; note left as it was" in failed.stderr
    monkeypatch.setenv("EDITOR", "no-such-editor --wait")
    missing = run("note", O1, env_home=home)
    assert missing.returncode == 1 and "cannot run the editor" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert papers(home)[O1]["note"] == "kept"


def test_state_moves_between_machines_and_merges(dumps: Path, tmp_path: Path, home: Path) -> None:
    # This machine: a star, a tag, an old note and a new one.
    assert run("note", O1, "--set", "old note from here", env_home=home).returncode == 0
    there = tmp_path / "there"
    assert run("index", dumps, env_home=there).returncode == 0
    assert run("note", O1, "--set", "newer note from there", env_home=there).returncode == 0
    assert run("note", GPT4O, "--set", "older note from there", env_home=there).returncode == 0
    assert run("note", GPT4O, "--set", "newest note from here", env_home=home).returncode == 0
    assert run("star", O1, env_home=home).returncode == 0
    assert run("tag", O1, "survey", env_home=home).returncode == 0
    assert run("tag", O1, "mine", env_home=there).returncode == 0

    exported = run("state", "export", env_home=home)
    assert exported.returncode == 0
    records = json_lines(exported.stdout)
    assert [r["key"] for r in records] == [GPT4O, O1]
    saved = tmp_path / "state.jsonl"
    lines = [*exported.stdout.splitlines(), "not json", '{"key": 3}', "", '{"key": "x"}']
    saved.write_text("\n".join(lines) + "\n")

    imported = run("state", "import", saved, env_home=there)
    assert imported.returncode == 1  # bad lines, each named; the good ones imported
    assert f"{saved}:3: skipped: not JSON" in imported.stderr
    assert f"{saved}:4: skipped: no key" in imported.stderr
    assert "imported 3 papers, 2 papers changed, 1 newer note here kept, 2 bad lines" in (
        imported.stderr
    )
    merged = papers(there)
    assert merged[O1]["starred"] is True and merged[O1]["tags"] == ["mine", "survey"]
    assert merged[O1]["note"] == "newer note from there"  # never overwritten by an older
    assert merged[GPT4O]["note"] == "newest note from here"
    # Importing again changes nothing.
    clean = tmp_path / "clean.jsonl"
    clean.write_text(exported.stdout)
    again = run("state", "import", clean, env_home=there)
    assert again.returncode == 0 and "0 papers changed" in again.stderr


def test_an_unreadable_state_file_is_named(home: Path, tmp_path: Path) -> None:
    missing = run("state", "import", tmp_path / "nothing.jsonl", env_home=home)
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_damaged_state_database_is_kept_aside_and_said(home: Path) -> None:
    assert run("star", O1, env_home=home).returncode == 0
    (database,) = (home / "xdg_data_home").rglob("*.sqlite3")
    database.write_bytes(b"scribbled over " * 1000)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    listed = run("list", "--json", env_home=home)
    assert listed.returncode == 0
    assert "could not be read" in listed.stderr and ".damaged-" in listed.stderr
    assert not any(p["starred"] for p in json_lines(listed.stdout))
    (kept,) = database.parent.glob("*.damaged-*")
    assert kept.read_bytes().startswith(b"scribbled over")
    assert json.loads(listed.stdout.splitlines()[0])["tags"] == []


def exported(home: Path) -> dict[str, dict]:
    """The reading state as `state export` prints it, by key (each line one record)."""
    done = run("state", "export", env_home=home)
    assert done.returncode == 0, done.stderr
    return {record["key"]: record for record in json_lines(done.stdout)}


def test_an_import_skips_each_bad_line_whatever_it_holds(home: Path, tmp_path: Path) -> None:
    lines = [
        json.dumps({"key": O1, "starred": True}).encode(),
        b'{"key": "lone", "note": "a \\ud800 b"}',  # read as U+FFFD, as in dumps
        b'{"key": "\\udc80x"}',
        b'{"key": "big", "note": "n", "note_updated": 1' + b"0" * 400 + b"}",
        b"[" * 200_000 + b"]" * 200_000,
        b'{"key": "latin", "note": "caf\xe9"}',
        b'{"key": "far", "note": "n", "note_updated": 1e999}',
        '{"key": "split", "note": "a\u2028b\x85c"}'.encode(),  # an old export's note
        json.dumps({"key": GPT4O, "tags": ["kept"]}).encode(),
    ]
    saved = tmp_path / "state.jsonl"
    saved.write_bytes(b"\n".join(lines) + b"\n")
    imported = run("state", "import", saved, env_home=home)
    assert imported.returncode == 1, imported.stderr
    assert "Traceback" not in imported.stderr and "internal error" not in imported.stderr
    for number, why in [
        (3, "the key holds a lone surrogate"),
        (4, "note_updated must be a time in seconds"),
        (5, "nested too deeply"),
        (6, "not UTF-8 text"),
        (7, "note_updated must be a time in seconds"),
    ]:
        assert f"{saved}:{number}: skipped: {why}" in imported.stderr
    assert f"{saved}:2: lone surrogates in the note read as \ufffd" in imported.stderr
    assert "imported 4 papers, 4 papers changed, 5 bad lines skipped" in imported.stderr
    state = exported(home)
    assert set(state) == {O1, GPT4O, "lone", "split"}
    assert state[O1]["starred"] is True and state[GPT4O]["tags"] == ["kept"]
    assert state["lone"]["note"] == "a \ufffd b"
    assert state["split"]["note"] == "a\u2028b\x85c"


def test_an_export_splits_into_its_records_for_every_reader(
    home: Path, dumps: Path, tmp_path: Path
) -> None:
    breaks = "".join(c for c in map(chr, range(0x3000)) if len(f"a{c}b".splitlines()) > 1)
    assert breaks == "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
    record = {"key": O1, "read": True, "tags": ["t"], "note": f"x{breaks}y", "note_updated": 5.5}
    saved = tmp_path / "state.jsonl"
    saved.write_text(json.dumps(record) + "\n")
    assert run("state", "import", saved, env_home=home).returncode == 0
    done = run("state", "export", env_home=home)
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 1  # str.splitlines: the widest reader
    assert done.stdout.count("\n") == 1
    (line,) = done.stdout.splitlines()
    assert json.loads(line) == {**record, "starred": False}
    # Moved to another machine, it is the same state.
    there = tmp_path / "there.jsonl"
    there.write_text(done.stdout)
    other = tmp_path / "other"
    assert run("index", dumps, env_home=other).returncode == 0
    assert run("state", "import", there, env_home=other).returncode == 0
    assert run("state", "export", env_home=other).stdout == done.stdout


@pytest.fixture
def small_disk(home: Path) -> Iterator[Path]:
    """The user data folder (where the reading state is) on a disk of 1 MB."""
    folder = home / "xdg_data_home"
    folder.mkdir(exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("a small disk cannot be mounted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_an_import_on_a_full_disk_says_so_and_changes_nothing(
    home: Path, small_disk: Path, tmp_path: Path
) -> None:
    assert run("star", O1, env_home=home).returncode == 0
    assert run("note", GPT4O, "--set", "before", env_home=home).returncode == 0
    before = exported(home)
    big = tmp_path / "big.jsonl"
    with big.open("w") as lines:
        for n in range(400):  # some 3 MB of notes
            lines.write(json.dumps({"key": f"k{n}", "note": f"{n} " * 3000}) + "\n")
    imported = run("state", "import", big, env_home=home)
    assert imported.returncode == 1
    assert "disk is full" in imported.stderr, imported.stderr
    assert len(imported.stderr.strip().splitlines()) == 1
    assert "Traceback" not in imported.stderr and "rollback" not in imported.stderr
    assert exported(home) == before
    # Nothing is left half-written: the state is still written as usual.
    assert run("unstar", O1, env_home=home).returncode == 0
    assert O1 not in exported(home) and exported(home)[GPT4O]["note"] == "before"


def test_json_is_utf8_whatever_the_output_encoding(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A locale without Greek or Japanese would have written "?" in their place."""
    note = "Ωmega — 日本"
    assert run("note", O1, "--set", note, env_home=home).returncode == 0
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    exported = run("state", "export", env_home=home)
    assert exported.returncode == 0
    assert [r["note"] for r in json_lines(exported.stdout) if r.get("note")] == [note]
    assert papers(home, "--json")[O1]["note"] == note
