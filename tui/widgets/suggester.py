"""Completion in the search box: field names, and author names after `author:`."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.suggester import Suggester

from index import SEARCH_FIELDS

# The field names a query may use, as the index names them.
FIELDS = tuple(f"{name}:" for name in (*SEARCH_FIELDS, "year"))
_TAIL = re.compile(r'(?:^|[\s(])(author:("?))?([^\s:"(]*)$')


class QuerySuggester(Suggester):
    """Suggests the rest of what is being typed; → (right arrow) accepts it.

    A suggestion must extend the text as typed, so after `author:` one word of a
    name is completed (`author:ja` -> `author:jain`), and after `author:"` the
    whole name with its closing quote.
    """

    def __init__(
        self,
        names: Callable[[], list[str]],
        words: Callable[[str], list[str]] = lambda prefix: [],
    ) -> None:
        """
        Args:
            names: Whole names offered first (the tabs' authors).
            words: Words of any author's name in the library starting with a prefix.
        """
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names
        self.words = words

    async def get_suggestion(self, value: str) -> str | None:
        match = _TAIL.search(value)
        if not match:
            return None
        typed = match[3]
        if match[1]:
            return self._name(value, typed, quoted=bool(match[2]))
        if len(typed) >= 2 and value.count('"') % 2 == 0:
            for field in FIELDS:
                if field.startswith(typed.lower()) and field != typed.lower():
                    return value + field[len(typed) :]
        return None

    def _name(self, value: str, typed: str, quoted: bool) -> str | None:
        start = typed.lower()
        for name in self.names():
            if quoted and name.lower().startswith(start):
                return value + name[len(typed) :] + '"'
            if not quoted and start:
                for word in re.findall(r"\w[\w.\-']*", name):
                    if word.lower().startswith(start) and len(word) > len(typed):
                        return value + word[len(typed) :].lower()
        if not quoted and len(start) >= 2:
            for word in self.words(start):
                if word.startswith(start) and len(word) > len(typed):
                    return value + word[len(typed) :]
        return None
