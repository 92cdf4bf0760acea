"""The `abstracts` command: subcommands for scripting; with none, it opens the reader.

    abstracts [PATH...]                 open the reader (default: the last library)
    abstracts index PATH...             bring the index of these dumps up to date
    abstracts list | search | related | authors
                                        print papers or authors: a table, --json or --format

Exit codes: 0 all good, 1 a dump could not be read or parsed, 2 usage, 3 the
index is busy in another process, 70 an internal error. Never a traceback.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from index import Config, Library, Paper, Problem, StoreError, UpdateReport, matched_fields
from index.export import FORMATS, export, json_line
from index.library import last_library, remember_last, sample_dumps
from index.text import first_sentence, printable

COMMANDS = ("index", "list", "search", "related", "authors")
OK, FAILED, USAGE, BUSY, INTERNAL = 0, 1, 2, 3, 70

# soft_wrap: messages are never broken in the middle of a path.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", type=Path, metavar="DIR", help="where the index lives")
    common.add_argument("--config", type=Path, metavar="FILE", help="config file (TOML)")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--json", action="store_true", help="print JSON Lines")
    papers = argparse.ArgumentParser(add_help=False)
    papers.add_argument("--format", choices=FORMATS, help="print BibTeX, Markdown or JSON Lines")

    parser = argparse.ArgumentParser(
        prog="abstracts",
        description="Search and read paper abstracts from dump files.",
        epilog="Run 'abstracts [PATH...]' to open the reader.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    index = sub.add_parser("index", parents=[common], help="index dump files and folders")
    index.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    sub.add_parser("list", parents=[common, output, papers], help="print every paper")
    search = sub.add_parser("search", parents=[common, output, papers], help="search the papers")
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--author", metavar="LABEL", help="only papers of this author")
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
    return parser


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="abstracts",
        usage=f"abstracts [PATH...] [--index-dir DIR] | abstracts {{{','.join(COMMANDS)}}} ...",
        description="Open the reader on dump files and folders (default: the library "
        "opened last, or the bundled sample dumps).",
        epilog="Commands for scripting: " + ", ".join(COMMANDS) + " ('abstracts COMMAND -h').",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--index-dir", type=Path, metavar="DIR", help="where the index lives")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file (TOML)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (and exits with it as a script)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A terminal whose encoding lacks a character shows "?", rather than the
        # command failing halfway through its output.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    try:
        if args and args[0] in COMMANDS:
            options = _parser().parse_args(args)
            code = _run_command(options)
        elif args[:1] in (["-h"], ["--help"]):
            _parser().print_help()
            code = OK
        else:
            code = _open_reader(_reader_parser().parse_args(args))
    except SystemExit as exit:  # argparse: exit 2 with usage on a usage error
        code = exit.code if isinstance(exit.code, int) else USAGE
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (`abstracts list | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = OK
    except StoreError as error:
        _say(f"abstracts: {error}", "red")
        code = FAILED
    except Exception as error:  # the promise is: never a traceback
        if os.environ.get("ABSTRACTS_DEBUG"):
            raise
        _say(f"abstracts: internal error: {error!r} (ABSTRACTS_DEBUG=1 shows more)", "red")
        code = INTERNAL
    if argv is None:
        sys.exit(code)
    return code


def _config(options: argparse.Namespace) -> Config:
    return Config.load(options.config) if options.config else Config.load()


def _run_command(options: argparse.Namespace) -> int:
    config = _config(options)
    if options.command == "index":
        library = Library(options.paths, options.index_dir, config)
        report = _update(library, wait=60.0)
        _print_problems(report.problems)
        if report.busy:
            return BUSY
        remember_last(library.paths, library.index_dir)
        out.print(_cell(_summary(report, library)))
        return FAILED if report.errors else OK

    current = _current_library(options.index_dir, config)
    if current is None:
        _say(
            f"abstracts: no library is indexed in {options.index_dir}; "
            f"run 'abstracts index PATH... --index-dir {options.index_dir}'",
            "red",
        )
        return FAILED
    library = current
    report = _update(library, wait=2.0)
    if report.busy:
        _say("abstracts: another process is updating the index; results may be behind", "yellow")
    output = "json" if getattr(options, "json", False) else getattr(options, "format", None)
    if options.command == "list":
        _print_papers(
            ((paper, None, None) for paper in library.papers()), output, config=library.config
        )
    elif options.command == "search":
        text = " ".join(options.query)
        result = library.search(text, author=options.author, limit=options.limit)
        # Few or no hits: maybe a word is misspelt; the index's own words say how.
        suggestion = library.suggest(text) if (result.total or 0) < 3 else None
        rows = [(hit.paper, hit.score, matched_fields(hit)) for hit in result.hits]
        if output == "json":
            # Every line of --json is a paper; the suggestion rides along on each.
            _print_json(rows, {"suggestion": suggestion})
        else:
            _print_papers(rows, output, title=text, config=library.config)
        if output is None:
            if result.fallback:
                _say("(the query did not parse; searched for its words)", "yellow")
            _say(f"{len(result.hits)} of {result.total} matching papers", "dim")
        if suggestion:
            _say(f"Did you mean: {suggestion}", "yellow")
    elif options.command == "related":
        paper = library.get(options.key)
        if paper is None:
            _say(
                f"abstracts: no paper has the key {options.key!r} "
                "(keys are in 'abstracts list --json')",
                "red",
            )
            return FAILED
        hits = library.related(options.key, options.limit)
        _print_papers(
            [(hit.paper, hit.score, None) for hit in hits],
            output,
            title=f"Related to {paper.title or paper.key}",
            config=library.config,
        )
    else:
        _print_authors(library, options.json)
    return OK


def _current_library(index_dir: Path | None, config: Config) -> Library | None:
    """The library a command without paths works on."""
    if index_dir is not None:
        try:
            return Library.at(index_dir, config)
        except FileNotFoundError:
            return None
    last = last_library()
    if last is not None:
        paths, directory = last
        return Library(paths, directory, config)
    return Library([sample_dumps()], config=config)


def _update(library: Library, wait: float) -> UpdateReport:
    """Bring the index up to date, with a progress bar when a person is watching."""
    if not err.is_terminal:
        return library.update(wait=wait)
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("checking dumps", total=None)

        def progress(what: str, done: int, total: int) -> None:
            # Progress reads markup in descriptions: what is said is shown as written.
            bar.update(task, description=escape(printable(what)), completed=done, total=total)

        return library.update(progress, wait=wait)


def _summary(report: UpdateReport, library: Library) -> str:
    parts = [f"{len(report.read)} read", f"{report.unchanged} unchanged"]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    if report.rebuilt:
        parts.append("index built anew")
    return f"{report.papers} papers ({', '.join(parts)}) in {library.index_dir}"


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        kind, style = ("error", "red") if problem.error else ("warning", "yellow")
        _say(f"{kind}: {problem}", style)


def _say(message: str, style: str = "") -> None:
    """A message for the person at the terminal (stderr), quoting text as written."""
    err.print(_cell(message, style))


def _cell(text: str, style: str = "") -> Text:
    """Text to print: never markup, and no control character reaches the terminal."""
    return Text(printable(text), style)


# A paper to print, with its score and the fields that matched where it was searched for.
Row = tuple[Paper, float | None, list[str] | None]
Rows = Iterable[Row]


def _print_json(rows: Rows, extra: dict | None = None) -> None:
    for paper, score, matched in rows:
        data = paper.to_json()
        if score is not None:
            data["score"] = round(score, 4)
        if matched is not None:
            data["matched"] = matched
        _write_json(data | (extra or {}))


def _write_json(data: dict) -> None:
    _write_line(json_line(data))


def _print_papers(
    rows: Rows, output: str | None, title: str | None = None, config: Config | None = None
) -> None:
    """Papers as a table on a terminal, else one line each; or JSON Lines, BibTeX, Markdown."""
    if output == "json":
        _print_json(rows)
        return
    if output is not None:
        sys.stdout.write(export((paper for paper, _, _ in rows), output, title, config))
        return
    if not out.is_terminal:
        if not _print_lines(rows):
            _say("No papers found.", "yellow")
        return
    rows = list(rows)
    if not rows:
        _say("No papers found.", "yellow")
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
        heading = (
            _cell(paper.title)
            if paper.title
            else _cell(first_sentence(paper.abstract), "italic dim")
        )
        cells = [
            heading,
            _cell(str(paper.year or "")),
            _cell(paper.arxiv_id or ""),
            _cell(", ".join(paper.authors)),
        ]
        if matched:
            cells.append(_cell(", ".join(fields or ())))
        if scored:
            cells.append(_cell(f"{score:.2f}"))
        table.add_row(*cells)
    out.print(table)


def _print_lines(rows: Rows) -> int:
    """One line per paper for other programs, tab-separated: arXiv id, year, title,
    authors, key; printed as they come. Returns how many."""
    count = 0
    for paper, _, _ in rows:
        fields = (
            paper.arxiv_id or "",
            str(paper.year or ""),
            paper.title or first_sentence(paper.abstract),
            "; ".join(paper.authors),
            paper.key,
        )
        _write_line("\t".join(_one_line(field) for field in fields))
        count += 1
    return count


def _one_line(text: str) -> str:
    """A field that cannot break the line or the columns it is printed in."""
    return printable(" ".join(text.split()))


def _print_authors(library: Library, as_json: bool) -> None:
    rows = library.coauthors()
    if as_json:
        for author, papers, shared in rows:
            _write_json(author.to_json() | {"shared": papers, "shares_with": shared})
        return
    if not out.is_terminal:  # one line each for other programs: author, file, papers, shared
        for author, _, shared in rows:
            fields = (
                author.author,
                Path(author.source).name,
                str(author.papers),
                "; ".join(f"{name} ({count})" for name, count in shared.items()),
            )
            _write_line("\t".join(_one_line(field) for field in fields))
        return
    table = Table()
    table.add_column("Author")
    table.add_column("Source")
    table.add_column("Papers", justify="right")
    table.add_column("Shares papers with")
    for author, _, shared in rows:
        table.add_row(
            _cell(author.author),
            _cell(Path(author.source).name),
            _cell(str(author.papers)),
            _cell("; ".join(f"{name} ({count})" for name, count in shared.items())),
        )
    out.print(table)


def _write_line(line: str) -> None:
    sys.stdout.write(line + "\n")


def _open_reader(options: argparse.Namespace) -> int:
    config = _config(options)
    missing = [path for path in options.paths if not path.exists() and not path.is_symlink()]
    if missing:
        for path in missing:
            _say(f"abstracts: {path}: no such file or folder", "red")
        err.print("usage: abstracts [PATH...]   (abstracts -h for more)")
        return USAGE
    if options.paths:
        library = Library(options.paths, options.index_dir, config)
    else:
        library = _current_library(options.index_dir, config) or Library(
            [sample_dumps()], options.index_dir, config
        )
    from .app import AbstractsApp  # Textual loads only for the reader

    remember_last(library.paths, library.index_dir)
    AbstractsApp(library).run()
    return OK
