"""Did you mean, related papers, why it matched, co-authors and export, on the seeds."""

from __future__ import annotations

import json
import re

import pytest

from index import Library, matched_fields
from index.export import export, markdown_escape
from index.spelling import edit_distance


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("transfromer", "transformer"),
        ("Transfromer", "Transformer"),
        ("heterofily", "heterophily"),
        ("speach OR toxicty", "speech OR toxicity"),
        ("anotators", "annotators"),
        ('"chain of thougt"', '"chain of thought"'),
        ("title:sistem", "title:system"),
        ("author:alx", "author:alex"),
        ('author:"saachi jian"', 'author:"saachi jain"'),
        ("year:[2020 TO 2024] speach", "year:[2020 TO 2024] speech"),
    ],
)
def test_did_you_mean_uses_the_library_vocabulary(
    library: Library, typed: str, suggestion: str
) -> None:
    assert library.suggest(typed) == suggestion
    assert library.search(suggestion).total > 0


@pytest.mark.parametrize(
    "typed", ["transformer", "alex", "chain of thought", "year:2024", "zzzzqqq"]
)
def test_nothing_to_suggest(library: Library, typed: str) -> None:
    assert library.suggest(typed) is None


def test_a_word_being_typed_is_not_a_mistake(library: Library) -> None:
    assert library.suggest("heteroph", as_you_type=True) is None
    assert library.suggest("heterophilly") == "heterophily"  # submitted: a typo
    assert library.suggest("heterofily", as_you_type=True) == "heterophily"


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert [
        edit_distance(a, b)
        for a, b in [("modle", "model"), ("abc", "abc"), ("", "ab"), ("kitten", "sitting")]
    ] == [1, 0, 2, 3]


def test_the_two_heterophily_papers_are_each_others_first_relation(library: Library) -> None:
    first, second = (hit.paper.key for hit in library.search("heterophily").hits)
    assert library.related(first)[0].paper.key == second
    assert library.related(second)[0].paper.key == first
    assert first not in [hit.paper.key for hit in library.related(first)]
    assert library.related("no-such-key") == []


def test_why_it_matched(library: Library) -> None:
    [card] = [h for h in library.search("system card").hits if h.paper.key == "2410.21276"]
    assert matched_fields(card) == ["title", "abstract"]
    assert matched_fields(card, quick=True) == ["title", "abstract"]
    [alex] = library.search("author:alex lingvo").hits
    assert matched_fields(alex) == ["abstract", "author"]
    [by_id] = library.search("2412.16720").hits
    assert matched_fields(by_id) == ["id"]
    [neurips] = library.search("neurips").hits
    assert matched_fields(neurips) == ["venue"]


def test_coauthors(library: Library) -> None:
    rows = {
        info.author: (info.papers, shared, others) for info, shared, others in library.coauthors()
    }
    assert rows["Tony"] == (
        10,
        2,
        {"002_58a4e2d616259f18": 2, "Jain, Saachi": 2, "000_e4898e36c2f54974": 1, "Alex": 1},
    )
    assert rows["Alex"][1] == 1


def parse_bibtex(text: str) -> list[dict[str, str]]:
    entries = []
    for key, body in re.findall(r"@misc\{([^,]+),\n(.*?)\n\}\n", text, re.S):
        fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", body, re.M))
        entries.append({"key": key, **fields})
    return entries


def test_export_parses_back(library: Library) -> None:
    papers = [hit.paper for hit in library.search('"system card" OR heterophily', limit=None).hits]
    assert len(papers) == 4
    lines = [json.loads(line) for line in export(papers, "json").splitlines()]
    assert [line["key"] for line in lines] == [p.key for p in papers]
    assert lines[0] == papers[0].to_json()

    entries = parse_bibtex(export(papers, "bibtex"))
    assert len({e["key"] for e in entries}) == 4  # unique keys, even for twin titles
    by_title = {e["title"]: e for e in entries}
    o1 = by_title["OpenAI o1 System Card"]
    assert o1["eprint"] == "2412.16720" and o1["year"] == "2024"
    assert o1["abstract"] == " ".join(library.get("2412.16720").abstract.split())
    assert o1["author"].endswith("and Tony and Jain, Saachi")

    markdown = export(papers, "markdown", title='"system card" OR heterophily')
    sections = markdown.split("\n## ")[1:]
    assert len(sections) == 4
    unescape = lambda text: re.sub(r"\\(.)", r"\1", text)  # noqa: E731
    for section, paper in zip(sections, papers, strict=True):
        quoted = "\n".join(line[2:] for line in section.splitlines() if line.startswith("> "))
        assert unescape(quoted) == paper.abstract
    assert "[arXiv:2412.16720](https://arxiv.org/abs/2412.16720)" in markdown


def test_markdown_keeps_markup_like_text_literal() -> None:
    assert (
        markdown_escape("[2]-[4] *x* $x^2$ \\emph{x}")
        == "\\[2\\]-\\[4\\] \\*x\\* $x^2$ \\\\emph\\{x\\}"
    )
