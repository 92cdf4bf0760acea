"""A note that could not be saved, kept in a file of its own: whatever the reading
state cannot take (the disk is full), the user is told where their text is."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

from .config import data_dir


def keep_unsaved(text: str, key: str) -> Path:
    """Write the note `text` on the paper `key` to a new file, and return its path:
    in the user data folder's `unsaved-notes`, else in the temporary folder (the
    data folder's disk is the one likely full).

    Raises:
        OSError: neither folder could take the file.
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-.") or "paper"
    prefix = f"note-{name}-{time.strftime('%Y%m%d-%H%M%S')}-"
    failed: OSError | None = None
    for folder in (data_dir() / "unsaved-notes", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, path = tempfile.mkstemp(prefix=prefix, suffix=".md", dir=folder)
        except OSError as error:
            failed = error
            continue
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            return Path(path)
        except OSError as error:
            failed = error
            with contextlib.suppress(OSError):
                os.unlink(path)  # a part of the note is no copy
    assert failed is not None
    raise failed
