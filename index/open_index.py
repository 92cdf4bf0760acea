"""The index of one library as it is open: the Store read from, why it must be
rebuilt when a read found it damaged, and the step that puts a new Store in its
place. The library reads through it and the updater keeps it up to date; neither
knows the other.

A read never repairs the index: one that finds it damaged fails (StoreError), as a
read of a missing file would, and leaves the reason here. The next update takes it
and rebuilds the index from the dumps, saying why: the index is a cache, and
nothing of the user's is kept in it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .engine.marks import MarkSource
from .engine.store import Store, StoreError

T = TypeVar("T")


class OpenIndex:
    """The index in one folder, opened when first read.

    Args:
        index_dir: Where the index lives.
        marks: What `is:`, `tag:` and `note:` filter on (the library's reading
            state), asked for when a Store is opened or put in place.
    """

    def __init__(self, index_dir: Path, marks: Callable[[], MarkSource]) -> None:
        self.index_dir = index_dir
        self._marks = marks
        self._store: Store | None = None
        # Why the index must be rebuilt, found by a read; taken by the next update.
        self._damage: str | None = None

    @property
    def damage(self) -> str | None:
        """Why a read found the index damaged, for the next update to rebuild it
        (None: no read did since the last update took it)."""
        return self._damage

    def take_damage(self) -> str | None:
        """The damage a read found (see `damage`), taken: the update that takes it
        rebuilds the index."""
        damage, self._damage = self._damage, None
        return damage

    def store(self) -> Store:
        """The open index.

        Raises:
            StoreError: there is none to open.
        """
        if self._store is None:
            store = Store.open(self.index_dir)
            store.user = self._marks()
            self._store = store
        return self._store

    def opened(self) -> Store | None:
        """The index if it is open already (None: it is not; it is not opened here)."""
        return self._store

    def open_store(self) -> tuple[Store | None, str | None]:
        """The open index, or None and why it cannot be opened."""
        try:
            return self.store(), None
        except StoreError as error:
            return None, str(error)

    def papers_held(self) -> int | None:
        """How many papers the index holds as it is (None: there is no readable index)."""
        try:
            return self.store().count()
        except StoreError:
            return None

    def read(self, read: Callable[[Store], T]) -> T:
        """What `read` reads from the open index.

        Raises:
            StoreError: the index cannot be opened or read; why is kept as its
                damage, for the next update to rebuild it.
        """
        try:
            store = self.store()
        except StoreError as error:
            self._damage = _short(str(error))
            raise
        try:
            return read(store)
        except StoreError as error:
            # A store an update closed or replaced meanwhile says nothing of the index now.
            if self._store is store:
                self._damage = _short(str(error))
            raise

    def adopt(self, store: Store) -> Store:
        """Read from `store` from now on (a new index, created in place of the old)."""
        store.user = self._marks()
        self._store = store
        return store

    def close(self) -> None:
        """Close the open index; the next read opens it again."""
        if self._store is not None:
            self._store.close()
            self._store = None


def _short(message: str) -> str:
    """A store error without the index's path, which the rebuild message gives."""
    if " is damaged (" not in message:
        return message
    return message.split(" is damaged (", 1)[1].removesuffix(")")
