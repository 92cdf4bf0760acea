"""What the index holds: its fields, how each is analysed, and a paper as a document.

A paper goes in as one document (paper_document) and comes back whole from its
stored fields (paper_from_stored); the analysers here are the ones searches,
highlights and corrections must analyse text with to meet the index's terms.
"""

from __future__ import annotations

import hashlib
import json

from whoosh import analysis, fields

from ..math_text import search_words
from ..model import Paper, Record
from ..text import abstract_hash, author_key, display_name
from .analysis import NamesAnalyzer, StemmingAnalyzer, packed
from .order import DATE_TYPE, TITLE_TYPE, paper_date, title_value

# Bump whenever the schema or what goes into it changes: the index is rebuilt.
SCHEMA_VERSION = 14

SEARCH_FIELDS = ("title", "abstract", "author", "venue", "id")
FIELD_ALIASES = {"authors": "author", "arxiv": "id", "arxiv_id": "id", "comment": "venue"}
# Every field name a query may use, aliases too; typed in any case.
FIELD_NAMES = frozenset(SEARCH_FIELDS) | {"year"} | frozenset(FIELD_ALIASES)
# The fields whose terms are stems, not words as written.
STEMMED_FIELDS = ("title", "abstract", "venue")
# The words of the stemmed fields as written, each in one paper a segment (see
# writer.ArrayWriter._add_spellings): never searched.
SPELLED = "spelled"
STEM = StemmingAnalyzer()
# Names match whatever their case and accents: "author:muller" finds Müller.
NAMES = NamesAnalyzer()


def schema() -> fields.Schema:
    """The fields of a new index (see SCHEMA_VERSION)."""
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        # Sorted by, never searched: a column costs no term per paper (order.py).
        date=fields.COLUMN(DATE_TYPE),
        title_order=fields.COLUMN(TITLE_TYPE),
        # A word made of several terms (a CJK word's pairs of characters, "gpt-4o")
        # is found as a phrase: its terms in order.
        # Indexed with the symbols their LaTeX names and the names of their symbols
        # (see searched_text); kept as written in `data`.
        title=packed(fields.TEXT(analyzer=STEM, field_boost=2.0, multitoken_query="phrase")),
        abstract=packed(fields.TEXT(analyzer=STEM, multitoken_query="phrase")),
        author=packed(fields.TEXT(analyzer=NAMES)),
        venue=packed(fields.TEXT(analyzer=STEM, multitoken_query="phrase")),
        id=fields.TEXT(analyzer=analysis.IDTokenizer() | analysis.LowercaseFilter(), phrase=False),
        year=fields.NUMERIC(int, bits=16, signed=False, sortable=True),
        spelled=fields.KEYWORD(scorable=False),  # see SPELLED
        # For filters and incremental updates; never typed by users.
        author_key=fields.KEYWORD(scorable=False),
        # Each name as written, for listing a library's authors with their papers.
        author_name=_names_field(),
        source=fields.KEYWORD(scorable=False),
        fingerprint=fields.KEYWORD(scorable=False),
        data=fields.STORED,
    )


def _names_field() -> fields.KEYWORD:
    field = fields.KEYWORD(scorable=False, lowercase=False)
    field.analyzer = analysis.RegexTokenizer(r"[^\n]+")  # one name a line, as written
    return field


def source_token(path: str) -> str:
    """A whitespace-free token standing for a dump path (paths may hold spaces)."""
    return hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def stem_of(word: str) -> str:
    """The indexed stem of one word ("" if it makes none, or more than one)."""
    stems = [token.text for token in STEM(word)]
    return stems[0] if len(stems) == 1 else ""


def paper_document(paper: Paper) -> dict[str, object]:
    """The fields a paper is indexed with, as Whoosh's add_document() takes them."""
    names = paper.authors  # every dump label and own author, once each
    swapped = [display_name(n) for n in names if display_name(n) != n]
    data = {
        "title": paper.title,
        "abstract": paper.abstract,
        "arxiv_id": paper.arxiv_id,
        "year": paper.year,
        "venue": paper.venue,
        "authors": list(paper.authors),
        "sources": list(paper.sources),
        # Records let an update take one dump's part out of a merged paper. The
        # abstract is kept only where it differs from the paper's own.
        "records": [
            [
                r.source,
                r.line,
                r.label,
                r.title,
                r.arxiv_id,
                r.venue,
                None if r.abstract == paper.abstract else r.abstract,
                list(r.authors),
                r.year,
            ]
            for r in paper.records
        ],
    }
    document: dict[str, object] = {
        "key": paper.key,
        "date": paper_date(paper),
        "title_order": title_value(paper),
        "abstract": searched_text(paper.abstract),
        # "Jain, Saachi" is also findable as "Saachi Jain".
        "author": " ; ".join([*names, *swapped]),
        "author_key": " ".join(dict.fromkeys(author_key(n) for n in names)),
        "author_name": "\n".join(" ".join(n.split()) for n in names),
        "source": " ".join(source_token(s) for s in paper.sources),
        "fingerprint": " ".join(dict.fromkeys(abstract_hash(r.abstract) for r in paper.records)),
        "data": json.dumps(data, ensure_ascii=False),
    }
    if paper.title:
        document["title"] = searched_text(paper.title)
    if paper.venue:
        document["venue"] = paper.venue
    if paper.arxiv_id:
        document["id"] = paper.arxiv_id
    if paper.year:
        document["year"] = paper.year
    return document


def searched_text(text: str) -> str:
    """A title or an abstract as it is indexed: as written, then the symbols its
    LaTeX names and the LaTeX names of its symbols, so that `α` finds `$\\alpha$`
    and `alpha` finds `α` (highlights are found in the text as shown)."""
    words = search_words(text)
    return f"{text}\n{words}" if words else text


def paper_from_stored(stored: dict) -> Paper:
    """The paper a document's stored fields hold (see paper_document)."""
    data = json.loads(stored["data"])
    abstract = data["abstract"]
    records = tuple(
        Record(
            source=source,
            line=line,
            label=label,
            abstract=text if text is not None else abstract,
            title=title,
            arxiv_id=arxiv_id,
            venue=venue,
            authors=tuple(authors),
            year=year,
        )
        for source, line, label, title, arxiv_id, venue, text, authors, year in data["records"]
    )
    return Paper(
        key=stored["key"],
        title=data["title"],
        arxiv_id=data["arxiv_id"],
        year=data["year"],
        abstract=abstract,
        venue=data["venue"],
        authors=tuple(data["authors"]),
        sources=tuple(data["sources"]),
        records=records,
    )
