"""The commands that print from the library: `list`, `search` and `related` print
papers (a table, lines, --json or an export --format), `authors` the authors."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from index import Library, matched_fields

from ..output import print_authors, print_json, print_papers, say
from .exits import FAILED, OK, USAGE
from .index_reads import reads_index
from .paper_stream import write_papers
from .reading_state import paper_states


def _output(options: argparse.Namespace) -> str | None:
    """How papers are printed: "json", an export format, or None (a table or lines)."""
    return "json" if getattr(options, "json", False) else getattr(options, "format", None)


@reads_index
def list_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts list`: every paper."""
    papers = library.each_paper(order=options.sort or "newest")
    output = _output(options)
    states = paper_states(library) if output == "json" else None
    # Each paper is printed as it is read: the first at once, however many follow.
    write_papers(((paper, None, None) for paper in papers), output, library.config, states)
    return OK


@reads_index
def search_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts search QUERY`: the best matches, and a correction when few match."""
    output = _output(options)
    text = " ".join(options.query)
    searched = text
    if options.author is not None:
        name = _author_phrase(options.author)
        if name is None:
            say(f"abstracts: --author {options.author!r} holds no name", "red")
            return USAGE
        if not library.search(name, limit=1).total:
            closest = library.suggest(name)
            also = f"; closest: {closest.removeprefix('author:')}" if closest else ""
            say(f"abstracts: no author matches {options.author!r}{also}", "red")
            return FAILED
        searched = f"({text}) {name}"
    result = library.search(searched, limit=options.limit, order=options.sort or "relevance")
    # Few or no hits: maybe a word is misspelt; the index's own words say how.
    suggestion = library.suggest(text) if (result.total or 0) < 3 else None
    rows = [(hit.paper, hit.score, matched_fields(hit)) for hit in result.hits]
    if output == "json":
        # Every line of --json is a paper; the suggestion rides along on each.
        print_json(rows, {"suggestion": suggestion}, paper_states(library))
    else:
        write_papers(rows, output, library.config, title=text)
    if output is None:
        if result.fallback:
            say("(the query did not parse; searched for its words)", "yellow")
        say(f"{len(result.hits)} of {result.total} matching papers", "dim")
    if suggestion:
        say(f"Did you mean: {suggestion}", "yellow")
    return OK


def _author_phrase(name: str) -> str | None:
    """`--author NAME` as the query clause `author:` would be: any part of a name,
    its words in order ("Saachi Jain" and "Jain, Saachi" are both indexed)."""
    words = re.findall(r"\w+", name)
    if not words:
        return None
    return f'author:"{" ".join(words)}"' if len(words) > 1 else f"author:{''.join(words)}"


@reads_index
def related_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts related KEY`: the papers most like one paper."""
    paper = library.get(options.key)
    if paper is None:
        say(
            f"abstracts: no paper has the key {options.key!r} "
            "(keys are in 'abstracts list --json')",
            "red",
        )
        return FAILED
    hits = library.related(options.key, options.limit)
    print_papers(
        [(hit.paper, hit.score, None) for hit in hits],
        _output(options),
        title=f"Related to {paper.title or paper.key}",
        config=library.config,
    )
    return OK


@reads_index
def authors_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts authors`: the dumps' authors, who shares papers with whom, and the
    authors of the library's collections."""
    print_authors(library.coauthors(), library.collection_authors(), options.json)
    return OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": list_command,
    "search": search_command,
    "related": related_command,
    "authors": authors_command,
}
