"""What a reader marks on each paper: read or not, a star, tags and a note, read
and written as rows of the reading state (one short transaction a change).

Marks are keyed by `Paper.key` (the arXiv id, else the abstract's fingerprint), so
they survive a rebuild, a renamed or moved dump, a paper found in a second dump,
and the index folder being deleted.
"""

from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .text import without_surrogates
from .userdb_connection import UserConnection

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


class Merged(NamedTuple):
    """What merging states into the marks did.

    Attributes:
        changed: Papers whose state changed.
        kept_notes: Notes left as they were because the note kept was newer.
    """

    changed: int
    kept_notes: int


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


class PaperMarks:
    """The marks of one library's papers.

    Args:
        connection: The library's reading state.
    """

    def __init__(self, connection: UserConnection) -> None:
        self._connection = connection

    # --- reading ------------------------------------------------------------

    def state(self, key: str) -> PaperState:
        """The state of one paper (the default state if it has none)."""
        return self.states([key])[key]

    def states(self, keys: Iterable[str]) -> dict[str, PaperState]:
        """The state of every key asked (the default state for those without one)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, PaperState] = {}
        with self._connection.reading() as db:
            if db is not None:
                for start in range(0, len(wanted), 500):
                    found |= _states_of(db, wanted[start : start + 500])
        return {key: found.get(key) or PaperState(key) for key in wanted}

    def all_states(self) -> dict[str, PaperState]:
        """The state of every paper that has one (a whole library listed at once)."""
        with self._connection.reading() as db:
            if db is None:
                return {}
            keys = [k for (k,) in db.execute("SELECT key FROM papers UNION SELECT key FROM tags")]
            return {k: s for k, s in self.states(keys).items() if s != PaperState(k)}

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with its number of papers, by name."""
        with self._connection.reading() as db:
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
        with self._connection.reading() as db:
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

    # --- writing ------------------------------------------------------------

    def set_read(self, key: str, read: bool = True) -> None:
        """Mark the paper read, or unread."""
        with self._connection.writing() as db:
            _set(db, key, "read", read)

    def set_read_many(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark these papers read, or unread, in one write (all or none)."""
        with self._connection.writing() as db:
            for key in keys:
                _set(db, key, "read", read)

    def toggle_read(self, key: str) -> bool:
        """Mark the paper read if it was not, else unread; its new value."""
        with self._connection.writing() as db:
            return _toggle(db, key, "read")

    def set_starred(self, key: str, starred: bool) -> None:
        """Star the paper, or take its star off."""
        with self._connection.writing() as db:
            _set(db, key, "starred", starred)

    def toggle_star(self, key: str) -> bool:
        """Star the paper if it was not, else take the star off; its new value."""
        with self._connection.writing() as db:
            return _toggle(db, key, "starred")

    def add_tag(self, key: str, tag: str) -> None:
        """Tag a paper (see normalise_tag; ValueError for a tag of nothing)."""
        name = normalise_tag(tag)
        with self._connection.writing() as db:
            db.execute("INSERT OR IGNORE INTO tags (key, tag) VALUES (?, ?)", (key, name))

    def remove_tag(self, key: str, tag: str) -> None:
        """Take a tag off a paper (a tag it does not have: nothing is done)."""
        try:
            name = normalise_tag(tag)
        except ValueError:
            return
        with self._connection.writing() as db:
            db.execute("DELETE FROM tags WHERE key = ? AND tag = ?", (key, name))

    def set_note(self, key: str, text: str) -> None:
        """Replace the paper's note; "" deletes it."""
        with self._connection.writing() as db:
            _set_note(db, key, text, time.time())

    def merge(self, states: Iterable[PaperState]) -> Merged:
        """Take states from elsewhere (another machine's) into these marks, in one
        transaction: stars, read marks and tags are added (never taken away), and a
        note replaces this library's only when it is newer (an empty note deletes
        nothing; a note of no time, where there is none, is dated now).

        Raises:
            UserStateError: the state could not be written (nothing was).
        """
        changed = kept_notes = 0
        with self._connection.writing() as db:
            for state in states:
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
                        kept_notes += 1
                elif state.note and not (before and before.note):
                    _set_note(db, state.key, state.note, time.time() if at is None else at)
                after = _states_of(db, [state.key]).get(state.key)
                changed += after != before
        return Merged(changed, kept_notes)


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
