"""Each seed dump parses exactly; each kind of bad input gives a clear problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, SEED

from index.formats import read_dump
from index.text import DumpError, match_arxiv_id, year_of


def words(text: str, count: int) -> tuple[str, str]:
    parts = text.split()
    return " ".join(parts[:count]), " ".join(parts[-count:])


def test_abstract_lines_without_name_takes_the_file_stem() -> None:
    dump = read_dump(SEED["plain"])
    assert dump.format == "abstract-lines"
    assert dump.label == "000_e4898e36c2f54974"
    assert len(dump.records) == 7
    assert [r.line for r in dump.records] == [1, 2, 3, 4, 5, 6, 7]
    assert words(dump.records[0].abstract, 3) == (
        "The o1 model",
        "Preparedness Framework evaluations.",
    )
    assert words(dump.records[-1].abstract, 3) == ("Very deep CNNs", "for production use.")
    assert all(r.title is None and r.arxiv_id is None for r in dump.records)
    assert dump.problems == ()


def test_abstract_lines_with_a_name() -> None:
    alex = read_dump(SEED["alex"])
    assert (alex.label, len(alex.records)) == ("Alex", 9)
    assert {r.label for r in alex.records} == {"Alex"}
    assert words(alex.records[1].abstract, 3)[0] == "This report introduces"
    assert words(alex.records[-1].abstract, 3) == ("Lingvo is a", "of the framework.")
    tony = read_dump(SEED["tony"])
    assert (tony.label, len(tony.records)) == ("Tony", 10)
    assert words(tony.records[-1].abstract, 3) == ("We show that", "and human evaluations.")


def test_arxiv_listing_gives_each_id_to_the_record_before_it() -> None:
    dump = read_dump(SEED["listing"])
    assert dump.format == "arxiv-listing"
    assert dump.label == "002_58a4e2d616259f18"
    ids = [r.arxiv_id for r in dump.records]
    assert ids == [
        "2412.16720",
        "2411.01111",
        "2410.21276",
        "2311.00203",
        "2205.00501",
        "2112.04554",
        "1706.05413",
    ]
    o1, rbr = dump.records[0], dump.records[1]
    assert o1.abstract.startswith("The o1 model series")
    assert rbr.abstract.startswith("Reinforcement learning based fine-tuning")
    assert "Rule Based Rewards" in rbr.abstract
    assert rbr.venue == "Accepted at Neurips 2024"
    assert dump.records[-1].venue == "NSF Workshop report"
    assert dump.records[4].venue.startswith("Proceedings of ACM in Human Computer Interaction")
    assert not any("arXiv:" in r.abstract for r in dump.records)
    assert dump.problems == ()


def test_collaborating_authors_page() -> None:
    dump = read_dump(SEED["jain"])
    assert dump.format == "collaborating-authors"
    assert dump.label == "Jain, Saachi"  # as written, without the no-break space
    assert len(dump.records) == 10
    first, last = dump.records[0], dump.records[-1]
    assert first.title == "Deliberative Alignment: Reasoning Enables Safer Language Models"
    assert first.venue == "arXiv.org Artificial Intelligence"
    assert "[2]-[4]" in first.abstract
    assert last.title.startswith("CASC: Context-Aware Segmentation")
    assert words(last.abstract, 3) == ("Complex systems, such", "time series data.")
    assert dump.records[3].venue == "arXiv.org Machine Learning"
    assert "[Fel19; CLK+19; KL17; GZ19; IPE+22]" in dump.records[5].abstract


def test_bom_and_crlf_parse_fully_without_traces() -> None:
    dump = read_dump(FIXTURES / "bom_crlf.txt")
    plain = read_dump(SEED["tony"])
    assert dump.label == "Tony"
    assert [r.abstract for r in dump.records] == [r.abstract for r in plain.records]
    assert not any("\r" in r.abstract or "\ufeff" in r.abstract for r in dump.records)
    assert dump.problems == ()


def test_latin1_is_decoded_correctly_and_noted() -> None:
    dump = read_dump(FIXTURES / "latin1.txt")
    assert dump.label == "Renée Müller"
    assert (
        "naïve Bayes classifiers for résumé screening in Zürich and São Paulo"
        in dump.records[0].abstract
    )
    assert [p.error for p in dump.problems] == [False]
    assert "Latin-1" in dump.problems[0].message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary.txt", "binary file"),
        ("papers.csv", "not a dump this program knows"),
        ("shift_jis.txt", "neither UTF-8 nor Latin-1"),
    ],
)
def test_files_that_are_no_dumps_are_refused_with_a_reason(name: str, message: str) -> None:
    with pytest.raises(DumpError, match=message):
        read_dump(FIXTURES / name)


def test_empty_file_and_name_only_hold_no_papers() -> None:
    empty = read_dump(FIXTURES / "empty.txt")
    assert empty.records == () and "empty file" in empty.problems[0].message
    name = read_dump(FIXTURES / "only_name.txt")
    assert name.label == "Grace Hopper" and name.records == ()
    assert "only a name" in name.problems[0].message


def test_cut_off_listing_keeps_the_cut_record_without_an_id() -> None:
    dump = read_dump(FIXTURES / "cut_listing.txt")
    assert len(dump.records) == 7
    cut = dump.records[-1]
    assert cut.abstract.startswith("The NSF Workshop") and cut.arxiv_id is None
    assert dump.records[-2].arxiv_id == "2112.04554"
    [problem] = dump.problems
    assert not problem.error and problem.line == 9 and "cut off" in problem.message
    assert str(problem).startswith(str(FIXTURES / "cut_listing.txt") + ":9: ")


def test_an_id_cut_in_half_is_given_to_nobody() -> None:
    dump = read_dump(FIXTURES / "cut_id_listing.txt")
    assert dump.records[-1].arxiv_id is None
    assert dump.records[-1].venue == "NSF Workshop report"
    assert "arXiv:1706.05" in dump.problems[0].message and dump.problems[0].line == 11


def test_old_style_and_four_digit_ids_and_glued_abstracts() -> None:
    dump = read_dump(FIXTURES / "old_ids.txt")
    assert dump.label == "Edward Witten"
    assert [r.arxiv_id for r in dump.records] == ["hep-th/9802150", "0704.0033", "math.AG/0601001"]
    assert dump.records[0].venue == "Comments: 40 pages"
    assert "[2]-[4] and [/b] and \\emph{x} and $x^2$" in dump.records[0].abstract
    assert dump.records[2].abstract.startswith("1D materials")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2412.16720Reinforcement", ("2412.16720", 10)),
        ("2412.16720v3 rest", ("2412.16720", 12)),
        ("0704.00331D", ("0704.0033", 9)),
        ("hep-th/9809096", ("hep-th/9809096", 14)),
        ("math.AG/0601001v1", ("math.AG/0601001", 17)),
        ("1706.05", None),
        ("2413.12345", None),
        ("hello", None),
    ],
)
def test_match_arxiv_id(text: str, expected: tuple[str, int] | None) -> None:
    assert match_arxiv_id(text) == expected


def test_year_of_ids() -> None:
    assert [year_of(i) for i in ("2412.16720", "0704.0033", "hep-th/9809096", None)] == [
        2024,
        2007,
        1998,
        None,
    ]


def test_unreadable_path_is_a_dump_error(tmp_path: Path) -> None:
    with pytest.raises(DumpError, match="cannot read"):
        read_dump(tmp_path / "missing.txt")
