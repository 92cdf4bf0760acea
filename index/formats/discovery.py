"""Which files of the paths a user named are dumps."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from ..model import Problem
from .common import file_kind

# Dumps in folders are the files with these endings (or none); a file named on
# the command line is read whatever its name.
DUMP_SUFFIXES = {".txt", ".text", ".dump", "", ".jsonl", ".ndjson"}


def find_dumps(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """The dump files named or inside the folders named, each once, in a stable order.

    FIFOs, sockets and devices are skipped with a message (reading one could block
    for good), whether named, in a folder or behind a link.
    """
    found: dict[Path, None] = {}
    problems: list[Problem] = []
    for root in paths:
        kind = _kind(root)
        if kind == "folder":

            def walk_error(error: OSError, root: Path = root) -> None:
                problems.append(
                    Problem(error.filename or str(root), f"cannot read folder: {error.strerror}")
                )

            for folder, dirs, names in os.walk(root, onerror=walk_error):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(n for n in names if not n.startswith(".")):
                    path = Path(folder) / name
                    if not _is_dump_name(name):
                        continue
                    kind = _kind(path)
                    # A broken link or a loop is kept, to be reported (and its papers kept) later.
                    if kind in _READ_LATER:
                        found[path] = None
                    elif kind != "folder":
                        problems.append(
                            Problem(str(path), f"{kind}, not a dump; skipped", error=False)
                        )
        elif kind in _READ_LATER:
            found[root] = None
        elif kind == "missing":
            problems.append(Problem(str(root), "no such file or folder"))
        else:
            problems.append(Problem(str(root), f"{kind}, not a dump; skipped"))
    return list(found), problems


# What a path is, for find_dumps: these are listed as dumps, to be read or reported.
_READ_LATER = ("file", "broken link", "symlink loop")


def _kind(path: Path) -> str:
    """What a path is: a file, folder, missing, broken link, symlink loop, or another kind."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symlink loop"
        return "broken link" if os.path.islink(path) else "missing"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else file_kind(mode)


def _is_dump_name(name: str) -> bool:
    lower = name.lower()
    return Path(lower).suffix in DUMP_SUFFIXES or lower.endswith((".jsonl.gz", ".ndjson.gz"))


def named_as_dump(folder: Path, path: Path) -> bool:
    """Whether find_dumps, walking `folder`, takes `path` for a dump by its name: no
    hidden folder or file on the way there, and a dump's ending (or none)."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    return bool(parts) and not any(p.startswith(".") for p in parts) and _is_dump_name(parts[-1])
