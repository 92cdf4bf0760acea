"""The reading state as JSON Lines, to move between machines: `state export` and
`state import`.

An export is one record per line for every JSON Lines reader: characters some
reader takes as a line break (Python's str.splitlines takes U+2028 and U+0085 too)
are written as escapes. An import reads lines split at "\\n" alone, so an export
written before that still imports whole; a line that cannot be used, whatever it
holds, is named with its number and why, and the rest are imported. What an
import keeps of the records and of the state there is PaperMarks.merge's rule.
"""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Protocol

from .export import json_line
from .paper_marks import Merged, PaperState, normalise_tag
from .text import without_surrogates

MENDED_NOTE = "lone surrogates in the note read as \ufffd"


class Marked(Protocol):
    """A reading state that is exported and imported: a UserDB, or its PaperMarks."""

    def all_states(self) -> dict[str, PaperState]: ...

    def merge(self, states: Iterable[PaperState]) -> Merged: ...


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


def export_records(user: Marked) -> Iterator[dict[str, object]]:
    """One JSON-able record per paper with state, by key."""
    states = user.all_states()
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


def import_records(user: Marked, records: Iterable[object]) -> ImportReport:
    """Merge exported records into `user`'s state (see PaperMarks.merge). Bad
    records are reported by number; the others are still imported.

    Raises:
        UserStateError: the state could not be written (nothing was).
    """
    report = ImportReport()
    states: list[PaperState] = []
    for number, record in enumerate(records, 1):
        report.records += 1
        try:
            states.append(_record_state(record))
        except ValueError as error:
            report.bad.append((number, str(error)))
    report.changed, report.kept_notes = user.merge(states)
    return report


def export_lines(user: Marked) -> Iterator[str]:
    """The reading state of `user`, one line (without its "\\n") per paper, by key."""
    for record in export_records(user):
        yield json_line(record)  # UTF-8 where it can be, no line break in it


def import_lines(user: Marked, data: bytes) -> ImportReport:
    """Merge an export (see import_records) into `user`'s state.

    Returns:
        What was done; its `bad` and `mended` are numbered by line from 1, and its
        `records` counts the lines that are not blank.

    Raises:
        UserStateError: the state could not be written (nothing was).
    """
    records: list[object] = []
    lines: list[int] = []  # the line of each record
    bad: list[tuple[int, str]] = []
    mended: list[tuple[int, str]] = []
    for number, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), 1):
        try:
            record = _record(raw)
        except ValueError as error:
            bad.append((number, str(error)))
            continue
        if record is None:
            continue
        records.append(record)
        lines.append(number)
        note = record.get("note") if isinstance(record, dict) else None
        if isinstance(note, str) and without_surrogates(note)[1]:
            mended.append((number, MENDED_NOTE))
    report = import_records(user, records)
    refused = [(lines[index - 1], why) for index, why in report.bad]
    report.bad = sorted(bad + refused)
    skipped = {number for number, _ in refused}
    report.mended = [(number, what) for number, what in mended if number not in skipped]
    report.records += len(bad)
    return report


def _record(raw: bytes) -> object | None:
    """What a line holds (None: a blank line).

    Raises:
        ValueError: it is not a line of JSON; why.
    """
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte {error.start + 1})") from None
    if not line.strip():
        return None
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError("nested too deeply to read") from None
    except ValueError as error:
        raise ValueError(f"not JSON ({error})") from None


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
        without_surrogates(note)[0],  # as a note is kept (see PaperMarks.set_note)
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
