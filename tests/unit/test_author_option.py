"""`search --author` matches as `author:` does, and says when it matches no one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import SAMPLES, json_lines, run


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed dumps and one more, indexed once for the module's searches (which
    only read the index)."""
    tmp_path = tmp_path_factory.mktemp("author-option")
    folder = tmp_path / "dumps"
    shutil.copytree(SAMPLES, folder)
    (folder / "muller.txt").write_text(
        "Jürgen Müller\nAbstract:We measure how accents in author names survive a search "
        "for papers on language models and their evaluation.\n",
        encoding="utf-8",
    )
    index_dir = tmp_path / "index"
    home = tmp_path / "home"
    assert run("index", folder, "--index-dir", index_dir, env_home=home).returncode == 0
    return index_dir


def _keys(index_dir: Path, home: Path, *args: str) -> list[str]:
    found = run(
        "search", *args, "--json", "--limit", "100", "--index-dir", index_dir, env_home=home
    )
    assert found.returncode == 0, found.stderr
    return [paper["key"] for paper in json_lines(found.stdout)]


@pytest.mark.parametrize("name", ["Jain", "jain", "Saachi Jain", "Jain, Saachi", "SAACHI"])
def test_author_option_finds_what_author_field_finds(indexed, isolated_home, name):
    by_option = _keys(indexed, isolated_home, "language", "--author", name)
    by_field = _keys(indexed, isolated_home, "language author:jain")
    assert by_option and sorted(by_option) == sorted(by_field)


def test_accents_and_case_are_ignored(indexed, isolated_home):
    for name in ("muller", "MÜLLER", "Jurgen Muller"):
        assert len(_keys(indexed, isolated_home, "language", "--author", name)) == 1
    assert len(_keys(indexed, isolated_home, "author:muller")) == 1


def test_an_author_nobody_is_says_so(indexed, isolated_home):
    found = run(
        "search",
        "language",
        "--author",
        "Nobody Here",
        "--index-dir",
        indexed,
        env_home=isolated_home,
    )
    assert found.returncode == 1
    assert "no author matches 'Nobody Here'" in found.stderr
    near = run(
        "search", "language", "--author", "Jian", "--index-dir", indexed, env_home=isolated_home
    )
    assert near.returncode == 1
    assert "closest: jain" in near.stderr.lower()
