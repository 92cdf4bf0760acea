"""The reader's background work: threads that never keep it from quitting, and
failures that are always said."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from index import StoreError


class DaemonThreads(ThreadPoolExecutor):
    """Runs each job on a daemon thread of its own.

    The event loop runs thread workers on its default executor; a pool's threads
    are waited for when the program ends, so a job blocked in a read of a slow
    file would keep the reader alive after the user quit. Daemon threads are not
    waited for.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to whoever awaits the future
                future.set_exception(error)
            else:
                future.set_result(result)

        threading.Thread(target=run, daemon=True, name="abstracts-worker").start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: the threads end with the program."""


# What each group of background work was doing, for the message when it fails.
DOING = {
    "index": "Could not bring the library up to date",
    "search": "The search failed",
    "related": "Could not find related papers",
    "authors": "Could not list the authors",
    "export": "Could not export",
    "clipboard": "Could not copy",
    "browser": "Could not open the browser",
    "pins": "Could not pin or unpin",
    "paper": "Could not open the paper",
    "history": "Could not read or write the query history",
    "session": "Could not save or restore where the reader was",
    "state": "Could not read or save the reading state",
    "state-elsewhere": "Could not show the reading state changed elsewhere",
    "theme": "Could not remember the theme in the config file",
}


def failure_message(error: BaseException | None) -> str:
    """A worker's error in words, for a notification: no traceback."""
    if isinstance(error, StoreError):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    if error is None:
        return "an unknown error"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
