"""Where things live, and the small config file users may write.

The config file (TOML) names the authors of dumps that name none:

    [labels]
    "000_e4898e36c2f54974.txt" = "Apple Speech"   # by file name
    "/home/me/dumps/listing.txt" = "Jane Doe"     # or by path

and which authors of a collection get a tab of their own in the reader:

    pinned = ["Yoshua Bengio", "Saachi Jain"]

whether the reader opens where it was left (the last tab, query and paper):

    restore = false

whether the reader follows changes to the dumps while it is open:

    watch = false

and the widest an abstract is laid out in the reader, in columns (0: as wide as
the viewer), so that lines stay readable on a wide terminal:

    text_width = 88

The reader's theme (chosen in its command palette, which writes it here):

    theme = "textual-light"
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import PlatformDirs

from .model import Problem
from .sample_labels import sample_label

APP = "abstracts"
DIRS = PlatformDirs(APP, appauthor=False)
# Columns an abstract is laid out in at most: some 12-15 words a line, as in a book.
TEXT_WIDTH = 88


def config_path() -> Path:
    """The config file: $ABSTRACTS_CONFIG, else config.toml in the user config dir."""
    return Path(os.environ.get("ABSTRACTS_CONFIG") or Path(DIRS.user_config_dir) / "config.toml")


def cache_dir() -> Path:
    """Where indexes are kept: they are caches, built again whenever needed."""
    return Path(DIRS.user_cache_dir)


def state_dir() -> Path:
    """Where the program remembers the last library opened."""
    return Path(DIRS.user_state_dir)


def data_dir() -> Path:
    """Where the user's own data is kept (reading state, notes): never a cache."""
    return Path(DIRS.user_data_dir)


@dataclass(frozen=True)
class Config:
    labels: dict[str, str] = field(default_factory=dict)
    pinned: tuple[str, ...] = ()
    restore: bool = True  # the reader opens where it was left
    watch: bool = True  # the reader follows changes to the dumps
    text_width: int = TEXT_WIDTH  # the widest the viewer lays text out (0: no limit)
    theme: str | None = None  # the reader's theme, by name (None: Textual's default)
    problems: tuple[Problem, ...] = ()

    def label_for(self, path: Path) -> str | None:
        """The label the user gave a dump, by its path or its file name (else, for a
        bundled sample dump that names no author, the one it is shipped with)."""
        return self.labels.get(str(path)) or self.labels.get(path.name) or sample_label(path)

    @classmethod
    def load(cls, path: Path | None = None) -> Config:
        """Read the config; a missing file is an empty config, a broken one a problem."""
        path = path or config_path()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            return cls(problems=(Problem(str(path), f"config ignored: {error}"),))
        labels = data.get("labels", {})
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            return cls(problems=(Problem(str(path), "[labels] must map file names to names"),))
        pinned = data.get("pinned", [])
        if not isinstance(pinned, list) or not all(isinstance(v, str) for v in pinned):
            return cls(problems=(Problem(str(path), "pinned must be a list of names"),))
        restore = data.get("restore", True)
        if not isinstance(restore, bool):
            return cls(problems=(Problem(str(path), "restore must be true or false"),))
        watch = data.get("watch", True)
        if not isinstance(watch, bool):
            return cls(problems=(Problem(str(path), "watch must be true or false"),))
        text_width = data.get("text_width", TEXT_WIDTH)
        if not isinstance(text_width, int) or isinstance(text_width, bool) or text_width < 0:
            return cls(problems=(Problem(str(path), "text_width must be a number of columns"),))
        theme = data.get("theme")
        if theme is not None and not isinstance(theme, str):
            return cls(problems=(Problem(str(path), "theme must be a theme's name"),))
        resolved = {
            (str(Path(k).expanduser().resolve()) if os.sep in k else k): v.strip()
            for k, v in labels.items()
            if v.strip()
        }
        return cls(
            labels=resolved,
            pinned=tuple(p.strip() for p in pinned if p.strip()),
            restore=restore,
            watch=watch,
            text_width=text_width,
            theme=(theme.strip() or None) if theme else None,
        )


def save_theme(name: str, path: Path | None = None) -> None:
    """Write `theme = "name"` into the config file, the rest of it kept as written
    (the line replaced where there is one, else added before the first table).

    Raises:
        OSError: the file cannot be read or written.
    """
    path = path or config_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    setting = f"theme = {json.dumps(name, ensure_ascii=False)}"  # a TOML basic string
    tables = [n for n, line in enumerate(lines) if line.lstrip().startswith("[")]
    top = tables[0] if tables else len(lines)  # settings before the first table
    for number, line in enumerate(lines[:top]):
        if re.match(r"\s*theme\s*=", line):
            lines[number] = setting
            break
    else:
        lines.insert(top, setting)
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = path.with_name(path.name + ".new")
    kept.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(kept, path)  # whole or not at all
