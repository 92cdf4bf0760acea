"""The reading state as JSON Lines, to move between machines: `state export` and
`state import`.

An export is one record per line for every JSON Lines reader: characters some
reader takes as a line break (Python's str.splitlines takes U+2028 and U+0085 too)
are written as escapes. An import reads lines split at "\\n" alone, so an export
written before that still imports whole; a line that cannot be used, whatever it
holds, is named with its number and why, and the rest are imported.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

from .export import json_line
from .text import without_surrogates
from .userdb import ImportReport, UserDB

MENDED_NOTE = "lone surrogates in the note read as \ufffd"


def export_lines(user: UserDB) -> Iterator[str]:
    """The reading state of `user`, one line (without its "\\n") per paper, by key."""
    for record in user.export_records():
        yield json_line(record)  # UTF-8 where it can be, no line break in it


def import_lines(user: UserDB, data: bytes) -> ImportReport:
    """Merge an export (see UserDB.import_records) into `user`'s state.

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
    report = user.import_records(records)
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
