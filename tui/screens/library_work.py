"""The main screen's work on the index, off the event loop: opening the library
and bringing it up to date at start, and taking in dumps that change while the
reader is open. Each piece of work ends in a message to the screen.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from textual.screen import Screen
from textual.worker import Worker

from index import Library, StoreError, being_built, left_locked

from ..messages import (
    DumpsUpdated,
    IndexProgress,
    IndexReady,
    LibraryBusy,
    LibraryNotice,
    LibraryOpened,
)

INDEX = "index"  # the workers' group: one piece of work on the index at a time


class LibraryWork:
    """Opens one screen's library and keeps it up to date with its dumps."""

    def __init__(self, screen: Screen, library: Library) -> None:
        self.screen = screen
        self.library = library
        self._changed: set[Path] = set()  # dumps changed, not yet taken in

    def open(self) -> None:
        """Show what the index holds at once, then bring it up to date (a failure
        is said by the screen's on_worker_state_changed)."""
        self.screen.run_worker(
            self._open, thread=True, exclusive=True, group=INDEX, exit_on_error=False
        )

    def _open(self) -> None:
        library, post = self.library, self.screen.post_message
        library.say = lambda text: post(LibraryNotice(text))
        try:
            library.store()
            post(LibraryOpened())
        except StoreError:
            pass  # nothing indexed yet: the update below builds it

        def progress(what: str, done: int, total: int) -> None:
            post(IndexProgress(what, done, total))

        report = library.update(progress)
        if report.busy and library.store_or_none() is None:
            # Another process is building the library: wait for it, saying so.
            ended = left_locked(library.index_dir)
            post(
                LibraryBusy(
                    f"its process {ended} has ended, but processes it left hold the lock"
                    if ended
                    else being_built(library.index_dir) or ""
                )
            )
            return
        post(IndexReady(report))
        library.warm_up()
        # What the library keeps for as long as it is open (its vocabularies, the
        # widgets) need not be walked by every full garbage collection: a pause
        # while typing otherwise.
        gc.freeze()

    # --- dumps that change while the reader is open ---------------------------

    def dumps_changed(self, paths: set[Path]) -> None:
        """Take in these changed dumps: now, or once the index is no longer being
        worked on (one update takes in every change since)."""
        self._changed |= paths
        self.take_in()

    def take_in(self) -> None:
        if not self._changed or self.at_work():
            return
        changed, self._changed = self._changed, set()
        self.screen.run_worker(
            lambda: self._update(changed),
            thread=True,
            group=INDEX,
            exit_on_error=False,
            description="changed dumps",
        )

    def at_work(self) -> bool:
        return any(
            worker.group == INDEX and worker.node is self.screen and not worker.is_finished
            for worker in self.screen.app.workers
        )

    def work_ended(self, worker: Worker) -> None:
        """A worker ended: if it was the index's, take in what changed meanwhile."""
        if worker.group == INDEX and worker.is_finished:
            self.take_in()

    def _update(self, changed: set[Path]) -> None:
        """The library's own update (it reads only what changed). The screen reads
        the tabs again even when it changed nothing: another process may have
        brought the index up to date already."""
        started = shown = time.monotonic()

        def progress(what: str, done: int, total: int) -> None:
            nonlocal shown
            # A small change is taken in before a bar could be read: none for it;
            # a large one moves the bar a few times a second, not once a dump.
            now = time.monotonic()
            if now - started > 0.5 and now - shown > 0.2:
                shown = now
                self.screen.post_message(IndexProgress(what, done, total))

        report = self.library.update(progress)
        self.screen.post_message(DumpsUpdated(report, changed))
