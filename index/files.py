"""Files written whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write a text file atomically: a reader never sees half of it.

    The text goes to a temporary file beside it (named for this process, so two
    processes never share one), which then replaces it.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_json(path: Path, data: object) -> None:
    """Write JSON atomically."""
    # ASCII: a path that is not UTF-8 (lone surrogates) is kept as \udcXX escapes.
    write_atomically(path, json.dumps(data, indent=1))
