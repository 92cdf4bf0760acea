"""Keep memory a search frees for the next search.

A search makes numpy arrays of up to a few megabytes (posting arrays, scores by
document) and frees them. glibc hands such blocks back to the kernel as soon as
they are freed, so the next search takes a page fault for every 4 kB it touches
again: tens of thousands a query set, some 15 % of the search time measured at
121k papers. Raising the two thresholds keeps up to 64 MB of freed memory in the
process instead; the peak memory of a search does not change.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# mallopt() parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks below this come from the heap, not a mapping of their own (32 MB is the
# most glibc allows); free memory at the top of the heap is kept up to TRIM.
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20

_done = False


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed blocks (once a process); False where the
    C library is not glibc, which is left as it is."""
    global _done
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
    _done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
    return _done
