"""Did-you-mean for one index: a query's unknown or rare words corrected to the
library's own words, where the corrected query finds more.

How a correction is chosen among the index's stems and given a written form is
index/spelling.py's; here the candidates are read from the searcher's terms.
"""

from __future__ import annotations

import json

from whoosh import query

from ..spelling import correctable_words, corrected, edit_distance, max_edits, same_case, spellings
from .schema import FIELD_ALIASES, SEARCH_FIELDS, STEM, stem_of
from .search import Searches
from .searcher_state import SearcherState

# Did-you-mean looks past a known word held by at most _RARE papers when a neighbour
# is held by _COMMONER times as many.
_RARE = 5
_COMMONER = 20


class Suggester:
    """Corrects queries against the terms of one index, and tries them on its searches."""

    def __init__(self, state: SearcherState, searches: Searches) -> None:
        self._state = state
        self._searches = searches

    def suggest(self, text: str, as_you_type: bool = False) -> str | None:
        """The query with its unknown words corrected from the index's vocabulary, if any.

        "transfromer" -> "transformer": the nearest known stem (fewest edits, then
        most papers) in a form close to what was typed.

        Args:
            as_you_type: The last word is still being typed: a word that starts
                indexed words is not a mistake.
        """
        fixes: dict[str, str] = {}
        words = correctable_words(text)
        with self._state.searching() as searcher:
            reader = searcher.reader()
            if as_you_type and words and words[-1][1] == len(text):
                typing = words.pop()[2].lower()
                if not any(self._state.terms(f).completions(typing, 1) for f in SEARCH_FIELDS):
                    words.append((len(text) - len(typing), len(text), typing, None))
            for _, _, word, field in words:
                field = FIELD_ALIASES.get(field or "", field)
                if field in ("author", "authors"):
                    # Names are not stemmed: correct them against the names indexed.
                    name = word.lower()
                    if not reader.doc_frequency("author", name):
                        best = self._nearest(name, ("author",))
                        fixes[word] = same_case(word, best) if best else word
                    continue
                if field not in (None, "title", "abstract", "venue"):
                    continue
                stem = stem_of(word)
                if not stem or (field is None and reader.doc_frequency("author", word.lower())):
                    continue
                fields = (field,) if field else ("abstract", "title")
                papers = max(self._state.terms(f).count(stem) for f in fields)
                if papers > _RARE:
                    continue
                # A word few papers hold may itself be a typo ("transfromer" is in
                # one paper of 100,000): a far commoner neighbour is what was meant.
                spelt = self._spelling(word, fields)
                if spelt and (papers == 0 or spelt[2] >= _COMMONER * papers):
                    fixes[word] = same_case(word, spelt[0])
        fixes = {word: fix for word, fix in fixes.items() if fix != word}
        if not fixes:
            return None
        suggestion = corrected(text, fixes)
        # Only a suggestion that finds more than the query is worth taking.
        found = self._searches.search(suggestion, limit=1, as_you_type=as_you_type).total or 0
        return (
            suggestion
            if found > (self._searches.search(text, limit=1, as_you_type=as_you_type).total or 0)
            else None
        )

    def _spelling(self, word: str, fields: tuple[str, ...]) -> tuple[str, int, int] | None:
        """The word of these fields closest to `word` (see spelling.spellings)."""
        lower = word.lower()
        stems: dict[str, int] = {}
        # Typos rarely hit the first two letters but for swapping them (or the
        # second and third).
        for start in dict.fromkeys((lower[:2], lower[1::-1], lower[0] + lower[2:3])):
            for name in fields:
                for stem, papers in self._state.terms(name).starting(start):
                    stems[stem] = max(stems.get(stem, 0), papers)
        # And the stems near the typed word's own stem, whatever their second letter.
        stem = stem_of(word)
        for name in fields:
            terms = self._state.terms(name)
            for near in terms.within(stem, max_edits(stem), prefix_length=1):
                stems[near] = max(stems.get(near, 0), terms.count(near))
        found = spellings(lower, stems.items(), stem_of, lambda stem: self._written(stem, fields))
        return found[0] if found else None

    def _written(self, stem: str, fields: tuple[str, ...]) -> list[str]:
        """The words that papers holding `stem` write for it, most common first."""
        terms = query.Or([query.Term(name, stem) for name in fields])
        seen: dict[str, int] = {}
        with self._state.searching() as searcher:
            for hit in searcher.search(terms, limit=20):
                paper = json.loads(hit.fields()["data"])
                text = f"{paper['title'] or ''} {paper['abstract'] or ''}"
                for token in STEM(text, mode="query", keeporiginal=True):
                    if token.text == stem:
                        word = token.original.lower()
                        seen[word] = seen.get(word, 0) + 1
        return sorted(seen, key=lambda w: -seen[w])

    def _nearest(self, text: str, fields: tuple[str, ...]) -> str | None:
        """The indexed term closest to `text`: fewest edits, then most papers."""
        for distance in (1, 2):
            found: dict[str, int] = {}
            for name in fields:
                terms = self._state.terms(name)
                for term in terms.within(text, distance, prefix_length=1):
                    found[term] = found.get(term, 0) + terms.count(term)
            if found:
                return min(found, key=lambda t: (edit_distance(text, t), -found[t], t))
        return None
