"""Keep memory a search frees for the next search.

A search makes numpy arrays of up to a few megabytes (posting arrays, scores by
document) and frees them. glibc hands such blocks back to the kernel as soon as
they are freed, so the next search takes a page fault for every 4 kB it touches
again: tens of thousands a query set, some 15 % of the search time measured at
121k papers. In a virtual machine whose host takes back the guest's free memory a
fault costs some 20 µs (5 ms a megabyte): the first three-letter prefix at 1M
papers spent most of its 100-340 ms there. So:

- the two thresholds are raised, and the process keeps what it frees;
- every thread allocates from the one main arena: the reader searches on a new
  thread each keystroke, and memory kept in a thread's own arena was given back
  when the thread ended;
- warm-up touches, once, the memory the largest searches of an index that size
  make (reserve()), so the first of them does not fault it in page by page.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import numpy as np

# mallopt() parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
# Blocks below this come from the heap, not a mapping of their own (32 MB is the
# most glibc allows); free memory at the top of the heap is kept up to TRIM.
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20
# What reserve() touches per document of the index (a search's arrays by
# document, its postings and the scores it keeps), and at most.
RESERVE_PER_DOCUMENT = 96
RESERVE_MOST = 192 << 20

_mallopt = None
_done = False
_reserved = 0


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed blocks, in one arena (once a process);
    False where the C library is not glibc, which is left as it is.

    Call it before the process starts its threads: a thread that already has an
    arena of its own keeps it."""
    global _done, _mallopt
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    _done = (
        bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
        and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
        and bool(mallopt(_M_ARENA_MAX, 1))
    )
    _mallopt = mallopt if _done else None
    return _done


def reserve(documents: int) -> None:
    """Touch once the memory searches of an index of `documents` make, and free it
    to the heap, which keeps it (where keep_freed_memory() took effect)."""
    global _reserved
    size = min(documents * RESERVE_PER_DOCUMENT, RESERVE_MOST)
    if _mallopt is None or size <= _reserved:
        return
    _mallopt(_M_TRIM_THRESHOLD, max(TRIM_THRESHOLD, size + (16 << 20)))
    block = 8 << 20  # below MMAP_THRESHOLD: from the heap, kept when freed
    # Filled with ones, not zeros: calloc may hand out fresh pages untouched.
    blocks = [np.ones(block, dtype=np.uint8) for _ in range(-(-size // block))]
    del blocks
    _reserved = size
