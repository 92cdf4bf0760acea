"""What a reader keeps about each paper: read or not, a star, tags and a note, and
the library's query history and last session.

This is the user's own data, not a cache: it lives in a SQLite database of its own
in the user data folder, one per library, never inside the index (a rebuild must
not lose a note). It is keyed by `Paper.key` (the arXiv id, else the abstract's
fingerprint), so it survives a rebuild, a renamed or moved dump, a paper found in a
second dump, and the index folder being deleted.

Several readers may write to one library at once (two terminals): every write is
its own short transaction that changes rows (a star, one tag), never a whole blob
read and written back, so neither loses the other's changes. One connection per
UserDB, used under a lock, makes it safe to call from any thread.

A file that is not a readable reading state (damaged, empty, another program's)
is moved aside (kept beside it, named `….damaged-<time>`, never over another) and a
new one started, saying so in `problem`; a file that cannot be opened at all, or
one written by a newer version, is left as it is and raises UserStateError (see
userdb_file).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from .config import data_dir
from .text import without_surrogates
from .userdb_file import MIGRATIONS, SCHEMA_VERSION, UserStateError, cause, open_database

__all__ = [
    "HISTORY",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ImportReport",
    "PaperState",
    "UserDB",
    "UserStateError",
    "normalise_tag",
    "note_words",
]

HISTORY = 500  # queries kept per library

# Characters the query language gives a meaning to: never part of a tag, so that
# `tag:NAME` always finds a tag as it is shown.
_QUERY_CHARACTERS = re.compile(r"[\"'():\[\]{}~^*\\]")


@dataclass(frozen=True, slots=True)
class PaperState:
    """What the reader keeps about one paper."""

    key: str
    read: bool = False
    starred: bool = False
    tags: tuple[str, ...] = ()  # sorted
    note: str = ""
    note_updated: float | None = None  # unix time of the last note edit


@dataclass
class ImportReport:
    """What an import did.

    Attributes:
        records: Records read (good or bad).
        changed: Papers whose state the import changed.
        kept_notes: Notes left as they were because this library's note was newer.
        bad: Records that could not be used: (their number from 1, why).
        mended: Records imported with a change: (their number from 1, what).
    """

    records: int = 0
    changed: int = 0
    kept_notes: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)
    mended: list[tuple[int, str]] = field(default_factory=list)


def normalise_tag(tag: str) -> str:
    """A tag as it is kept: lower-case, spaces as '-', no control characters and none
    of the characters the query language uses.

    Raises:
        ValueError: nothing of the tag is left.
    """
    visible = "".join(c for c in tag if unicodedata.category(c)[0] != "C")
    name = "-".join(_QUERY_CHARACTERS.sub("", visible).lower().split()).strip("-")
    if not name:
        raise ValueError(f"not a tag: {tag!r}")
    return name


def note_words(text: str) -> list[str]:
    """The words of a note (or of a `note:` filter), as they are matched."""
    return re.findall(r"\w+", text.casefold())


class UserDB:
    """The reading state of one library (see the module's docstring).

    Args:
        path: The database file; it is created on the first write.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # Said once when a damaged file was moved aside: for the user to be told.
        self.problem: str | None = None
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        # The reader's own writes of marks: version() changes with them, and not
        # with the query history or the session, written as the user types and reads.
        self._mark_writes = 0
        self._seen_version: int | None = None  # data_version when last asked (changed_elsewhere)

    @classmethod
    def for_library(cls, index_dir: Path) -> UserDB:
        """The reading state of the library indexed in `index_dir`."""
        where = os.path.abspath(Path(index_dir).expanduser())
        digest = hashlib.sha1(where.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(where).name).strip("-")[:40] or "library"
        return cls(data_dir() / "libraries" / f"{slug}-{digest}.sqlite3")

    # --- reading ------------------------------------------------------------

    def state(self, key: str) -> PaperState:
        return self.states([key])[key]

    def states(self, keys: Iterable[str]) -> dict[str, PaperState]:
        """The state of every key asked (the default state for those without one)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, PaperState] = {}
        with self._reading() as db:
            if db is not None:
                for start in range(0, len(wanted), 500):
                    found |= _states_of(db, wanted[start : start + 500])
        return {key: found.get(key) or PaperState(key) for key in wanted}

    def all_states(self) -> dict[str, PaperState]:
        """The state of every paper that has one (a whole library listed at once)."""
        with self._reading() as db:
            if db is None:
                return {}
            keys = [k for (k,) in db.execute("SELECT key FROM papers UNION SELECT key FROM tags")]
            return {k: s for k, s in self.states(keys).items() if s != PaperState(k)}

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with its number of papers, by name."""
        with self._reading() as db:
            if db is None:
                return []
            rows = db.execute("SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY tag")
            return [(tag, count) for tag, count in rows]

    def keys(
        self,
        *,
        starred: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
        note_words: str | None = None,
        note_prefix: bool = False,
    ) -> set[str]:
        """The keys of papers with state that match every condition given.

        `read=False` gives the papers with some state that are unread (an unread
        paper without state is not in the database); `note_words` the papers whose
        note holds these words one after the other, whatever their case (with
        `note_prefix`, the last one may be the start of a word: it is being typed).
        """
        with self._reading() as db:
            if db is None:
                return set()
            found: set[str] | None = None

            def having(sql: str, *args: object) -> None:
                nonlocal found
                keys = {key for (key,) in db.execute(sql, args)}
                found = keys if found is None else found & keys

            if starred is not None:
                having("SELECT key FROM papers WHERE starred = ?", int(starred))
            if read is not None:
                having("SELECT key FROM papers WHERE read = ?", int(read))
            if tag is not None:
                try:
                    having("SELECT key FROM tags WHERE tag = ?", normalise_tag(tag))
                except ValueError:
                    return set()
            if note_words is not None:
                phrase = _words_of(note_words)
                if note_prefix:
                    phrase = phrase.rstrip()
                notes = db.execute("SELECT key, note FROM papers WHERE note != ''")
                noted = {k for k, note in notes if phrase.strip() and phrase in _words_of(note)}
                found = noted if found is None else found & noted
            if found is None:
                having("SELECT key FROM papers UNION SELECT key FROM tags")
            return found or set()

    def version(self) -> tuple[int, int]:
        """Changes whenever this object or another process writes the state."""
        with self._reading() as db:
            if db is None:
                return (-1, self._mark_writes)
            return (db.execute("PRAGMA data_version").fetchone()[0], self._mark_writes)

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another reader, the command line) changed the
        state since this object opened it or was last asked; its own writes do not
        count. Cheap: one pragma, no table read. A state this object never opened
        that is now on disk counts as changed (another process wrote it first)."""
        with self._lock:
            opened = self._db is not None
            with self._reading() as db:
                if db is None:
                    return False
                # SQLite changes data_version for commits of other connections only.
                version = _data_version(db)
                seen, self._seen_version = self._seen_version, version
                return not opened or version != seen

    # --- writing ------------------------------------------------------------

    def set_read(self, key: str, read: bool = True) -> None:
        with self._writing() as db:
            _set(db, key, "read", read)

    def toggle_read(self, key: str) -> bool:
        """Mark the paper read if it was not, else unread; its new value."""
        with self._writing() as db:
            return _toggle(db, key, "read")

    def set_starred(self, key: str, starred: bool) -> None:
        with self._writing() as db:
            _set(db, key, "starred", starred)

    def toggle_star(self, key: str) -> bool:
        """Star the paper if it was not, else take the star off; its new value."""
        with self._writing() as db:
            return _toggle(db, key, "starred")

    def add_tag(self, key: str, tag: str) -> None:
        """Tag a paper (see normalise_tag; ValueError for a tag of nothing)."""
        name = normalise_tag(tag)
        with self._writing() as db:
            db.execute("INSERT OR IGNORE INTO tags (key, tag) VALUES (?, ?)", (key, name))

    def remove_tag(self, key: str, tag: str) -> None:
        try:
            name = normalise_tag(tag)
        except ValueError:
            return
        with self._writing() as db:
            db.execute("DELETE FROM tags WHERE key = ? AND tag = ?", (key, name))

    def set_note(self, key: str, text: str) -> None:
        """Replace the paper's note; "" deletes it."""
        with self._writing() as db:
            _set_note(db, key, text, time.time())

    # --- query history and session ------------------------------------------

    def remember_query(self, text: str) -> None:
        """Put a query first in the history (once: an older copy goes)."""
        text = text.strip()
        if not text:
            return
        with self._writing(marks=False) as db:
            db.execute(
                "INSERT INTO queries (text, used)"
                " VALUES (?, (SELECT coalesce(max(used), 0) + 1 FROM queries))"
                " ON CONFLICT (text) DO UPDATE SET used = excluded.used",
                (text,),
            )
            db.execute(
                "DELETE FROM queries WHERE used <="
                " (SELECT used FROM queries ORDER BY used DESC LIMIT 1 OFFSET ?)",
                (HISTORY,),
            )

    def queries(self, limit: int = HISTORY) -> list[str]:
        """The queries remembered, newest first."""
        with self._reading() as db:
            if db is None:
                return []
            rows = db.execute("SELECT text FROM queries ORDER BY used DESC LIMIT ?", (limit,))
            return [text for (text,) in rows]

    def save_session(self, data: dict[str, object]) -> None:
        """Remember the reader's place (JSON-able: TypeError otherwise)."""
        text = json.dumps(data)
        with self._writing(marks=False) as db:
            db.execute("INSERT OR REPLACE INTO session (id, data) VALUES (1, ?)", (text,))

    def load_session(self) -> dict[str, object] | None:
        with self._reading() as db:
            row = db.execute("SELECT data FROM session").fetchone() if db else None
        try:
            data = json.loads(row[0]) if row else None
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    # --- moving state between machines -----------------------------------------

    def export_records(self) -> Iterator[dict[str, object]]:
        """One JSON-able record per paper with state, by key."""
        states = self.all_states()
        for key in sorted(states):
            state = states[key]
            yield {
                "key": key,
                "read": state.read,
                "starred": state.starred,
                "tags": list(state.tags),
                "note": state.note,
                "note_updated": state.note_updated,
            }

    def import_records(self, records: Iterable[object]) -> ImportReport:
        """Merge exported records into this state: stars, read marks and tags are
        added (never taken away), and a note replaces this library's only when it is
        newer (an empty note deletes nothing). Bad records are reported by number;
        the others are still imported."""
        report = ImportReport()
        with self._writing() as db:
            for number, record in enumerate(records, 1):
                report.records += 1
                try:
                    state = _record_state(record)
                except ValueError as error:
                    report.bad.append((number, str(error)))
                    continue
                before = _states_of(db, [state.key]).get(state.key)
                if state.read:
                    _set(db, state.key, "read", True)
                if state.starred:
                    _set(db, state.key, "starred", True)
                for tag in state.tags:
                    db.execute(
                        "INSERT OR IGNORE INTO tags (key, tag) VALUES (?, ?)", (state.key, tag)
                    )
                at = state.note_updated
                if state.note and before and before.note and before.note != state.note:
                    if at is not None and (before.note_updated is None or at > before.note_updated):
                        _set_note(db, state.key, state.note, at)
                    else:
                        report.kept_notes += 1
                elif state.note and not (before and before.note):
                    _set_note(db, state.key, state.note, time.time() if at is None else at)
                after = _states_of(db, [state.key]).get(state.key)
                report.changed += after != before
        return report

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # --- the connection -------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """The connection (None: no state was ever written), under the lock."""
        with self._lock:
            try:
                yield self._connection(create=False)
            except sqlite3.Error as error:
                raise UserStateError(
                    f"cannot read the reading state {self.path}: {cause(error, self.path)}"
                ) from None

    @contextmanager
    def _writing(self, marks: bool = True) -> Iterator[sqlite3.Connection]:
        """One short write transaction, under the lock (another process waits);
        `marks`: it changes marks (see version()). A write that fails leaves the
        state as it was (SQLite may have rolled it back already: a full disk)."""
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


def _words_of(text: str) -> str:
    """A text as its words, padded for whole-word search: " a b c "."""
    return f" {' '.join(note_words(text))} "


def _states_of(db: sqlite3.Connection, keys: list[str]) -> dict[str, PaperState]:
    """The stored state of these keys (at most a few hundred: SQL variables)."""
    marks = ",".join("?" * len(keys))
    tags: dict[str, list[str]] = {}
    for key, tag in db.execute(f"SELECT key, tag FROM tags WHERE key IN ({marks})", keys):
        tags.setdefault(key, []).append(tag)
    found = {
        key: PaperState(key, bool(read), bool(starred), tuple(sorted(tags.pop(key, ()))), note, at)
        for key, read, starred, note, at in db.execute(
            f"SELECT key, read, starred, note, note_updated FROM papers WHERE key IN ({marks})",
            keys,
        )
    }
    for key, names in tags.items():
        found[key] = PaperState(key, tags=tuple(sorted(names)))
    return found


def _set(db: sqlite3.Connection, key: str, column: str, value: bool) -> None:
    db.execute(
        f"INSERT INTO papers (key, {column}) VALUES (?, ?)"
        f" ON CONFLICT (key) DO UPDATE SET {column} = excluded.{column}",
        (key, int(value)),
    )


def _toggle(db: sqlite3.Connection, key: str, column: str) -> bool:
    row = db.execute(f"SELECT {column} FROM papers WHERE key = ?", (key,)).fetchone()
    value = not (row and row[0])
    _set(db, key, column, value)
    return value


def _set_note(db: sqlite3.Connection, key: str, text: str, at: float | None) -> None:
    # A note typed from bytes that are not UTF-8 holds lone surrogates, which no
    # file can hold: as in dumps, each is kept as U+FFFD.
    text = without_surrogates(text)[0]
    db.execute(
        "INSERT INTO papers (key, note, note_updated) VALUES (?, ?, ?) ON CONFLICT (key)"
        " DO UPDATE SET note = excluded.note, note_updated = excluded.note_updated",
        (key, text, at),
    )


def _record_state(record: object) -> PaperState:
    """The state an exported record gives (ValueError: why it cannot be used)."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    key = record.get("key")
    if not isinstance(key, str) or not key.strip():
        raise ValueError("no key")
    if without_surrogates(key)[1]:
        raise ValueError("the key holds a lone surrogate")
    for name in ("read", "starred"):
        if not isinstance(record.get(name, False), bool):
            raise ValueError(f"{name} must be true or false")
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("tags must be a list of strings")
    note = record.get("note", "")
    if not isinstance(note, str):
        raise ValueError("note must be a string")
    at = _seconds(record.get("note_updated"))
    names: set[str] = set()
    for tag in tags:
        with suppress(ValueError):  # a tag of nothing is no tag
            names.add(normalise_tag(tag))
    return PaperState(
        key.strip(),
        bool(record.get("read")),
        bool(record.get("starred")),
        tuple(sorted(names)),
        without_surrogates(note)[0],  # as a note is kept (see _set_note)
        at,
    )


def _seconds(value: object) -> float | None:
    """A note's time as stored (ValueError: not a time a float holds)."""
    if value is None:
        return None
    if not isinstance(value, bool) and isinstance(value, int | float):
        with suppress(OverflowError):
            if math.isfinite(seconds := float(value)):
                return seconds
    raise ValueError("note_updated must be a time in seconds")
