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
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from index import StoreError, UserStateError

from ..output import say
from . import query_commands, reader_and_index, state_commands
from .exits import FAILED, INTERNAL, OK, USAGE, Stop

# The subcommands, in the order help lists them.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    **reader_and_index.COMMANDS,
    **query_commands.COMMANDS,
    **state_commands.COMMANDS,
}


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
            options = reader_and_index.reader_parser(list(COMMANDS)).parse_args(args)
            code = reader_and_index.open_reader(options)
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


def _parser() -> argparse.ArgumentParser:
    """The subcommands, each family adding its own, in the order help lists them."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", type=Path, metavar="DIR", help="where the index lives")
    common.add_argument("--config", type=Path, metavar="FILE", help="config file (TOML)")
    parser = argparse.ArgumentParser(
        prog="abstracts",
        description="Search and read paper abstracts from dump files.",
        epilog="Run 'abstracts [PATH...]' to open the reader.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    reader_and_index.add_parsers(sub, common)
    query_commands.add_parsers(sub, common)
    state_commands.add_parsers(sub, common)
    return parser
