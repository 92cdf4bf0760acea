"""An author's picture: papers per year and the authors most often alongside,
counted from the index as the papers themselves count them."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from helpers import FIXTURES, SEED_LABELS
from whoosh.reading import SegmentReader

from index import AuthorProfile, Config, Library
from index.text import author_key


def by_hand(library: Library, author: str) -> tuple[Counter[int | None], dict[str, int]]:
    """Years and shared papers counted from the author's papers, one by one."""
    papers = library.papers(author)
    years = Counter(paper.year for paper in papers)
    shared: Counter[str] = Counter()
    for paper in papers:
        shared.update({author_key(name) for name in paper.authors} - {author_key(author)})
    return years, dict(shared)


def check_against_papers(library: Library, author: str) -> AuthorProfile:
    profile = library.author_profile(author, top=1000)
    assert profile.author == author
    years, shared = by_hand(library, author)
    assert profile.papers == len(library.papers(author)) == years.total()
    assert profile.undated == years[None]
    assert {year: n for year, n in profile.years.items() if n} == {
        year: n for year, n in years.items() if year is not None
    }
    if profile.years:  # every year of the span, those without a paper too
        assert list(profile.years) == list(range(min(profile.years), max(profile.years) + 1))
    assert {author_key(name): n for name, n in profile.coauthors} == shared
    counts = [n for _, n in profile.coauthors]
    assert counts == sorted(counts, reverse=True)
    return profile


@pytest.mark.parametrize("author", SEED_LABELS)
def test_years_and_coauthors_are_what_the_papers_say(library: Library, author: str) -> None:
    check_against_papers(library, author)


def test_a_listing_with_years_and_gaps(library: Library) -> None:
    profile = library.author_profile("002_58a4e2d616259f18")
    assert profile.years == {2017: 1, 2018: 0, 2019: 0, 2020: 0, 2021: 1, 2022: 1, 2023: 1, 2024: 3}
    assert profile.undated == 0 and profile.papers == 7
    assert profile.span == (2017, 2024) and profile.peak == (2024, 3)
    # The o1 System Card is in every dump, and two more papers are Tony's and Jain's.
    assert profile.coauthors == (
        ("Jain, Saachi", 2),
        ("Tony", 2),
        ("000_e4898e36c2f54974", 1),
        ("Alex", 1),
    )


def test_papers_without_a_year_are_counted_apart(library: Library) -> None:
    profile = library.author_profile("Alex")
    assert profile.papers == 9
    assert profile.years == {2024: 1}
    assert profile.undated == 8
    assert profile.span == (2024, 2024) and profile.peak == (2024, 1)


def test_any_form_of_the_name_finds_the_author(library: Library) -> None:
    assert library.author_profile("Saachi Jain").years == {2024: 2}
    assert library.author_profile("saachi jain").papers == 10
    assert library.author_profile("Jain, Saachi").papers == 10


@pytest.mark.parametrize("name", ["Nobody Here", "", "   ", ",", "[b]x"])
def test_an_unknown_author_has_an_empty_profile(library: Library, name: str) -> None:
    profile = library.author_profile(name)
    assert profile == AuthorProfile(name)
    assert profile.span is None and profile.peak is None


@pytest.fixture
def mixed(dumps: Path, tmp_path: Path) -> Library:
    """The seed dumps, the arXiv snapshot (the o1 System Card again, with its own
    authors, "Saachi Jain" among them), a collection naming authors in two forms,
    and another holding one of its papers again."""
    shutil.copy(FIXTURES / "arxiv_snapshot.jsonl", dumps)
    papers = [
        {"id": "2101.00001", "title": "One", "abstract": "First of two papers.",
         "authors": ["Saachi Jain", "Lovelace, Ada", "Tony"]},
        {"id": "2301.00002", "title": "Two", "abstract": "Second of two papers.",
         "authors": ["Saachi  Jain", "Ada Lovelace", "Grace Hopper"]},
        {"id": "2301.00003", "title": "Three", "abstract": "Without Saachi.",
         "authors": ["Ada Lovelace", "Grace Hopper"]},
    ]  # fmt: skip
    lines = (json.dumps(paper) for paper in papers)
    (dumps / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (dumps / "again.jsonl").write_text(json.dumps(papers[0]) + "\n", encoding="utf-8")
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    yield library
    library.close()


def test_labels_and_own_authors_are_one_author_each(mixed: Library) -> None:
    profile = check_against_papers(mixed, "Jain, Saachi")
    assert profile.papers == 12
    assert profile.years == {2021: 1, 2022: 0, 2023: 1, 2024: 2}
    assert profile.undated == 8
    coauthors = dict(profile.coauthors)
    # Tony: two papers of the dumps, one more as an author of "One": never twice.
    assert coauthors["Tony"] == 3
    # "Lovelace, Ada" and "Ada Lovelace" are one author, shown first name first.
    assert coauthors["Ada Lovelace"] == 2 and "Lovelace, Ada" not in coauthors
    assert coauthors["Grace Hopper"] == 1 and coauthors["Aaron Jaech"] == 1
    assert "Saachi Jain" not in coauthors and "Jain, Saachi" not in coauthors


@pytest.mark.parametrize("author", ["Ada Lovelace", "Grace Hopper", "Aaron Jaech", "Tony"])
def test_collection_authors_are_counted_as_their_papers_say(mixed: Library, author: str) -> None:
    check_against_papers(mixed, author)


def test_the_top_coauthors_are_the_first_few(mixed: Library) -> None:
    everyone = mixed.author_profile("Jain, Saachi", top=100).coauthors
    assert mixed.author_profile("Jain, Saachi", top=3).coauthors == everyone[:3]
    assert len(mixed.author_profile("Jain, Saachi").coauthors) == 8


def test_only_the_authors_collection_papers_are_read(
    mixed: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Years and shared papers come from the index's columns and postings: a dump's
    author reads no stored paper, a collection's author only their own there."""
    reads: list[int] = []
    stored_fields = SegmentReader.stored_fields

    def counted(self: SegmentReader, docnum: int) -> dict:
        reads.append(docnum)
        return stored_fields(self, docnum)

    monkeypatch.setattr(SegmentReader, "stored_fields", counted)
    mixed.close()  # opened again with the counting reader
    assert mixed.author_profile("Grace Hopper").papers == 2
    assert len(reads) == 2
    reads.clear()
    assert mixed.author_profile("Alex").papers == 9
    assert len(reads) == 1  # of Alex's papers, only the o1 System Card is in a collection
    reads.clear()
    assert mixed.author_profile("Ada Lovelace").papers == 3
    assert len(reads) == 3
    reads.clear()
    # Jain: the System Card, "Two", and "One" once although two collections hold it.
    assert mixed.author_profile("Jain, Saachi").papers == 12
    assert len(reads) == 3


def test_a_removed_dump_leaves_the_picture(dumps: Path, tmp_path: Path) -> None:
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    assert dict(library.author_profile("Jain, Saachi").coauthors)["Tony"] == 2
    (dumps / "003_fa869cb8beed8520.txt").unlink()
    library.update()
    assert library.author_profile("Tony") == AuthorProfile("Tony")
    assert "Tony" not in dict(library.author_profile("Jain, Saachi").coauthors)
    check_against_papers(library, "002_58a4e2d616259f18")
    library.close()
