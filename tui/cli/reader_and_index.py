"""The commands given dumps: `abstracts [PATH...]` opens the reader on them, and
`abstracts index PATH...` brings their index up to date; either makes them the
library in use, once they are found to hold dumps."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from index import Library, UpdateReport, being_built, remember_last, sample_dumps

from ..output import cell, out, print_problems, say
from .exits import BUSY, FAILED, OK
from .index_update import update
from .library_choice import check_paths, config_of, current_library


def open_reader(options: argparse.Namespace) -> int:
    """`abstracts [PATH...]`: the reader, on these dumps or the library chosen for it."""
    config = config_of(options)
    if options.paths:
        check_paths(options.paths)  # before anything is remembered or built
        library = Library(options.paths, options.index_dir, config)
    else:
        library = current_library(options.index_dir, config) or Library(
            [sample_dumps()], options.index_dir, config
        )
    from ..app import AbstractsApp  # Textual loads only for the reader

    remember_last(library.paths, library.index_dir)
    AbstractsApp(library, restore=not options.no_restore, watch=not options.no_watch).run()
    return OK


def index_command(options: argparse.Namespace) -> int:
    """`abstracts index PATH...`: bring the index of these dumps up to date."""
    check_paths(options.paths)  # the library in use stays as it was
    library = Library(options.paths, options.index_dir, config_of(options))
    progress = being_built(library.index_dir)
    if progress is not None:
        how_far = f" ({progress})" if progress else ""
        say(f"abstracts: waiting for another process updating the index{how_far}…")
    report = update(library, wait=60.0)
    print_problems(report.problems)
    if report.busy:
        return BUSY
    if report.papers == 0 and report.errors:
        say("abstracts: no dump could be read; the library in use is left as it was", "red")
        return FAILED
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
