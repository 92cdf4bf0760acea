"""Reading dumps, merging papers and the index: everything below the UI.

Nothing here imports textual, and this module is the only one `tui` imports
from: what is named below is the whole surface the reader and the command line
use (tests/unit/test_layers.py checks both).
"""

from . import reader
from .cite import bibtex, citation, each_bibtex
from .config import Config, save_theme
from .engine.errors import SearchCancelled, StoreBusy, StoreError
from .engine.highlights import highlight_spans, matched_fields
from .engine.order import ORDERS
from .engine.result import SearchResult
from .engine.schema import SEARCH_FIELDS
from .export import FORMATS as EXPORT_FORMATS
from .export import export, format_for, json_line, write_export
from .formats.discovery import find_dumps
from .library import Library, sample_dumps
from .math_text import BOLD, ITALIC, LINK, Rendered, as_written, rendered, search_words
from .model import AuthorInfo, AuthorProfile, Dump, Hit, Paper, Problem, Record, Shelves
from .reader import *  # noqa: F403 (the reader core's names, listed once in index/reader)
from .session import PAGE, Answer, Ask, SearchSession
from .state import (
    last_library,
    pinned_authors,
    pinned_tags,
    remember_last,
    set_pinned,
    set_pinned_tags,
)
from .state_transfer import export_lines as export_state
from .state_transfer import import_lines as import_state
from .text import (
    UNSAFE,
    arxiv_id_named,
    arxiv_ids_in,
    first_sentence,
    printable,
    printable_by_character,
    unsafe_in,
)
from .unsaved import keep_unsaved
from .update import DumpChange, UpdateReport, being_built, left_locked
from .userdb import ImportReport, PaperState, UserDB, UserStateError, normalise_tag
from .watch import DumpWatcher, StateWatcher

__all__ = [
    *reader.__all__,
    "BOLD",
    "ITALIC",
    "LINK",
    "Rendered",
    "as_written",
    "rendered",
    "search_words",
    "UNSAFE",
    "ORDERS",
    "PAGE",
    "SEARCH_FIELDS",
    "Answer",
    "Ask",
    "SearchSession",
    "EXPORT_FORMATS",
    "AuthorInfo",
    "AuthorProfile",
    "Config",
    "save_theme",
    "Dump",
    "DumpChange",
    "DumpWatcher",
    "StateWatcher",
    "Hit",
    "ImportReport",
    "Library",
    "Paper",
    "PaperState",
    "Problem",
    "Record",
    "SearchCancelled",
    "SearchResult",
    "Shelves",
    "StoreBusy",
    "StoreError",
    "UpdateReport",
    "UserDB",
    "UserStateError",
    "arxiv_id_named",
    "arxiv_ids_in",
    "being_built",
    "bibtex",
    "each_bibtex",
    "citation",
    "export",
    "export_state",
    "find_dumps",
    "first_sentence",
    "format_for",
    "highlight_spans",
    "import_state",
    "json_line",
    "keep_unsaved",
    "last_library",
    "left_locked",
    "matched_fields",
    "normalise_tag",
    "pinned_authors",
    "pinned_tags",
    "printable",
    "printable_by_character",
    "unsafe_in",
    "remember_last",
    "sample_dumps",
    "set_pinned",
    "set_pinned_tags",
    "write_export",
]
