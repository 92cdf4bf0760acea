"""Filters on the reader's marks in the query language: is:, tag:, note:."""

from __future__ import annotations

import pytest
from whoosh import query

from index import Library, SearchSession, UserDB
from index.engine.evaluate import Evaluator
from index.engine.postings import PostingSource
from index.engine.term_set import TermSet


def keys(library: Library, text: str, **options: object) -> set[str]:
    return {hit.paper.key for hit in library.search(text, limit=None, **options).hits}  # type: ignore[arg-type]


@pytest.fixture
def marked(library: Library) -> Library:
    """The sample library with a few papers marked, as a reader leaves them."""
    papers = library.papers()
    user = library.user
    user.set_starred(papers[0].key, True)  # the o1 System Card
    user.set_starred(papers[3].key, True)
    user.set_read(papers[3].key)
    user.set_read(papers[4].key)
    user.add_tag(papers[3].key, "survey")
    user.add_tag(papers[8].key, "Survey")
    user.add_tag(papers[8].key, "speech")
    user.set_note(papers[8].key, "Compare the Diffusion baseline with ours.")
    user.set_note(papers[10].key, "Another baseline.")
    return library


def test_each_filter_keeps_the_papers_marked_so(marked: Library) -> None:
    user = marked.user
    every = keys(marked, "")
    assert (
        keys(marked, "is:starred") == user.keys(starred=True) and len(user.keys(starred=True)) == 2
    )
    assert keys(marked, "is:read") == user.keys(read=True) and len(user.keys(read=True)) == 2
    assert keys(marked, "is:unread") == every - user.keys(read=True)
    assert keys(marked, "NOT is:read") == every - user.keys(read=True)
    assert (
        keys(marked, "tag:survey") == user.keys(tag="survey") and len(user.keys(tag="survey")) == 2
    )
    assert keys(marked, "TAG:Survey") == user.keys(tag="survey")
    assert keys(marked, "note:baseline") == user.keys(note_words="baseline") != set()
    assert len(keys(marked, "note:baseline")) == 2
    assert keys(marked, 'note:"diffusion baseline"') == user.keys(tag="speech")
    assert keys(marked, 'note:"baseline diffusion"') == set()
    assert keys(marked, "is:nonsense") == set() and keys(marked, "tag:nothing") == set()


def test_filters_combine_with_words_fields_and_operators(marked: Library) -> None:
    user = marked.user
    starred, read, survey = (
        user.keys(starred=True),
        user.keys(read=True),
        user.keys(tag="survey"),
    )
    model = keys(marked, "model")
    assert keys(marked, "model is:starred") == model & starred
    assert keys(marked, "tag:survey model") == survey & model
    assert keys(marked, "is:starred OR tag:survey") == starred | survey
    assert keys(marked, "(is:starred OR tag:survey) NOT is:read") == (starred | survey) - read
    assert (
        keys(marked, "(is:starred OR tag:speech) AND model")
        == (starred | user.keys(tag="speech")) & model
    )
    year = keys(marked, "year:2024")
    assert keys(marked, "tag:survey model year:2024") == survey & model & year
    # A query that does not parse keeps its filters: its words are searched with them.
    assert keys(marked, 'is:starred "model') == keys(marked, "is:starred model")


def test_a_filter_does_not_change_the_order_of_what_words_find(marked: Library) -> None:
    starred = marked.user.keys(starred=True) | marked.user.keys(tag="speech")
    alone = [h for h in marked.search("model", limit=None).hits if h.paper.key in starred]
    filtered = marked.search("model (is:starred OR tag:speech)", limit=None).hits
    assert [h.paper.key for h in filtered] == [h.paper.key for h in alone]
    # Each hit gains the same constant: the words' scores are kept apart from it.
    assert [h.score - 1.0 for h in filtered] == pytest.approx([h.score for h in alone])


@pytest.mark.parametrize(
    "text",
    [
        "is:starred",
        "is:unread",
        "NOT is:read",
        "model is:starred",
        "is:starred OR tag:survey",
        "(tag:survey OR note:baseline) NOT is:read",
        "speech OR is:read",
    ],
)
def test_the_arrays_answer_filters_as_whooshs_searcher_does(marked: Library, text: str) -> None:
    store = marked.store()
    ran = store.query_for(text)
    with store.searcher_state.searching() as searcher:
        reference = {hit["key"]: hit.score for hit in searcher.search(ran, limit=None)}
        found = Evaluator(PostingSource(searcher), searcher.weighting).matches(ran)
        mine = {
            searcher.stored_fields(int(d))["key"]: s
            for d, s in zip(found.docs.tolist(), found.scores.tolist(), strict=True)
        }
    assert mine.keys() == reference.keys() and mine
    for key, score in mine.items():
        assert score == pytest.approx(reference[key], rel=1e-9)
    assert marked.search(text, limit=None).total == len(reference)


@pytest.mark.parametrize("as_set", [False, True])
def test_a_filter_over_many_keys_is_read_without_scores_and_reused(
    library: Library, as_set: bool
) -> None:
    store = library.store()
    every = sorted(keys(library, ""))
    unknown = [f"no-such-key-{n}" for n in range(500)]
    terms = every + unknown
    child = (
        TermSet("key", reversed(terms))
        if as_set
        else query.Or([query.Term("key", k) for k in terms])
    )
    many = query.ConstantScoreQuery(child, 0)
    with store.searcher_state.searching() as searcher:
        engine = Evaluator(PostingSource(searcher), searcher.weighting)
        found = engine.matches(many)
        assert len(found) == len(every) and set(found.scores.tolist()) == {1.0}
        assert engine.matches(many).docs is found.docs  # the same filter: read once
        reference = searcher.search(many, limit=None)
        assert len(reference) == len(every)


def test_with_no_marks_a_filter_keeps_nothing_but_is_unread_keeps_all(library: Library) -> None:
    every = keys(library, "")
    assert keys(library, "is:starred") == keys(library, "is:read") == set()
    assert keys(library, "tag:survey") == keys(library, "note:anything") == set()
    assert keys(library, "is:unread") == every
    assert not library.user.path.exists()  # reading filters writes nothing


def test_a_new_mark_shows_at_once_in_the_next_search(marked: Library) -> None:
    before = keys(marked, "is:starred")
    other = next(p.key for p in marked.papers() if p.key not in before)
    marked.user.set_starred(other, True)
    assert keys(marked, "is:starred") == before | {other}
    # A mark written by another reader (another connection, as another process) too.
    elsewhere = UserDB(marked.user.path)
    elsewhere.set_starred(other, False)
    elsewhere.add_tag(other, "later")
    elsewhere.close()
    assert keys(marked, "is:starred") == before
    assert keys(marked, "tag:later") == {other}


def test_marks_narrow_a_search_like_the_author_filter(marked: Library) -> None:
    starred = marked.user.keys(starred=True)
    assert keys(marked, "", marks="is:starred") == starred
    assert keys(marked, "model", marks="is:starred") == keys(marked, "model is:starred")
    assert keys(marked, "model", marks="tag:survey", author="Alex") == (
        keys(marked, "model tag:survey") & keys(marked, "", author="Alex")
    )
    store = marked.store()
    assert {h.paper.key for h in store.search("", marks="is:read", limit=None).hits} == (
        marked.user.keys(read=True)
    )
    assert marked.search("", marks="is:starred").total == 2
    session = SearchSession(marked)
    asked = session.ask("", marks="tag:survey")
    answer = session.answer(asked)
    assert answer is not None
    assert {h.paper.key for h in answer.result.hits} == marked.user.keys(tag="survey")


def test_a_filter_typed_letter_by_letter_ends_with_its_papers(marked: Library) -> None:
    starred = marked.user.keys(starred=True)
    text = "is:starred"
    for end in range(1, len(text) + 1):
        marked.search(text[:end], as_you_type=True)  # never fails, whatever the letters
    assert keys(marked, "is:sta", as_you_type=True) == starred  # the one state it starts
    assert keys(marked, "is:starred", as_you_type=True) == starred
    assert keys(marked, "is:r", as_you_type=True) == marked.user.keys(read=True)
    assert keys(marked, "is:sta") == set()  # as submitted: no such state
    assert keys(marked, "tag:sur", as_you_type=True) == marked.user.keys(tag="survey")
    assert keys(marked, "note:basel", as_you_type=True) == marked.user.keys(note_words="baseline")
    assert keys(marked, 'note:"diffusion basel', as_you_type=True) == marked.user.keys(tag="speech")
    # A filter begun with nothing after it leaves the rest of the query to answer.
    for begun in ("model is:", "model tag:", 'model note:"', "model AND tag:"):
        assert keys(marked, begun, as_you_type=True) == keys(marked, "model", as_you_type=True)
    assert keys(marked, "is:", as_you_type=True) == keys(marked, "")
    # A finished filter is exact: "tag:sur " (a space after it) is the tag "sur".
    assert keys(marked, "tag:sur ", as_you_type=True) == set()


def test_suggestions_leave_filters_alone(marked: Library) -> None:
    assert marked.suggest("is:unread transfromer") == "is:unread transformer"
    assert marked.suggest("tag:surveyy") is None
    assert marked.suggest('note:"transfromer"') is None


def test_a_term_set_is_one_query_whoosh_reads_as_its_or(library: Library) -> None:
    every = sorted(keys(library, ""))[:5]
    assert TermSet("key", every) == TermSet("key", reversed(every))
    assert len({TermSet("key", every), TermSet("key", every[::-1])}) == 1
    assert TermSet("key", every) != TermSet("key", every[:4])
    assert TermSet("key", []).as_or() is query.NullQuery
    with library.store().searcher_state.searching() as searcher:
        found = {hit["key"] for hit in searcher.search(TermSet("key", every), limit=None)}
    assert found == set(every)
