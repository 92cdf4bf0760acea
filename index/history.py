"""Where a reader has been in a library: the queries searched, newest first, and
the place the last session left off (its query, tab and paper, as the reader saves
it), for the next session to open at.
"""

from __future__ import annotations

import json

from .userdb_connection import UserConnection

HISTORY = 500  # queries kept per library


class History:
    """The query history and last session of one library.

    Written as the user types and reads: these writes do not count as changes of
    the marks (see UserConnection.version).

    Args:
        connection: The library's reading state.
    """

    def __init__(self, connection: UserConnection) -> None:
        self._connection = connection

    def remember_query(self, text: str) -> None:
        """Put a query first in the history (once: an older copy goes)."""
        text = text.strip()
        if not text:
            return
        with self._connection.writing(marks=False) as db:
            db.execute(
                "INSERT INTO queries (text, used)"
                " VALUES (?, (SELECT coalesce(max(used), 0) + 1 FROM queries))"
                " ON CONFLICT (text) DO UPDATE SET used = excluded.used",
                (text,),
            )
            db.execute(
                "DELETE FROM queries WHERE used <="
                " (SELECT used FROM queries ORDER BY used DESC LIMIT 1 OFFSET ?)",
                (HISTORY,),
            )

    def queries(self, limit: int = HISTORY) -> list[str]:
        """The queries remembered, newest first."""
        with self._connection.reading() as db:
            if db is None:
                return []
            rows = db.execute("SELECT text FROM queries ORDER BY used DESC LIMIT ?", (limit,))
            return [text for (text,) in rows]

    def save_session(self, data: dict[str, object]) -> None:
        """Remember the reader's place (JSON-able: TypeError otherwise)."""
        text = json.dumps(data)
        with self._connection.writing(marks=False) as db:
            db.execute("INSERT OR REPLACE INTO session (id, data) VALUES (1, ?)", (text,))

    def load_session(self) -> dict[str, object] | None:
        """The place last saved (None: none, or one that cannot be read)."""
        with self._connection.reading() as db:
            row = db.execute("SELECT data FROM session").fetchone() if db else None
        try:
            data = json.loads(row[0]) if row else None
        except ValueError:
            return None
        return data if isinstance(data, dict) else None
