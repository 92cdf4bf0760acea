"""Shell completion: `abstracts completion SHELL` prints the script a shell sources,
and a completing shell's request is answered before anything else is loaded.

argcomplete walks the same parser tree that parses the command line, so the
commands, options, sort orders and formats offered are always the ones accepted;
tags and author names come from the library (completers.py).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from .exits import OK


def answer_if_asked(parser: Callable[[], argparse.ArgumentParser]) -> None:
    """When a shell asks for completions (argcomplete's variables are set), print
    them for it, from the `parser` made, and exit; otherwise return at once."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    # Offer options only after a "-" is typed, as git and papis do.
    argcomplete.autocomplete(parser(), always_complete_options=False)


def completion_command(options: argparse.Namespace) -> int:
    """`abstracts completion bash|zsh|fish`: the script that makes the shell complete
    abstracts's commands, options and words."""
    import argcomplete

    print(argcomplete.shellcode(["abstracts"], shell=options.shell), end="")
    return OK


COMMANDS = {"completion": completion_command}
