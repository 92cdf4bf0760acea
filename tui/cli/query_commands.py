"""The commands that print from the library: `list`, `search` and `related` print
papers (a table, lines, --json or an export --format), `authors` the authors."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from index import EXPORT_FORMATS, ORDERS, Library, matched_fields

from ..output import print_authors, print_json, print_papers, say
from .exits import FAILED, OK, USAGE
from .index_reads import reads_index
from .reading_state import paper_states


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `list`, `search`, `related` and `authors` to the subcommands, with the
    `common` options."""
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--json", action="store_true", help="print JSON Lines")
    papers = argparse.ArgumentParser(add_help=False)
    papers.add_argument(
        "--format", choices=EXPORT_FORMATS, help="print BibTeX, Markdown or JSON Lines"
    )
    sort = argparse.ArgumentParser(add_help=False)
    sort.add_argument(
        "--sort",
        choices=ORDERS,
        help="relevance (best first; newest without a query), newest, oldest or title",
    )

    sub.add_parser("list", parents=[common, output, papers, sort], help="print every paper")
    search = sub.add_parser(
        "search", parents=[common, output, papers, sort], help="search the papers"
    )
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument(
        "--author", metavar="NAME", help="only papers of authors whose names hold these words"
    )
    search.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N (default: %(default)s)"
    )
    related = sub.add_parser(
        "related", parents=[common, output, papers], help="the papers most like one paper"
    )
    related.add_argument("key", metavar="KEY", help="the paper's key (its arXiv id, or as listed)")
    related.add_argument(
        "--limit", type=_positive, default=10, metavar="N", help="at most N (default: %(default)s)"
    )
    sub.add_parser("authors", parents=[common, output], help="print the author labels")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _output(options: argparse.Namespace) -> str | None:
    """How papers are printed: "json", an export format, or None (a table or lines)."""
    return "json" if getattr(options, "json", False) else getattr(options, "format", None)


@reads_index
def list_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts list`: every paper."""
    rows = ((paper, None, None) for paper in library.papers(order=options.sort or "newest"))
    output = _output(options)
    states = paper_states(library) if output == "json" else None
    print_papers(rows, output, config=library.config, states=states)
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
        print_papers(rows, output, title=text, config=library.config)
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
