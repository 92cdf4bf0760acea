"""Following a library's dumps while it is open: which of them changed, once they
settle; and its reading-state database, which other processes write too.

The system says when a file changes (inotify on Linux, through watchfiles), so
nothing runs while nothing changes. An editor saving writes a file several times
and a big copy writes many: changes are gathered until the files have been quiet
for a moment, then told at once, so that one update takes them all in (a flood
that goes on is told every few seconds). A watched folder removed or moved away
is waited for, and followed again once it is back.
"""

from __future__ import annotations

import os
import queue
import stat
import threading
import time
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from watchfiles import Change, watch
from watchfiles.main import FileChange

from .formats.discovery import named_as_dump

# Seconds without a change that end a burst of them, and the most a burst is
# gathered for: a flood of new dumps (a long copy) is taken in a batch at a time,
# each shown as it comes, rather than all at its end.
QUIET = 0.7
MOST = 5.0
# Milliseconds after which watchfiles answers "no change": its first answer says
# the watch is set up. (Between its short sleeps it looks at the stop event, so
# stopping takes less.)
_WAKE = 250


class DumpWatcher:
    """Watches dump files and folders, and tells which dumps changed once they settle.

    A folder is watched with everything under it, and a change counts where
    find_dumps would see a dump (no hidden files, a dump's ending). A dump file
    named by itself is watched through its folder, alone: an editor that saves by
    writing a new file and renaming it over the old one is followed too.

    Args:
        paths: Dump files and folders (a Library's paths).
        changed: Told the changed paths once no change came for `quiet` seconds,
            on a thread of the watcher's; the next changes wait until it returns.
        problem: Told, once for each, why a path cannot be watched or no longer is.
        quiet: Seconds without a change that end a burst.
        ignore: A folder whose changes never count (the index, if it is inside a
            watched folder: writing it must not look like a change of the dumps).
        most: Seconds after which a burst that goes on is told so far.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        changed: Callable[[set[Path]], object],
        problem: Callable[[str], object],
        quiet: float = QUIET,
        ignore: Path | None = None,
        most: float = MOST,
    ) -> None:
        self.paths = [Path(os.path.abspath(path)) for path in paths]
        self.quiet = quiet
        self.most = most
        self._changed = changed
        self._problem = problem
        self._ignore = Path(os.path.abspath(ignore)) if ignore is not None else None
        self._stop = threading.Event()
        self._changes: queue.SimpleQueue[set[Path] | None] = queue.SimpleQueue()
        self._ready: list[threading.Event] = []  # one per thread that watches
        self._said: set[str] = set()
        self._said_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start watching, in threads of its own (it touches no file on the caller's)."""
        # A path missing now (a folder not mounted yet, a dump not yet copied) is
        # waited for like a folder gone, and followed as what it turns out to be.
        folders = [path for path in self.paths if path.is_dir() or not path.exists()]
        targets: list[tuple[Callable[..., None], tuple]] = []
        for folder in folders:  # a thread each: one folder gone leaves the others watched
            self._ready.append(threading.Event())
            targets.append((self._follow_folder, (folder, self._ready[-1])))
        self._ready.append(threading.Event())  # the files named by themselves
        targets += [(self._follow_files, ()), (self._settle, ())]
        for target, args in targets:
            thread = threading.Thread(target=target, args=args, daemon=True, name="abstracts-watch")
            thread.start()
            self._threads.append(thread)

    def wait_ready(self, timeout: float) -> bool:
        """Wait until every path is watched (or found unwatchable); False on timeout."""
        deadline = time.monotonic() + timeout
        return all(ready.wait(max(0.0, deadline - time.monotonic())) for ready in self._ready)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop watching and wait (up to `timeout` seconds) for its threads to end.

        Changes not yet told are dropped.
        """
        self._stop.set()
        self._changes.put(None)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    @property
    def running(self) -> bool:
        """Whether any of its threads is still running."""
        return any(thread.is_alive() for thread in self._threads)

    # --- the threads --------------------------------------------------------

    def _follow_folder(self, folder: Path, ready: threading.Event) -> None:
        """Watch a folder and everything under it until stopped. A folder removed
        or moved away is waited for, and watched again once it is back: then all
        its dumps are told, as any of them may have changed meanwhile."""

        def counts(path: Path) -> bool:
            if self._ignore is not None and path.is_relative_to(self._ignore):
                return False
            if not path.is_relative_to(folder) or path == folder:
                return False  # the folder itself: told by _watch_folder
            parts = path.relative_to(folder).parts
            if any(part.startswith(".") for part in parts):
                return False
            # A folder may hold dumps; a path gone may have been one.
            return named_as_dump(folder, path) or not path.is_file()

        back = False
        while not self._stop.is_set():
            identity = _identity(folder)
            if identity is None and folder.is_file():  # made as a dump, not a folder
                self._changes.put({folder})
                files = {folder, Path(os.path.realpath(folder))}
                self._follow(sorted({f.parent for f in files}), False, files.__contains__, ready)
                return
            if identity is None:  # gone (or not yet back): look again in a while
                ready.set()
                back = True
                self._stop.wait(_WAKE / 1000)
                continue
            if back:
                with self._said_lock:
                    self._said.discard(str(folder))  # said again if it goes again
            if not self._watch_folder(folder, identity, counts, ready, back):
                return
            back = True  # gone, or another folder now: all of it is told once watched

    def _watch_folder(
        self,
        folder: Path,
        identity: tuple[int, int],
        counts: Callable[[Path], bool],
        ready: threading.Event,
        back: bool,
    ) -> bool:
        """Watch `folder` while it is the folder `identity` names (its device and
        inode), queueing the changed paths that count; False if it cannot be
        watched (said), True once it is gone or stopped."""
        changes = self._watch([folder], recursive=True)
        try:
            for changed in changes:
                ready.set()
                if back:  # what came while it was away, or while the watch was set up
                    self._changes.put({folder})
                    back = False
                # Removed or moved away, if only for a moment:
                itself = any(c == Change.deleted and Path(p) == folder for c, p in changed)
                found = {Path(path) for _, path in changed}
                found = {path for path in found if counts(path)}
                if found:
                    self._changes.put(found)
                # Removed, or moved away (the watch would follow it there): its
                # dumps are gone from the library until it is back. Made again
                # at once, it may have the old inode: its own removal tells.
                now = _identity(folder)
                if now != identity or itself:
                    self._changes.put({folder})
                    if now is None:
                        self._say(folder, "it was removed")
                    return True
        except (OSError, RuntimeError) as error:  # watchfiles's own errors are RuntimeErrors
            if _identity(folder) != identity:
                return True  # went away as the watch was set up: waited for
            if not self._stop.is_set():
                self._say(folder, _reason(error))
            return False
        finally:
            changes.close()
            ready.set()
        return True

    def _follow_files(self) -> None:
        files: set[Path] = set()
        folders: set[Path] = set()
        for path in self.paths:
            if path.is_dir() or not path.exists():
                continue  # followed by _follow_folder
            # Its folder is watched, so that a file renamed over it, or made again
            # after it was deleted, is seen; a link's target's folder as well.
            for each in {path, Path(os.path.realpath(path))}:
                if each.parent.is_dir():
                    files.add(each)
                    folders.add(each.parent)
                else:
                    self._say(each.parent, "no such folder")
        self._follow(sorted(folders), False, files.__contains__, self._ready[-1])

    def _watch(self, roots: list[Path], recursive: bool) -> Generator[set[FileChange]]:
        """The changes under `roots` as watchfiles yields them, until stopped: an
        empty set every `_WAKE` milliseconds without one (the first says the watch
        is set up)."""
        return watch(
            *roots,
            watch_filter=None,
            stop_event=self._stop,
            rust_timeout=_WAKE,
            yield_on_timeout=True,
            recursive=recursive,
            ignore_permission_denied=True,  # an unreadable subfolder: the rest
            raise_interrupt=False,
        )

    def _follow(
        self,
        roots: list[Path],
        recursive: bool,
        counts: Callable[[Path], bool],
        ready: threading.Event,
    ) -> None:
        """Watch `roots` until stopped, queueing the changed paths that count."""
        if not roots:
            ready.set()
            return
        try:
            for changes in self._watch(roots, recursive):
                ready.set()
                if not changes:
                    continue
                paths = {Path(path) for _, path in changes}
                for root in roots:
                    if root in paths and not root.exists():
                        self._say(root, "it was removed")
                found = {path for path in paths if counts(path)}
                if found:
                    self._changes.put(found)
        except (OSError, RuntimeError) as error:  # watchfiles's own errors are RuntimeErrors
            if not self._stop.is_set():
                where = ", ".join(str(root) for root in roots)
                self._say(where, _reason(error))
        finally:
            ready.set()

    def _settle(self) -> None:
        """Tell the changes once they settle (no change for `quiet` seconds), or
        after `most` seconds of changes."""
        while True:
            first = self._changes.get()
            if first is None:
                return
            pending = set(first)
            deadline = time.monotonic() + max(self.most, self.quiet)
            while (left := deadline - time.monotonic()) > 0:
                try:
                    more = self._changes.get(timeout=min(self.quiet, left))
                except queue.Empty:
                    break
                if more is None:
                    return
                pending |= more
            try:
                self._changed(pending)
            except Exception as error:  # a thread's failure would go unseen
                self._problem(f"Could not take in the changed dumps: {error!r}.")

    def _say(self, where: Path | str, why: str) -> None:
        """Say once that changes under `where` are not followed, and why."""
        with self._said_lock:
            if str(where) in self._said or self._stop.is_set():
                return
            self._said.add(str(where))
        self._problem(f"Changes to {where} are not followed: {why}.")


# Milliseconds of quiet that end a burst of writes to the state database, and the
# most a burst is gathered for: a script starring papers in a loop is shown a few
# times a second, not once per star.
STATE_STEP = 100
STATE_DEBOUNCE = 500


class StateWatcher:
    """Tells when a SQLite database file changes on disk: the file itself or its
    write-ahead log (`-wal`), where a commit in WAL mode writes.

    Its folder is watched, not the file: the database may not exist yet (no state
    ever written), and the first write by another process must still be seen. The
    folder is made if it is missing. Whose write it was is not its business: the
    caller asks the database (UserDB.changed_elsewhere).

    Args:
        path: The database file.
        changed: Called once a burst of writes settles, on the watcher's thread;
            writes meanwhile are gathered for the next call.
        problem: Told once why the file cannot be watched.
    """

    def __init__(
        self, path: Path, changed: Callable[[], object], problem: Callable[[str], object]
    ) -> None:
        self.path = Path(os.path.abspath(path))
        self._names = {self.path.name, f"{self.path.name}-wal"}
        self._changed = changed
        self._problem = problem
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True, name="abstracts-state")

    def start(self) -> None:
        """Start watching, in a thread of its own."""
        self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the folder is watched (or found unwatchable); False on timeout."""
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop watching and wait (up to `timeout` seconds) for its thread to end."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _follow(self) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for changes in watch(
                folder,
                watch_filter=None,
                debounce=STATE_DEBOUNCE,
                step=STATE_STEP,
                stop_event=self._stop,
                rust_timeout=_WAKE,
                yield_on_timeout=True,  # the first yield says the watch is set up
                recursive=False,
                raise_interrupt=False,
            ):
                self._ready.set()
                if any(Path(path).name in self._names for _, path in changes):
                    self._tell()
        except (OSError, RuntimeError) as error:  # watchfiles's own errors are RuntimeErrors
            if not self._stop.is_set():
                self._problem(f"Changes to {self.path} are not followed: {_reason(error)}.")
        finally:
            self._ready.set()

    def _tell(self) -> None:
        try:
            self._changed()
        except Exception as error:  # a thread's failure would go unseen; watching goes on
            self._problem(f"Could not take in the changed reading state: {error!r}.")


def _identity(folder: Path) -> tuple[int, int] | None:
    """The device and inode of a folder (None: there is none at that path)."""
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


def _reason(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
