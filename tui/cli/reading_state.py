"""The reading state (stars, read marks, tags, notes) as the commands meet it: read
whole for --json, and a damaged one set aside said once."""

from __future__ import annotations

from index import Library, PaperState, UserStateError

from ..output import say


def paper_states(library: Library) -> dict[str, PaperState]:
    """Every paper's reading state, for --json; none (with a warning) if unreadable."""
    try:
        states = library.user.all_states()
    except UserStateError as error:
        say(f"abstracts: {error}; printed without it", "yellow")
        return {}
    state_problem(library)
    return states


def state_problem(library: Library) -> None:
    """Say once that a damaged reading state was set aside (where it was kept)."""
    if library.user.problem:
        say(f"abstracts: {library.user.problem}", "yellow")
        library.user.problem = None
