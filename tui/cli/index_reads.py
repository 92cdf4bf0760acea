"""Commands that read the index: given the library, up to date, and run once more
after a rebuild when a read finds the index damaged."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable

from index import Library, StoreError

from .index_update import update
from .library_choice import library_to_read


def reads_index(
    command: Callable[[argparse.Namespace, Library], int],
) -> Callable[[argparse.Namespace], int]:
    """A command that reads the index, given the library brought up to date.

    A read can find the index damaged where the update's checks did not (its files
    whole in size, garbled inside): the read fails, and the index is rebuilt as an
    update rebuilds it, saying why, before the command runs once more. Each of these
    commands reads what it needs of the index before it prints or writes anything,
    so nothing is done twice; `list`, which prints each paper as it reads it, is run
    again only when its first read fails (Library.each_paper).
    """

    @functools.wraps(command)
    def run(options: argparse.Namespace) -> int:
        library = library_to_read(options)
        try:
            return command(options, library)
        except StoreError:
            if library.damage is None:
                raise
        update(library, wait=2.0)
        return command(options, library)

    return run
