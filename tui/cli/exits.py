"""How a command ends: its exit code, returned, or raised with Stop from deep inside."""

from __future__ import annotations

OK, FAILED, USAGE, BUSY, INTERNAL = 0, 1, 2, 3, 70


class Stop(Exception):
    """Ends a command early with this exit code, its reason already said."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code
