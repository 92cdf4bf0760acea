"""What a search answers."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Hit


@dataclass(frozen=True)
class SearchResult:
    """One page of hits and how many papers matched in all."""

    hits: list[Hit]
    total: int | None
    fallback: bool = False  # the query did not parse; its words were searched instead
    # With a query: how many matches each tab asked for holds, in the order asked.
    tab_counts: tuple[int, ...] = ()
    # With a query: (year, matches) from the first year matched to the last.
    years: tuple[tuple[int, int], ...] = ()
    # While typing: the word being typed, left out until it can be searched well.
    left_out: str = ""
