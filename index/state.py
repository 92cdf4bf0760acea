"""What the reader remembers between runs, in the user state folder: the library
opened last, and the authors and tags pinned in each library. Failing to read it is never
an error: a first run starts from nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .config import Config, state_dir
from .files import write_json

TAG_PINS = "pinned-tags.json"


def remember_last(paths: Sequence[Path], index_dir: Path) -> None:
    """Remember the library for the next run without paths; failing that is harmless."""
    try:
        folder = state_dir()
        folder.mkdir(parents=True, exist_ok=True)
        data = {"paths": [str(p) for p in paths], "index_dir": str(index_dir)}
        write_json(folder / "last.json", data)
    except OSError:
        pass


def last_library() -> tuple[list[Path], Path] | None:
    """The library opened last, if any is remembered."""
    try:
        data = json.loads((state_dir() / "last.json").read_text(encoding="utf-8"))
        return [Path(p) for p in data["paths"]], Path(data["index_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pinned_authors(config: Config, index_dir: Path) -> list[str]:
    """Authors with a tab of their own: the config's, then those pinned in the reader
    of the library indexed in `index_dir` (a pin belongs to the library it was made in)."""
    saved = _read_pins().get(str(index_dir), [])
    names = list(config.pinned) + [n for n in saved if isinstance(n, str)]
    return list(dict.fromkeys(names))


def set_pinned(names: Sequence[str], index_dir: Path) -> None:
    """Remember the authors pinned in the reader of one library (the config's stay
    pinned anyway)."""
    pins = _read_pins()
    pins[str(index_dir)] = list(dict.fromkeys(names))
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "pinned.json", {"libraries": pins})


def pinned_tags(index_dir: Path) -> list[str]:
    """The tags with a tab of their own in the library indexed in `index_dir`."""
    saved = _read_pins(TAG_PINS).get(str(index_dir), [])
    return list(dict.fromkeys(n for n in saved if isinstance(n, str)))


def set_pinned_tags(names: Sequence[str], index_dir: Path) -> None:
    """Remember the tags pinned in the reader of one library."""
    pins = _read_pins(TAG_PINS)
    pins[str(index_dir)] = list(dict.fromkeys(names))
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / TAG_PINS, {"libraries": pins})


def _read_pins(name: str = "pinned.json") -> dict[str, list]:
    try:
        saved = json.loads((state_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # Before pins had a library they were one list, shown in every library: they are
    # let go rather than pinned everywhere again.
    libraries = saved.get("libraries") if isinstance(saved, dict) else None
    return {k: v for k, v in (libraries or {}).items() if isinstance(v, list)}
