"""Copying text out of the reader: the system clipboard, else the terminal's, and
the notice that says which.

pyperclip reaches the system clipboard where there is one (a desktop session);
without one (no display, over SSH) the terminal's clipboard escape, OSC 52,
carries the text to the user's own terminal.
"""

from __future__ import annotations

import os
import sys

import pyperclip
from textual.app import App

from index import printable


def copy(app: App, text: str, what: str) -> None:
    """Copy `text` to the system clipboard, else through the terminal, and notify
    which, naming the text as `what` ("the abstract of …").

    pyperclip may run a helper program: it runs in a worker, not on the UI thread.
    """
    text = clipboard_text(text)

    def to_system_clipboard() -> None:
        system = system_clipboard_copy(text)
        app.call_from_thread(_copied, app, text, what, system)

    app.run_worker(to_system_clipboard, thread=True, group="clipboard", exit_on_error=False)


def _copied(app: App, text: str, what: str, system: bool) -> None:
    # Always the app's own clipboard too, so ctrl+v in the search box pastes it.
    app.copy_to_clipboard(text)
    size = f"{len(text):,} characters"
    if system:
        app.notify(f"Copied {what} ({size}) to the clipboard.", title="Copied")
    elif os.environ.get("TERM_PROGRAM") == "Apple_Terminal":
        app.notify(
            f"No clipboard can be reached from here (this terminal ignores OSC 52): "
            f"{what} was not copied.",
            severity="warning",
        )
    else:
        app.notify(
            f"Copied {what} ({size}) through the terminal's clipboard (OSC 52).",
            title="Copied",
        )


def has_display() -> bool:
    """Whether a desktop session can be reached: always, but on Linux only with an
    X or Wayland display (over SSH there is none)."""
    return not sys.platform.startswith("linux") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def clipboard_text(text: str) -> str:
    """What is copied: the text as written, with control characters as visible symbols.

    A paste must never carry an escape sequence (or a bidi override) from a dump
    into a terminal or an editor; newlines and tabs are kept.
    """
    return printable(text)


def system_clipboard_copy(text: str) -> bool:
    """Copy with pyperclip; False where there is no system clipboard to copy to."""
    if not has_display():
        return False  # pyperclip would find no clipboard, or one of another session
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return False
    return True
