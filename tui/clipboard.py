"""Copying text out of the reader: the system clipboard, else the terminal's.

pyperclip reaches the system clipboard where there is one (a desktop session);
without one (no display, over SSH) the terminal's clipboard escape, OSC 52,
carries the text to the user's own terminal.
"""

from __future__ import annotations

import os
import sys

import pyperclip

from index.text import printable


def clipboard_text(text: str) -> str:
    """What is copied: the text as written, with control characters as visible symbols.

    A paste must never carry an escape sequence (or a bidi override) from a dump
    into a terminal or an editor; newlines and tabs are kept.
    """
    return printable(text)


def system_clipboard_copy(text: str) -> bool:
    """Copy with pyperclip; False where there is no system clipboard to copy to."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False  # pyperclip would find no clipboard, or one of another session
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return False
    return True
