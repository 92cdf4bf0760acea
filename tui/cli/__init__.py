"""The `abstracts` command: subcommands for scripting; with none, it opens the reader.

    abstracts [PATH...]                 open the reader (default: the last library)
    abstracts index PATH...             index these dumps, and read them from now on
    abstracts list | search | related | authors [--library PATH...]
                                        print papers or authors: a table, --json or --format
    abstracts star | unstar | read | unread ID...
    abstracts tag ID [TAG...] [--remove] | note ID [--set TEXT | --show]
                                        mark papers (ID: an arXiv id or a key)
    abstracts state export | import FILE
                                        move the reading state between machines
    abstracts completion bash | zsh | fish
                                        the shell's completion script

Exit codes: 0 all good, 1 a dump could not be read or a path is missing, 2 usage,
3 the index is busy in another process, 70 an internal error, 130 Ctrl-C, 141 the
reader of the output went away (as a program that SIGPIPE ends). Never a traceback.

This module loads nothing heavy: the index (numpy, Whoosh) is imported by the
command that runs, so `--version`, help, usage errors and completion are quick.
"""

from __future__ import annotations

import difflib
import importlib
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import completion, parsers
from .exits import FAILED, INTERNAL, USAGE, Stop
from .plain_text import say_plain

# Exit status of a command whose output's reader went away: 128 + SIGPIPE.
CLOSED_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (and exits with it as a script)."""
    completion.answer_if_asked(parsers.command_parser)
    args = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A terminal whose encoding lacks a character shows "?", rather than the
        # command failing halfway through its output.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    try:
        code = _run(args)
    except Stop as stop:
        code = stop.code
    except SystemExit as exit:  # argparse: exit 2 with usage on a usage error
        code = exit.code if isinstance(exit.code, int) else USAGE
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (`abstracts list | head`): stop quietly,
        # and let nothing more be written to the pipe at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = CLOSED_PIPE
    except Exception as error:  # the promise is: never a traceback
        code = _failed(error)
    if argv is None:
        sys.exit(code)
    return code


def _run(args: list[str]) -> int:
    """Parse the arguments with the parser of the command they name, and run it."""
    if args and args[0] in parsers.COMMAND_HELP:
        name = args[0]
        # The command's own parser: its errors print its own usage.
        parser = parsers.subparser(parsers.command_parser(), name)
        options, unknown = parser.parse_known_args(args[1:])
        if unknown:  # said with the usage of the action they follow (`state export`)
            action = getattr(options, "action", None)
            (parsers.subparser(parser, action) if action else parser).error(
                f"unrecognized arguments: {' '.join(unknown)}"
            )
        options.command = name
        module = importlib.import_module(f".{parsers.COMMAND_HELP[name][1]}", __name__)
        return int(module.COMMANDS[name](options))
    mistyped = _mistyped_command(args)
    if mistyped is not None:
        typed, meant = mistyped
        say_plain(
            f"abstracts: {typed!r} is neither a command nor a file or folder; "
            f"did you mean: {meant}?"
        )
        return USAGE
    options = parsers.reader_parser().parse_args(args)
    from .reader_and_index import open_reader  # the reader's modules, only for it

    return open_reader(options)


def _mistyped_command(args: list[str]) -> tuple[str, str] | None:
    """The first argument and the command it is close to, when it looks like a
    mistyped command rather than a path (no such path exists)."""
    # A path is written as one: "./read", "dumps/x", "~/read".
    if not args or args[0].startswith(("-", ".", "~")) or "/" in args[0]:
        return None
    typed = args[0]
    path = Path(typed)
    if path.exists() or path.is_symlink():
        return None
    close = difflib.get_close_matches(typed.lower(), parsers.COMMAND_HELP, n=1, cutoff=0.6)
    return (typed, close[0]) if close else None


def _failed(error: Exception) -> int:
    """Say what went wrong, in one line; the exit code."""
    from index import StoreError, UserStateError

    from ..output import say

    if isinstance(error, StoreError | UserStateError):
        say(f"abstracts: {error}", "red")
        return FAILED
    if os.environ.get("ABSTRACTS_DEBUG"):
        raise error
    say(f"abstracts: internal error: {error!r} (ABSTRACTS_DEBUG=1 shows more)", "red")
    return INTERNAL
