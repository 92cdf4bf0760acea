"""The raw-array codec and writer as Whoosh itself uses them: its own writer
merging their segments, its own matchers, weighting models, storages and
queries over them, each as over segments of its W3 codec.

Every check runs the same documents through Whoosh's writer and W3 codec too:
what Whoosh does there is what it must do here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLES
from whoosh import analysis, fields, query, scoring
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.matching import AndNotMatcher

from index.engine.codec import ArrayCodec
from index.engine.evaluate import Evaluator
from index.engine.postings import PostingSource
from index.engine.schema import paper_document, schema
from index.engine.writer import ArrayWriter
from index.formats import read_dump
from index.merge import merge

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]


def _plain_schema() -> fields.Schema:
    """Fields without posting values (ID, KEYWORD) beside text and numbers."""
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        tags=fields.KEYWORD(scorable=True),
        text=fields.TEXT(stored=True),
        number=fields.NUMERIC(int, stored=True),
    )


def _plain_docs(count: int) -> list[dict]:
    return [
        {
            "key": f"k{n:03d}",
            "tags": " ".join(WORDS[(n * k) % len(WORDS)] for k in (1, 3)),
            "text": " ".join(WORDS[(n + k * k) % len(WORDS)] for k in range(1 + n % 7)),
            "number": n % 5,
        }
        for n in range(count)
    ]


def _index(folder: Path, schema_: fields.Schema, docs: list[dict], writer_of, commits: int = 2):  # type: ignore[no-untyped-def]
    """An index of `docs` in `commits` segments, each written by writer_of(ix)."""
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), schema_)
    share = -(-len(docs) // commits)
    for start in range(0, len(docs), share):
        writer = writer_of(ix)
        for doc in docs[start : start + share]:
            writer.add_document(**doc)
        writer.commit(merge=False)
    return ix


def _every_posting(ix) -> dict:  # type: ignore[no-untyped-def]
    """Each term's postings as Whoosh reads them: (document, weight, value)."""
    found = {}
    with ix.reader() as reader:
        for field, btext in reader.all_terms():
            matcher = reader.postings(field, btext)
            found[field, btext] = list(_items(matcher))
    return found


def _items(matcher):  # type: ignore[no-untyped-def]
    while matcher.is_active():
        yield matcher.id(), matcher.weight(), matcher.value()
        matcher.next()


def _arrays(ix) -> ArrayWriter:  # type: ignore[no-untyped-def]
    return ArrayWriter(ix)


def _w3(ix):  # type: ignore[no-untyped-def]
    return ix.writer()


def _codec(ix):  # type: ignore[no-untyped-def]
    return ix.writer(codec=ArrayCodec())


# --- values: None where a field keeps none --------------------------------------


@pytest.mark.parametrize("writer_of", [_arrays, _codec], ids=["array writer", "whoosh's writer"])
def test_a_field_without_values_gives_none_as_w3_does(tmp_path: Path, writer_of) -> None:  # type: ignore[no-untyped-def]
    docs = _plain_docs(30)
    expected = _every_posting(_index(tmp_path / "w3", _plain_schema(), docs, _w3))
    found = _every_posting(_index(tmp_path / "arrays", _plain_schema(), docs, writer_of))
    assert found == expected
    assert found["key", b"k001"] == [(1, 1.0, None)]


@pytest.mark.parametrize("writer_of", [_arrays, _codec], ids=["array writer", "whoosh's writer"])
def test_whooshs_writer_merges_array_segments(tmp_path: Path, writer_of) -> None:  # type: ignore[no-untyped-def]
    docs = _plain_docs(40)
    reference = _index(tmp_path / "w3", _plain_schema(), docs, _w3, commits=1)
    ix = _index(tmp_path / "arrays", _plain_schema(), docs, writer_of, commits=3)
    with ix.writer() as writer:  # Whoosh's own writer: deletes, updates, merges
        writer.delete_by_term("key", "k005")
        writer.update_document(**docs[7])
    with reference.writer() as writer:
        writer.delete_by_term("key", "k005")
        writer.update_document(**docs[7])
    ix.optimize()
    reference.optimize()
    assert _every_posting(ix) == _every_posting(reference)
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 39
        assert [hit["key"] for hit in searcher.search(query.Term("tags", "beta"), limit=None)]


def _papers() -> list:
    records = []
    for path in sorted(SAMPLES.glob("*.txt"))[:4]:
        records += list(read_dump(path, None).records)
    return merge(records)


def test_this_projects_index_optimizes(tmp_path: Path) -> None:
    docs = [paper_document(paper) for paper in _papers()]
    ix = _index(tmp_path / "arrays", schema(), docs, _arrays, commits=2)
    before = _every_posting(ix)
    ix.optimize()
    assert len(ix.reader().leaf_readers()) == 1
    assert _every_posting(ix) == before


# --- weighting models without block quality -----------------------------------


def _first_position(searcher, fieldname, text, matcher) -> float:  # type: ignore[no-untyped-def]
    return 1.0 / (matcher.value_as("positions")[0] + 1)


def test_function_weighting_scores_array_segments(tmp_path: Path) -> None:
    docs = _plain_docs(30)
    scored = []
    for name, writer_of in (("w3", _w3), ("arrays", _arrays)):
        ix = _index(tmp_path / name, _plain_schema(), docs, writer_of)
        weighting = scoring.FunctionWeighting(_first_position)
        with ix.searcher(weighting=weighting) as searcher:
            hits = searcher.search(query.Term("text", "gamma"), limit=5)
            scored.append([(hit["key"], hit.score) for hit in hits])
    assert scored[1] == scored[0]
    assert len(scored[0]) == 5


# --- term vectors and spelling fields -----------------------------------------


def _vector_schema() -> fields.Schema:
    return fields.Schema(
        key=fields.ID(stored=True),
        text=fields.TEXT(stored=True, vector=True),
        words=fields.TEXT(analyzer=analysis.StemmingAnalyzer(), spelling=True),
    )


def _vector_docs() -> list[dict]:
    return [
        {"key": doc["key"], "text": doc["text"], "words": doc["text"] + " rendering renders"}
        for doc in _plain_docs(20)
    ]


def test_the_array_writer_writes_term_vectors_and_spelling_as_whoosh_does(
    tmp_path: Path,
) -> None:
    docs = _vector_docs()
    found = []
    for name, writer_of in (("w3", _w3), ("arrays", _arrays)):
        ix = _index(tmp_path / name, _vector_schema(), docs, writer_of, commits=1)
        with ix.searcher() as searcher:
            reader = searcher.reader()
            vectors = [list(reader.vector_as("weight", n, "text")) for n in range(len(docs))]
            spelling = list(reader.lexicon("spell_words"))
            similar = [hit["key"] for hit in searcher.more_like(0, "text")]
            keyterms = list(searcher.key_terms([0, 1], "text"))
        found.append((vectors, spelling, similar, keyterms))
    assert found[1] == found[0]
    vectors, spelling, similar, _ = found[0]
    assert vectors[0] and b"rendering" in spelling and similar


# --- compound segments without a memory map -----------------------------------


def test_a_compound_segment_reads_without_mmap(tmp_path: Path) -> None:
    docs = _plain_docs(30)
    ix = _index(tmp_path, _plain_schema(), docs, _arrays, commits=1)
    assert ix.reader().segment().is_compound()
    plain = FileStorage(str(tmp_path), supports_mmap=False).open_index()
    with ix.searcher() as mapped, plain.searcher() as unmapped:
        for word in ("gamma", "delta"):
            want = [hit["key"] for hit in mapped.search(query.Term("text", word), limit=None)]
            got = [hit["key"] for hit in unmapped.search(query.Term("text", word), limit=None)]
            assert got == want
            assert want


# --- fuzzy terms outside the search fields ------------------------------------


def test_a_fuzzy_term_on_another_field_finds_what_whoosh_finds(tmp_path: Path) -> None:
    docs = [paper_document(paper) for paper in _papers()]
    ix = _index(tmp_path, schema(), docs, _arrays, commits=1)
    with ix.searcher() as searcher:
        names = [t.decode() for t in searcher.reader().lexicon("author_key")]
        near = names[len(names) // 2][:-1] + "q"  # one letter off
        fuzzy = query.FuzzyTerm("author_key", near, maxdist=1, prefixlength=1)
        expected = sorted(hit.docnum for hit in searcher.search(fuzzy, limit=None))
        found = Evaluator(PostingSource(searcher), searcher.weighting).matches(fuzzy)
        assert sorted(found.docs.tolist()) == expected
        assert expected


# --- Whoosh's AndNotMatcher ---------------------------------------------------


@pytest.mark.parametrize("writer_of", [_w3, _arrays], ids=["w3", "arrays"])
def test_andnot_skipping_past_the_last_posting_leaves_it_inactive(
    tmp_path: Path, writer_of
) -> None:  # type: ignore[no-untyped-def]
    """Whoosh's AndNotMatcher reads its first matcher's id after skipping to a
    quality that matcher cannot reach: W3's keeps an id there; a matcher of the
    raw-array codec must too, rather than raise IndexError."""
    ix = _index(tmp_path, _plain_schema(), _plain_docs(30), writer_of, commits=1)
    with ix.searcher() as searcher:
        kept = query.Term("text", "gamma").matcher(searcher)
        dropped = query.Term("text", "delta").matcher(searcher)
        both = AndNotMatcher(kept, dropped)
        assert both.is_active() and both.supports_block_quality()
        both.skip_to_quality(kept.max_quality() * 10)
        assert not both.is_active()
