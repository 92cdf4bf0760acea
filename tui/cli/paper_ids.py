"""The paper an ID given on the command line names, and how messages name it back."""

from __future__ import annotations

import re

from index import Library, Paper

from ..output import say
from .exits import FAILED, Stop


def paper_by_id(library: Library, name: str) -> Paper:
    """The paper an ID names: its key, or its arXiv id (with `arXiv:` or a version).

    Args:
        library: the library whose papers are looked in.
        name: the ID as it was given.

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


def named(paper: Paper) -> str:
    """The paper as a message names it: its arXiv id (else its key) and its heading."""
    return f"{paper.arxiv_id or paper.key} {paper.heading(60)}"
