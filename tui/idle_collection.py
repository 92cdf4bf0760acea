"""Full garbage collections while the reader idles, not while a query is typed.

A full collection walks every object Python tracks: the rows, strips and caches
of a reader in use make it a pause of 20-60 ms, and left to itself it falls on
whatever keystroke allocates last. The reader asks for one once typing pauses,
and Python's own full collections wait until many young collections have run
(a long burst of typing, not every few keystrokes).
"""

from __future__ import annotations

import gc

# Young (generation 1) collections before Python considers a full one itself:
# about 40 answers typed without a pause of IDLE_SECONDS (its default is 10).
YOUNG_COLLECTIONS_PER_FULL = 100
IDLE_SECONDS = 1.0


def defer_full_collections() -> None:
    """Leave full collections to `collect_while_idle` for as long as typing goes on."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, YOUNG_COLLECTIONS_PER_FULL)


def collect_while_idle() -> None:
    """The full collection the typing put off (the reader is idle: nobody waits)."""
    gc.collect()
