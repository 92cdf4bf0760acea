"""Messages said before the library (and Rich) are loaded: usage errors, a
mistyped command; text from the command line shown without control characters."""

from __future__ import annotations

import sys


def shown(text: str) -> str:
    """The text with every character that could act on a terminal escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def say_plain(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(shown(message) + "\n")
