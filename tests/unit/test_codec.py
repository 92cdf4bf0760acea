"""The raw-array codec and the array writer: what they write, Whoosh reads as its own.

The same papers are indexed twice, by Whoosh's writer (its W3 codec) and by the
array writer, and every term's postings, values and statistics, every stored
field and every field length must read back the same through Whoosh.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, SAMPLES
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from index.engine import codec, workers, writer
from index.engine.codec import ArrayCodec, Record
from index.engine.schema import SPELLED, STEM, paper_document, schema
from index.engine.store import Store
from index.engine.writer import ArrayWriter
from index.formats import read_dump
from index.merge import merge

DUMPS = [*sorted(SAMPLES.glob("*.txt")), FIXTURES / "arxiv_sample_250.jsonl"]


def _papers() -> list:
    records = []
    for path in DUMPS:
        records += list(read_dump(path, None).records)
    return merge(records)


PAPERS = _papers()


def _write(folder: Path, writer_of, papers: list) -> whoosh_index.Index:  # type: ignore[no-untyped-def]
    ix = whoosh_index.create_in(str(folder), schema())
    writer = writer_of(ix)
    for paper in papers:
        writer.add_document(**paper_document(paper))
    writer.commit()
    return ix


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    whooshs = _write(tmp_path_factory.mktemp("w3"), lambda ix: ix.writer(), PAPERS)
    ours = _write(tmp_path_factory.mktemp("arrays"), ArrayWriter, PAPERS)
    return whooshs, ours


def _postings(reader, field: str, btext: bytes) -> list:  # type: ignore[no-untyped-def]
    fmt = reader.schema[field].format
    matcher = reader.postings(field, btext)
    found = []
    while matcher.is_active():
        value = matcher.value() or None  # none kept: Whoosh says None or ""
        if fmt.supports("positions"):
            value = list(matcher.value_as("positions"))
        found.append((matcher.id(), matcher.weight(), value))
        matcher.next()
    return found


def _indexed(reader) -> list:  # type: ignore[no-untyped-def]
    """Every term but the words as written, which only this project's writer notes."""
    return [(field, btext) for field, btext in reader.all_terms() if field != SPELLED]


def test_whoosh_reads_every_posting_as_it_wrote_it(both: tuple) -> None:
    whooshs, ours = both
    with whooshs.reader() as expected, ours.reader() as found:
        assert type(found.codec()) is ArrayCodec
        assert _indexed(found) == list(expected.all_terms())
        for field, btext in expected.all_terms():
            assert _postings(found, field, btext) == _postings(expected, field, btext), (
                field,
                btext,
            )
            want, got = expected.term_info(field, btext), found.term_info(field, btext)
            assert (got.weight(), got.doc_frequency(), got.max_weight()) == (
                want.weight(),
                want.doc_frequency(),
                want.max_weight(),
            )
            assert (got.min_id(), got.max_id()) == (want.min_id(), want.max_id())
            if found.schema[field].scorable:
                assert (got.min_length(), got.max_length()) == (
                    want.min_length(),
                    want.max_length(),
                )


def test_terms_written_a_few_postings_at_a_time_are_the_same(
    both: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "_SLICE", 5)
    whooshs, _ = both
    ours = _write(tmp_path, ArrayWriter, PAPERS)
    with whooshs.reader() as expected, ours.reader() as found:
        for field, btext in list(expected.all_terms())[::7]:
            assert _postings(found, field, btext) == _postings(expected, field, btext)


def test_stored_fields_and_lengths_are_the_same(both: tuple) -> None:
    whooshs, ours = both
    with whooshs.reader() as expected, ours.reader() as found:
        assert found.doc_count() == expected.doc_count() == len(PAPERS)
        for docnum in range(expected.doc_count()):
            assert found.stored_fields(docnum) == expected.stored_fields(docnum)
            for field in ("title", "abstract", "author", "venue", "id"):
                assert found.doc_field_length(docnum, field) == expected.doc_field_length(
                    docnum, field
                )
        for field in ("title", "abstract", "author", "venue", "id"):
            assert found.field_length(field) == expected.field_length(field)


def test_a_column_read_in_one_go_holds_every_value(both: tuple) -> None:
    from index.engine.stored import column_values

    for ix in both:
        with ix.reader() as reader:
            for leaf, _ in reader.leaf_readers():
                column = leaf.column_reader("title_order", translate=False)
                values = column_values(column)
                assert len(values) == leaf.doc_count_all() == len(PAPERS)
                assert values == list(column)
                assert values[0].endswith(f"\x00{PAPERS[0].key}".encode())


def test_searches_find_the_same(both: tuple) -> None:
    whooshs, ours = both
    queries = ["model", "learning AND network", '"neural network"', "author:wang", "transf*"]
    stores = Store(whooshs), Store(ours)
    for text in queries:
        w3, arrays = (s.search(text, limit=None) for s in stores)
        assert [h.paper.key for h in arrays.hits] == [h.paper.key for h in w3.hits], text
        assert [h.score for h in arrays.hits] == pytest.approx([h.score for h in w3.hits])


@pytest.mark.parametrize(
    ("docs", "weights", "counts", "positions", "values"),
    [
        ([0], [1.0], [1], [0], None),  # one posting at the start
        ([5, 70_000, 4_000_000_000], [2.0, 4.0, 300.0], [1, 1, 2], [3, 9, 7, 70_000], None),
        ([1, 2, 3], [1.5, 0.25, 1e9], None, None, [b"\x00\x00\x00\x01"] * 3),
        ([7, 8], [1.0, 1.0], None, None, [b"a", b"bcd"]),
        ([9], [70_000.0], None, None, None),  # a weight too big for 16 bits
        (list(range(0, 3000, 3)), [1.0] * 1000, [300] * 1000, list(range(300)) * 1000, None),
    ],
)
def test_a_record_reads_back_what_was_written(  # type: ignore[no-untyped-def]
    tmp_path: Path, docs, weights, counts, positions, values
) -> None:
    data = codec.encode(docs, weights, counts, positions, values)
    (tmp_path / "postings").write_bytes(b"xx" + data)
    from whoosh.filedb.structfile import StructFile

    with StructFile(open(tmp_path / "postings", "rb")) as file:  # noqa: SIM115
        record = Record(file, 2, len(data))
        got_docs, got_weights = record.postings()
        assert got_docs.tolist() == docs
        assert got_weights.tolist() == [float(__import__("numpy").float32(w)) for w in weights]
        got_counts, flat = record.positions()
        if counts is None:
            assert not flat.size
            assert record.values() == (values if values and any(values) else None)
        else:
            assert got_counts.tolist() == counts
            assert flat.tolist() == positions


def test_a_bulk_build_that_fills_the_pool_writes_more_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers are forked: they see the smaller pool.
    monkeypatch.setattr(workers, "POOL_BYTES", 200_000)
    papers = PAPERS * 3
    seen = {}
    for copy, paper in enumerate(papers):
        seen[f"{paper.key}-{copy}"] = paper
    store = Store.create(tmp_path)
    from dataclasses import replace

    store.write([], [replace(p, key=k) for k, p in seen.items()], bulk=True)
    with whoosh_index.open_dir(str(tmp_path)).searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 2
        assert searcher.doc_count() == len(seen)
        assert {type(leaf.reader().codec()) for leaf, _ in searcher.leaf_searchers()} == {
            ArrayCodec
        }
    found = {hit.paper.key for hit in store.search("", limit=None).hits}
    assert found == set(seen)
    store.close()


@pytest.mark.parametrize("count", [0, 1, 3, 300])
def test_stored_papers_read_back_however_few(tmp_path: Path, count: int) -> None:
    papers = (PAPERS * 2)[:count]
    ix = _write(tmp_path, ArrayWriter, papers)
    with ix.reader() as reader:
        assert reader.doc_count() == count
        for docnum, paper in enumerate(papers):
            assert reader.stored_fields(docnum) == {
                name: value
                for name, value in paper_document(paper).items()
                if name in ("key", "data")  # (title and abstract are kept in data)
            }


@pytest.mark.parametrize("count", [1, 31, 32, 33, 1000])
def test_the_term_table_finds_every_key_and_where_others_would_go(
    tmp_path: Path, count: int
) -> None:
    """Look-ups start from a sample of the keys held in memory: every key is found
    at its place, and a key the table lacks is placed where a full binary search
    places it, at the edges of the sampled blocks too."""
    import bisect
    import random

    from whoosh.filedb.filestore import FileStorage

    from index.engine.terms import TermTable, TermTableWriter

    rng = random.Random(count)
    texts = sorted({bytes(rng.choices(b"abcxyz", k=rng.randint(1, 8))) for _ in range(count * 3)})
    texts = texts[::3][:count] or [b"a"]
    storage = FileStorage(str(tmp_path))
    table_writer = TermTableWriter(storage.create_file("t.trm"))
    table_writer.fieldmap = {"f": 0}
    keys = []
    for i, text in enumerate(texts):
        keys.append(b"\x00\x00" + text)
        table_writer.add(keys[-1], 1.0, 1, 1, 1, 1.0, i, i, (0, 0))
    table_writer.close()
    table = TermTable(None, storage.open_file("t.trm"), storage.open_file("t.trm"))
    for i, text in enumerate(texts):
        assert table._find(keys[i]) == i
        assert ("f", text) in table
    others = [b"", b"a", b"zzzzzzzzz", *(t + b"b" for t in texts), *(t[:-1] for t in texts)]
    for text in others:
        key = b"\x00\x00" + text
        assert table._from("f", text) == bisect.bisect_left(keys, key)
        assert (("f", text) in table) == (text in texts)
    assert [t for _, t in table.terms_from("f", texts[len(texts) // 2])] == texts[len(texts) // 2 :]
    table.close()


def test_papers_added_through_whoosh_s_own_path_too_are_the_same(
    both: tuple, tmp_path: Path
) -> None:
    # A document with a boost goes through Whoosh's analysis: its postings join
    # the words the writer groups itself, in one field's segment.
    whooshs, _ = both
    ix = whoosh_index.create_in(str(tmp_path), schema())
    ours = ArrayWriter(ix)
    for number, paper in enumerate(PAPERS):
        extra = {"_boost": 1.0} if number % 3 == 0 else {}
        ours.add_document(**paper_document(paper), **extra)
    ours.commit()
    with whooshs.reader() as expected, ix.reader() as found:
        assert _indexed(found) == list(expected.all_terms())
        for field, btext in expected.all_terms():
            assert _postings(found, field, btext) == _postings(expected, field, btext)


SPLIT_FIELDS = {"key", "id", "author_key", "author_name", "source", "fingerprint", SPELLED}


@given(
    st.lists(st.sampled_from(["Ab", "İ", " ", "\n", "\t", "x.y", "_"]) | st.text(max_size=6)).map(
        "".join
    )
)
def test_plain_fields_split_words_as_whoosh_s_analyzers(text: str) -> None:
    # The writer splits these fields' text itself, Whoosh's chain left out.
    split = {}
    for name, field in schema().items():
        splitter = writer._splitter(field)
        if splitter is not None:
            split[name] = splitter(text)
            assert split[name] == [token.text for token in field.analyzer(text, mode="index")]
    assert set(split) == SPLIT_FIELDS


_POSTING = st.tuples(
    st.integers(0, 2**32 - 1),  # a gap to the document before
    st.sampled_from([1.0, 2.0, 3.0, 0.5, 300.0, 70_000.0]),
    st.lists(st.integers(0, 70_000), min_size=1, max_size=12),  # positions
)


@given(st.lists(st.lists(_POSTING, min_size=1, max_size=20), max_size=12))
def test_short_terms_encode_at_once_as_one_by_one(terms: list) -> None:
    # Most terms of a positions field are written this way: each record byte
    # for byte as encode()'s, for each term short_terms() picks.
    import numpy as np

    expected, picked = [], []
    for postings in terms:
        docs = list(np.cumsum([gap for gap, _, _ in postings]) % 2**32)
        if len(set(docs)) < len(docs) or docs != sorted(docs):
            continue
        weights = [float(w) for _, w, _ in postings]
        places = [sorted(p) for _, _, p in postings]
        counts = [len(p) for p in places]
        flat = [x for p in places for x in p]
        pick = codec.short_terms(
            np.array([len(docs)]),
            np.array([max(counts)]),
            np.array([max(flat)]),
            np.array([len(flat)]),
        )
        if pick[0]:
            picked.append((docs, weights, counts, flat))
            expected.append(codec.encode(docs, weights, counts, flat))
    records, sizes = codec.encode_short(
        np.array([len(t[0]) for t in picked], dtype=np.int64),
        np.array([d for t in picked for d in t[0]], dtype=np.uint32),
        np.array([w for t in picked for w in t[1]], dtype=np.float32),
        np.array([c for t in picked for c in t[2]], dtype=np.int64),
        np.array([x for t in picked for x in t[3]], dtype=np.int64),
    )
    assert records.tobytes() == b"".join(expected)
    assert sizes.tolist() == [len(e) for e in expected]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 2**32 - 1),
            st.sampled_from([1.0, 2.0, 0.5, 70_000.0]),
            st.sampled_from([b"", b"\x00\x00\x00\x01", b"abc"]),
        ),
        max_size=30,
    )
)
def test_terms_of_one_value_encode_at_once_as_one_by_one(singles: list) -> None:
    import numpy as np

    docs = np.array([d for d, _, _ in singles], dtype=np.uint32)
    weights = np.array([w for _, w, _ in singles], dtype=np.float32)
    values = [v for _, _, v in singles]
    records, sizes = codec.encode_singles(docs, weights, values)
    expected = [codec.encode([d], [w], values=[v]) for d, w, v in singles]
    assert records.tobytes() == b"".join(expected)
    assert sizes.tolist() == [len(e) for e in expected]


@given(
    st.lists(
        st.tuples(st.integers(0, 70_000), st.sampled_from([1.0, 2.0, 7.0, 300.0, 0.5])),
        min_size=2,
        max_size=20,
        unique_by=lambda p: p[0],
    )
)
def test_records_given_their_gaps_and_whole_weights_are_the_same(postings: list) -> None:
    postings.sort()
    docs = [d for d, _ in postings]
    weights = [w for _, w in postings]
    gaps = [docs[0]] + [b - a for a, b in zip(docs, docs[1:], strict=False)]
    whole = [int(w) for w in weights] if all(w == int(w) for w in weights) else None
    assert codec.encode(docs, weights, gaps=gaps, whole=whole) == codec.encode(docs, weights)


@given(st.lists(st.sampled_from(["a", "b", "Bc", "d_e"]), max_size=8), st.booleans())
def test_counted_words_as_whoosh_s_postings(words: list[str], counts: bool) -> None:
    # Repeated words (a name twice in a paper) are counted as Whoosh counts them.
    from whoosh import fields

    field = fields.KEYWORD(field_boost=2.0) if counts else fields.ID()
    text = " ".join(words)
    pool = writer.FieldPool(positions=False)
    length = pool.add_counted(writer._splitter(field)(text), 7, field.format)
    numbered = list(pool.value_ids)
    terms = {number: term for term, number in pool.term_ids.items()}
    found = sorted(
        (terms[t], w, numbered[v])
        for t, w, v in zip(pool.terms, pool.weights, pool.values, strict=True)
    )
    expected = sorted((t, w, v) for t, _, w, v in field.index(text))
    assert found == expected
    assert pool.docs.tolist() == [7] * len(expected)
    assert length == sum(freq for _, freq, _, _ in field.index(text))


def test_the_words_of_stemmed_fields_are_noted_as_written_once_each(both: tuple) -> None:
    _, ours = both
    written = {
        word
        for paper in PAPERS
        for name in ("title", "abstract", "venue")
        for word in STEM.words(paper_document(paper).get(name) or "")
        if STEM.term(word) is not None
    }
    with ours.reader() as found:
        noted = [btext.decode() for field, btext in found.all_terms() if field == SPELLED]
        assert set(noted) == written and "studies" in written
        assert all(found.doc_frequency(SPELLED, word) == 1 for word in noted[:500])
