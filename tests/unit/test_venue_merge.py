"""A venue or comment that several dumps give for one paper is said once."""

from __future__ import annotations

from index.export import export
from index.merge import merge
from index.model import Record

ABSTRACT = "We study how the same paper appears in two dumps with the same venue line."


def _record(source: str, venue: str | None) -> Record:
    return Record(
        source=source, line=1, label=source, abstract=ABSTRACT, arxiv_id="2401.00001", venue=venue
    )


def test_the_same_venue_from_two_dumps_is_said_once() -> None:
    (paper,) = merge(
        [
            _record("a.txt", "23 pages, 5 figures; J. Journal 23(10): 1-9 (2006)"),
            _record("b.txt", "J.  journal 23(10): 1-9 (2006)"),
            _record("c.txt", "23 Pages, 5 figures"),
            _record("d.txt", None),
        ]
    )
    assert paper.venue == "23 pages, 5 figures; J. Journal 23(10): 1-9 (2006)"
    bibtex = export([paper], "bibtex")
    assert bibtex.count("J. Journal 23(10)") == 1


def test_different_venues_are_all_kept_in_order() -> None:
    (paper,) = merge([_record("a.txt", "NeurIPS 2023"), _record("b.txt", "ICML 2024 workshop")])
    assert paper.venue == "NeurIPS 2023; ICML 2024 workshop"
