"""A note edited in the user's editor ($VISUAL, $EDITOR, else vi), through a file in
a temporary folder of its own that is kept, and named, whenever what was written
could not be taken."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..output import say
from .exits import FAILED, Stop


def edited_file(note: str) -> Path:
    """The file the user's editor left the note in, in a folder of its own in the
    temporary folder (removed once the note is saved).

    Args:
        note: the note as it is now, which the editor starts from.

    Raises:
        Stop: the editor could not run, or failed (the note is left as it was).
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    path = Path(tempfile.mkdtemp(prefix="abstracts-note-")) / "note.md"
    path.write_text(note, encoding="utf-8")
    try:
        done = subprocess.run([*shlex.split(editor), str(path)], check=False)
    except (OSError, ValueError) as error:
        discard(path)
        say(f"abstracts: cannot run the editor {editor!r}: {error}", "red")
        raise Stop(FAILED) from None
    if done.returncode != 0:
        # vi exits 1 after :wq when a message was shown: what was written is kept.
        changed = not path.exists() or path.read_bytes() != note.encode("utf-8")
        if changed and path.exists():
            say(
                f"abstracts: the editor exited with {done.returncode}; note left as it was; "
                f"what you wrote is kept in {path}",
                "red",
            )
        else:
            discard(path)
            say(f"abstracts: the editor exited with {done.returncode}; note left as it was", "red")
        raise Stop(FAILED)
    return path


def read_edited(path: Path) -> str:
    """The note in the editor's file.

    Args:
        path: the file `edited_file` returned.

    Raises:
        Stop: the file is gone, or is not UTF-8 (then it is kept, and named).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        discard(path)
        say(f"abstracts: the editor deleted the note's file {path}; note left as it was", "red")
        raise Stop(FAILED) from None
    except OSError as error:
        say(f"abstracts: cannot read the edited note {path}: {error.strerror}", "red")
        raise Stop(FAILED) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        say(
            f"abstracts: the edited note is not UTF-8 (byte {error.start}); "
            f"note left as it was, what you wrote is kept in {path}",
            "red",
        )
        raise Stop(FAILED) from None


def discard(path: Path) -> None:
    """Remove the editor's file and its folder, once the note is saved."""
    shutil.rmtree(path.parent, ignore_errors=True)
