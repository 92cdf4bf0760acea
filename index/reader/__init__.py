"""The reader core: what the reader shows, computed without a screen."""

from .core import ReaderCore, Request
from .places import BackStack, Place, QueryHistory
from .tabs import ALL, STARRED, TabEntry, TabFilter, read_tabs
from .view import ORDER_NAMES, Inputs, View, count_text

__all__ = [
    "ALL",
    "ORDER_NAMES",
    "STARRED",
    "BackStack",
    "Inputs",
    "Place",
    "QueryHistory",
    "ReaderCore",
    "Request",
    "TabEntry",
    "TabFilter",
    "View",
    "count_text",
    "read_tabs",
]
