"""A collection's authors are listed with their papers, by the CLI and the library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, json_lines, run

from index import Config, Library


@pytest.fixture
def mixed(dumps: Path) -> Path:
    """The seed dumps and a small arXiv snapshot collection in one folder."""
    shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", dumps)
    return dumps


def test_collection_authors_with_their_papers(mixed: Path, tmp_path: Path) -> None:
    library = Library([mixed], tmp_path / "index", Config())
    library.update()
    authors = dict(library.collection_authors())
    assert authors["Aaron Jaech"] == 1 and authors["Zoë Ünal"] == 1
    # "Saachi Jain" of the collection is the dump labelled "Jain, Saachi": listed there.
    assert "Saachi Jain" not in authors and "Jain, Saachi" not in authors
    # A change to a dump re-indexes the paper they share; nobody counts it twice.
    with (mixed / "001_000eb8558b6da544.txt").open("a") as dump:
        dump.write("% changed\n")
    library.update()
    assert dict(library.collection_authors()) == authors
    library.close()


def test_no_collection_no_collection_authors(library: Library) -> None:
    assert library.collection_authors() == []


def test_the_authors_command_lists_a_collections_authors(mixed, tmp_path, isolated_home) -> None:
    index_dir = tmp_path / "index"
    # 1: the snapshot fixture holds a bad line on purpose; the rest is indexed.
    assert run("index", mixed, "--index-dir", index_dir, env_home=isolated_home).returncode == 1
    listed = run("authors", "--json", "--index-dir", index_dir, env_home=isolated_home)
    assert listed.returncode == 0
    rows = {row["author"]: row["papers"] for row in json_lines(listed.stdout)}
    assert rows["Jain, Saachi"] == 10 and rows["Aaron Jaech"] == 1
    piped = run("authors", "--index-dir", index_dir, env_home=isolated_home)
    assert "Juan M. Maldacena\t\t1\t" in piped.stdout.splitlines()
    table = run("authors", "--index-dir", index_dir, env_home=isolated_home, terminal=True)
    assert "Juan M. Maldacena" in table.stdout and "(collection)" in table.stdout
