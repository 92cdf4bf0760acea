"""The `abstracts` command: subcommands for scripting; with none, it opens the reader.

    abstracts [PATH...]                 open the reader (default: the last library)
    abstracts index PATH...             bring the index of these dumps up to date
    abstracts list | search | related | authors
                                        print papers or authors: a table, --json or --format
    abstracts star | unstar | read | unread ID...
    abstracts tag ID [TAG...] [--remove] | note ID [--set TEXT | --show]
                                        mark papers (ID: an arXiv id or a key)
    abstracts state export | import FILE
                                        move the reading state between machines

Exit codes: 0 all good, 1 a dump could not be read or parsed, 2 usage, 3 the
index is busy in another process, 70 an internal error. Never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from index import (
    EXPORT_FORMATS,
    ORDERS,
    Config,
    ImportReport,
    Library,
    Paper,
    PaperState,
    StoreError,
    UpdateReport,
    UserStateError,
    being_built,
    export_state,
    import_state,
    last_library,
    left_locked,
    matched_fields,
    normalise_tag,
    printable,
    remember_last,
    sample_dumps,
)

from .output import (
    cell,
    err,
    out,
    print_authors,
    print_json,
    print_papers,
    print_problems,
    progress_bar,
    say,
    write_utf8_line,
)

OK, FAILED, USAGE, BUSY, INTERNAL = 0, 1, 2, 3, 70


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", type=Path, metavar="DIR", help="where the index lives")
    common.add_argument("--config", type=Path, metavar="FILE", help="config file (TOML)")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--json", action="store_true", help="print JSON Lines")
    papers = argparse.ArgumentParser(add_help=False)
    papers.add_argument(
        "--format", choices=EXPORT_FORMATS, help="print BibTeX, Markdown or JSON Lines"
    )
    sort = argparse.ArgumentParser(add_help=False)
    sort.add_argument(
        "--sort",
        choices=ORDERS,
        help="relevance (best first; newest without a query), newest, oldest or title",
    )

    parser = argparse.ArgumentParser(
        prog="abstracts",
        description="Search and read paper abstracts from dump files.",
        epilog="Run 'abstracts [PATH...]' to open the reader.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    index = sub.add_parser("index", parents=[common], help="index dump files and folders")
    index.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    sub.add_parser("list", parents=[common, output, papers, sort], help="print every paper")
    search = sub.add_parser(
        "search", parents=[common, output, papers, sort], help="search the papers"
    )
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument(
        "--author", metavar="NAME", help="only papers of authors whose names hold these words"
    )
    search.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N (default: %(default)s)"
    )
    related = sub.add_parser(
        "related", parents=[common, output, papers], help="the papers most like one paper"
    )
    related.add_argument("key", metavar="KEY", help="the paper's key (its arXiv id, or as listed)")
    related.add_argument(
        "--limit", type=_positive, default=10, metavar="N", help="at most N (default: %(default)s)"
    )
    sub.add_parser("authors", parents=[common, output], help="print the author labels")
    for name, what in MARKS.items():
        marking = sub.add_parser(name, parents=[common], help=f"{what[1]} papers")
        marking.add_argument("ids", nargs="+", metavar="ID", help="an arXiv id or a paper's key")
    tag = sub.add_parser("tag", parents=[common], help="tag a paper (no TAG: print its tags)")
    tag.add_argument("id", metavar="ID", help="an arXiv id or a paper's key")
    tag.add_argument("tags", nargs="*", metavar="TAG", help="tags to add")
    tag.add_argument("--remove", nargs="+", default=[], metavar="TAG", help="tags to take off")
    note = sub.add_parser(
        "note", parents=[common], help="edit a paper's note in $VISUAL or $EDITOR"
    )
    note.add_argument("id", metavar="ID", help="an arXiv id or a paper's key")
    how = note.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="TEXT", help="make TEXT the note ('' deletes it)")
    how.add_argument("--show", action="store_true", help="print the note")
    state = sub.add_parser(
        "state", parents=[common], help="export or import stars, read marks, tags and notes"
    )
    moves = state.add_subparsers(dest="action", metavar="ACTION", required=True)
    moves.add_parser("export", help="print the reading state as JSON Lines")
    merge = moves.add_parser(
        "import", help="merge exported state (a newer note here is never overwritten)"
    )
    merge.add_argument("file", type=Path, metavar="FILE", help="JSON Lines ('-': stdin)")
    return parser


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="abstracts",
        usage=f"abstracts [PATH...] [--index-dir DIR] | abstracts {{{','.join(COMMANDS)}}} ...",
        description="Open the reader on dump files and folders (default: the library "
        "opened last, or the bundled sample dumps).",
        epilog="Commands for scripting: " + ", ".join(COMMANDS) + " ('abstracts COMMAND -h').",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--index-dir", type=Path, metavar="DIR", help="where the index lives")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file (TOML)")
    parser.add_argument(
        "--no-restore",
        action="store_true",
        help="start on all papers, not where the reader was left (config: restore = false)",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not follow changes to the dumps and the reading state made while the reader"
        " is open (config: watch = false)",
    )
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (and exits with it as a script)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A terminal whose encoding lacks a character shows "?", rather than the
        # command failing halfway through its output.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    try:
        if args and args[0] in COMMANDS:
            options = _parser().parse_args(args)
            code = COMMANDS[options.command](options)
        elif args[:1] in (["-h"], ["--help"]):
            _parser().print_help()
            code = OK
        else:
            code = _open_reader(_reader_parser().parse_args(args))
    except Stop as stop:
        code = stop.code
    except SystemExit as exit:  # argparse: exit 2 with usage on a usage error
        code = exit.code if isinstance(exit.code, int) else USAGE
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (`abstracts list | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = OK
    except (StoreError, UserStateError) as error:
        say(f"abstracts: {error}", "red")
        code = FAILED
    except Exception as error:  # the promise is: never a traceback
        if os.environ.get("ABSTRACTS_DEBUG"):
            raise
        say(f"abstracts: internal error: {error!r} (ABSTRACTS_DEBUG=1 shows more)", "red")
        code = INTERNAL
    if argv is None:
        sys.exit(code)
    return code


class Stop(Exception):
    """Ends a command early with this exit code, its reason already said."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _config(options: argparse.Namespace) -> Config:
    return Config.load(options.config) if options.config else Config.load()


def _output(options: argparse.Namespace) -> str | None:
    """How papers are printed: "json", an export format, or None (a table or lines)."""
    return "json" if getattr(options, "json", False) else getattr(options, "format", None)


# --- the commands: each takes the parsed options and returns the exit code ----


def _reads_index(
    command: Callable[[argparse.Namespace, Library], int],
) -> Callable[[argparse.Namespace], int]:
    """A command that reads the index, given the library brought up to date.

    A read can find the index damaged where the update's checks did not (its files
    whole in size, garbled inside): the read fails, and the index is rebuilt as an
    update rebuilds it, saying why, before the command runs once more. Each of these
    commands reads what it needs of the index before it prints or writes anything,
    so nothing is done twice.
    """

    @functools.wraps(command)
    def run(options: argparse.Namespace) -> int:
        library = _library_to_read(options)
        try:
            return command(options, library)
        except StoreError:
            if library.damage is None:
                raise
        _update(library, wait=2.0)
        return command(options, library)

    return run


def index_command(options: argparse.Namespace) -> int:
    """`abstracts index PATH...`: bring the index of these dumps up to date."""
    library = Library(options.paths, options.index_dir, _config(options))
    progress = being_built(library.index_dir)
    if progress is not None:
        how_far = f" ({progress})" if progress else ""
        say(f"abstracts: waiting for another process updating the index{how_far}…")
    report = _update(library, wait=60.0)
    print_problems(report.problems)
    if report.busy:
        return BUSY
    remember_last(library.paths, library.index_dir)
    out.print(cell(_summary(report, library)))
    return FAILED if report.errors else OK


@_reads_index
def list_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts list`: every paper."""
    rows = ((paper, None, None) for paper in library.papers(order=options.sort or "newest"))
    output = _output(options)
    states = _states(library) if output == "json" else None
    print_papers(rows, output, config=library.config, states=states)
    return OK


@_reads_index
def search_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts search QUERY`: the best matches, and a correction when few match."""
    output = _output(options)
    text = " ".join(options.query)
    searched = text
    if options.author is not None:
        name = _author_phrase(options.author)
        if name is None:
            say(f"abstracts: --author {options.author!r} holds no name", "red")
            return USAGE
        if not library.search(name, limit=1).total:
            closest = library.suggest(name)
            also = f"; closest: {closest.removeprefix('author:')}" if closest else ""
            say(f"abstracts: no author matches {options.author!r}{also}", "red")
            return FAILED
        searched = f"({text}) {name}"
    result = library.search(searched, limit=options.limit, order=options.sort or "relevance")
    # Few or no hits: maybe a word is misspelt; the index's own words say how.
    suggestion = library.suggest(text) if (result.total or 0) < 3 else None
    rows = [(hit.paper, hit.score, matched_fields(hit)) for hit in result.hits]
    if output == "json":
        # Every line of --json is a paper; the suggestion rides along on each.
        print_json(rows, {"suggestion": suggestion}, _states(library))
    else:
        print_papers(rows, output, title=text, config=library.config)
    if output is None:
        if result.fallback:
            say("(the query did not parse; searched for its words)", "yellow")
        say(f"{len(result.hits)} of {result.total} matching papers", "dim")
    if suggestion:
        say(f"Did you mean: {suggestion}", "yellow")
    return OK


@_reads_index
def related_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts related KEY`: the papers most like one paper."""
    paper = library.get(options.key)
    if paper is None:
        say(
            f"abstracts: no paper has the key {options.key!r} "
            "(keys are in 'abstracts list --json')",
            "red",
        )
        return FAILED
    hits = library.related(options.key, options.limit)
    print_papers(
        [(hit.paper, hit.score, None) for hit in hits],
        _output(options),
        title=f"Related to {paper.title or paper.key}",
        config=library.config,
    )
    return OK


@_reads_index
def authors_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts authors`: the dumps' authors, who shares papers with whom, and the
    authors of the library's collections."""
    print_authors(library.coauthors(), library.collection_authors(), options.json)
    return OK


# --- the reading state ---------------------------------------------------------

# star, unstar, read, unread: what each does to a paper, and how it is said.
MARKS: dict[str, tuple[Callable[[Library, str], None], str]] = {
    "star": (lambda library, key: library.user.set_starred(key, True), "star"),
    "unstar": (lambda library, key: library.user.set_starred(key, False), "take the star off"),
    "read": (lambda library, key: library.user.set_read(key, True), "mark read"),
    "unread": (lambda library, key: library.user.set_read(key, False), "mark unread"),
}


@_reads_index
def mark_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts star|unstar|read|unread ID...`: mark papers (all known, or none)."""
    papers = [_paper(library, name) for name in options.ids]
    change, what = MARKS[options.command]
    for paper in papers:
        change(library, paper.key)
    _state_problem(library)
    done = {"star": "starred", "unstar": "unstarred"}.get(options.command, options.command)
    for paper in papers:
        say(f"{done}: {_named(paper)}", "dim")
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


@_reads_index
def _tag(options: argparse.Namespace, library: Library) -> int:
    """tag_command, its tags found good."""
    paper = _paper(library, options.id)
    for tag in options.tags:
        library.user.add_tag(paper.key, tag)
    for tag in options.remove:
        library.user.remove_tag(paper.key, tag)
    tags = library.user.state(paper.key).tags
    _state_problem(library)
    if not options.tags and not options.remove:
        for tag in tags:
            out.print(cell(tag))
    else:
        say(f"tags of {_named(paper)}: {', '.join(tags) or '(none)'}", "dim")
    return OK


@_reads_index
def note_command(options: argparse.Namespace, library: Library) -> int:
    """`abstracts note ID`: edit the paper's note in $VISUAL or $EDITOR (else vi);
    `--set TEXT` sets it, `--show` prints it. A note edited but not saved (the disk
    is full) is kept in the editor's file, which the message names."""
    paper = _paper(library, options.id)
    note = library.user.state(paper.key).note
    _state_problem(library)
    if options.show:
        if note:  # as written, but no control character acts on the terminal
            sys.stdout.write(printable(note) + "\n")
        return OK
    if options.set is not None:
        _save_note(library, paper, options.set, note)
        return OK
    path = _edited_file(note)
    text = _read_edited(path)
    try:
        _save_note(library, paper, text, note)
    except UserStateError as error:
        say(f"abstracts: note not saved: {error}; what you wrote is kept in {path}", "red")
        raise Stop(FAILED) from None
    shutil.rmtree(path.parent, ignore_errors=True)
    return OK


def _save_note(library: Library, paper: Paper, text: str, note: str) -> None:
    """Make `text` the paper's note, saying so (UserStateError: it could not be)."""
    text = text.rstrip()
    if text == note.rstrip():
        say(f"note unchanged: {_named(paper)}", "dim")
        return
    library.user.set_note(paper.key, text)
    say(f"note {'saved' if text else 'deleted'}: {_named(paper)}", "dim")


def _edited_file(note: str) -> Path:
    """The file the user's editor left the note in, in a folder of its own in the
    temporary folder (removed once the note is saved).

    Raises:
        Stop: the editor could not run, or failed (the note is left as it was).
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    path = Path(tempfile.mkdtemp(prefix="abstracts-note-")) / "note.md"
    path.write_text(note, encoding="utf-8")
    try:
        done = subprocess.run([*shlex.split(editor), str(path)], check=False)
    except (OSError, ValueError) as error:
        shutil.rmtree(path.parent, ignore_errors=True)
        say(f"abstracts: cannot run the editor {editor!r}: {error}", "red")
        raise Stop(FAILED) from None
    if done.returncode != 0:
        # vi exits 1 after :wq when a message was shown: what was written is kept.
        changed = not path.exists() or path.read_bytes() != note.encode("utf-8")
        if changed and path.exists():
            say(
                f"abstracts: the editor exited with {done.returncode}; note left as it was; "
                f"what you wrote is kept in {path}",
                "red",
            )
        else:
            shutil.rmtree(path.parent, ignore_errors=True)
            say(f"abstracts: the editor exited with {done.returncode}; note left as it was", "red")
        raise Stop(FAILED)
    return path


def _read_edited(path: Path) -> str:
    """The note in the editor's file.

    Raises:
        Stop: the file is gone, or is not UTF-8 (then it is kept, and named).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        shutil.rmtree(path.parent, ignore_errors=True)
        say(f"abstracts: the editor deleted the note's file {path}; note left as it was", "red")
        raise Stop(FAILED) from None
    except OSError as error:
        say(f"abstracts: cannot read the edited note {path}: {error.strerror}", "red")
        raise Stop(FAILED) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        say(
            f"abstracts: the edited note is not UTF-8 (byte {error.start}); "
            f"note left as it was, what you wrote is kept in {path}",
            "red",
        )
        raise Stop(FAILED) from None


def state_command(options: argparse.Namespace) -> int:
    """`abstracts state export`, `abstracts state import FILE`."""
    library = _library_to_read(options)
    if options.action == "export":
        for line in export_state(library.user):
            write_utf8_line(line)
        _state_problem(library)
        return OK
    try:
        stdin = str(options.file) == "-"
        data = sys.stdin.buffer.read() if stdin else options.file.read_bytes()
    except OSError as error:
        say(f"abstracts: cannot read {options.file}: {error.strerror or error}", "red")
        return FAILED
    report = import_state(library.user, data)
    _state_problem(library)
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


def _paper(library: Library, name: str) -> Paper:
    """The paper an ID names: its key, or its arXiv id (with `arXiv:` or a version).

    Raises:
        Stop: no paper of the library has it.
    """
    paper = library.get(name.strip())
    if paper is None:
        bare = re.sub(r"^arxiv:", "", name.strip(), flags=re.IGNORECASE)
        paper = library.get(re.sub(r"v\d+$", "", bare))
    if paper is None:
        say(
            f"abstracts: no paper has the id {name!r} (arXiv ids and keys are in "
            "'abstracts list --json')",
            "red",
        )
        raise Stop(FAILED)
    return paper


def _named(paper: Paper) -> str:
    return f"{paper.arxiv_id or paper.key} {paper.heading(60)}"


def _states(library: Library) -> dict[str, PaperState]:
    """Every paper's reading state, for --json; none (with a warning) if unreadable."""
    try:
        states = library.user.all_states()
    except UserStateError as error:
        say(f"abstracts: {error}; printed without it", "yellow")
        return {}
    _state_problem(library)
    return states


def _state_problem(library: Library) -> None:
    """Say once that a damaged reading state was set aside (where it was kept)."""
    if library.user.problem:
        say(f"abstracts: {library.user.problem}", "yellow")
        library.user.problem = None


# The subcommands, in the order help lists them.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "index": index_command,
    "list": list_command,
    "search": search_command,
    "related": related_command,
    "authors": authors_command,
    "star": mark_command,
    "unstar": mark_command,
    "read": mark_command,
    "unread": mark_command,
    "tag": tag_command,
    "note": note_command,
    "state": state_command,
}


def _library_to_read(options: argparse.Namespace) -> Library:
    """The library a command without paths reads, brought up to date as far as it
    can be (saying so when another process is updating it).

    Raises:
        Stop: there is no library to read.
    """
    config = _config(options)
    library = _current_library(options.index_dir, config)
    if library is None:
        if being_built(options.index_dir) is not None:
            raise Stop(_building(options.index_dir))
        say(
            f"abstracts: no library is indexed in {options.index_dir}; "
            f"run 'abstracts index PATH... --index-dir {options.index_dir}'",
            "red",
        )
        raise Stop(FAILED)
    report = _update(library, wait=2.0)
    if report.busy:
        if library.store_or_none() is None:  # its first build is under way
            raise Stop(_building(library.index_dir))
        busy = _left_locked(library.index_dir)
        if busy is None:
            progress = being_built(library.index_dir)
            how_far = f" ({progress})" if progress else ""
            busy = f"abstracts: another process is updating the index{how_far}"
        say(f"{busy}; results may be behind", "yellow")
    if report.stale:
        print_problems([p for p in report.problems if p.path == str(library.index_dir)])
    return library


def _author_phrase(name: str) -> str | None:
    """`--author NAME` as the query clause `author:` would be: any part of a name,
    its words in order ("Saachi Jain" and "Jain, Saachi" are both indexed)."""
    words = re.findall(r"\w+", name)
    if not words:
        return None
    return f'author:"{" ".join(words)}"' if len(words) > 1 else f"author:{''.join(words)}"


def _building(index_dir: Path) -> int:
    """Say that another process is building the library, and how far it got."""
    if (ended := _left_locked(index_dir)) is not None:
        say(f"{ended}; they must end before it can be read", "yellow")
        return BUSY
    progress = being_built(index_dir)
    how_far = f" ({progress})" if progress else ""
    say(
        f"abstracts: the library in {index_dir} is being built by another process"
        f"{how_far}; try again when it is done",
        "yellow",
    )
    return BUSY


def _left_locked(index_dir: Path) -> str | None:
    """What holds the index's lock, if the process that took it has ended."""
    pid = left_locked(index_dir)
    if pid is None:
        return None
    return (
        f"abstracts: the index in {index_dir} is locked by processes left over from "
        f"abstracts process {pid}, which has ended"
    )


def _current_library(index_dir: Path | None, config: Config) -> Library | None:
    """The library a command without paths works on."""
    if index_dir is not None:
        try:
            return Library.at(index_dir, config)
        except FileNotFoundError:
            return None
    last = last_library()
    if last is not None:
        paths, directory = last
        return Library(paths, directory, config)
    return Library([sample_dumps()], config=config)


def _update(library: Library, wait: float) -> UpdateReport:
    """Bring the index up to date, saying why it is rebuilt if it is damaged.

    Ctrl-C stops it with one line: the index keeps what it held before.
    """
    _watch(library)
    try:
        return library.update(wait=wait)
    except KeyboardInterrupt:
        held = library.papers_held()
        after = "" if held is None else f"; the index still holds {held} papers"
        say(f"stopped{after}", "yellow")
        raise


def _watch(library: Library) -> None:
    """Say why the index is rebuilt, whenever that is found (a search can find it
    too), and show its progress when a person is watching."""
    library.say = lambda message: say(f"abstracts: {message}", "yellow")
    if err.is_terminal:
        library.watch = progress_bar


def _summary(report: UpdateReport, library: Library) -> str:
    parts = [f"{len(report.read)} read", f"{report.unchanged} unchanged"]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    if report.rebuilt:
        parts.append("index built anew")
    return f"{report.papers} papers ({', '.join(parts)}) in {library.index_dir}"


def _open_reader(options: argparse.Namespace) -> int:
    config = _config(options)
    missing = [path for path in options.paths if not path.exists() and not path.is_symlink()]
    if missing:
        for path in missing:
            say(f"abstracts: {path}: no such file or folder", "red")
        err.print("usage: abstracts [PATH...]   (abstracts -h for more)")
        return USAGE
    if options.paths:
        library = Library(options.paths, options.index_dir, config)
    else:
        library = _current_library(options.index_dir, config) or Library(
            [sample_dumps()], options.index_dir, config
        )
    from .app import AbstractsApp  # Textual loads only for the reader

    remember_last(library.paths, library.index_dir)
    AbstractsApp(library, restore=not options.no_restore, watch=not options.no_watch).run()
    return OK
