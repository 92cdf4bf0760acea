"""What shell completion offers where the words come from the library: the tags in
use and the authors' names. The library is opened as it is (never updated: a
completion must answer at once) only when one of these is asked for."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

# A shell lists this many at most: more help nobody choose.
MOST = 200


def paths(prefix: str, **_: Any) -> Iterable[str]:
    """File and folder names, as the shell completes them."""
    from argcomplete.completers import FilesCompleter

    return FilesCompleter()(prefix)


def tags_in_use(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    """The tags of the library the command would read, most used first."""
    library = _library(parsed_args)
    if library is None:
        return []
    try:
        tags = [tag for tag, _count in library.user.tags()]
    finally:
        library.close()
    return [tag for tag in tags if tag.startswith(prefix.lower())][:MOST]


def author_names(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    """The dumps' authors and the collections' authors whose names start with the
    prefix (any case), dumps' first."""
    library = _library(parsed_args)
    if library is None:
        return []
    try:
        names = [info.author for info in library.authors()]
        names += [name for name, _papers in library.collection_authors()]
    except Exception:  # a damaged or missing index: nothing to offer
        return []
    finally:
        library.close()
    wanted = prefix.casefold()
    found = [name for name in dict.fromkeys(names) if name.casefold().startswith(wanted)]
    return found[:MOST]


def _library(parsed_args: argparse.Namespace) -> Any:
    """The library the command would read, as it is (None: there is none)."""
    from index import Library

    from .library_choice import config_of, current_library

    config = config_of(parsed_args)
    paths = getattr(parsed_args, "library", None)
    if paths:
        return Library(paths, getattr(parsed_args, "index_dir", None), config)
    return current_library(getattr(parsed_args, "index_dir", None), config)
