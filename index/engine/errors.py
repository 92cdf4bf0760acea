"""What the engine raises: the index is a cache of the dumps, so whatever goes wrong
with it, it can be built again; every Whoosh failure surfaces as one of these."""

from __future__ import annotations


class StoreError(Exception):
    """The index on disk cannot be used: missing, corrupt or unreadable."""


class StoreBusy(Exception):
    """Another process is writing the index."""


class SearchCancelled(Exception):
    """A search was called off because its answer is no longer wanted."""
