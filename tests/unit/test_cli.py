"""The scripting commands, run as a user runs them: a separate process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, SEED_LABELS, json_lines, run


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_index_then_list_json_gives_the_37_papers(dumps: Path, home: Path) -> None:
    indexed = run("index", dumps, env_home=home)
    assert indexed.returncode == 0, indexed.stderr
    assert "37 papers" in indexed.stdout
    listed = run("list", "--json", env_home=home)
    assert listed.returncode == 0
    papers = json_lines(listed.stdout)
    assert len(papers) == 37
    assert set(papers[0]) >= {
        "key",
        "title",
        "arxiv_id",
        "year",
        "abstract",
        "venue",
        "authors",
        "sources",
    }
    o1 = next(p for p in papers if p["arxiv_id"] == "2412.16720")
    assert o1["title"] == "OpenAI o1 System Card" and len(o1["sources"]) == 5
    assert o1["sources"][0] == "000_e4898e36c2f54974.txt"
    gpt4o = next(p for p in papers if p["title"] == "GPT-4o System Card")
    assert len(gpt4o["sources"]) == 3 and gpt4o["arxiv_id"] == "2410.21276"
    assert sum(p["title"] is None for p in papers) == 27


def test_search_json_best_first_with_scores(dumps: Path, home: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    assert run("index", dumps, "--index-dir", index_dir, env_home=home).returncode == 0
    found = run(
        "search", "chain", "of", "thought", "--json", "--index-dir", index_dir, env_home=home
    )
    hits = json_lines(found.stdout)
    assert [h["arxiv_id"] for h in hits][:1] == ["2412.16720"]
    assert hits[0]["score"] >= hits[1]["score"] > 0
    only = run(
        "search",
        "model",
        "--author",
        "Saachi Jain",
        "--limit",
        "3",
        "--json",
        "--index-dir",
        index_dir,
        env_home=home,
    )
    rows = json_lines(only.stdout)
    assert len(rows) == 3 and all("Jain, Saachi" in r["authors"] for r in rows)


def test_search_table_shows_text_literally(home: Path, tmp_path: Path) -> None:
    dump = tmp_path / "witten.txt"
    shutil.copy(FIXTURES / "old_ids.txt", dump)
    assert run("index", dump, env_home=home).returncode == 0
    lines = run("search", "holography", env_home=home)
    assert lines.returncode == 0 and "We discuss anti de Sitter" in lines.stdout
    table = run("search", "holography", env_home=home, terminal=True)
    assert table.returncode == 0 and "┃ Title" in table.stdout and "We discuss" in table.stdout
    listed = run("list", "--json", env_home=home)
    assert "[2]-[4] and [/b] and \\\\emph{x} and $x^2$" in listed.stdout


def test_authors_command(dumps: Path, home: Path) -> None:
    run("index", dumps, env_home=home)
    rows = json_lines(run("authors", "--json", env_home=home).stdout)
    assert {k: rows[1][k] for k in ("author", "source", "papers")} == {
        "author": "Alex",
        "source": "001_000eb8558b6da544.txt",
        "papers": 9,
    }
    assert tuple(r["author"] for r in rows) == SEED_LABELS
    table = run("authors", env_home=home, terminal=True).stdout
    assert "┃ Author" in table and "Saachi" in table
    lines = [line.split("\t") for line in run("authors", env_home=home).stdout.splitlines()]
    assert [line[:3] for line in lines][4] == ["Jain, Saachi", "004_668e95e94da32894.txt", "10"]


def test_without_an_index_the_bundled_samples_are_used(home: Path) -> None:
    listed = run("list", "--json", env_home=home)
    assert listed.returncode == 0 and len(json_lines(listed.stdout)) == 37


def test_bad_files_give_messages_not_tracebacks(dumps: Path, home: Path) -> None:
    for name in ("binary.txt", "papers.csv", "cut_listing.txt", "empty.txt"):
        shutil.copy(FIXTURES / name, dumps / name)
    result = run("index", dumps, dumps / "papers.csv", env_home=home)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"error: {dumps / 'binary.txt'}: binary file" in result.stderr
    assert f"error: {dumps / 'papers.csv'}: not a dump" in result.stderr
    assert (
        f"warning: {dumps / 'cut_listing.txt'}:9: the last record has no arXiv id" in result.stderr
    )
    # The cut listing repeats the seed listing: only its shortened last abstract is new.
    assert "38 papers (7 read, 0 unchanged, index built anew)" in result.stdout


def test_usage_errors_exit_2(home: Path) -> None:
    for args in (["search"], ["search", "x", "--limit", "0"], ["index"], ["list", "--bogus"]):
        result = run(*args, env_home=home)
        assert (
            result.returncode == 2
            and "usage:" in result.stderr
            and "Traceback" not in result.stderr
        )


def test_index_dir_without_a_library(home: Path, tmp_path: Path) -> None:
    result = run("list", "--index-dir", tmp_path / "empty", env_home=home)
    assert result.returncode == 1 and "no library is indexed" in result.stderr


def test_reader_refuses_paths_that_do_not_exist(home: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "nope.txt", env_home=home)
    assert result.returncode == 1
    assert result.stderr == f"abstracts: no such file or folder: {tmp_path / 'nope.txt'}\n"


def test_search_suggests_a_correction(dumps: Path, home: Path) -> None:
    run("index", dumps, env_home=home)
    table = run("search", "transfromer", env_home=home)
    assert table.returncode == 0 and "Did you mean: transformer" in table.stderr
    # Every line of --json is a paper: the suggestion is for the person, on stderr.
    found = run("search", "transfromer", "--json", env_home=home)
    assert found.stdout == "" and "Did you mean: transformer" in found.stderr
    few = json_lines(run("search", "heterophily", "--json", env_home=home).stdout)
    assert len(few) == 2 and all(line["suggestion"] is None for line in few)


def test_related_command(dumps: Path, home: Path) -> None:
    run("index", dumps, env_home=home)
    first, second = (
        p["key"] for p in json_lines(run("search", "heterophily", "--json", env_home=home).stdout)
    )
    related = json_lines(run("related", first, "--json", "--limit", "3", env_home=home).stdout)
    assert [r["key"] for r in related][0] == second and len(related) == 3
    missing = run("related", "nope", env_home=home)
    assert missing.returncode == 1 and "no paper has the key" in missing.stderr


def test_search_formats(dumps: Path, home: Path) -> None:
    run("index", dumps, env_home=home)
    bib = run("search", "id:2412.16720", "--format", "bibtex", env_home=home).stdout
    assert bib.startswith("@misc{") and "eprint = {2412.16720}" in bib
    markdown = run("search", "id:2412.16720", "--format", "markdown", env_home=home).stdout
    assert markdown.startswith("# id:2412.16720\n") and "## OpenAI o1 System Card" in markdown
    lines = json_lines(run("search", "id:2412.16720", "--format", "json", env_home=home).stdout)
    assert [line["key"] for line in lines] == ["2412.16720"]
    assert run("search", "x", "--format", "pdf", env_home=home).returncode == 2


def test_authors_list_shared_papers(dumps: Path, home: Path) -> None:
    run("index", dumps, env_home=home)
    rows = {r["author"]: r for r in json_lines(run("authors", "--json", env_home=home).stdout)}
    assert rows["Tony"]["shared"] == 2 and rows["Tony"]["shares_with"]["Jain, Saachi"] == 2


def test_search_says_why_each_paper_matched(dumps: Path, home: Path) -> None:
    run("index", dumps, env_home=home)
    rows = json_lines(run("search", "system card", "--json", env_home=home).stdout)
    assert [(r["title"], r["matched"]) for r in rows] == [
        ("GPT-4o System Card", ["title", "abstract"]),
        ("OpenAI o1 System Card", ["title"]),
    ]
    assert "title, abstract" in run("search", "system card", env_home=home, terminal=True).stdout


def test_piped_list_and_search_print_one_line_per_paper(dumps: Path, home: Path) -> None:
    (dumps / "tabs.jsonl").write_text(
        json.dumps(
            {
                "id": "2401.00001",
                "title": "A title\twith a tab\nand a newline",
                "abstract": "An abstract.",
                "authors": ["Ann\tLee", "Bob Ross"],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    run("index", dumps, env_home=home)
    listed = run("list", env_home=home)
    papers = json_lines(run("list", "--json", env_home=home).stdout)
    lines = listed.stdout.splitlines()
    assert listed.returncode == 0 and len(lines) == len(papers) == 38
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 5 for row in rows)
    assert [row[4] for row in rows] == [paper["key"] for paper in papers]
    assert ["2412.16720", "2024", "OpenAI o1 System Card"] in [row[:3] for row in rows]
    assert ["2401.00001", "2024", "A title with a tab and a newline", "Ann Lee; Bob Ross"] in [
        row[:4] for row in rows
    ]
    found = run("search", "system card", env_home=home)
    assert [line.split("\t")[2] for line in found.stdout.splitlines()] == [
        "GPT-4o System Card",
        "OpenAI o1 System Card",
    ]
    assert "2 of 2 matching papers" in found.stderr


def test_search_help_names_the_default_limit(home: Path) -> None:
    assert "at most N (default: 20)" in run("search", "--help", env_home=home).stdout
    assert "at most N (default: 10)" in run("related", "--help", env_home=home).stdout
