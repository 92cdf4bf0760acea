"""What the commands print: a table on a terminal, one line per row for other
programs, or JSON Lines; messages for the person at the terminal on stderr.

Text from dumps never acts on the terminal: it is printed as rich Text (never
markup) with its control characters made visible, except in JSON, which keeps it
exactly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from index import AuthorInfo, Config, Paper, PaperState, Problem, export, json_line, printable

# soft_wrap: messages are never broken in the middle of a path.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# A paper to print, with its score and the fields that matched where it was searched for.
Row = tuple[Paper, float | None, list[str] | None]
Rows = Iterable[Row]
# Each dump's author, how many of its papers others share, and with whom (Library.coauthors).
AuthorRow = tuple[AuthorInfo, int, dict[str, int]]

# A terminal shows this many of a collection's authors; JSON and pipes get all.
AUTHORS_SHOWN = 200


def say(message: str, style: str = "") -> None:
    """A message for the person at the terminal (stderr), quoting text as written."""
    err.print(cell(message, style))


def cell(text: str, style: str = "") -> Text:
    """Text to print: never markup, and no control character reaches the terminal."""
    return Text(printable(text), style)


def print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        kind, style = ("error", "red") if problem.error else ("warning", "yellow")
        say(f"{kind}: {problem}", style)


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr for the time of some work, and the callback that moves it."""
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("checking dumps", total=None)

        def progress(what: str, done: int, total: int) -> None:
            # Progress reads markup in descriptions: what is said is shown as written.
            bar.update(task, description=escape(printable(what)), completed=done, total=total)

        yield progress


def print_json(
    rows: Rows, extra: dict | None = None, states: dict[str, PaperState] | None = None
) -> None:
    """One JSON object per paper, with `extra` keys on every line and, given the
    reading states of papers, each paper's: read, starred, tags, note."""
    for paper, score, matched in rows:
        data = paper.to_json()
        if states is not None:
            state = states.get(paper.key) or PaperState(paper.key)
            data |= {
                "read": state.read,
                "starred": state.starred,
                "tags": list(state.tags),
                "note": state.note,
            }
        if score is not None:
            data["score"] = round(score, 4)
        if matched is not None:
            data["matched"] = matched
        write_json(data | (extra or {}))


def print_papers(
    rows: Rows,
    output: str | None,
    title: str | None = None,
    config: Config | None = None,
    states: dict[str, PaperState] | None = None,
) -> None:
    """Papers as a table on a terminal, else one line each; or JSON Lines, BibTeX, Markdown."""
    if output == "json":
        print_json(rows, states=states)
        return
    if output is not None:
        sys.stdout.write(export((paper for paper, _, _ in rows), output, title, config))
        return
    if not out.is_terminal:
        if not print_lines(rows):
            say("No papers found.", "yellow")
        return
    rows = list(rows)
    if not rows:
        say("No papers found.", "yellow")
        return
    table = Table(show_lines=False, expand=True)
    table.add_column("Title", ratio=3)
    table.add_column("Year", no_wrap=True)
    table.add_column("arXiv", no_wrap=True)
    table.add_column("Authors", ratio=1)
    scored = rows[0][1] is not None
    matched = rows[0][2] is not None
    if matched:
        table.add_column("Matched", no_wrap=True)
    if scored:
        table.add_column("Score", justify="right", no_wrap=True)
    for paper, score, fields in rows:
        # Text objects, never markup strings: "[2]-[4]" in a title shows as written.
        # An untitled paper's first sentence stands in for its title, set apart.
        heading = cell(paper.heading(), "" if paper.title else "italic dim")
        cells = [
            heading,
            cell(str(paper.year or "")),
            cell(paper.arxiv_id or ""),
            cell(", ".join(paper.authors)),
        ]
        if matched:
            cells.append(cell(", ".join(fields or ())))
        if scored:
            cells.append(cell(f"{score:.2f}"))
        table.add_row(*cells)
    out.print(table)


def print_lines(rows: Rows) -> int:
    """One line per paper for other programs, tab-separated: arXiv id, year, title,
    authors, key; printed as they come. Returns how many."""
    count = 0
    for paper, _, _ in rows:
        fields = (
            paper.arxiv_id or "",
            str(paper.year or ""),
            paper.heading(),
            "; ".join(paper.authors),
            paper.key,
        )
        write_line("\t".join(one_line(field) for field in fields))
        count += 1
    return count


def print_authors(rows: list[AuthorRow], others: list[tuple[str, int]], as_json: bool) -> None:
    """The dumps' authors with the papers they share, then a collection's `others`
    (name, papers): a table on a terminal, else one line each, or JSON Lines."""
    if as_json:
        for author, papers, shared in rows:
            write_json(author.to_json() | {"shared": papers, "shares_with": shared})
        for name, papers in others:
            write_json({"author": name, "source": None, "papers": papers})
        return
    if not out.is_terminal:  # one line each for other programs: author, file, papers, shared
        for author, _, shared in rows:
            fields = (
                author.author,
                Path(author.source).name,
                str(author.papers),
                _shares(shared),
            )
            write_line("\t".join(one_line(field) for field in fields))
        for name, papers in others:
            write_line("\t".join((one_line(name), "", str(papers), "")))
        return
    table = Table()
    table.add_column("Author")
    table.add_column("Source")
    table.add_column("Papers", justify="right")
    table.add_column("Shares papers with")
    for author, _, shared in rows:
        table.add_row(
            cell(author.author),
            cell(Path(author.source).name),
            cell(str(author.papers)),
            cell(_shares(shared)),
        )
    for name, papers in others[:AUTHORS_SHOWN]:
        table.add_row(cell(name), cell("(collection)", "dim"), cell(str(papers)), Text(""))
    out.print(table)
    if len(others) > AUTHORS_SHOWN:
        say(
            f"…and {len(others) - AUTHORS_SHOWN:,} more authors with fewer papers "
            "(--json, or a pipe, lists them all)",
            "dim",
        )


def _shares(shared: dict[str, int]) -> str:
    return "; ".join(f"{name} ({count})" for name, count in shared.items())


def one_line(text: str) -> str:
    """A field that cannot break the line or the columns it is printed in."""
    return printable(" ".join(text.split()))


def write_json(data: dict) -> None:
    write_utf8_line(json_line(data))


def write_utf8_line(line: str) -> None:
    """A line of JSON: UTF-8 whatever the locale's encoding (JSON is UTF-8), where a
    terminal's encoding would turn what it lacks into "?"."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(line + "\n")
        return
    sys.stdout.flush()  # what was written as text comes first
    buffer.write((line + "\n").encode("utf-8", "backslashreplace"))


def write_line(line: str) -> None:
    sys.stdout.write(line + "\n")
