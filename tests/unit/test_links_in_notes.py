"""Links out of a note: the arXiv ids a link or the text names, the Markdown links a
note holds (as the viewer's Markdown widget reads them), and the papers of a real
library they name."""

from __future__ import annotations

import pytest

from index import Library, arxiv_id_named, arxiv_ids_in
from tui.note_links import NoteLink, links_in, resolve

GPT4O = "2410.21276"  # the GPT-4o System Card, in the seed dumps
CODEX = "h782b58b0193f"  # a seed paper without an arXiv id: known by its key


@pytest.mark.parametrize(
    ("text", "arxiv_id"),
    [
        ("2401.01234", "2401.01234"),
        ("2401.01234v2", "2401.01234"),
        ("arXiv:2401.01234", "2401.01234"),
        ("ARXIV: 2401.01234v3", "2401.01234"),
        ("0704.0001", "0704.0001"),  # four digits before 2015
        ("hep-th/9711200", "hep-th/9711200"),
        ("math.AG/0309136v1", "math.AG/0309136"),
        ("https://arxiv.org/abs/2401.01234", "2401.01234"),
        ("https://arxiv.org/abs/2401.01234v2", "2401.01234"),
        ("http://www.arxiv.org/pdf/2401.01234v2.pdf", "2401.01234"),
        ("https://arxiv.org/pdf/2401.01234", "2401.01234"),
        ("https://arxiv.org/html/2401.01234v1", "2401.01234"),
        ("https://export.arxiv.org/abs/hep-th/9711200", "hep-th/9711200"),
        ("https://arxiv.org/abs/2401.01234?context=cs#x", "2401.01234"),
        (" 2401.01234 ", "2401.01234"),
    ],
)
def test_an_arxiv_id_is_named_however_it_is_written(text: str, arxiv_id: str) -> None:
    assert arxiv_id_named(text) == arxiv_id


@pytest.mark.parametrize(
    "text",
    [
        "",
        "the card",
        "2401.0123",  # five digits from 2015 on
        "2413.01234",  # no 13th month
        "2401.01234 and more",
        "https://example.com/abs/2401.01234",
        "https://arxiv.org/list/cs.CL/recent",
        "h782b58b0193f",
    ],
)
def test_other_text_names_no_arxiv_id(text: str) -> None:
    assert arxiv_id_named(text) is None


def test_ids_are_found_in_running_text_but_not_inside_numbers_or_paths() -> None:
    text = (
        "Compare arXiv:2401.01234v2 (and hep-th/9711200), then 2412.16720. "
        "Not 1.2401.01234, x2401.01234, 2401.01234.5, a/2401.01234 or https://arxiv.org/abs/2410.21276"
    )
    assert arxiv_ids_in(text) == [
        ("arXiv:2401.01234v2", "2401.01234"),
        ("hep-th/9711200", "hep-th/9711200"),
        ("2412.16720", "2412.16720"),
    ]


def test_a_notes_links_are_its_markdown_links_web_addresses_and_arxiv_ids() -> None:
    note = (
        "# Read next\n\n"
        "- [the **GPT-4o** card](https://arxiv.org/abs/2410.21276v2)\n"
        "- see arXiv:2401.01234 and `hep-th/9711200`\n"
        "- https://example.com/a%20b?q=1 and <https://openai.com/o1>\n"
        "- [by key](h782b58b0193f) [ref][1]\n\n"
        "[1]: https://arxiv.org/pdf/2412.16720.pdf\n\n"
        "Again: [the **GPT-4o** card](https://arxiv.org/abs/2410.21276v2)\n"
    )
    assert links_in(note) == [
        NoteLink("the GPT-4o card", "https://arxiv.org/abs/2410.21276v2"),
        NoteLink("arXiv:2401.01234", "2401.01234"),
        NoteLink("hep-th/9711200", "hep-th/9711200"),
        # The target as written (never percent-decoded); its text as the viewer shows it.
        NoteLink("https://example.com/a b?q=1", "https://example.com/a%20b?q=1"),
        NoteLink("https://openai.com/o1", "https://openai.com/o1"),
        NoteLink("by key", "h782b58b0193f"),
        NoteLink("ref", "https://arxiv.org/pdf/2412.16720.pdf"),
    ]  # each once


def test_a_note_without_links_and_control_characters_in_one() -> None:
    assert links_in("") == []
    assert links_in("Just words, 12.5% and 2024.") == []
    # Control and invisible characters are shown as symbols, as the viewer shows the
    # note, and a target holding one is refused: a browser cannot have it as written.
    (link,) = links_in("[red\x1b text\u202e](https://example.com/\x07x)")
    assert link == NoteLink("red␛ text⟨U+202E⟩", "https://example.com/␇x") and link.refused
    (link,) = links_in("[rtl](https://example.com/&#x202E;x)")
    assert link.href == "https://example.com/⟨U+202E⟩x" and link.refused


def test_a_link_names_a_paper_by_its_target_or_its_text(library: Library) -> None:
    def paper_of(link: NoteLink) -> str | None:
        target = resolve(link, library.get)
        return target.paper.key if target.paper else None

    assert paper_of(NoteLink("card", f"https://arxiv.org/pdf/{GPT4O}v1.pdf")) == GPT4O
    assert paper_of(NoteLink("card", f"arXiv:{GPT4O}")) == GPT4O
    assert paper_of(NoteLink(f"arXiv:{GPT4O}v2", "https://example.com/card")) == GPT4O
    assert paper_of(NoteLink("Codex", CODEX)) == CODEX
    assert paper_of(NoteLink(CODEX, "https://example.com/codex")) == CODEX
    # Not in the library, or naming no paper at all.
    assert paper_of(NoteLink("x", "arXiv:2401.01234")) is None
    assert paper_of(NoteLink("the card", "https://openai.com/o1")) is None
    assert paper_of(NoteLink("x", "h000000000000")) is None


def test_what_a_link_is() -> None:
    web = NoteLink("card", "https://arxiv.org/abs/2401.01234v2")
    assert web.web and web.has_scheme and web.arxiv_id == "2401.01234"
    bare = NoteLink("arXiv:2401.01234", "2401.01234")
    assert not bare.web and not bare.has_scheme and bare.arxiv_id == "2401.01234"
    other = NoteLink("a file", "ftp://example.org/x")
    assert not other.web and other.has_scheme and other.arxiv_id is None
    assert NoteLink("arXiv:2401.01234", "https://example.com").arxiv_id == "2401.01234"


def test_a_links_target_is_as_written_never_percent_decoded() -> None:
    note = (
        "[escape](https://example.com/a%1bb%0ac%00d) <https://example.com/x%20y>\n"
        "[a line break](https://example.com/a&#10;b) [unicode](https://example.com/ü)"
    )
    assert [link.href for link in links_in(note)] == [
        "https://example.com/a%1bb%0ac%00d",
        "https://example.com/x%20y",
        "https://example.com/a\nb",  # Markdown's own escape: refused when followed
        "https://example.com/ü",
    ]
    assert [link.refused for link in links_in(note)] == [False, False, True, False]
    assert NoteLink("", "https://example.com/\x00").refused
    assert NoteLink("", "https://example.com/\u202ex").refused
