"""Citations of papers: a one-line reference and a BibTeX entry.

A dump that names no author is labelled by its file name (`000_e4898e36c2f54974`);
such a label says whose dump it is, not who wrote the paper, so citations leave
it out. Names from a dump or from the config are authors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from .config import Config
from .model import Paper
from .sample_labels import sample_label
from .text import display_name, printable, without_surrogates


def cited_authors(paper: Paper, config: Config | None = None) -> list[str]:
    """The paper's authors as a citation names them: no label taken from a file name."""
    named = {author for record in paper.records for author in record.authors}
    from_file_names = set()
    for record in paper.records:
        if record.label is None:
            continue
        if _label_from_file_name(record.label, record.source, config):
            from_file_names.add(record.label)
        else:
            named.add(record.label)
    return [author for author in paper.authors if author not in from_file_names - named]


def _label_from_file_name(label: str, source: str, config: Config | None) -> bool:
    path = Path(source)
    if label == sample_label(path):  # a bundled sample's label names a page, not a person
        return True
    if config is not None and config.label_for(path):
        return False
    return label == without_surrogates(path.stem)[0]


def citation(paper: Paper, config: Config | None = None) -> str:
    """One line: title, authors, arXiv id (with year), venue; safe to paste anywhere."""
    parts = [paper.heading()]
    authors = cited_authors(paper, config)
    if authors:
        parts.append(", ".join(display_name(a) for a in authors))
    if paper.arxiv_id:
        parts.append(f"arXiv:{paper.arxiv_id}" + (f" ({paper.year})" if paper.year else ""))
    elif paper.year:
        parts.append(str(paper.year))
    if paper.venue:
        parts.append(paper.venue)
    line = ". ".join(" ".join(part.split()).rstrip(".") for part in parts) + "."
    return printable(line)


def bibtex(paper: Paper, config: Config | None = None, key: str | None = None) -> str:
    """A BibTeX @misc entry, with the arXiv fields where there is an id.

    Every field holds the paper's text as written: the characters TeX would read
    as commands are escaped, so the file compiles and shows them literally.
    """
    fields = [("title", paper.heading(limit=200))]
    authors = cited_authors(paper, config)
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    if paper.venue:
        fields.append(("note", paper.venue))
    fields.append(("abstract", paper.abstract))
    body = [(name, bib_escape(value)) for name, value in fields]
    if authors:
        # "Jain, Saachi" is already BibTeX's "Last, First" form; others stay as written.
        body.insert(1, ("author", " and ".join(_bib_name(bib_escape(a)) for a in authors)))
    if paper.arxiv_id:  # arXiv ids hold no TeX specials
        body.insert(-1, ("url", f"https://arxiv.org/abs/{bib_escape(paper.arxiv_id)}"))
    lines = ",\n".join(f"  {name} = {{{value}}}" for name, value in body)
    return f"@misc{{{key or bibtex_key(paper, config)},\n{lines}\n}}\n"


def bibtex_entries(papers: Iterable[Paper], config: Config | None = None) -> str:
    """BibTeX entries of many papers, each key unique (jain2024openai, jain2024openaia, …)."""
    return "\n".join(each_bibtex(papers, config))


def each_bibtex(papers: Iterable[Paper], config: Config | None = None) -> Iterator[str]:
    """The BibTeX entry of each paper as it comes, its key unique among them: a key
    met before takes the first free suffix a, b, …, z, aa, … as BibTeX tools do."""
    used: set[str] = set()
    for paper in papers:
        base = bibtex_key(paper, config)
        key = base
        number = 0
        while key in used:
            key = base + _letters(number)
            number += 1
        used.add(key)
        yield bibtex(paper, config, key)


def _letters(number: int) -> str:
    """a, b, …, z, aa, ab, …: the suffix that tells apart papers with the same key."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# Title words too common to tell papers apart.
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at by can do does for from how in into is it its of on onto or our "
        "the their this to toward towards via what when where which who why with",
    )
)


def bibtex_key(paper: Paper, config: Config | None = None) -> str:
    """A readable key: first author's last name, year, first significant title word.

    One token of ASCII letters and digits, so every BibTeX and LaTeX reads it: a
    last name's particles and hyphens are joined ("van der Berg" -> vanderberg,
    "Brown-Cohen" -> browncohen), accents dropped (Müller -> muller). The key is
    made from the paper alone, so it is the same at every run.
    """
    authors = cited_authors(paper, config)
    last = _last_name(authors[0]) if authors else ""
    # A name with no ASCII letter in its last name (CJK) falls back to the whole name.
    name = _token(last) or (_token(authors[0]) if authors else "")
    words = re.findall(r"[a-z0-9]+", _ascii(paper.title or paper.abstract))
    word = next((w for w in words if w not in _STOPWORDS and not w.isdigit()), "")
    return f"{name or 'anon'}{paper.year or ''}{word}"


def _last_name(name: str) -> str:
    """The last name with its particles, as BibTeX splits a name: before the comma
    of "von Last, First", else the last word with the lower-case words before it
    ("Jan van der Berg" -> "van der Berg")."""
    if "," in name:
        return name.split(",")[0]
    parts = name.split()
    if not parts:
        return ""
    start = len(parts) - 1
    # A name written all in lower case has no particles to tell apart.
    while start > 0 and parts[start - 1][:1].islower() and not parts[-1][:1].islower():
        start -= 1
    return " ".join(parts[start:])


# Letters NFKD does not take apart into an ASCII letter and an accent.
_TRANSLITERATED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


def _ascii(text: str) -> str:
    """Lower-case ASCII letters, digits and spaces of the text, accents dropped
    (Müller → muller); a hyphen parts words (Müller-Lyer → muller lyer)."""
    plain = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATED))
    plain = plain.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9 ]+", "", plain.replace("-", " "))


def _token(name: str) -> str:
    """A name as one token of a key: its ASCII letters and digits, joined."""
    return _ascii(name).replace(" ", "")


def _bib_name(name: str) -> str:
    # "and" inside one name would split it into two authors: braces keep it whole.
    return f"{{{name}}}" if re.search(r"\sand\s", name, re.IGNORECASE) else name


# TeX's special characters, as commands that print them.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_SPECIAL = re.compile(r"[\\{}$&%#_~^]")
# Pairs TeX's fonts join into one sign ("--" is a dash, "``" a quote): kept apart.
_LIGATURE = re.compile(
    r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=<)(?=<)|(?<=>)(?=>)|(?<=,)(?=,)|(?<=[?!])(?=`)"
)


def bib_escape(value: str) -> str:
    """A field's text for BibTeX: on one line, TeX specials escaped, controls visible."""
    flat = " ".join(printable(value).split())
    escaped = _TEX_SPECIAL.sub(lambda match: _TEX_SPECIALS[match[0]], flat)
    return _LIGATURE.sub("{}", escaped)
