"""Whoosh's multiprocess writer, made safe to kill, interrupt and run out of disk.

Whoosh forks its writer's worker processes and forgets them: killed, the parent
leaves them blocked on a queue for good, holding the index's locks (inherited
file descriptors) and the parent's stdout; interrupted, each prints its own
traceback; failed, the parent commits without their papers. Here a worker dies
with its parent, ignores the terminal's Ctrl-C (the parent stops it), prints
nothing, and reports a failure back so that the whole write is called off.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import multiprocessing
import os
import pickle
import queue
import shutil
import signal
import sys
import threading
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

from .codec import ArrayCodec
from .writer import ArrayPool, ArrayWriter

_PR_SET_PDEATHSIG = 1
# A worker starts a new segment once the postings it holds take about this much
# memory: a big library is written as a few segments, not one that fills memory.
POOL_BYTES = 384 * 1024 * 1024


class WorkerFailed(OSError):
    """A worker process could not index its share of the papers."""


class _Worker(SubWriterTask):
    parent = 0
    errors: multiprocessing.SimpleQueue | None = None

    def run(self) -> None:
        _outlive_no_parent(self.parent)
        _leave_the_terminal()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        try:
            self._index_jobs()
        except BaseException as error:  # reported, then this process ends quietly
            if self.errors is not None:
                code = error.errno if isinstance(error, OSError) else None
                self.errors.put((code, str(getattr(error, "strerror", None) or error)))
            os._exit(1)

    def _index_jobs(self) -> None:
        """Index the papers of each job file; send back the segments written."""
        ix = self.storage.open_index(self.indexname)
        self.writer = ArrayWriter(ix, _lk=False, **self.kwargs)
        segments = []
        while True:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
            if self.writer.pool_bytes() > POOL_BYTES:
                segments.append(self.writer._finalize_segment())
                self.writer = ArrayWriter(ix, _lk=False, **self.kwargs)
        if self.writer.doc_count():
            segments.append(self.writer._finalize_segment())
        else:
            # Not cancel(): that deletes the temporary folder every writer shares.
            # The empty segment's files are deleted with the commit.
            self.writer._close_segment()
        self.resultqueue.put(segments, timeout=5)

    def _process_file(self, filename: str, doc_count: int) -> None:
        """Index the papers of a job file (BulkWriter._enqueue), then delete it."""
        storage = self.writer.temp_storage()
        with storage.open_file(filename).raw_file() as job:
            documents = pickle.load(job)
        for fields in documents:
            try:
                self.writer.add_document(**fields)
            except OSError:
                raise  # the disk, not the paper: said as such by the parent
            except Exception as error:
                raise WorkerFailed(errno.EIO, f"{_origin(fields)}: {error}") from error
        storage.delete_file(filename)


def _origin(fields: dict) -> str:
    """Where a paper came from, as messages name it: its first dump and line."""
    with contextlib.suppress(LookupError, TypeError, ValueError):
        source, line = fields["records"][0][:2]
        return f"{source}:{line}" if line else str(source)
    return "a paper"


def _leave_the_terminal() -> None:
    """Point this process's standard streams at nothing: a failure travels back to
    the parent as data. By descriptor number, not through `sys.stdout`: inside the
    reader that is Textual's replacement, which has no file descriptor, and writing
    to it from this process would reach the reader's screen."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(devnull, descriptor)
    os.close(devnull)
    # The reader's signal handlers (a resize, a suspend) write to its event loop
    # through a descriptor this process shares: they are not this process's.
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)
    for name in ("SIGWINCH", "SIGTSTP", "SIGCONT", "SIGTTIN", "SIGTTOU"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    quiet = open(os.devnull, "w")  # noqa: SIM115 - open for the rest of the process
    sys.stdin = open(os.devnull)  # noqa: SIM115
    sys.stdout = sys.stderr = quiet


def _outlive_no_parent(parent: int) -> None:
    """End this process as soon as its parent is gone, however the parent died."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:  # other systems, and a parent that died before prctl
        while os.getppid() == parent:
            threading.Event().wait(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class BulkWriter(MpWriter, ArrayWriter):
    """MpWriter whose workers never outlive the write, whatever ends it, and write
    their segments with the array writer. Each worker's segments join the index
    as they are (Whoosh's multisegment mode): merging them costs more than it saves.
    """

    def __init__(self, ix: index.Index, procs: int, **options: object) -> None:
        MpWriter.__init__(self, ix, procs=procs, multisegment=True, codec=ArrayCodec(), **options)
        self.pool = ArrayPool(self.schema)
        self._lengths = {}
        self._plans = {}
        self._numbers = {}
        self._errors: multiprocessing.SimpleQueue = multiprocessing.SimpleQueue()

    def _new_task(self) -> _Worker:
        task = _Worker(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        task.parent = os.getpid()
        task.errors = self._errors
        task.daemon = True  # ended by multiprocessing if this process exits normally
        # A Ctrl-C arriving before the worker ignores it must not reach it: forked
        # children inherit the blocked signal mask.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            task.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        self.tasks.append(task)
        return task

    def _enqueue(self) -> None:
        """Hand the papers buffered so far to a worker as one job file: the list
        pickled at once (Whoosh pickles each paper on its own, in an old protocol:
        several times slower to write and to read)."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as job:
            pickle.dump([fields for _, fields in self.docbuffer], job, pickle.HIGHEST_PROTOCOL)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._hand_over((filename, len(self.docbuffer)))
        self.docbuffer: list = []

    def _hand_over(self, job: tuple[str, int] | None) -> None:
        """Queue a job for the workers, as soon as one has room for it; a worker that
        died leaves its share of the queue full for good, so a failure is raised
        rather than waited on."""
        while True:
            try:
                self.jobqueue.put(job, timeout=0.5)
                return
            except queue.Full:
                self._raise_failure()

    def _commit(self, mergetype, optimize, merge) -> None:  # type: ignore[no-untyped-def]
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._hand_over(None)
        segments = self._merge_segments(mergetype, optimize, merge)
        for task in self.tasks:
            task.join()
        # A worker that failed means papers missing: nothing may be committed.
        self._raise_failure()
        for _ in self.tasks:
            segments += self.resultqueue.get(timeout=5)
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()

    def _raise_failure(self) -> None:
        failed = [task for task in self.tasks if task.exitcode not in (0, None)]
        if not failed:
            return
        code, message = (None, "a worker process ended unexpectedly")
        if not self._errors.empty():
            code, message = self._errors.get()
        raise WorkerFailed(code or errno.EIO, message)

    def cancel(self) -> None:
        stop_workers(self.tasks)
        with contextlib.suppress(Exception):  # a full disk can fail closing too
            super().cancel()


def stop_workers(tasks: list) -> None:
    """End worker processes now and wait for them."""
    for task in tasks:
        if task.pid is not None and task.exitcode is None:
            with contextlib.suppress(OSError):
                task.kill()
    for task in tasks:
        if task.pid is not None:
            task.join(5)


def remove_leftovers(directory: Path) -> None:
    """Delete what an unfinished write left in an index folder: segment files no
    table of contents names, temporary folders and files. The committed index is
    untouched."""
    storage = FileStorage(str(directory))
    with contextlib.suppress(Exception):
        ix = index.open_dir(str(directory))
        toc = ix._read_toc()
        index.clean_files(storage, ix.indexname, toc.generation, toc.segments)
    with contextlib.suppress(OSError):
        for entry in directory.iterdir():
            if entry.name.endswith(".tmp"):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
