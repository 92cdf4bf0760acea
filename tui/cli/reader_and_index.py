"""The commands given dumps: `abstracts [PATH...]` opens the reader on them, and
`abstracts index PATH...` brings their index up to date."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from index import Library, UpdateReport, being_built, remember_last, sample_dumps

from ..output import cell, err, out, print_problems, say
from .exits import BUSY, FAILED, OK, USAGE
from .index_update import update
from .library_choice import config_of, current_library


def reader_parser(commands: Sequence[str]) -> argparse.ArgumentParser:
    """The arguments of `abstracts [PATH...]`, whose help names the other `commands`."""
    parser = argparse.ArgumentParser(
        prog="abstracts",
        usage=f"abstracts [PATH...] [--index-dir DIR] | abstracts {{{','.join(commands)}}} ...",
        description="Open the reader on dump files and folders (default: the library "
        "opened last, or the bundled sample dumps).",
        epilog="Commands for scripting: " + ", ".join(commands) + " ('abstracts COMMAND -h').",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--index-dir", type=Path, metavar="DIR", help="where the index lives")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file (TOML)")
    parser.add_argument(
        "--no-restore",
        action="store_true",
        help="start on all papers, not where the reader was left (config: restore = false)",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not follow changes to the dumps and the reading state made while the reader"
        " is open (config: watch = false)",
    )
    return parser


def open_reader(options: argparse.Namespace) -> int:
    """`abstracts [PATH...]`: the reader, on these dumps or the library chosen for it."""
    config = config_of(options)
    missing = [path for path in options.paths if not path.exists() and not path.is_symlink()]
    if missing:
        for path in missing:
            say(f"abstracts: {path}: no such file or folder", "red")
        err.print("usage: abstracts [PATH...]   (abstracts -h for more)")
        return USAGE
    if options.paths:
        library = Library(options.paths, options.index_dir, config)
    else:
        library = current_library(options.index_dir, config) or Library(
            [sample_dumps()], options.index_dir, config
        )
    from ..app import AbstractsApp  # Textual loads only for the reader

    remember_last(library.paths, library.index_dir)
    AbstractsApp(library, restore=not options.no_restore, watch=not options.no_watch).run()
    return OK


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `index` to the subcommands, with the `common` options."""
    index = sub.add_parser("index", parents=[common], help="index dump files and folders")
    index.add_argument("paths", nargs="+", type=Path, metavar="PATH")


def index_command(options: argparse.Namespace) -> int:
    """`abstracts index PATH...`: bring the index of these dumps up to date."""
    library = Library(options.paths, options.index_dir, config_of(options))
    progress = being_built(library.index_dir)
    if progress is not None:
        how_far = f" ({progress})" if progress else ""
        say(f"abstracts: waiting for another process updating the index{how_far}…")
    report = update(library, wait=60.0)
    print_problems(report.problems)
    if report.busy:
        return BUSY
    remember_last(library.paths, library.index_dir)
    out.print(cell(_summary(report, library)))
    return FAILED if report.errors else OK


def _summary(report: UpdateReport, library: Library) -> str:
    parts = [f"{len(report.read)} read", f"{report.unchanged} unchanged"]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    if report.rebuilt:
        parts.append("index built anew")
    return f"{report.papers} papers ({', '.join(parts)}) in {library.index_dir}"


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"index": index_command}
