"""Helpers shared by the dump formats."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..model import Problem, Record

_SENTENCE_END = re.compile(r"[.!?)\]\"'”’»]\s*$")


@dataclass
class Parsed:
    """What one format's parser found in one file."""

    label: str | None
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def looks_like_name(line: str) -> bool:
    """Whether a line could be an author's name heading a dump."""
    line = line.strip()
    return (
        0 < len(line) <= 80
        and len(line.split()) <= 8
        and not line.endswith((".", ":", ";"))
        and not line.lower().startswith("abstract")
        and any(char.isalpha() for char in line)
    )


def seems_cut_off(abstract: str) -> bool:
    """Whether an abstract stops mid-sentence, as the last one of a truncated file does."""
    return not _SENTENCE_END.search(abstract)


def clean_label(line: str) -> str:
    """A name line as written, without the no-break spaces scrapes put around it."""
    return " ".join(line.replace("\u00a0", " ").split())


def open_regular(path: Path) -> BinaryIO:
    """Open a dump for reading without ever blocking: a FIFO, socket or device
    (named directly or through a link) is refused instead of waited on.

    Raises:
        OSError: it cannot be opened, or is not a regular file (the message says which).
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"not a regular file ({file_kind(mode)})", str(path))
        # Regular files never block; reads go back to the ordinary blocking mode.
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = [
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ]
    return next((name for test, name in kinds if test(mode)), "a special file")
