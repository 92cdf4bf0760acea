"""The commands that change the reading state: `star`, `unstar`, `read`, `unread`,
`tag` and `note` mark papers; `state export` and `state import` move the whole
state between machines."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from index import (
    ImportReport,
    Library,
    Paper,
    UserStateError,
    export_state,
    import_state,
    normalise_tag,
    printable,
)

from ..output import cell, out, say, write_utf8_line
from .exits import FAILED, OK, USAGE, Stop
from .index_reads import reads_index
from .library_choice import library_to_read
from .note_editor import discard, edited_file, read_edited
from .paper_ids import named, paper_by_id
from .reading_state import state_problem

# star, unstar, read, unread: what each does to a paper, and how it is said.
MARKS: dict[str, tuple[Callable[[Library, str], None], str]] = {
    "star": (lambda library, key: library.user.set_starred(key, True), "star"),
    "unstar": (lambda library, key: library.user.set_starred(key, False), "take the star off"),
    "read": (lambda library, key: library.user.set_read(key, True), "mark read"),
    "unread": (lambda library, key: library.user.set_read(key, False), "mark unread"),
}


@reads_index
def mark_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts star|unstar|read|unread ID...`: mark papers (all known, or none)."""
    papers = [paper_by_id(library, name) for name in options.ids]
    change, what = MARKS[options.command]
    for paper in papers:
        change(library, paper.key)
    state_problem(library)
    done = {"star": "starred", "unstar": "unstarred"}.get(options.command, options.command)
    for paper in papers:
        say(f"{done}: {named(paper)}", "dim")
    return OK


def tag_command(options: argparse.Namespace) -> int:
    """`abstracts tag ID [TAG...] [--remove TAG...]`: add and take off tags; with
    none, print the paper's tags."""
    for tag in options.tags:  # before the library is opened: a usage error
        try:
            normalise_tag(tag)
        except ValueError:
            say(f"abstracts: {tag!r} is not a tag: it needs a letter or a digit", "red")
            return USAGE
    return _tag(options)


@reads_index
def _tag(options: argparse.Namespace, library: Library) -> int:
    """tag_command, its tags found good."""
    paper = paper_by_id(library, options.id)
    for tag in options.tags:
        library.user.add_tag(paper.key, tag)
    for tag in options.remove:
        library.user.remove_tag(paper.key, tag)
    tags = library.user.state(paper.key).tags
    state_problem(library)
    if not options.tags and not options.remove:
        for tag in tags:
            out.print(cell(tag))
    else:
        say(f"tags of {named(paper)}: {', '.join(tags) or '(none)'}", "dim")
    return OK


@reads_index
def note_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts note ID`: edit the paper's note in $VISUAL or $EDITOR (else vi);
    `--set TEXT` sets it, `--show` prints it. A note edited but not saved (the disk
    is full) is kept in the editor's file, which the message names."""
    paper = paper_by_id(library, options.id)
    note = library.user.state(paper.key).note
    state_problem(library)
    if options.show:
        if note:  # as written, but no control character acts on the terminal
            sys.stdout.write(printable(note) + "\n")
        return OK
    if options.set is not None:
        _save_note(library, paper, options.set, note)
        return OK
    path = edited_file(note)
    text = read_edited(path)
    try:
        _save_note(library, paper, text, note)
    except UserStateError as error:
        say(f"abstracts: note not saved: {error}; what you wrote is kept in {path}", "red")
        raise Stop(FAILED) from None
    discard(path)
    return OK


def _save_note(library: Library, paper: Paper, text: str, note: str) -> None:
    """Make `text` the paper's note, saying so (UserStateError: it could not be)."""
    text = text.rstrip()
    if text == note.rstrip():
        say(f"note unchanged: {named(paper)}", "dim")
        return
    library.user.set_note(paper.key, text)
    say(f"note {'saved' if text else 'deleted'}: {named(paper)}", "dim")


def state_command(options: argparse.Namespace) -> int:
    """`abstracts state export`, `abstracts state import FILE`."""
    library = library_to_read(options)
    if options.action == "export":
        for line in export_state(library.user):
            write_utf8_line(line)
        state_problem(library)
        return OK
    try:
        stdin = str(options.file) == "-"
        data = sys.stdin.buffer.read() if stdin else options.file.read_bytes()
    except OSError as error:
        say(f"abstracts: cannot read {options.file}: {error.strerror or error}", "red")
        return FAILED
    report = import_state(library.user, data)
    state_problem(library)
    skipped = [(number, f"skipped: {why}") for number, why in report.bad]
    for number, what in sorted(report.mended + skipped):  # in the file's order
        say(f"{options.file}:{number}: {what}", "yellow")
    say(_imported(report, len(report.bad)))
    return FAILED if report.bad else OK


def _imported(report: ImportReport, bad: int) -> str:
    parts = [
        _count(report.records - len(report.bad), "paper"),
        f"{_count(report.changed, 'paper')} changed",
    ]
    if report.kept_notes:
        parts.append(f"{_count(report.kept_notes, 'newer note')} here kept")
    if bad:
        parts.append(f"{_count(bad, 'bad line')} skipped")
    return "imported " + ", ".join(parts)


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "star": mark_command,
    "unstar": mark_command,
    "read": mark_command,
    "unread": mark_command,
    "tag": tag_command,
    "note": note_command,
    "state": state_command,
}
