"""JSON Lines collections: many authors' papers, streamed, merged with the dumps by id."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from helpers import FIXTURES, SEED, SEED_LABELS
from hypothesis import given
from hypothesis import strategies as st

from index import Config, Library
from index.formats import read_dump
from index.formats.jsonl import Collection
from index.merge import merge, merge_stream
from index.model import Record

SNAPSHOT = FIXTURES / "arxiv_snapshot.jsonl"


def test_reads_both_shapes_and_reports_bad_lines() -> None:
    collection = read_dump(SNAPSHOT)
    assert isinstance(collection, Collection) and collection.label is None
    records = list(collection.records)
    assert [r.arxiv_id for r in records] == [
        "2412.16720",
        "hep-th/9711200",
        "0704.0001",
        "2501.00001",
    ]
    assert [(p.line, p.message) for p in collection.problems] == [
        (3, "skipped: Expecting value: line 1 column 1 (char 0)"),
        (5, "skipped: no abstract"),
        (6, "skipped: not a JSON object"),
    ]
    o1, maldacena, diphoton, markup = records
    assert o1.title == "OpenAI o1 System Card"  # the snapshot's hard wrapping undone
    assert o1.authors == ("OpenAI", "Aaron Jaech", "Adam Kalai", "Saachi Jain")
    assert o1.venue == "45 pages"
    assert (
        maldacena.venue
        == "Adv.Theor.Math.Phys.2:231-252,1998; 20 pages, harvmac, v2: section on AdS_2 corrected"
    )
    assert (
        maldacena.abstract.startswith("We show that the large $N$ limit")
        and "\n" not in maldacena.abstract
    )
    assert diphoton.authors == ("C. Bal\\'azs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan")
    assert markup.authors == ("Zoë Ünal", "Li Wei") and markup.year == 2025
    assert (
        markup.abstract == "We keep [2]-[4], [/b] and \\emph{x} as written.\nA second line stays."
    )


def test_gzip_is_read_the_same(tmp_path: Path) -> None:
    packed = tmp_path / "snapshot.jsonl.gz"
    packed.write_bytes(gzip.compress(SNAPSHOT.read_bytes()))
    plain = [(r.line, r.arxiv_id, r.abstract) for r in read_dump(SNAPSHOT).records]
    assert [(r.line, r.arxiv_id, r.abstract) for r in read_dump(packed).records] == plain


def test_streaming_merge_gives_the_same_papers_as_merge() -> None:
    records = [r for path in SEED.values() for r in read_dump(path).records]
    records += list(read_dump(SNAPSHOT).records)
    as_json = lambda papers: sorted(json.dumps(p.to_json(), sort_keys=True) for p in papers)  # noqa: E731
    assert as_json(merge_stream(lambda: iter(records))) == as_json(merge(records))


# Few ids and abstracts, so that records share them in every way: the same
# abstract under different ids (kept apart), without an id (joined), chains.
_records = st.lists(
    st.tuples(
        st.sampled_from([None, "2401.00001", "2401.00002", "2401.00003"]),
        st.sampled_from(["Alpha.", "alpha", "Beta.", "Gamma."]),
    ),
    max_size=12,
).map(
    lambda pairs: [
        Record(source="d.txt", line=n, label=None, abstract=text, arxiv_id=ident)
        for n, (ident, text) in enumerate(pairs, start=1)
    ]
)


@given(_records)
def test_streaming_merge_agrees_with_merge_on_any_sharing(records: list[Record]) -> None:
    as_json = lambda papers: sorted(json.dumps(p.to_json(), sort_keys=True) for p in papers)  # noqa: E731
    assert as_json(merge_stream(lambda: iter(records))) == as_json(merge(records))


def test_a_collection_merges_with_the_dumps_by_id(dumps: Path, tmp_path: Path) -> None:
    shutil.copy(SNAPSHOT, dumps / "snapshot.jsonl")
    library = Library([dumps], tmp_path / "index", Config())
    report = library.update()
    assert report.papers == 37 + 3
    assert [(p.line, p.error) for p in report.problems] == [(3, True), (5, True), (6, True)]
    o1 = library.get("2412.16720")
    assert o1.authors == (
        *SEED_LABELS,
        "OpenAI",
        "Aaron Jaech",
        "Adam Kalai",
        "Saachi Jain",
    )
    assert o1.title == "OpenAI o1 System Card" and len(o1.sources) == 6
    assert [h.paper.key for h in library.search("author:maldacena").hits] == ["hep-th/9711200"]
    assert library.get("hep-th/9711200").year == 1997
    assert [h.paper.key for h in library.search("", author="Aaron Jaech").hits] == ["2412.16720"]
    assert library.search('author:"Zoë Ünal"').total == 1
    # Collections have no label: the authors list keeps to the dumps.
    assert [a.author for a in library.authors()][-1] == "Jain, Saachi"
    assert library.collections() == [(str(dumps / "snapshot.jsonl"), 4)]


def test_a_changed_collection_is_indexed_again(dumps: Path, tmp_path: Path) -> None:
    target = dumps / "snapshot.jsonl"
    shutil.copy(SNAPSHOT, target)
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    with target.open("a") as out:
        out.write(
            json.dumps(
                {
                    "id": "2502.00002",
                    "title": "Otters",
                    "abstract": "Otters hold hands.",
                    "authors": ["Sea Otter"],
                }
            )
            + "\n"
        )
    report = library.update()
    assert report.read and report.papers == 37 + 4
    assert library.search("otters").total == 1 and library.search("heterophily").total == 2
    target.unlink()
    report = library.update()
    assert report.papers == 37 and library.get("2412.16720").authors[-1] == "Jain, Saachi"


def test_a_collection_that_is_all_bad_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n[1]\n")
    report = Library([bad], tmp_path / "index", Config()).update()
    assert report.papers == 0 and [p.line for p in report.errors] == [1, 2]


def test_pinned_authors_come_from_the_config_and_the_reader(tmp_path: Path) -> None:
    from index.state import pinned_authors, set_pinned

    config_file = tmp_path / "config.toml"
    config_file.write_text('pinned = ["Aaron Jaech"]\n')
    config = Config.load(config_file)
    here, there = tmp_path / "index", tmp_path / "other-index"
    assert pinned_authors(config, here) == ["Aaron Jaech"]
    set_pinned(["Li Wei", "Aaron Jaech"], here)
    assert pinned_authors(config, here) == ["Aaron Jaech", "Li Wei"]
    assert pinned_authors(Config(), here) == ["Li Wei", "Aaron Jaech"]
    # A pin belongs to the library it was made in.
    assert pinned_authors(Config(), there) == []
