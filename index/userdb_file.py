"""The file that holds a reading state: opened checked, created whole, brought up to
date; a file that is not a readable reading state is kept aside, never overwritten.

A new database is built under a name of its own and then linked into place, so no
other process ever sees it empty or half made: a file found empty, or a database
without this program's tables, is someone else's (or what a crash left) and is
moved aside like a damaged one, to a name no other file has.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time
import urllib.parse
from pathlib import Path

# Seconds a write waits for another process's write to finish.
BUSY_SECONDS = 10.0

# Forward migrations: MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: reading state.
    (
        """CREATE TABLE papers (
            key TEXT PRIMARY KEY,
            read INTEGER NOT NULL DEFAULT 0,
            starred INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            note_updated REAL
        ) WITHOUT ROWID""",
        "CREATE TABLE tags (key TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (key, tag))"
        " WITHOUT ROWID",
        "CREATE INDEX tags_by_name ON tags (tag)",
    ),
    # 2: query history and the reader's last session.
    (
        "CREATE TABLE queries (text TEXT PRIMARY KEY, used INTEGER NOT NULL)",
        "CREATE TABLE session (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
# The tables each migration makes: a database of that version without them is not ours.
TABLES: tuple[frozenset[str], ...] = (
    frozenset({"papers", "tags"}),
    frozenset({"queries", "session"}),
)


class UserStateError(Exception):
    """The reading state cannot be read or written; the message says why, in a line."""


class Damaged(Exception):
    """The file is not a readable reading state.

    Args:
        why: What is wrong with it, in a few words.
        seen: The file's stat when it was found so (to move that file, and no other).
    """

    def __init__(self, why: str, seen: os.stat_result) -> None:
        super().__init__(why)
        self.seen = seen


def open_database(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """The reading state in `path`, created if there is none, and what was done to a
    file there that was not one (None if nothing was).

    Raises:
        UserStateError: it cannot be opened or created, or a newer version wrote it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _open_or_create(path), None
        except Damaged as damaged:
            aside = keep_aside(path, damaged.seen)
            problem = (
                None
                if aside is None  # another process moved it first, and says so
                else f"the reading state {path} could not be read ({damaged}); "
                f"it was kept as {aside} and a new one started"
            )
            return _open_or_create(path), problem
    except (Damaged, OSError, sqlite3.Error) as error:
        raise UserStateError(
            f"cannot open the reading state {path}: {cause(error, path)}"
        ) from None


def keep_aside(path: Path, seen: os.stat_result) -> Path | None:
    """Move a damaged file (and its journal) to a name of its own beside it: it is
    user data. None if the file there is no longer the one found damaged."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return None
    if (now.st_dev, now.st_ino) != (seen.st_dev, seen.st_ino):
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    number = 1
    while True:
        aside = path.with_name(f"{path.name}.damaged-{stamp}{f'-{number}' if number > 1 else ''}")
        try:  # claimed by creating it: never another damaged file's name
            os.close(os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            number += 1
    for suffix in ("-wal", "-shm", ""):
        part = Path(f"{path}{suffix}")
        if part.exists():
            os.replace(part, f"{aside}{suffix}")
    return aside


def cause(error: BaseException, path: Path | None = None) -> str:
    """Why a read or write of the database at `path` failed, in the user's terms, in
    a line. SQLite opening a database on a full disk says "disk I/O error": where the
    disk has no room left, that is said as "disk is full" too."""
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return "disk is full"
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"it cannot be written ({error.strerror})"
        return error.strerror or str(error)
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return "disk is full"
    if name.startswith("SQLITE_READONLY"):
        return "it cannot be written (read-only)"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return f"another process kept it busy for over {BUSY_SECONDS:g} seconds"
    if name.startswith("SQLITE_IOERR"):
        if path is not None and _no_room(path):
            return "disk is full"
        return f"the disk failed to read or write it ({error})"
    return " ".join(str(error).split()) or type(error).__name__


def _no_room(path: Path) -> bool:
    """Whether the disk `path` is on has no room left for a write."""
    folder = next((p for p in (path, *path.parents) if p.exists()), None)
    try:
        return folder is not None and os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def _open_or_create(path: Path) -> sqlite3.Connection:
    for _ in range(3):  # the file may be moved aside by another process meanwhile
        if not path.exists():
            _create(path)
        try:
            return _connect(path)
        except FileNotFoundError:
            continue
    raise UserStateError(f"cannot open the reading state {path}: it keeps being moved away")


def _create(path: Path) -> None:
    """A new reading state in `path`, made whole under another name first (if another
    process made one meanwhile, that one is kept)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.new")
    _remove(temporary)
    try:
        db = sqlite3.connect(temporary, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            _migrate(db, temporary)
        finally:
            db.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError as error:  # a file system without hard links
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            if not path.exists():
                os.replace(temporary, path)
    finally:
        _remove(temporary)


def _remove(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def _connect(path: Path) -> sqlite3.Connection:
    """Open the database, check it is a readable reading state and bring its schema up
    to date.

    Raises:
        FileNotFoundError: there is no file (never created here).
        Damaged: the file is not a readable reading state.
    """
    seen = os.stat(path)
    if seen.st_size == 0:
        raise Damaged("the file is empty", seen)
    where = urllib.parse.quote(str(path), safe="/", errors="surrogateescape")
    db = sqlite3.connect(
        f"file:{where}?mode=rw",
        uri=True,
        timeout=BUSY_SECONDS,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        try:
            checked = db.execute("PRAGMA quick_check").fetchall()
        except sqlite3.OperationalError:
            raise  # locked, unreadable: not the file's fault
        except sqlite3.DatabaseError as error:  # "file is not a database", "malformed"
            raise Damaged(str(error), seen) from None
        if checked != [("ok",)]:
            raise Damaged(str(checked[0][0]) if checked else "check failed", seen)
        version = _refuse_newer(db, path)  # before anything is written to it
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_schema")}
        if version == 0 or not tables >= set().union(*TABLES[:version]):
            raise Damaged("it is not a reading state of abstracts", seen)
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        _migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION, one step at a time, in one transaction
    (another process opening the same file at once waits, then finds it done)."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = _refuse_newer(db, path)
        for step in MIGRATIONS[version:]:
            for statement in step:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _refuse_newer(db: sqlite3.Connection, path: Path) -> int:
    """The schema version of the file; UserStateError if this program is too old."""
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise UserStateError(
            f"the reading state {path} was written by a newer version of abstracts"
            f" (schema {version}, this one knows {SCHEMA_VERSION}); it is left as it is"
        )
    return version
