"""No text makes a parser raise; whatever they return is well formed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.formats import read_dump
from index.text import DumpError, decode

# Text built from the pieces dumps are made of, plus anything at all.
pieces = st.sampled_from(
    [
        "Abstract:",
        "arXiv:",
        "arXiv:2412.16720",
        "arXiv:hep-th/9809096v2",
        "Collaborating Authors",
        "\n",
        "\n\n",
        "\r\n",
        "\u00a0",
        "Jain, Saachi",
        "[2]-[4]",
        "[/b]",
        "\x1b[31m",
        "é",
        "\ufeff",
        "A sentence.",
        "x" * 300,
    ]
)
texts = st.one_of(st.text(), st.lists(st.one_of(pieces, st.text(max_size=20))).map("".join))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_no_text_makes_a_parser_raise(text: str) -> None:
    try:
        dump = read_dump(Path("any.txt"), data=text.encode("utf-8"))
    except DumpError:
        return
    for record in dump.records:
        assert record.abstract.strip()
        assert "\r" not in record.abstract
        assert record.label


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_no_bytes_make_decoding_raise_anything_but_a_dump_error(data: bytes) -> None:
    try:
        text, _ = decode(data)
    except DumpError:
        return
    assert "\r" not in text
