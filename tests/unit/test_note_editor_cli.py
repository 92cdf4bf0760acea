"""`abstracts note ID` when the edit cannot be taken as it is: the disk is full, the
editor deleted the file, or wrote bytes that are not UTF-8. Whatever the user wrote
is kept in a file the one-line message names; nothing is a traceback."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from helpers import run

O1 = "2412.16720"


@pytest.fixture
def home(dumps: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's folders, with the sample dumps indexed; temporary files go to a
    folder of the test's own."""
    home = tmp_path / "home"
    assert run("index", dumps, env_home=home).returncode == 0
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    return home


def editor(tmp_path: Path, body: str) -> str:
    """An editor that runs `body` with `path`, the file it was handed."""
    script = tmp_path / "editor.py"
    script.write_text(f"import sys, os, pathlib\npath = pathlib.Path(sys.argv[1])\n{body}\n")
    return f"{sys.executable} {script}"


def note_of(home: Path) -> str:
    shown = run("note", O1, "--show", env_home=home)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.removesuffix("\n")


def kept_file(said: str, tmp_path: Path) -> Path:
    """The file a message names, in the test's temporary folder."""
    found = re.search(re.escape(str(tmp_path / "tmp")) + r"/\S+\.md", said)
    assert found, said
    return Path(found.group(0))


def assert_one_line(said: str) -> None:
    assert said.count("\n") == 1 and "Traceback" not in said and "internal error" not in said


def test_a_note_the_full_disk_cannot_take_is_kept_in_the_file_named(
    home: Path, tmp_path: Path, small_disk, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = small_disk(home / "xdg_data_home")  # where the reading state is kept
    assert run("note", O1, "--set", "before", env_home=home).returncode == 0
    written = "Written as the disk filled.\n" + "x" * 200_000
    # While the note is being written, something else fills the disk.
    filling = f"from helpers import fill\nfill(pathlib.Path({str(data)!r}))"
    body = f"sys.path.insert(0, {str(Path(__file__).parents[1])!r})\n{filling}\n"
    monkeypatch.setenv("VISUAL", editor(tmp_path, body + f"path.write_text({written!r})"))
    edited = run("note", O1, env_home=home)
    assert edited.returncode == 1
    assert_one_line(edited.stderr)
    assert "disk is full" in edited.stderr and "database or disk" not in edited.stderr
    kept = kept_file(edited.stderr, tmp_path)
    assert kept.read_text(encoding="utf-8") == written
    # Opened on the full disk, SQLite says "disk I/O error": the cause is named.
    again = run("note", O1, "--set", "again", env_home=home)
    assert again.returncode == 1 and again.stderr.endswith(": disk is full\n")
    assert_one_line(again.stderr)
    (data / "filler").unlink()
    assert note_of(home) == "before"


def test_an_editor_that_deletes_the_file_is_said_in_a_line(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", O1, "--set", "kept", env_home=home).returncode == 0
    monkeypatch.setenv("VISUAL", editor(tmp_path, "path.unlink()"))
    edited = run("note", O1, env_home=home)
    assert edited.returncode == 1
    assert_one_line(edited.stderr)
    assert "deleted" in edited.stderr and "note left as it was" in edited.stderr
    assert note_of(home) == "kept"


def test_an_editor_that_writes_other_than_utf8_is_said_and_its_file_kept(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", O1, "--set", "kept", env_home=home).returncode == 0
    written = "café, in Latin-1\n".encode("latin-1")
    monkeypatch.setenv("VISUAL", editor(tmp_path, f"path.write_bytes({written!r})"))
    edited = run("note", O1, env_home=home)
    assert edited.returncode == 1
    assert_one_line(edited.stderr)
    assert "not UTF-8" in edited.stderr and "note left as it was" in edited.stderr
    assert kept_file(edited.stderr, tmp_path).read_bytes() == written
    assert note_of(home) == "kept"  # never "caf\ufffd"


def test_the_editors_file_is_removed_once_the_note_is_saved(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", editor(tmp_path, "path.write_text('Saved.')"))
    edited = run("note", O1, env_home=home)
    assert edited.returncode == 0, edited.stderr
    assert note_of(home) == "Saved."
    assert list((tmp_path / "tmp").iterdir()) == []


def test_an_editor_that_exits_with_an_error_after_writing_keeps_what_was_written(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vi exits 1 after :wq when it showed an error meanwhile: the text is kept."""
    assert run("note", O1, "--set", "before", env_home=home).returncode == 0
    body = "path.write_text('Written, then an error', encoding='utf-8')\nsys.exit(1)"
    monkeypatch.setenv("VISUAL", editor(tmp_path, body))
    done = run("note", O1, env_home=home)
    assert done.returncode == 1
    assert_one_line(done.stderr)
    assert "exited with 1; note left as it was" in done.stderr
    assert kept_file(done.stderr, tmp_path).read_text(encoding="utf-8") == "Written, then an error"
    assert note_of(home) == "before"
