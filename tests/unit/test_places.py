"""Places, the back stack and the query history of the reader, without the screen."""

from __future__ import annotations

import json

from index import ALL, BackStack, Place, QueryHistory, TabFilter


def test_a_place_saves_as_json_and_reads_back() -> None:
    place = Place("speech", TabFilter(author="Tony"), exact=True, key="2412.16720", scroll=7.0)
    assert Place.from_json(json.loads(json.dumps(place.to_json()))) == place
    # The Starred tab and a pinned tag's are tabs of marks.
    for tab in (TabFilter(marks="is:starred"), TabFilter(marks="tag:survey")):
        assert Place.from_json(json.loads(json.dumps(Place("x", tab).to_json()))) == Place("x", tab)


def test_a_saved_place_that_is_not_one_reads_as_none() -> None:
    assert Place.from_json({"tab": "Tony", "query": "x"}) is None
    assert Place.from_json({"tab": {"author": 3}, "query": "x"}) is None
    assert Place.from_json({"tab": {}, "query": ["x"]}) is None
    assert Place.from_json({"tab": {}, "query": "x", "scroll": -4}) == Place("x", ALL)


def test_the_back_stack_pops_the_latest_and_keeps_a_bounded_depth() -> None:
    stack = BackStack(depth=3)
    for query in "abcd":
        stack.push(Place(query))
    stack.push(Place("d"))  # twice from one place: one step back
    assert len(stack) == 3
    assert [stack.pop(), stack.pop(), stack.pop(), stack.pop()] == [
        Place("d"),
        Place("c"),
        Place("b"),
        None,
    ]


def test_the_history_walks_from_the_newest_and_keeps_each_query_once() -> None:
    history = QueryHistory(["b", "a"])
    history.remember(" c ")
    history.remember("a")
    history.remember("   ")
    assert history.queries == ["a", "c", "b"]
    assert history.older("") == "a" and history.older("a") == "c"
    assert history.older("b") is None  # the oldest
    assert history.older("typed, not remembered") == "a"
    assert history.newer("c") == "a"
    assert history.newer("a") is None and history.newer("") is None


def test_the_history_keeps_the_last_500() -> None:
    history = QueryHistory()
    for number in range(510):
        history.remember(str(number))
    assert len(history.queries) == 500 and history.queries[0] == "509"
