"""The one connection a UserDB has to its reading state: short transactions under a
lock, and the counters that tell a reader the state changed.

Several readers may write to one library at once (two terminals): every write is
its own short transaction that changes rows, never a whole blob read and written
back, so neither loses the other's changes. One connection per UserDB, used under
a lock, makes it safe to call from any thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .userdb_file import UserStateError, cause, open_database


class UserConnection:
    """The connection to one reading state file, opened when first used.

    Args:
        path: The database file; it is created on the first write.

    Attributes:
        path: The database file.
        problem: Said once when a damaged file was moved aside: for the user to be
            told (the one who tells it sets it back to None).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problem: str | None = None
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        # The reader's own writes of marks: version() changes with them, and not
        # with the query history or the session, written as the user types and reads.
        self._mark_writes = 0
        self._seen_version: int | None = None  # data_version when last asked (changed_elsewhere)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection | None]:
        """The connection (None: no state was ever written), under the lock.

        Raises:
            UserStateError: the state cannot be read.
        """
        with self._lock:
            try:
                yield self._connection(create=False)
            except sqlite3.Error as error:
                raise UserStateError(
                    f"cannot read the reading state {self.path}: {cause(error, self.path)}"
                ) from None

    @contextmanager
    def writing(self, marks: bool = True) -> Iterator[sqlite3.Connection]:
        """One short write transaction, under the lock (another process waits);
        `marks`: it changes marks (see version()). A write that fails leaves the
        state as it was (SQLite may have rolled it back already: a full disk).

        Raises:
            UserStateError: the state cannot be written (nothing was).
        """
        with self._lock:
            try:
                db = self._connection(create=True)
                assert db is not None
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        with suppress(sqlite3.Error):
                            db.execute("ROLLBACK")
                    raise
                self._mark_writes += marks
            except sqlite3.Error as error:
                raise UserStateError(
                    f"cannot save the reading state {self.path}: {cause(error, self.path)}"
                ) from None

    def version(self) -> tuple[int, int]:
        """Changes whenever another process writes the state, or this object writes
        marks (not its query history or session, written as the user types)."""
        with self.reading() as db:
            if db is None:
                return (-1, self._mark_writes)
            return (_data_version(db), self._mark_writes)

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another reader, the command line) changed the
        state since this object opened it or was last asked; its own writes do not
        count. Cheap: one pragma, no table read. A state this object never opened
        that is now on disk counts as changed (another process wrote it first)."""
        with self._lock:
            opened = self._db is not None
            with self.reading() as db:
                if db is None:
                    return False
                # SQLite changes data_version for commits of other connections only.
                version = _data_version(db)
                seen, self._seen_version = self._seen_version, version
                return not opened or version != seen

    def close(self) -> None:
        """Close the connection; the next use opens it again."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _connection(self, create: bool) -> sqlite3.Connection | None:
        if self._db is None:
            if not create and not self.path.exists():
                return None
            self._db, problem = open_database(self.path)
            self.problem = problem or self.problem
            # What this object reads from now on is up to date: changes elsewhere count
            # from here.
            self._seen_version = _data_version(self._db)
        return self._db


def _data_version(db: sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA data_version").fetchone()[0]
    return version
