"""Bringing a library's index up to date for a command: saying why it is rebuilt,
showing its progress to a person watching, and stopping cleanly on Ctrl-C."""

from __future__ import annotations

from index import Library, UpdateReport

from ..output import err, progress_bar, say


def update(library: Library, wait: float) -> UpdateReport:
    """Bring the index up to date, saying why it is rebuilt if it is damaged.

    Ctrl-C stops it with one line: the index keeps what it held before.

    Args:
        library: the library whose index is brought up to date.
        wait: how many seconds to wait for another process updating it.

    Returns:
        What the update did, or that it found the index busy.
    """
    _watch(library)
    try:
        return library.update(wait=wait)
    except KeyboardInterrupt:
        held = library.papers_held()
        after = "" if held is None else f"; the index still holds {held} papers"
        say(f"stopped{after}", "yellow")
        raise


def _watch(library: Library) -> None:
    """Say why the index is rebuilt, whenever that is found (a search can find it
    too), and show its progress when a person is watching."""
    library.say = lambda message: say(f"abstracts: {message}", "yellow")
    if err.is_terminal:
        library.watch = progress_bar
