"""Which library a command works on: the dumps `--library` names, else the index
folder it was given, else the library opened last, else the bundled sample dumps;
and what it says when that library is missing or another process holds it.

A library named by `--library` is read, indexed first if need be, but never
becomes the library in use: the bare commands read what they read before.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from index import (
    Config,
    Library,
    being_built,
    find_dumps,
    last_library,
    left_locked,
    sample_dumps,
)

from ..output import err, print_problems, say
from .exits import BUSY, FAILED, Stop
from .index_update import update


def config_of(options: argparse.Namespace) -> Config:
    """The config file `--config` names, else the user's own."""
    return Config.load(options.config) if options.config else Config.load()


def current_library(index_dir: Path | None, config: Config) -> Library | None:
    """The library a command without paths works on (None: `index_dir` holds none)."""
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


def library_to_read(options: argparse.Namespace) -> Library:
    """The library a command without paths reads, brought up to date as far as it
    can be (saying so when another process is updating it).

    Raises:
        Stop: there is no library to read.
    """
    config = config_of(options)
    paths = getattr(options, "library", None)
    if paths:
        check_paths(paths)
        library: Library | None = Library(paths, options.index_dir, config)
    else:
        library = current_library(options.index_dir, config)
    if library is None:
        if being_built(options.index_dir) is not None:
            raise Stop(_building(options.index_dir))
        say(
            f"abstracts: no library is indexed in {options.index_dir}; "
            f"run 'abstracts index PATH... --index-dir {options.index_dir}'",
            "red",
        )
        raise Stop(FAILED)
    report = update(library, wait=2.0)
    if report.busy:
        if library.store_or_none() is None:  # its first build is under way
            raise Stop(_building(library.index_dir))
        busy = _left_locked(library.index_dir)
        if busy is None:
            progress = being_built(library.index_dir)
            how_far = f" ({progress})" if progress else ""
            busy = f"abstracts: another process is updating the index{how_far}"
        say(f"{busy}; results may be behind", "yellow")
    if report.stale:
        print_problems([p for p in report.problems if p.path == str(library.index_dir)])
    if paths:
        print_problems(report.problems)
    if err.is_terminal:  # which library answered, for the person reading
        say(f"library: {', '.join(str(path) for path in library.paths)}", "dim")
    return library


def check_paths(paths: Sequence[Path]) -> None:
    """Stop, in one line, unless every path exists and they hold a dump between them.

    Raises:
        Stop: a path is missing, or none holds a dump (nothing was changed).
    """
    missing = [str(path) for path in paths if not path.exists() and not path.is_symlink()]
    if missing:
        say(f"abstracts: no such file or folder: {', '.join(missing)}", "red")
        raise Stop(FAILED)
    found, _ = find_dumps(paths)
    if not found:
        named = ", ".join(str(path) for path in paths)
        say(f"abstracts: no dump file in {named}", "red")
        raise Stop(FAILED)


def _building(index_dir: Path) -> int:
    """Say that another process is building the library, and how far it got."""
    if (ended := _left_locked(index_dir)) is not None:
        say(f"{ended}; they must end before it can be read", "yellow")
        return BUSY
    progress = being_built(index_dir)
    how_far = f" ({progress})" if progress else ""
    say(
        f"abstracts: the library in {index_dir} is being built by another process"
        f"{how_far}; try again when it is done",
        "yellow",
    )
    return BUSY


def _left_locked(index_dir: Path) -> str | None:
    """What holds the index's lock, if the process that took it has ended."""
    pid = left_locked(index_dir)
    if pid is None:
        return None
    return (
        f"abstracts: the index in {index_dir} is locked by processes left over from "
        f"abstracts process {pid}, which has ended"
    )
