"""Every argument of the `abstracts` command, in one tree that parsing, help and
shell completion share.

Nothing here imports the index (numpy, Whoosh): `--version`, `-h`, a usage error
and a completion answer without loading it. The completers that need the library
(tags, author names) load it when asked.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from . import completers

# As index.ORDERS and index.EXPORT_FORMATS (tests/unit/test_cli_help.py holds them equal).
ORDERS = ("relevance", "newest", "oldest", "title")
EXPORT_FORMATS = ("bibtex", "markdown", "json")

Subparsers = argparse._SubParsersAction


def version() -> str:
    """The installed program's version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("abstracts")
    except PackageNotFoundError:
        return "unknown (not installed)"


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    """The options of `abstracts [PATH...]`, which opens the reader."""
    _add_common(parser)
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
    parser.add_argument("--version", action=_Version, help="print the version and exit")


class _Version(argparse.Action):
    """--version, the installed version looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"abstracts {version()}")
        parser.exit()


def _add_common(parser: argparse.ArgumentParser, default: Any = None) -> None:
    parser.add_argument(
        "--index-dir", type=Path, metavar="DIR", default=default, help="where the index lives"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", default=default, help="config file (TOML)"
    )


def reader_parser() -> argparse.ArgumentParser:
    """`abstracts [PATH...]`; its help is the program's: it lists the commands too."""
    parser = argparse.ArgumentParser(
        prog="abstracts",
        usage="abstracts [PATH...] [options] | abstracts COMMAND ...",
        description="Open the reader on dump files and folders (default: the library "
        "opened last, or the bundled sample dumps).",
        epilog=_commands_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="dump files, folders")
    add_reader_options(parser)
    return parser


def _commands_epilog() -> str:
    lines = ["commands (abstracts COMMAND -h for each):"]
    for name, (help, _) in COMMAND_HELP.items():
        lines.append(f"  {name:<12}{help}")
    lines += [
        "",
        "A dump whose name is a command's opens as a path: abstracts ./read",
        "Commands that read papers take --library PATH (repeatable) to read those dumps",
        "instead of the library in use, which they leave as it is.",
        'Shell completion: eval "$(abstracts completion bash)"  (or zsh, fish: see',
        "abstracts completion -h).",
        "",
        "Exit codes: 0 all good, 1 a dump could not be read or a path is missing,",
        "2 usage, 3 the index is busy in another process, 70 an internal error,",
        "141 the program reading the output went away (as SIGPIPE ends a program).",
    ]
    return "\n".join(lines)


# Each command: its line of help, and the module and function that run it.
COMMAND_HELP: dict[str, tuple[str, str]] = {
    "index": ("index dump files and folders, and read them from now on", "reader_and_index"),
    "list": ("print every paper", "query_commands"),
    "search": ("search the papers", "query_commands"),
    "related": ("the papers most like one paper", "query_commands"),
    "authors": ("print the author labels", "query_commands"),
    "star": ("star papers", "state_commands"),
    "unstar": ("take the star off papers", "state_commands"),
    "read": ("mark papers read", "state_commands"),
    "unread": ("mark papers unread", "state_commands"),
    "tag": ("tag a paper (no TAG: print its tags)", "state_commands"),
    "note": ("edit a paper's note in $VISUAL or $EDITOR", "state_commands"),
    "state": ("export or import stars, read marks, tags and notes", "state_commands"),
    "completion": ("print the shell completion script for bash, zsh or fish", "completion"),
}


def command_parser() -> argparse.ArgumentParser:
    """Every command under one parser: each command's own is `subparser(name)`;
    shell completion walks the whole tree."""
    parser = argparse.ArgumentParser(prog="abstracts", add_help=True)
    add_reader_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common)
    library = argparse.ArgumentParser(add_help=False)
    _add_library(library)

    index = _add(sub, "index", [common])
    _files(index.add_argument("paths", nargs="+", type=Path, metavar="PATH"))
    _add_query_commands(sub, [common, library])
    _add_state_commands(sub, [common, library])
    completion = _add(sub, "completion", [])
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL")
    completion.epilog = (
        'bash: eval "$(abstracts completion bash)" in ~/.bashrc; zsh: the same in ~/.zshrc; '
        "fish: abstracts completion fish > ~/.config/fish/completions/abstracts.fish"
    )
    return parser


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of one command of `command_parser()`: its usage is its own."""
    for action in parser._actions:
        if isinstance(action, Subparsers):
            return action.choices[name]
    raise KeyError(name)


def _add(sub: Subparsers, name: str, parents: list[argparse.ArgumentParser]) -> Any:
    return sub.add_parser(name, parents=parents, help=COMMAND_HELP[name][0])


def _add_library(parser: argparse.ArgumentParser, default: Any = None) -> None:
    _files(
        parser.add_argument(
            "--library",
            action="append",
            type=Path,
            metavar="PATH",
            default=default,
            help="read these dumps (files or folders; repeat for more), indexing them if "
            "needed, rather than the library in use, which is left as it is",
        )
    )


def _add_query_commands(sub: Subparsers, parents: list[argparse.ArgumentParser]) -> None:
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
    _add(sub, "list", [*parents, output, papers, sort])
    search = _add(sub, "search", [*parents, output, papers, sort])
    search.add_argument("query", nargs="+", metavar="QUERY")
    author = search.add_argument(
        "--author", metavar="NAME", help="only papers of authors whose names hold these words"
    )
    author.completer = completers.author_names
    search.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N (default: %(default)s)"
    )
    related = _add(sub, "related", [*parents, output, papers])
    related.add_argument("key", metavar="KEY", help="the paper's key (its arXiv id, or as listed)")
    related.add_argument(
        "--limit", type=_positive, default=10, metavar="N", help="at most N (default: %(default)s)"
    )
    _add(sub, "authors", [*parents, output])


def _add_state_commands(sub: Subparsers, parents: list[argparse.ArgumentParser]) -> None:
    for name in ("star", "unstar", "read", "unread"):
        marking = _add(sub, name, parents)
        marking.add_argument("ids", nargs="+", metavar="ID", help="an arXiv id or a paper's key")
    tag = _add(sub, "tag", parents)
    tag.add_argument("id", metavar="ID", help="an arXiv id or a paper's key")
    tags = tag.add_argument("tags", nargs="*", metavar="TAG", help="tags to add")
    tags.completer = completers.tags_in_use
    remove = tag.add_argument(
        "--remove", nargs="+", default=[], metavar="TAG", help="tags to take off"
    )
    remove.completer = completers.tags_in_use
    note = _add(sub, "note", parents)
    note.add_argument("id", metavar="ID", help="an arXiv id or a paper's key")
    how = note.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="TEXT", help="make TEXT the note ('' deletes it)")
    how.add_argument("--show", action="store_true", help="print the note")
    state = _add(sub, "state", parents)
    # The same options after the action (`state export --library PATH`); unset there,
    # so that they do not undo those given before it (argparse lets an action's
    # defaults replace what the command's parser read).
    after = argparse.ArgumentParser(add_help=False)
    _add_common(after, default=argparse.SUPPRESS)
    _add_library(after, default=argparse.SUPPRESS)
    moves = state.add_subparsers(dest="action", metavar="ACTION", required=True)
    moves.add_parser("export", parents=[after], help="print the reading state as JSON Lines")
    merge = moves.add_parser(
        "import",
        parents=[after],
        help="merge exported state (a newer note here is never overwritten)",
    )
    _files(merge.add_argument("file", type=Path, metavar="FILE", help="JSON Lines ('-': stdin)"))


def _files(action: argparse.Action) -> None:
    """Complete this argument with file and folder names."""
    action.completer = completers.paths  # type: ignore[attr-defined]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
