"""What a reader keeps about a library: each paper's marks (read, starred, tags, a
note), the query history and the last session. One object for all of it, over the
modules that each do one part:

- userdb_file: the file, opened checked, created whole, brought up to date;
- userdb_connection: the one connection, its short transactions and versions;
- paper_marks: the marks of the papers;
- history: the queries searched and the session to open at;
- state_transfer: the state as records, to move between machines.

This is the user's own data, not a cache: it lives in a SQLite database of its own
in the user data folder, one per library, never inside the index (a rebuild must
not lose a note).

A file that is not a readable reading state (damaged, empty, another program's)
is moved aside (kept beside it, named `….damaged-<time>`, never over another) and a
new one started, saying so in `problem`; a file that cannot be opened at all, or
one written by a newer version, is left as it is and raises UserStateError (see
userdb_file).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .config import data_dir
from .history import HISTORY, History
from .paper_marks import Merged, PaperMarks, PaperState, normalise_tag, note_words
from .state_transfer import ImportReport, export_records, import_records
from .userdb_connection import UserConnection
from .userdb_file import MIGRATIONS, SCHEMA_VERSION, UserStateError

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


class UserDB:
    """The reading state of one library (see the module's docstring).

    Args:
        path: The database file; it is created on the first write.

    Attributes:
        marks: The marks of the papers.
        history: The query history and the last session.
    """

    def __init__(self, path: Path) -> None:
        self._connection = UserConnection(path)
        self.marks = PaperMarks(self._connection)
        self.history = History(self._connection)

    @classmethod
    def for_library(cls, index_dir: Path) -> UserDB:
        """The reading state of the library indexed in `index_dir`."""
        where = os.path.abspath(Path(index_dir).expanduser())
        digest = hashlib.sha1(where.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(where).name).strip("-")[:40] or "library"
        return cls(data_dir() / "libraries" / f"{slug}-{digest}.sqlite3")

    @property
    def path(self) -> Path:
        """The database file."""
        return self._connection.path

    @property
    def problem(self) -> str | None:
        """What was done to a damaged file found here, for the user to be told once
        (whoever tells it sets it back to None)."""
        return self._connection.problem

    @problem.setter
    def problem(self, problem: str | None) -> None:
        self._connection.problem = problem

    def version(self) -> tuple[int, int]:
        """Changes whenever another process writes the state, or this object writes
        marks."""
        return self._connection.version()

    def changed_elsewhere(self) -> bool:
        """Whether another reader or the command line changed the state since it was
        last asked (see UserConnection.changed_elsewhere)."""
        return self._connection.changed_elsewhere()

    def close(self) -> None:
        self._connection.close()

    # --- marks (see PaperMarks) -----------------------------------------------

    def state(self, key: str) -> PaperState:
        return self.marks.state(key)

    def states(self, keys: Iterable[str]) -> dict[str, PaperState]:
        """The state of every key asked (the default state for those without one)."""
        return self.marks.states(keys)

    def all_states(self) -> dict[str, PaperState]:
        """The state of every paper that has one (a whole library listed at once)."""
        return self.marks.all_states()

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with its number of papers, by name."""
        return self.marks.tags()

    def keys(
        self,
        *,
        starred: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
        note_words: str | None = None,
        note_prefix: bool = False,
    ) -> set[str]:
        """The keys of papers with state that match every condition given (see
        PaperMarks.keys)."""
        return self.marks.keys(
            starred=starred, read=read, tag=tag, note_words=note_words, note_prefix=note_prefix
        )

    def set_read(self, key: str, read: bool = True) -> None:
        self.marks.set_read(key, read)

    def set_read_many(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark these papers read, or unread, in one write (all or none)."""
        self.marks.set_read_many(keys, read)

    def toggle_read(self, key: str) -> bool:
        """Mark the paper read if it was not, else unread; its new value."""
        return self.marks.toggle_read(key)

    def set_starred(self, key: str, starred: bool) -> None:
        self.marks.set_starred(key, starred)

    def toggle_star(self, key: str) -> bool:
        """Star the paper if it was not, else take the star off; its new value."""
        return self.marks.toggle_star(key)

    def add_tag(self, key: str, tag: str) -> None:
        """Tag a paper (see normalise_tag; ValueError for a tag of nothing)."""
        self.marks.add_tag(key, tag)

    def remove_tag(self, key: str, tag: str) -> None:
        self.marks.remove_tag(key, tag)

    def set_note(self, key: str, text: str) -> None:
        """Replace the paper's note; "" deletes it."""
        self.marks.set_note(key, text)

    def merge(self, states: Iterable[PaperState]) -> Merged:
        """Take states from elsewhere into the marks (see PaperMarks.merge)."""
        return self.marks.merge(states)

    # --- query history and session (see History) -------------------------------

    def remember_query(self, text: str) -> None:
        """Put a query first in the history (once: an older copy goes)."""
        self.history.remember_query(text)

    def queries(self, limit: int = HISTORY) -> list[str]:
        """The queries remembered, newest first."""
        return self.history.queries(limit)

    def save_session(self, data: dict[str, object]) -> None:
        """Remember the reader's place (JSON-able: TypeError otherwise)."""
        self.history.save_session(data)

    def load_session(self) -> dict[str, object] | None:
        return self.history.load_session()

    # --- moving state between machines (see state_transfer) ---------------------

    def export_records(self) -> Iterator[dict[str, object]]:
        """One JSON-able record per paper with state, by key."""
        return export_records(self.marks)

    def import_records(self, records: Iterable[object]) -> ImportReport:
        """Merge exported records into this state (see state_transfer.import_records)."""
        return import_records(self.marks, records)
