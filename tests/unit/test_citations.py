"""Citations and exports: the right authors, readable unique keys, BibTeX that parses
back to the papers' own text."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

from index import Config, Library, Paper, Record
from index.cite import bibtex, bibtex_key, citation, cited_authors
from index.export import export

# Labels the seed dumps take from their file names: they name no author.
FILE_LABELS = ("000_e4898e36c2f54974", "002_58a4e2d616259f18")


def o1(library: Library) -> Paper:
    paper = library.get("2412.16720")
    assert paper is not None
    return paper


def test_labels_from_file_names_are_not_authors(library: Library) -> None:
    paper = o1(library)
    assert FILE_LABELS[0] in paper.authors  # still who the dump belongs to
    assert cited_authors(paper) == ["Alex", "Tony", "Jain, Saachi"]
    assert citation(paper) == (
        "OpenAI o1 System Card. Alex, Tony, Saachi Jain. arXiv:2412.16720 (2024). "
        "arXiv.org Artificial Intelligence."
    )
    entry = bibtex(paper)
    assert "author = {Alex and Tony and Jain, Saachi}," in entry
    assert entry.startswith("@misc{alex2024openai,\n")
    everything = export(library.papers(), "bibtex") + export(library.papers(), "markdown")
    assert not any(label in everything for label in FILE_LABELS)


def test_a_name_from_the_config_is_an_author(dumps: Path, tmp_path: Path) -> None:
    config = Config(labels={"000_e4898e36c2f54974.txt": "Apple Speech"})
    library = Library([dumps], tmp_path / "index", config)
    library.update()
    try:
        paper = o1(library)
        assert cited_authors(paper, config) == ["Apple Speech", "Alex", "Tony", "Jain, Saachi"]
        assert citation(paper, config).startswith("OpenAI o1 System Card. Apple Speech, Alex,")
        # A config label that happens to equal the file name is still the user's word.
        same = Config(labels={"002_58a4e2d616259f18.txt": "002_58a4e2d616259f18"})
        assert "002_58a4e2d616259f18" in cited_authors(paper, same)
        assert "002_58a4e2d616259f18" not in cited_authors(paper)
    finally:
        library.close()


def test_a_dump_without_a_name_labelled_by_its_file_is_anonymous(tmp_path: Path) -> None:
    dump = tmp_path / "Alex.txt"
    dump.write_text("Abstract:One paper about graphs, written by nobody named here.\n")
    library = Library([dump], tmp_path / "index", Config())
    library.update()
    try:
        (paper,) = library.papers()
        assert paper.authors == ("Alex",) and cited_authors(paper) == []
        assert "author" not in bibtex(paper) and bibtex_key(paper) == "anonone"
    finally:
        library.close()


def _paper(title: str, authors: tuple[str, ...] = (), year: int | None = 2024, **more) -> Paper:  # type: ignore[no-untyped-def]
    abstract = more.pop("abstract", f"An abstract of {title}.")
    record = Record("/x/dump.txt", 1, None, abstract, title, None, None, authors, year)
    fields = {"arxiv_id": None, "venue": None, "sources": ("/x/dump.txt",)} | more
    return Paper(
        key=f"k{abs(hash(title))}",
        title=title,
        year=year,
        abstract=abstract,
        authors=authors,
        records=(record,),
        **fields,
    )


def test_keys_are_readable_and_unique() -> None:
    papers = [
        _paper("The OpenAI o1 System Card", ("Saachi Jain",)),
        _paper("OpenAI o1 System Card, again", ("Jain, Saachi",)),
        _paper("OpenAI: a third", ("Saachi Jain",)),
        _paper("Über Müller-Lyer", ("Jürgen Müller",), year=None),
        _paper("日本語のタイトル", ("山田太郎",), year=2020),
    ]
    keys = [entry.key for entry in bibtexparser.parse_string(export(papers, "bibtex")).entries]
    assert keys == [
        "jain2024openai",
        "jain2024openaia",
        "jain2024openaib",
        "mulleruber",
        "anon2020",
    ]


HOSTILE_TITLES = [
    r"Costs & 100% of $x^2$ # one_two {braced} ~tilde^caret \emph{x} and back\slash",
    "Unbalanced { brace and } the other way }{",
    "Ends in a backslash \\",
    "Dashes -- and --- quotes ``like'' this, and @misc{fake, title={x}}",
    "Tabs\tand\nnewlines \x1b[31m escape",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_bibtex_parses_back_to_the_text(title: str) -> None:
    paper = _paper(
        title,
        ("Tom and Jerry Lab", "O'Brien, Pat", "Ann_Lee"),
        abstract=f"{title} in the abstract too; 50% off {{x}}.",
        venue="J. A&B {1}",
    )
    parsed = bibtexparser.parse_string(export([paper], "bibtex"))
    assert parsed.failed_blocks == [] and len(parsed.entries) == 1
    fields = {name: field.value for name, field in parsed.entries[0].fields_dict.items()}
    assert _decoded(fields["title"]) == _flat(paper.title)
    assert _decoded(fields["abstract"]) == _flat(paper.abstract)
    assert _decoded(fields["note"]) == "J. A&B {1}"
    names = re.split(r" and (?![^{]*\})", fields["author"])
    assert [_decoded(n) for n in names] == ["Tom and Jerry Lab", "O'Brien, Pat", "Ann_Lee"]


def test_the_seed_samples_export_to_bibtex_that_parses_back(library: Library) -> None:
    papers = library.papers()
    parsed = bibtexparser.parse_string(export(papers, "bibtex"))
    assert parsed.failed_blocks == [] and len(parsed.entries) == len(papers) == 37
    assert len({entry.key for entry in parsed.entries}) == 37
    for paper, entry in zip(papers, parsed.entries, strict=True):
        assert re.fullmatch(r"[a-z]+(\d{4})?[a-z0-9]*", entry.key)
        fields = {name: field.value for name, field in entry.fields_dict.items()}
        assert _decoded(fields["abstract"]) == _flat(paper.abstract)
        if paper.title:
            assert _decoded(fields["title"]) == _flat(paper.title)
        if paper.venue:
            assert _decoded(fields["note"]) == _flat(paper.venue)
        if paper.arxiv_id:
            assert fields["eprint"] == paper.arxiv_id


def _decoded(value: str) -> str:
    """A BibTeX field as LaTeX prints it (pylatexenc writes ^ as the modifier letter ˆ)."""
    return LatexNodes2Text().latex_to_text(value).replace("\u02c6", "^")


def _flat(text: str) -> str:
    """The text on one line, controls shown as symbols, as every export for people has it."""
    from index.text import printable

    return " ".join(printable(text).split())


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        st.one_of(
            st.sampled_from("\\{}$&%#_~^-`'<>,?!@\"=() \t\n\x1b\x07\u009b\u202e"), st.characters()
        ),
        min_size=1,
        max_size=80,
    ).filter(str.strip)
)
def test_any_title_survives_a_round_trip_through_bibtex(title: str) -> None:
    paper = _paper(title, ("Ann Lee",), abstract=title)
    parsed = bibtexparser.parse_string(export([paper], "bibtex"))
    assert parsed.failed_blocks == [] and len(parsed.entries) == 1
    fields = {name: field.value for name, field in parsed.entries[0].fields_dict.items()}
    assert _decoded(fields["title"]) == _flat(title)


@pytest.mark.parametrize(
    ("author", "year", "key"),
    [
        ("Jan van der Berg", 2025, "vanderberg2025quantifying"),
        ("van der Berg, Jan", 2025, "vanderberg2025quantifying"),
        ("Ann Brown-Cohen", 2026, "browncohen2026quantifying"),
        ("Brown-Cohen, Ann", 2026, "browncohen2026quantifying"),
        ("Pat O'Brien", 2024, "obrien2024quantifying"),
        ("María de la Cruz", 2024, "delacruz2024quantifying"),
        ("Jürgen Strauß", 2024, "strauss2024quantifying"),
        ("john smith", 2024, "smith2024quantifying"),  # all lower case: no particles
        ("山田太郎", None, "anonquantifying"),
        ("Wang 王", 2024, "wang2024quantifying"),  # a last name of no ASCII: the rest
    ],
)
def test_a_key_is_one_token_with_particles_and_hyphens_joined(
    author: str, year: int | None, key: str
) -> None:
    paper = _paper("Quantifying the unknown", (author,), year=year)
    assert bibtex_key(paper) == key
    (entry,) = bibtexparser.parse_string(export([paper], "bibtex")).entries
    assert entry.key == key


_FIRST = st.sampled_from(["Jan", "Ann", "María", "Zoë", "Jean-Luc", "Ö", "李", ""])
_PARTICLES = st.lists(st.sampled_from(["van", "der", "de", "la", "von", "di", "du", "Mc"]))
_LAST = st.sampled_from(
    ["Berg", "Brown-Cohen", "O'Brien", "D'Angelo", "Müller", "Ñúñez", "Strauß", "Ørsted",
     "王", "山田", "Łukasz", "ß", "-", "'", "", "and", "Lee Jr.", "X Æ A-12"]
)  # fmt: skip


@st.composite
def _names(draw: st.DrawFn) -> str:
    first, particles, last = draw(_FIRST), draw(_PARTICLES), draw(_LAST)
    if draw(st.booleans()):  # "Last, First" as BibTeX writes it
        return ", ".join(part for part in (" ".join([*particles, last]), first) if part)
    return " ".join(part for part in (first, *particles, last) if part)


@st.composite
def _papers(draw: st.DrawFn) -> list[Paper]:
    titles = st.sampled_from(["Quantifying the unknown", "On graphs", "日本語", "", "2024"])
    papers = []
    for number in range(draw(st.integers(1, 12))):
        title = draw(titles) or draw(st.text(max_size=12))
        authors = tuple(draw(st.lists(_names(), max_size=3)))
        year = draw(st.sampled_from([2024, 2025, None]))
        papers.append(
            _paper(title or "x", authors, year=year, abstract=f"Paper {number}: {title}.")
        )
    return papers


@settings(max_examples=200, deadline=None)
@given(_papers())
def test_every_export_parses_back_with_one_unique_key_per_paper(papers: list[Paper]) -> None:
    text = export(papers, "bibtex")
    parsed = bibtexparser.parse_string(text)
    assert parsed.failed_blocks == [] and len(parsed.entries) == len(papers)
    keys = [entry.key for entry in parsed.entries]
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys), keys
    assert len(set(keys)) == len(keys)
    # Each key is the paper's own key, told apart from those before it by a suffix.
    for paper, key in zip(papers, keys, strict=True):
        assert re.fullmatch(re.escape(bibtex_key(paper)) + "[a-z]*", key)
    assert export(papers, "bibtex") == text  # the same at every run


def test_a_bundled_samples_label_is_no_author(tmp_path: Path) -> None:
    """The samples' dumps that name no author are labelled for their tabs ("Apple
    Speech"): a page's name, which a citation leaves out as it does a file name."""
    from index import sample_dumps

    library = Library([sample_dumps()], tmp_path / "index", Config())
    library.update()
    labelled = [p for p in library.papers() if "Apple Speech" in p.authors]
    assert labelled
    for paper in labelled:
        assert "Apple Speech" not in citation(paper, library.config)
        assert "Apple Speech" not in bibtex(paper, library.config)
    library.close()
