"""The manifest of a library's index (library.json, beside it): per dump, its size,
mtime and hash, the label and format it was read with, how many papers it gave
and its problems; and the index files as committed, to notice damage cheaply.

It is written after the index commits: a process killed in between leaves dumps
that look changed, and the next run simply does that work again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path

from .engine.errors import StoreError
from .engine.schema import SCHEMA_VERSION
from .engine.store import Store
from .files import write_json
from .model import Problem

MANIFEST = "library.json"


def read_manifest(index_dir: Path) -> dict | None:
    """The manifest, or None: there is none, it cannot be read, or another version wrote it."""
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("schema") != SCHEMA_VERSION
        or not isinstance(data.get("dumps"), dict)
    ):
        return None
    return data


def write_manifest(index_dir: Path, paths: Sequence[Path], dumps: dict[str, dict]) -> None:
    """Record the dumps' entries, and the index files as they are now committed."""
    write_json(
        index_dir / MANIFEST,
        {
            "schema": SCHEMA_VERSION,
            "paths": [str(p) for p in paths],
            "dumps": dumps,
            "index": _index_files(index_dir),
        },
    )


def manifest_paths(index_dir: Path) -> list[Path]:
    """The paths the library in `index_dir` was indexed from, by any version.

    Raises:
        FileNotFoundError: nothing was ever indexed there.
    """
    try:
        paths = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["paths"]
        return [Path(p) for p in paths]
    except (OSError, ValueError, KeyError, TypeError):
        raise FileNotFoundError(f"no library is indexed in {index_dir}") from None


def manifest_damage(index_dir: Path, manifest: dict | None) -> str | None:
    """Why a manifest that is there cannot be used (None: it can, or there is none)."""
    if manifest is not None or not (index_dir / MANIFEST).exists():
        return None
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{MANIFEST} cannot be read"
    if isinstance(data, dict) and data.get("schema") != SCHEMA_VERSION:
        return "written by another version"
    return f"{MANIFEST} is not as expected"


def _index_files(index_dir: Path) -> dict[str, list]:
    """The index's files as committed: each file's size, and the TOC's hash too (it
    is small, and names everything else). Leftovers of other writes are not listed."""
    files: dict[str, list] = {}
    try:
        names = Store.files(index_dir)
    except StoreError:
        return files  # nothing to compare with: its damage is found on opening
    for name in names:
        path = index_dir / name
        with suppress(OSError):
            toc = name.endswith(".toc")
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if toc else None
            files[name] = [path.stat().st_size, digest]
    return files


def index_damage(index_dir: Path, manifest: dict) -> str | None:
    """Why the index no longer matches what was committed, or None: cheap enough
    for every start (a stat per index file, the TOC read), not a full check."""
    recorded = manifest.get("index")
    if not isinstance(recorded, dict):
        return None  # an index written before files were recorded
    if _generation(index_dir) > max(map(_toc_generation, recorded), default=-1):
        # Committed after this manifest was written (by a process killed before it
        # wrote the next one): not damage; the dumps look changed and are read again.
        return None
    for name, (size, digest) in recorded.items():
        path = index_dir / name
        try:
            actual = path.stat().st_size
            if actual != size:
                return f"{name} is {actual:,} bytes, was {size:,}"
            if digest is not None and hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return f"{name} was changed"
        except OSError as error:
            return f"{name}: {error.strerror or error}"
    return None


def _toc_generation(name: str) -> int:
    """The generation of a TOC file's name (_MAIN_12.toc: 12), -1 for other files."""
    _, _, generation = name.removesuffix(".toc").rpartition("_")
    return int(generation) if name.endswith(".toc") and generation.isdigit() else -1


def _generation(index_dir: Path) -> int:
    """The newest generation of the index on disk (-1: none)."""
    try:
        return max((_toc_generation(name) for name in os.listdir(index_dir)), default=-1)
    except OSError:
        return -1


def same_file(path: Path, entry: dict, config_label: str | None) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns, config_label) == (
        entry["size"],
        entry["mtime_ns"],
        entry["config_label"],
    )


def stored_problems(entries: dict[str, dict]) -> list[Problem]:
    return [
        Problem(path, message, line, error)
        for path, entry in entries.items()
        for line, message, error in entry.get("problems", [])
    ]


def problem_list(problems: Iterable[Problem]) -> list[list]:
    return [[p.line, p.message, p.error] for p in problems]


def keeps_papers(entry: dict) -> bool:
    return bool(entry.get("kept") and entry.get("records"))
