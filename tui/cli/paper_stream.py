"""Papers printed by `list` and `search` as they come: each line, entry or JSON
object is written as soon as its paper is read, so `abstracts list | head` prints
at once whatever the library's size. Only the terminal's table waits for all."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

from index import Config, Paper, PaperState, each_bibtex, export, json_line

from ..output import Row, out, print_json, print_lines, print_papers, say


def write_papers(
    rows: Iterable[Row],
    output: str | None,
    config: Config | None,
    states: dict[str, PaperState] | None = None,
    title: str | None = None,
) -> None:
    """The papers as a table on a terminal, else one line each; or JSON Lines with
    their reading `states`, or an export format; each written as it comes."""
    if output is None and out.is_terminal:
        print_papers(rows, None, title=title, config=config)
        return
    rows = _flushed(rows)
    if output is None:
        if not print_lines(rows):
            say("No papers found.", "yellow")
    elif output == "json":
        print_json(rows, states=states)
    else:
        for text in _exported((paper for paper, _, _ in rows), output, title, config):
            sys.stdout.write(text)


def _exported(
    papers: Iterable[Paper], output: str, title: str | None, config: Config | None
) -> Iterator[str]:
    """The export of the papers, in pieces that join into export()'s whole text."""
    if output == "bibtex":
        for number, entry in enumerate(each_bibtex(papers, config)):
            yield entry if number == 0 else "\n" + entry
    elif output == "markdown":
        # export() joins a heading (if any) and each paper's section with blank lines.
        started = bool(title)
        if title:
            yield export([], "markdown", title, config)
        for paper in papers:
            yield ("\n" if started else "") + export([paper], "markdown", None, config)
            started = True
    else:
        for paper in papers:
            yield json_line(paper.to_json()) + "\n"


def _flushed(rows: Iterable[Row]) -> Iterator[Row]:
    """The rows, the output flushed after each is written (when the next is asked for)."""
    for row in rows:
        yield row
        sys.stdout.flush()
