"""Reading dumps, merging papers and the Whoosh index: everything below the UI.

Nothing here imports textual.
"""

from .config import Config
from .engine.store import (
    SearchCancelled,
    SearchResult,
    StoreBusy,
    StoreError,
    highlight_spans,
    matched_fields,
)
from .library import Library, UpdateReport, find_dumps, last_library, remember_last, sample_dumps
from .model import AuthorInfo, Dump, Hit, Paper, Problem, Record
from .session import PAGE, Answer, Ask, SearchSession

__all__ = [
    "PAGE",
    "Answer",
    "Ask",
    "SearchSession",
    "AuthorInfo",
    "Config",
    "Dump",
    "Hit",
    "Library",
    "Paper",
    "Problem",
    "Record",
    "SearchCancelled",
    "SearchResult",
    "StoreBusy",
    "StoreError",
    "UpdateReport",
    "find_dumps",
    "highlight_spans",
    "matched_fields",
    "last_library",
    "remember_last",
    "sample_dumps",
]
