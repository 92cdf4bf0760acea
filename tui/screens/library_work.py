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
        # A read found the index damaged: its rebuild is due (see mend), and one was
        # started since a view was last shown.
        self._mend = False
        self._mended = False

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
        """Bring the index up to date with the dumps that changed, or rebuild it if
        a read found it damaged; while it is being worked on, once that is done."""
        if not (self._changed or self._mend) or self.at_work():
            return
        changed, self._changed = self._changed, set()
        self._mend = False
        self.screen.run_worker(
            lambda: self._update(changed),
            thread=True,
            group=INDEX,
            exit_on_error=False,
            description="changed dumps",
        )

    def mend(self) -> bool:
        """Rebuild the index, a read having found it damaged (the read failed, and
        the library keeps why): the update rebuilds it, saying why, then the view
        is shown again, as when dumps change. Once until a view is shown again: an
        index still unreadable once rebuilt is said, not rebuilt without end.

        Returns:
            Whether a rebuild is due or under way, after which the view is asked again.
        """
        if self.library.damage is not None and not self._mended:
            self._mended = self._mend = True
            self.take_in()
        return self._mended and (self._mend or self.at_work())

    def index_read(self) -> None:
        """A view was shown: the index reads (were it found damaged again, rebuild it)."""
        self._mended = False

    def retry(self, changed: set[Path]) -> None:
        """Another process held the index: try again, the rebuild due included."""
        self._mend |= self.library.damage is not None
        self.dumps_changed(changed)

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
