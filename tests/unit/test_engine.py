"""The array engine against Whoosh's own searcher, on an index of real abstracts.

The index has two segments and deleted documents, as a library updated a few
times has: posting arrays must number documents across segments and leave the
deleted ones out.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from helpers import FIXTURES, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query
from whoosh.codec.whoosh3 import W3Codec

from index import Config, Library
from index.engine.codec import ArrayCodec
from index.engine.evaluate import Evaluator, Unsupported
from index.engine.postings import PostingSource, first_by_term
from index.engine.schema import paper_document
from index.engine.search import members, overlap
from index.engine.store import Store

DUMPS = [SAMPLES, FIXTURES / "arxiv_snapshot.jsonl", FIXTURES / "arxiv_sample_250.jsonl"]


def _words() -> tuple[list[str], list[str], list[str], list[str]]:
    """Words, word pairs, surnames and author names of the sampled papers."""
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    authors: Counter[str] = Counter()
    for line in (FIXTURES / "arxiv_sample_250.jsonl").read_text(encoding="utf-8").splitlines():
        paper = json.loads(line)
        text = re.findall(r"[a-z]{3,}", (paper["title"] + " " + paper["abstract"]).lower())
        words.update(text)
        pairs.update(f"{a} {b}" for a, b in zip(text, text[1:], strict=False))
        authors.update(paper["authors"])
    common = [w for w, _ in words.most_common(120) if w not in {"the", "and", "for", "with"}]
    rare = sorted(w for w, n in words.items() if n == 2)[::25]
    phrases = [p for p, n in pairs.most_common(60)]
    names = [a for a, _ in authors.most_common(30)]
    surnames = sorted({name.split()[-1].lower() for name in names})
    return common + rare, phrases, surnames, names


WORDS, PHRASES, SURNAMES, NAMES = _words()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("engine")
    with pytest.MonkeyPatch.context() as env:
        for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
            env.setenv(variable, str(root / variable.lower()))
        env.delenv("ABSTRACTS_CONFIG", raising=False)
        library = Library(DUMPS, root / "index", Config())
        library.update()
        library.close()
    # Two more commits without merging: papers deleted, some added back.
    store = Store.open(root / "index")
    keys = sorted(hit.paper.key for hit in store.search("", limit=None).hits)
    again = [store.get(key) for key in keys[::20]]
    store.close()
    ix = whoosh_index.open_dir(str(root / "index"))
    writer = ix.writer()
    for paper in again:
        writer.delete_by_term("key", paper.key)
    writer.commit(merge=False)
    writer = ix.writer()
    for paper in again:
        writer.add_document(**paper_document(paper))
    for key in keys[7::31]:
        writer.delete_by_term("key", key)
    writer.commit(merge=False)
    return root / "index"


@pytest.fixture(scope="module")
def stores(index_dir: Path) -> dict[bool, Store]:
    """A store reading terms from the index, and one with them in memory."""
    cold, warm = Store.open(index_dir), Store.open(index_dir)
    warm.warm_up()
    yield {False: cold, True: warm}
    cold.close()
    warm.close()


def test_the_index_has_segments_and_deletions(index_dir: Path) -> None:
    with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2
        assert searcher.doc_count() < searcher.doc_count_all()
        # One segment of the raw-array codec, one of Whoosh's own (its writer's).
        codecs = [type(leaf.reader().codec()) for leaf, _ in searcher.leaf_searchers()]
        assert codecs == [ArrayCodec, W3Codec]


def test_postings_and_lengths_are_whooshs_own(index_dir: Path) -> None:
    with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
        source = PostingSource(searcher)
        reader = searcher.reader()
        for field in ("title", "abstract", "author", "id", "year", "author_key"):
            for btext in list(reader.lexicon(field))[::3]:
                expected: list[tuple[int, float]] = []
                for leaf, offset in reader.leaf_readers():
                    if (field, btext) not in leaf:
                        continue
                    matcher = leaf.postings(field, btext)
                    while matcher.is_active():
                        if not leaf.is_deleted(matcher.id()):
                            expected.append((matcher.id() + offset, matcher.weight()))
                        matcher.next()
                docs, weights = source.postings(field, btext)
                assert list(zip(docs.tolist(), weights.tolist(), strict=True)) == expected
                assert source.doc_frequency(field, btext) == reader.doc_frequency(field, btext)
        for field in ("title", "abstract", "author", "venue", "id"):
            lengths = source.lengths(field)
            for leaf, offset in reader.leaf_readers():
                for docnum in range(leaf.doc_count_all()):
                    if leaf.doc_field_length(docnum, field, 1):  # None: not in this paper
                        assert lengths[offset + docnum] == leaf.doc_field_length(docnum, field, 1)


def test_positions_are_read_for_the_documents_asked(index_dir: Path) -> None:
    with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
        source = PostingSource(searcher)
        for word in ("model", "learn", "quantum", "network"):
            docs, _ = source.postings("abstract", word)
            asked = docs[::2]
            found = source.positions("abstract", word, asked)
            expected = []
            for docnum in asked.tolist():
                matcher = searcher.postings("abstract", word)
                matcher.skip_to(docnum)
                expected.append(list(matcher.value_as("positions")))
            assert [p.tolist() for p in found] == expected
            assert len(asked) > 1


# --- queries ------------------------------------------------------------------

_word = st.sampled_from(WORDS)
_year = st.integers(2005, 2026)


@st.composite
def _atom(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            ["word", "word", "word", "prefix", "fuzzy", "phrase", "field", "author", "year"]
        )
    )
    word = draw(_word)
    if kind == "prefix":
        return word[: draw(st.integers(2, max(2, len(word) - 1)))] + "*"
    if kind == "fuzzy":
        return word[:-1] + "~" if len(word) > 4 else word + "~"
    if kind == "phrase":
        phrase = draw(st.sampled_from(PHRASES))
        slop = draw(st.sampled_from(["", "", "~2"]))
        return f'"{phrase}"{slop}'
    if kind == "field":
        return f"{draw(st.sampled_from(['title', 'abstract', 'venue']))}:{word}"
    if kind == "author":
        return f"author:{draw(st.sampled_from(SURNAMES))}"
    if kind == "year":
        start = draw(_year)
        return draw(
            st.sampled_from([f"year:{start}", f"year:[{start} TO {start + 3}]", f"year:>{start}"])
        )
    boost = draw(st.sampled_from(["", "", "", "^2", "^0.5"]))
    return word + boost


def _combined(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda p: f"{p[0]} {p[1]}"),
        pair.map(lambda p: f"({p[0]} OR {p[1]})"),
        pair.map(lambda p: f"{p[0]} AND {p[1]}"),
        pair.map(lambda p: f"{p[0]} NOT {p[1]}"),
        children.map(lambda c: f"NOT {c}"),
    )


_NESTED = st.recursive(_atom(), _combined, max_leaves=5)
# ANDMAYBE only on top: under an And, Whoosh's AndMaybeMatcher skips its second
# query to the And's target rather than to its first query's match, and so misses
# scores it should add. The arrays add them. ANDNOT is checked apart (below):
# Whoosh's AndNotMatcher keeps its first match when the excluded query starts
# before it and holds it.
QUERIES = st.one_of(
    _NESTED, st.tuples(_NESTED, _NESTED).map(lambda p: f"({p[0]}) ANDMAYBE ({p[1]})")
)


def _ranking(pairs: list[tuple[float, str]]) -> list[str]:
    """Keys best first, equal scores (within 1e-9) in key order."""
    ordered = sorted(pairs, key=lambda p: -p[0])
    groups: list[list[tuple[float, str]]] = []
    for score, key in ordered:
        if groups and abs(groups[-1][-1][0] - score) <= 1e-9 * max(abs(score), 1.0):
            groups[-1].append((score, key))
        else:
            groups.append([(score, key)])
    return [key for group in groups for _, key in sorted(group, key=lambda p: p[1])]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=QUERIES,
    author=st.one_of(st.none(), st.sampled_from(NAMES)),
    as_you_type=st.booleans(),
    warm=st.booleans(),
)
def test_search_ranks_and_counts_as_whoosh_does(
    stores: dict[bool, Store], text: str, author: str | None, as_you_type: bool, warm: bool
) -> None:
    store = stores[warm]
    result = store.search(text, author=author, limit=20, as_you_type=as_you_type)
    ran = store.query_for(text, author=author, as_you_type=as_you_type)
    with store.searcher_state.searching() as searcher:
        reference = [
            (hit.docnum, hit.score, hit["key"]) for hit in searcher.search(ran, limit=None)
        ]
        if author and "ANDMAYBE" in text:
            # The author's filter puts the ANDMAYBE under an And, where Whoosh misses
            # scores (see QUERIES): the reference is then the query's own matches
            # among the author's papers, each with the filter's constant score added.
            *_, kept = ran.subqueries
            assert isinstance(kept, query.ConstantScoreQuery)
            among = {hit.docnum: hit.score for hit in searcher.search(kept, limit=None)}
            alone = store.query_for(text, as_you_type=as_you_type)
            reference = [
                (hit.docnum, hit.score + among[hit.docnum], hit["key"])
                for hit in searcher.search(alone, limit=None)
                if hit.docnum in among
            ]
        # Whoosh's InverseMatcher (NOT) can yield a deleted document, the one after
        # its child's last match: the arrays never do.
        reader = searcher.reader()
        expected = {
            docnum: (score, key)
            for docnum, score, key in reference
            if not reader.is_deleted(docnum)
        }
        engine = Evaluator(PostingSource(searcher), searcher.weighting)
        try:
            found = engine.matches(ran)
        except Unsupported as why:  # the generated queries must all be evaluated
            pytest.fail(f"{ran!r} not evaluated: {why}")
    assert set(found.docs.tolist()) == set(expected)
    for docnum, score in zip(found.docs.tolist(), found.scores.tolist(), strict=True):
        assert score == pytest.approx(expected[docnum][0], rel=1e-9)
    assert result.total == len(expected)
    if result.hits and not any(hit.score for hit in result.hits):
        return  # no word searched yet (one being typed left out): the papers listed
    best = _ranking(list(expected.values()))[:20]
    mine = _ranking([(hit.score, hit.paper.key) for hit in result.hits])
    assert mine == best
    scores = sorted((score for score, _ in expected.values()), reverse=True)[:20]
    assert [hit.score for hit in result.hits] == pytest.approx(scores, rel=1e-9)


@pytest.mark.parametrize(
    "text",
    [
        "model",
        '"neural network"',
        "quantum NOT state",
        "learn* deep",
        "year:[2015 TO 2020]",  # every match scores 1.0: all in key order
        "NOT qwertyuiop",  # so do these, more than are ordered by their stored keys
    ],
)
def test_every_match_is_counted_and_the_best_come_first(
    stores: dict[bool, Store], text: str
) -> None:
    store = stores[True]
    every = store.search(text, limit=None)
    page = store.search(text, limit=5)
    assert page.total == every.total == len(every.hits) > 0
    if text.startswith("NOT"):
        assert every.total > 256
    assert [h.paper.key for h in page.hits] == [h.paper.key for h in every.hits[:5]]
    ranked = [(-h.score, h.paper.key) for h in every.hits]
    assert ranked == sorted(ranked)


def test_what_the_arrays_do_not_evaluate_is_asked_of_whoosh(stores: dict[bool, Store]) -> None:
    store = stores[False]
    with store.searcher_state.searching() as searcher:
        engine = Evaluator(PostingSource(searcher), searcher.weighting)
        for unsupported in (
            query.DisjunctionMax([query.Term("title", "model"), query.Term("abstract", "model")]),
            query.Wildcard("abstract", "mod?l"),
            query.Term("abstract", "model", boost=0),
        ):
            with pytest.raises(Unsupported):
                engine.matches(unsupported)
    # Wildcards (`mod?l`) are Whoosh's to evaluate, and still counted exactly.
    result = store.search("mod?l")
    with store.searcher_state.searching() as searcher:
        assert result.total == len(searcher.search(store.query_for("mod?l"), limit=None)) > 0


@pytest.mark.parametrize(
    ("first", "second"),
    [("model", "model~"), ("quantum", "state"), ("learn*", "deep"), ("data", "NOT method")],
)
def test_andnot_keeps_the_first_querys_matches_the_second_lacks(
    stores: dict[bool, Store], first: str, second: str
) -> None:
    store = stores[True]
    result = store.search(f"({first}) ANDNOT ({second})", limit=None)
    with store.searcher_state.searching() as searcher:
        reader = searcher.reader()
        kept = store.query_for(first)
        dropped = store.query_for(second)
        scores = {h.docnum: h.score for h in searcher.search(kept, limit=None)}
        gone = {h.docnum for h in searcher.search(dropped, limit=None)}
        expected = {
            searcher.stored_fields(d)["key"]: score
            for d, score in scores.items()
            if d not in gone and not reader.is_deleted(d)
        }
    assert {h.paper.key: h.score for h in result.hits} == pytest.approx(expected, rel=1e-9)
    assert result.total == len(expected)


def test_not_never_brings_back_a_deleted_paper(stores: dict[bool, Store]) -> None:
    store = stores[False]
    result = store.search("NOT models", limit=None)
    keys = [hit.paper.key for hit in result.hits]
    assert len(keys) == len(set(keys)) == result.total
    everything = {hit.paper.key for hit in store.search("", limit=None).hits}
    matching = {hit.paper.key for hit in store.search("models", limit=None).hits}
    assert set(keys) == everything - matching


def test_many_tied_matches_come_in_key_order() -> None:
    import numpy as np

    from index.engine.evaluate import Matches, best

    docs = np.arange(0, 3000, 3, dtype=np.int64)
    scores = np.where(docs % 2 == 0, 1.0, 2.0)  # 500 best, all tied; then 500 more
    key = {int(d): f"{(int(d) * 7919) % 3001:05d}" for d in docs}  # a key order unlike docs'

    def first_by_key(found: np.ndarray, count: int) -> list[int]:
        return sorted(found.tolist(), key=lambda d: key[d])[:count]

    chosen = best(Matches(docs, scores), 20, first_by_key)
    expected = sorted((int(d) for d in docs if d % 2), key=lambda d: key[d])[:20]
    assert docs[chosen].tolist() == expected


def _keys_by_postings(source: PostingSource, keys: list[bytes]) -> list[int]:
    found: set[int] = set()
    for key in keys:
        found.update(source.postings("key", key)[0].tolist())
    return sorted(found)


@pytest.fixture(scope="module")
def bulk_dir(index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same papers in an index of the raw-array codec alone, written on both
    cores: two segments."""
    folder = tmp_path_factory.mktemp("bulk") / "index"
    store = Store.open(index_dir)
    papers = [hit.paper for hit in store.search("", limit=None).hits]
    store.close()
    bulk = Store.create(folder)
    bulk.write([], papers, bulk=True)
    bulk.close()
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        codecs = [type(leaf.reader().codec()) for leaf, _ in searcher.leaf_searchers()]
        assert codecs == [ArrayCodec, ArrayCodec]
    return folder


def test_the_papers_of_many_keys_are_those_their_postings_name(
    index_dir: Path, bulk_dir: Path
) -> None:
    # The index of two codecs with deleted papers, and one of the raw-array codec alone.
    for folder in (index_dir, bulk_dir):
        with whoosh_index.open_dir(str(folder)).searcher() as searcher:
            source = PostingSource(searcher)
            keys = list(searcher.reader().lexicon("key"))
            assert len(keys) > 100
            widest = max(keys, key=len)
            longer = widest + b"x"  # cut to the widest key's width, it would be that key
            for asked in (
                keys[::3],
                keys[5:9],
                [keys[0], b"not-a-key", keys[-1]],
                [],
                keys[::-7] + keys[:3],  # not in order, and some twice
                [longer, keys[2]],
                [longer],
            ):
                assert source.docs_of_terms("key", asked).tolist() == _keys_by_postings(
                    source, asked
                )


def test_keys_the_index_cannot_hold_are_left_out(index_dir: Path) -> None:
    # A key with a lone surrogate (no UTF-8 for it) names no paper; the others do.
    with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
        source = PostingSource(searcher)
        keys = ["a\ud800", "x", "é"]
        assert source.terms_bytes("key", keys) == [b"x", "é".encode()]
        assert source.terms_bytes("key", iter(keys)) == [b"x", "é".encode()]


def test_ties_go_by_key_through_the_term_tables(bulk_dir: Path) -> None:
    with whoosh_index.open_dir(str(bulk_dir)).searcher() as searcher:
        source = PostingSource(searcher)
        every = np.arange(searcher.doc_count_all())
        key_of = {d: searcher.stored_fields(d)["key"] for d in every.tolist()}
        for asked in (every, every[::7], every[3:9]):
            found = first_by_term(source, "key", asked, 25)
            assert [key_of[d] for d in found] == sorted(key_of[d] for d in asked.tolist())[:25]


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(1, 3000),
    docs_share=st.floats(0, 1),
    among_share=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_membership_is_the_same_looked_up_or_read_off_a_mask(
    size: int, docs_share: float, among_share: float, seed: int
) -> None:
    """A tab's count and filter look documents up one by one when they are few and
    read a mask of the index when they are many: the same answer either way."""
    rng = np.random.default_rng(seed)
    docs = np.flatnonzero(rng.random(size) < docs_share)
    among = np.flatnonzero(rng.random(size) < among_share)
    expected = np.isin(docs, among)
    assert np.array_equal(members(docs, among, size), expected)
    assert overlap(docs, among, size) == int(expected.sum()) == overlap(among, docs, size)
