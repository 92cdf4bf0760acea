"""Matches per year as a line of block characters, for the count line."""

from __future__ import annotations

# From a little to the most; a year without matches is left blank.
BARS = "▁▂▃▄▅▆▇█"
# At most this many years are drawn: the most recent ones.
MOST_YEARS = 40


def year_sparkline(years: tuple[tuple[int, int], ...]) -> str | None:
    """`2019 ▁▃ ▅█ 2024` for (year, matches) pairs of consecutive years; None for
    fewer than two years (a single bar says nothing the count does not)."""
    if len(years) < 2:
        return None
    shown = years[-MOST_YEARS:]
    most = max(count for _, count in shown) or 1
    bars = "".join(
        BARS[min(len(BARS) - 1, (count * len(BARS) - 1) // most)] if count else " "
        for _, count in shown
    )
    return f"{shown[0][0]} {bars} {shown[-1][0]}"
