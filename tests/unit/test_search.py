"""Every query form of the Whoosh language, on the indexed seeds."""

from __future__ import annotations

import pytest

from index import Library, highlight_spans


def keys(library: Library, text: str, **options: object) -> list[str]:
    return [hit.paper.key for hit in library.search(text, limit=None, **options).hits]


def titles(library: Library, text: str) -> list[str | None]:
    return [hit.paper.title for hit in library.search(text, limit=None).hits]


def test_all_words_must_match(library: Library) -> None:
    assert len(keys(library, "speech")) == 6
    # "personal" and "personalization" share the stem "person".
    assert len(keys(library, "speech personalization")) == 2
    assert len(keys(library, "speech gmail")) == 0


def test_stop_words_do_not_have_to_match_a_name(library: Library) -> None:
    assert keys(library, "chain of thought") == ["2412.16720", keys(library, "deliberative")[0]]


def test_phrase(library: Library) -> None:
    assert len(keys(library, '"reinforcement learning"')) == 5
    assert keys(library, '"learning reinforcement"') == []


def test_or_and_not(library: Library) -> None:
    both = set(keys(library, "toxicity OR heterophily"))
    assert both == set(keys(library, "toxicity")) | set(keys(library, "heterophily"))
    assert "2412.16720" not in keys(library, "safety NOT deliberative")
    assert "2412.16720" in keys(library, "safety")


def test_prefix_and_stemming(library: Library) -> None:
    assert set(keys(library, "transform*")) >= set(keys(library, "transformers"))
    assert set(keys(library, "annotat*")) == set(
        keys(library, "annotation OR annotators OR annotate OR annotations OR annotated")
    )


def test_fuzzy(library: Library) -> None:
    assert keys(library, "reinforcment~") == keys(library, "reinforcement")
    assert set(keys(library, "transformrs~")) == set(keys(library, "transformers"))
    assert keys(library, "heterofily~") == []  # three edits from the stem "heterophili"
    assert set(keys(library, "heterofili~2")) == set(keys(library, "heterophily"))


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("title:system", 2),
        ("title:card", 2),
        ("abstract:gmail", 1),
        ("author:alex", 9),
        ("author:jain", 10),
        ('author:"Saachi Jain"', 10),
        ("id:2412.16720", 1),
        ("arXiv:2412.16720", 1),
        ("2411.01111", 1),
        ("venue:neurips", 1),
        ("year:2024", 3),
        ("year:[2020 TO 2022]", 2),
        ("year:>2022", 4),
        ("TITLE:system", 2),
    ],
)
def test_fields(library: Library, query: str, count: int) -> None:
    result = library.search(query, limit=None)
    assert (result.total, len(result.hits), result.fallback) == (count, count, False)


def test_best_first(library: Library) -> None:
    hits = library.search("gpt-4o system card").hits
    assert hits[0].paper.key == "2410.21276"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("query", ['"unclosed phrase', "year:[2020 TO", "(reasoning", "year:abc"])
def test_a_query_that_does_not_parse_searches_its_words(library: Library, query: str) -> None:
    result = library.search(query)
    assert result.fallback


def test_fallback_finds_the_words_typed(library: Library) -> None:
    assert keys(library, '"deliberative alignment') == keys(library, "deliberative alignment")


@pytest.mark.parametrize(
    "query",
    [
        "*",
        "~",
        "NOT",
        "AND OR",
        "[2]-[4]",
        "\\emph{x}",
        "$x^2$",
        "((",
        '"',
        ":",
        "year:",
        "x" * 500,
    ],
)
def test_no_query_raises(library: Library, query: str) -> None:
    for as_you_type in (False, True):
        result = library.search(query, as_you_type=as_you_type)
        # An answer, consistent with itself: a count, and the page of it.
        assert result.total is not None and 0 <= result.total <= 37
        assert len(result.hits) == min(result.total, 20)
        assert len({hit.paper.key for hit in result.hits}) == len(result.hits)


def test_author_filter_matches_label_in_either_order_and_case(library: Library) -> None:
    jain = keys(library, "model", author="Jain, Saachi")
    assert (
        jain
        == keys(library, "model", author="saachi jain")
        == keys(library, "model", author="JAIN, SAACHI")
    )
    assert len(jain) == library.search("model", author="Saachi Jain").total == 8
    assert library.search("", author="Tony").total == 10
    assert library.search("model", author="Nobody").total == 0


def test_empty_query_lists_papers_newest_first(library: Library) -> None:
    result = library.search("", limit=None)
    assert result.total == 37
    assert [h.paper.key for h in result.hits[:3]] == ["2412.16720", "2411.01111", "2410.21276"]
    years = [h.paper.year for h in result.hits if h.paper.year]
    assert years == sorted(years, reverse=True)


def test_as_you_type_treats_the_last_word_as_a_prefix(library: Library) -> None:
    assert keys(library, "heteroph") == []
    assert set(keys(library, "heteroph", as_you_type=True)) == set(keys(library, "heterophily"))
    assert set(keys(library, "annotatio", as_you_type=True)) == set(keys(library, "annotation"))
    assert keys(library, "title:syst", as_you_type=True) == keys(library, "title:system")
    assert keys(library, "reinforcement learn", as_you_type=True)


def test_matched_terms_highlight_stemmed_forms(library: Library) -> None:
    hit = library.search("annotators").hits[0]
    spans = highlight_spans(hit.paper.abstract, hit.terms["abstract"])
    found = {hit.paper.abstract[a:b].lower() for a, b in spans}
    # Every word that stems like "annotators" is marked, and nothing else.
    assert found == {"annotator", "annotators", "annotations", "annotation", "annotate"} & found
    assert "annotators" in found and "annotations" in found


def test_as_you_type_keeps_whole_words_and_ids(library: Library) -> None:
    assert keys(library, "gpt-4o", as_you_type=True)[0] == "2410.21276"
    assert keys(library, "2412.1672", as_you_type=True) == ["2412.16720"]
    assert keys(library, "year:2024", as_you_type=True) == keys(library, "year:2024")


QUERIES_FROM_TERMS = ["reinforcment~", "transformrs~", "heterofili~2", "speech person*", "annot*"]


def test_terms_in_memory_answer_as_the_index_does(library: Library) -> None:
    """Prefixes, fuzzy terms and corrections, before and after warm_up()."""
    typing = ["trans", "reinforcement lear", "speech pers", "heter"]
    misspelt = ["transfromer", "heterofily", "author:alx", "speach recognitoin"]

    def answers() -> list:
        found = [keys(library, q) for q in QUERIES_FROM_TERMS]
        found += [keys(library, q, as_you_type=True) for q in typing]
        found += [library.suggest(q) for q in misspelt]
        library.store().searcher_state.forget_answers()  # not the first round's answers
        return found

    from_index = answers()
    assert all(from_index[:5]) and all(from_index[-4:])
    library.warm_up()
    assert library.store().searcher_state.terms_in_memory()  # the second round reads memory
    assert answers() == from_index


def test_a_last_letter_being_typed_does_not_empty_the_results(library: Library) -> None:
    speech = library.search("speech", as_you_type=True)
    typing = library.search("speech r", as_you_type=True)
    assert typing.total == speech.total > 0
    assert [h.paper.key for h in typing.hits] == [h.paper.key for h in speech.hits]
    # Submitted, the letter is a word like any other; inside a phrase it stays.
    assert library.search("speech r").total != speech.total
    assert library.search('"speech r', as_you_type=True).total is not None


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("at", ""), ("(at", ""), ("title:at", ""), ("speech at", "speech"), ("speech (at", "speech")],
)
def test_a_short_word_being_typed_is_left_out_not_the_query(
    library: Library, typed: str, shown: str
) -> None:
    # "at" is on its way to "attention": too short to guess from (and a stop word).
    # Left out, the box shows what it showed before the word: never "0 papers found".
    before = library.search(shown, as_you_type=True)
    typing = library.search(typed, as_you_type=True)
    assert typing.total == before.total > 0
    assert [h.paper.key for h in typing.hits] == [h.paper.key for h in before.hits]


@pytest.mark.parametrize("typed", ["speech re*", "speech title:re*", "speech (re* OR x*)"])
def test_a_prefix_too_short_to_guess_from_leaves_the_other_words_to_decide(
    library: Library, typed: str
) -> None:
    speech = library.search("speech", as_you_type=True)
    typing = library.search(typed, as_you_type=True)
    assert typing.total == speech.total > 0
    assert [h.paper.key for h in typing.hits] == [h.paper.key for h in speech.hits]
