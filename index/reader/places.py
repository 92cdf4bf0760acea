"""Where the reader is, and where it was: places, the back stack and the query history.

A `Place` is what the list shows and where in it the user is: the query, the tab,
the paper selected and how far the list is scrolled. Going somewhere (related
papers, an author) pushes the place left onto a `BackStack`; going back pops it.
The place at quit is saved for the next start (session restore) as a JSON dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from .tabs import ALL, TabFilter

# Places kept to go back to: far more than anyone walks back.
DEPTH = 100
# Queries walked with up and down, newest first (the store keeps as many).
HISTORY = 500


@dataclass(frozen=True)
class Place:
    """A query in a tab, and the paper selected in its results."""

    query: str = ""
    tab: TabFilter = ALL
    exact: bool = False  # searched as submitted (enter), not as typed
    key: str | None = None  # the selected paper
    scroll: float = 0.0  # the list's scroll offset, in lines
    # The selected paper's first line in the list then: rows above it may have
    # changed height since (a paper read loses its dot, a title wraps otherwise).
    row: int | None = None
    shown: int = 0  # how many results the list held (pages loaded)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["tab"] = asdict(self.tab)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Place | None:
        """The place saved as `data`; None if it is not one (an older or damaged save)."""
        tab = data.get("tab")
        if not isinstance(tab, Mapping):
            return None
        author, source, marks = tab.get("author"), tab.get("source"), tab.get("marks")
        query, key = data.get("query", ""), data.get("key")
        scroll, shown = data.get("scroll", 0.0), data.get("shown", 0)
        row = data.get("row")
        if not (
            isinstance(query, str)
            and (key is None or isinstance(key, str))
            and (author is None or isinstance(author, str))
            and (source is None or isinstance(source, str))
            and (marks is None or isinstance(marks, str))
            and isinstance(scroll, int | float)
            and isinstance(shown, int)
            and (row is None or (isinstance(row, int) and not isinstance(row, bool)))
        ):
            return None
        return cls(
            query=query,
            tab=TabFilter(author=author, source=source, marks=marks),
            exact=data.get("exact") is True,
            key=key,
            scroll=max(float(scroll), 0.0),
            shown=max(shown, 0),
            row=row,
        )


class BackStack:
    """Places to go back to, the latest last; the oldest are dropped beyond DEPTH."""

    def __init__(self, depth: int = DEPTH) -> None:
        self._places: list[Place] = []
        self._depth = depth

    def push(self, place: Place) -> None:
        if self._places and self._places[-1] == place:
            return  # going somewhere twice from one place: one step back
        self._places.append(place)
        del self._places[: -self._depth]

    def pop(self) -> Place | None:
        return self._places.pop() if self._places else None

    def __len__(self) -> int:
        return len(self._places)


class QueryHistory:
    """The queries settled on, newest first, each once: the reader's copy of what
    the library's store keeps, walked with up and down in the search box."""

    def __init__(self, queries: list[str] | None = None) -> None:
        self.queries: list[str] = list(queries or [])[:HISTORY]

    def remember(self, text: str) -> None:
        text = text.strip()
        if text:
            self.queries = [text, *(q for q in self.queries if q != text)][:HISTORY]

    def older(self, text: str) -> str | None:
        """The query before `text` (the newest if `text` is none of them); None at the oldest."""
        at = self._index(text)
        return self.queries[at + 1] if at + 1 < len(self.queries) else None

    def newer(self, text: str) -> str | None:
        """The query after `text`; None if `text` is the newest or none of them."""
        at = self._index(text)
        return self.queries[at - 1] if at > 0 else None

    def _index(self, text: str) -> int:
        try:
            return self.queries.index(text.strip()) if text.strip() else -1
        except ValueError:
            return -1
