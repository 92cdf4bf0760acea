"""Abstracts hard-wrapped in their dumps are read as paragraphs."""

from __future__ import annotations

import pytest

from index import highlight_spans
from tui.text import Reflowed

WRAPPED = (
    "We study graph neural\n"
    "networks on  heterophilous\r\n"
    "   graphs.\n"
    "\n"
    "\n"
    "  A second paragraph\n"
    "\tends here.\n"
)


def test_lines_are_joined_and_paragraphs_kept() -> None:
    assert Reflowed.of(WRAPPED).text == (
        "We study graph neural networks on  heterophilous graphs.\n\nA second paragraph ends here."
    )


@pytest.mark.parametrize(
    "written", ["", "one line", "\n\n", "  padded  ", "a\nb", "a\n\n\n\nb", "x\x1b[31m\ny"]
)
def test_every_visible_character_keeps_its_place(written: str) -> None:
    reflowed = Reflowed.of(written)
    for offset, char in enumerate(written):
        if not char.isspace():
            assert reflowed.text[reflowed.at(offset)] == char


def test_matches_found_in_the_text_as_written_mark_the_same_words() -> None:
    reflowed = Reflowed.of(WRAPPED)
    spans = highlight_spans(WRAPPED, {"network", "graph", "heterophil"})
    assert spans
    for (start, end), (shown_start, shown_end) in zip(spans, reflowed.spans(spans), strict=True):
        assert reflowed.text[shown_start:shown_end] == WRAPPED[start:end]
