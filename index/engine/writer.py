"""A segment writer that inverts documents into arrays in memory.

Whoosh's writer puts every posting in a pool as a tuple, pickles sorted runs of
them to disk, merges the runs back, and then looks up the field length of every
posting from a column file while writing blocks one posting at a time. Here
each field keeps flat arrays instead: a text field every word of every paper
as a term number, other fields term number, document and value of each
posting. At the end they are grouped and sorted once with numpy, and each term
is written as one raw-array record by the codec (codec.py): the many short
terms (ids, names, rare words) all at once with numpy, the others one by one.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable

import numpy as np
from whoosh import analysis, fields, formats
from whoosh.util.numeric import length_to_byte, pack_uint
from whoosh.writing import SegmentWriter

from .analysis import ONE_LOOP, PackedPositions, StemmingAnalyzer, whole_matches
from .codec import (
    ArrayCodec,
    ArrayFieldWriter,
    encode_short,
    encode_singles,
    length_bytes,
    short_terms,
    term_record,
)
from .schema import SPELLED
from .terms import ROWS

# Bytes a posting and a position cost in the pool, to tell how full it is.
_POSTING_BYTES = 16  # term, document, weight, count or value: 4 bytes each
_POSITION_BYTES = 4
_TERM_BYTES = 120
# A word added as text: its number, and its share of the arrays that group the
# words into postings when the segment is written (a worker's peak memory).
_WORD_BYTES = 16
# Postings encoded at a time while writing.
_SLICE = 1 << 16


class _WordNumbers(dict):
    """Each word's term number (-1 for a word dropped), worked out the first time
    the word is looked up: one lookup a word, in C, once a word is known. The
    words kept, as written, are noted as they are first met (`fresh`)."""

    def __init__(self, analyzer, term_ids: dict[bytes, int]) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self._analyzer = analyzer
        self._term_ids = term_ids
        self.fresh: list[str] = []

    def __missing__(self, word: str) -> int:
        term = self._analyzer.term(word)
        ids = self._term_ids
        number = -1 if term is None else ids.setdefault(term.encode("utf-8"), len(ids))
        if number >= 0:
            self.fresh.append(word)
        self[word] = number
        return number


class FieldPool:
    """One field's postings, in the order they were added.

    Text analysed in one loop (see analysis.py) is kept as words, not postings:
    each distinct word is mapped to its term once, each paper's words as term
    numbers, and numpy groups them into postings and positions when the segment
    is written.
    """

    def __init__(self, positions: bool, boost: float = 1.0) -> None:
        self.positions = positions
        self.boost = boost
        self.term_ids: dict[bytes, int] = {}
        self.terms = array("I")  # the term number of each posting
        self.docs = array("I")
        self.weights = array("f")
        self.counts = array("I")  # positions fields: how many positions
        self.flat = array("I")  # positions fields: all positions
        self.value_ids: dict[bytes, int] = {}
        self.values = array("I")  # other fields: the posting's value, numbered
        # Text added as words: each word's term number (-1: dropped), and every
        # word of every paper as one, with each paper's number and word count.
        self.word_ids: dict[str, int] = {}
        self.words = array("i")
        self.word_docs = array("I")
        self.word_counts = array("I")
        self.renumbers = False
        # Each word kept as written, with the first paper that has it (see SPELLED).
        self.spellings: list[tuple[str, int]] = []

    def add_words(self, words: list[str], doc: int, analyzer) -> int:  # type: ignore[no-untyped-def]
        """Add a paper's words (an analyzer's words()); how many are kept."""
        if not self.word_ids:
            self.word_ids = _WordNumbers(analyzer, self.term_ids)
        word_ids = self.word_ids
        numbers = list(map(word_ids.__getitem__, words))
        fresh = getattr(word_ids, "fresh", None)  # the words first met here
        if fresh:
            self.spellings += [(word, doc) for word in fresh]
            fresh.clear()
        if not numbers:
            return 0
        self.renumbers = analyzer.renumbers
        self.words.extend(numbers)
        self.word_docs.append(doc)
        self.word_counts.append(len(numbers))
        return len(numbers) - numbers.count(-1)

    def add_positions(self, term: bytes, doc: int, weight: float, places: list[int]) -> None:
        ids = self.term_ids
        number = ids.get(term)
        if number is None:
            number = ids[term] = len(ids)
        self.terms.append(number)
        self.docs.append(doc)
        self.weights.append(weight)
        self.counts.append(len(places))
        self.flat.extend(places)

    def add_value(self, term: bytes, doc: int, weight: float, value: bytes) -> None:
        ids = self.term_ids
        number = ids.get(term)
        if number is None:
            number = ids[term] = len(ids)
        value_number = self.value_ids.get(value)
        if value_number is None:
            value_number = self.value_ids[value] = len(self.value_ids)
        self.terms.append(number)
        self.docs.append(doc)
        self.weights.append(weight)
        self.values.append(value_number)

    def add_counted(self, words: list[str], doc: int, fmt: formats.Format) -> int:
        """Add a paper's words to a field that counts them (Whoosh's Frequency)
        or only notes them (Existence); the field's length, as Whoosh counts it."""
        boost = fmt.field_boost
        distinct = list(dict.fromkeys(words))
        if not isinstance(fmt, formats.Frequency):
            self._add_terms(
                distinct, doc, [boost] * len(distinct), [self._value(b"")] * len(distinct)
            )
            return len(distinct)
        if len(distinct) == len(words):  # the usual: each word once
            once = self._value(pack_uint(1))
            self._add_terms(words, doc, [boost] * len(words), [once] * len(words))
            return len(words)
        counted = dict.fromkeys(distinct, 0)
        for word in words:
            counted[word] += 1
        counts = list(counted.values())
        values = [self._value(pack_uint(count)) for count in counts]
        self._add_terms(distinct, doc, [count * boost for count in counts], values)
        return len(words)

    def _value(self, value: bytes) -> int:
        return self.value_ids.setdefault(value, len(self.value_ids))

    def _add_terms(
        self, words: list[str], doc: int, weights: list[float], values: list[int]
    ) -> None:
        """A paper's postings in a field of values, each word's weight and value
        number, added at once (the words distinct)."""
        ids = self.term_ids
        # len(ids) is taken before each word is added: a new word's number.
        self.terms.extend([ids.setdefault(word.encode("utf-8"), len(ids)) for word in words])
        self.docs.extend([doc] * len(words))
        self.weights.extend(weights)
        self.values.extend(values)

    def size(self) -> int:
        return (
            len(self.docs) * _POSTING_BYTES
            + len(self.flat) * _POSITION_BYTES
            + len(self.words) * _WORD_BYTES
            + (len(self.term_ids) + len(self.word_ids)) * _TERM_BYTES
        )

    def _word_postings(self, rank: np.ndarray) -> tuple:
        """The words added as postings sorted by term rank then document:
        (ranks, documents, weights, counts, positions one posting after another)."""
        numbers = np.frombuffer(self.words, dtype=np.int32)
        per_doc = np.frombuffer(self.word_counts, dtype=np.uint32).astype(np.int64)
        firsts = np.cumsum(per_doc) - per_doc
        # Each word's place in its paper's text.
        places = np.arange(len(numbers), dtype=np.int64) - np.repeat(firsts, per_doc)
        docs = np.repeat(np.frombuffer(self.word_docs, dtype=np.uint32), per_doc)
        kept = numbers >= 0
        numbers, places, docs = numbers[kept], places[kept], docs[kept]
        if self.renumbers:
            # The first word a paper keeps keeps its place; the next ones follow it.
            first = np.empty(len(docs), dtype=bool)
            first[:1] = True
            first[1:] = docs[1:] != docs[:-1]
            starts = np.flatnonzero(first)
            paper = np.cumsum(first) - 1
            places = places[starts][paper] + (np.arange(len(docs)) - starts[paper])
            del first, paper
        ranks = rank[numbers]
        del numbers
        # Stable: each term's words stay in document, then text order.
        order = np.argsort(ranks, kind="stable")
        ranks, docs, places = ranks[order], docs[order], places[order]
        del order
        new = np.empty(len(ranks), dtype=bool)
        new[:1] = True
        new[1:] = (ranks[1:] != ranks[:-1]) | (docs[1:] != docs[:-1])
        starts = np.flatnonzero(new)
        counts = np.diff(np.append(starts, len(ranks)))
        weights = (counts * self.boost).astype(np.float32)
        return ranks[starts], docs[starts], weights, counts, places

    def _added_postings(self, rank: np.ndarray) -> tuple:
        """The postings added one at a time, as _word_postings() gives them (counts
        and positions for a positions field, else the value numbers)."""
        docs = np.frombuffer(self.docs, dtype=np.uint32).astype(np.int64)
        ranks = rank[np.frombuffer(self.terms, dtype=np.uint32)]
        weights = np.frombuffer(self.weights, dtype=np.float32)
        if self.positions:
            counts = np.frombuffer(self.counts, dtype=np.uint32).astype(np.int64)
            flat = np.frombuffer(self.flat, dtype=np.uint32)
            return _sorted(ranks, docs, weights, counts, flat)
        values = np.frombuffer(self.values, dtype=np.uint32)
        order = np.lexsort((docs, ranks))
        return ranks[order], docs[order], weights[order], values[order]

    def _postings(self, rank: np.ndarray) -> tuple:
        """Every posting sorted by term rank then document (see _added_postings)."""
        if not self.words:
            return self._added_postings(rank)
        from_words = self._word_postings(rank)
        if not self.docs:
            return from_words
        added = self._added_postings(rank)
        return _sorted(*(np.concatenate([a, b]) for a, b in zip(from_words, added, strict=True)))

    def write(self, writer: ArrayFieldWriter, lengths: np.ndarray | None) -> None:
        """Write every term, in byte order, one record each."""
        if not self.term_ids:
            return
        words = sorted(self.term_ids)
        rank = np.zeros(len(words), dtype=np.int64)
        rank[[self.term_ids[w] for w in words]] = np.arange(len(words))
        if self.positions:
            ranks, docs, weights, counts, flat = self._postings(rank)
            postings = _Postings(docs, weights, counts=counts, flat=flat)
        else:
            ranks, docs, weights, values = self._postings(rank)
            postings = _Postings(docs, weights, values=values, numbered=list(self.value_ids))
        bounds = np.searchsorted(ranks, np.arange(len(words) + 1))
        del ranks, rank
        if lengths is not None:
            postings.lengths = lengths[docs]
        # The terms a slice at a time; a slice's arrays are all that is in memory at once.
        first = 0
        while first < len(words):
            last = int(np.searchsorted(bounds, bounds[first] + _SLICE, side="right"))
            last = min(max(last - 1, first + 1), len(words))
            records, rows = postings.encode(bounds[first : last + 1])
            writer.write_terms(words[first:last], records, rows)
            first = last


class _Postings:
    """A field's postings sorted by term then document, encoded a slice of terms
    at a time (encode)."""

    def __init__(  # type: ignore[no-untyped-def]
        self, docs, weights, *, counts=None, flat=None, values=None, numbered=None
    ) -> None:
        self.docs, self.weights = docs, weights
        self.lengths: np.ndarray | None = None  # each posting's field length, if scorable
        self.counts, self.flat = counts, flat  # a positions field's
        self.ends = np.concatenate([[0], np.cumsum(counts)]) if counts is not None else None
        self.values, self.numbered = values, numbered  # value numbers; the values

    def encode(self, bounds: np.ndarray) -> tuple[bytes, np.ndarray]:
        """The records of the terms whose postings start at `bounds` (each term's
        first posting, then the end of the last), one after another, and their
        rows of statistics (terms.ROWS), each row's offset into the records.

        Short terms, most of a library's (names, ids, rare words), are encoded
        all at once with numpy; the others one by one as lists (Python encodes
        a record of many postings faster than numpy's many small steps).
        """
        postings = np.diff(bounds)
        fast = self._short(bounds) if self.counts is not None else postings == 1
        rows = np.zeros(len(postings), dtype=ROWS)
        parts = []
        at = 0
        if fast.any():
            records, rows[fast] = self._at_once(bounds[:-1][fast], postings[fast])
            parts.append(records)
            at = len(records)
        others = np.flatnonzero(~fast)
        if len(others):
            lists = self._lists(int(bounds[0]), int(bounds[-1]))
            for number in others.tolist():
                low, high = int(bounds[number]), int(bounds[number + 1])
                record, row = self._one(lists, low - int(bounds[0]), high - int(bounds[0]))
                rows[number] = (*row, at, len(record))
                parts.append(record)
                at += len(record)
        return b"".join(parts), rows

    def _short(self, bounds: np.ndarray) -> np.ndarray:
        """Which terms of a positions field encode_short() takes, and whose weights
        are whole numbers (their sums then exact in any order)."""
        low, high = int(bounds[0]), int(bounds[-1])
        assert self.ends is not None  # (a positions field)
        starts = bounds[:-1] - low
        counts = self.counts[low:high]
        weights = self.weights[low:high]
        whole = np.logical_and.reduceat(weights == np.floor(weights), starts)
        # One more position, so that a term without any still has an index.
        flat = np.append(self.flat[self.ends[low] : self.ends[high]], 0)
        position_max = np.maximum.reduceat(flat, self.ends[bounds[:-1]] - self.ends[low])
        return whole & short_terms(
            np.diff(bounds),
            np.maximum.reduceat(counts, starts),
            position_max,
            np.add.reduceat(counts, starts),
        )

    def _at_once(self, firsts: np.ndarray, postings: np.ndarray) -> tuple[bytes, np.ndarray]:
        """Records and rows of terms encoded all at once: short terms of a
        positions field, or terms of one posting of another field (`firsts`:
        where each term's postings start; `postings`: how many)."""
        taken = _runs(firsts, postings)
        docs, weights = self.docs[taken], self.weights[taken]
        if self.counts is not None:
            assert self.ends is not None
            counts = self.counts[taken]
            positions = self.flat[_runs(self.ends[taken], counts)]
            records, sizes = encode_short(postings, docs, weights, counts, positions)
        else:
            found = [self.numbered[v] for v in self.values[taken].tolist()]
            records, sizes = encode_singles(docs, weights, found)
        starts = np.cumsum(postings) - postings
        rows = np.zeros(len(firsts), dtype=ROWS)
        rows["weight"] = np.add.reduceat(weights.astype(np.float64), starts)
        rows["docs"] = postings
        if self.lengths is not None:
            lengths = self.lengths[taken]
            rows["shortest"] = length_bytes(np.minimum.reduceat(lengths, starts))
            rows["longest"] = length_bytes(np.maximum.reduceat(lengths, starts))
        else:
            rows["shortest"] = rows["longest"] = length_to_byte(0)
        rows["max_weight"] = np.maximum.reduceat(weights, starts)
        rows["first"] = docs[starts]
        rows["last"] = docs[starts + postings - 1]
        rows["offset"] = np.cumsum(sizes) - sizes
        rows["size"] = sizes
        return records.tobytes(), rows

    def _lists(self, low: int, high: int) -> dict:
        """Postings low to high as lists, to be sliced for each term: Python lists
        slice and encode faster than small arrays. The gaps between documents
        are taken from the previous posting, across terms too (_one mends each
        term's first)."""
        docs = self.docs[low:high]
        weights = self.weights[low:high]
        lists = {
            "docs": docs.tolist(),
            "gaps": np.diff(docs.astype(np.int64), prepend=0).tolist(),
            "weights": weights.tolist(),
            "lengths": self.lengths[low:high].tolist() if self.lengths is not None else None,
            "whole": None,
        }
        if np.all((weights >= 0) & (weights < 1 << 16) & (weights == np.floor(weights))):
            lists["whole"] = weights.astype(np.int64).tolist()
        if self.counts is not None:
            assert self.ends is not None
            lists["counts"] = self.counts[low:high].tolist()
            lists["flat"] = self.flat[self.ends[low] : self.ends[high]].tolist()
            lists["ends"] = (self.ends[low : high + 1] - self.ends[low]).tolist()
        else:
            lists["values"] = [self.numbered[v] for v in self.values[low:high].tolist()]
        return lists

    def _one(self, lists: dict, low: int, high: int) -> tuple[bytes, tuple]:
        """The record of the term whose postings are low to high in `lists`, and
        its row's statistics (without where the record is)."""
        docs = lists["docs"][low:high]
        gaps = [docs[0], *lists["gaps"][low + 1 : high]]
        whole = lists["whole"][low:high] if lists["whole"] is not None else None
        lengths = lists["lengths"][low:high] if lists["lengths"] is not None else None
        weights = lists["weights"][low:high]
        if self.counts is not None:
            ends = lists["ends"]
            return term_record(
                docs,
                weights,
                lengths,
                lists["counts"][low:high],
                lists["flat"][ends[low] : ends[high]],
                gaps=gaps,
                whole=whole,
            )
        values = lists["values"][low:high]
        return term_record(docs, weights, lengths, values=values, gaps=gaps, whole=whole)


def _runs(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The indices start, start + 1, ... of each run, one run after another."""
    return np.arange(int(sizes.sum())) + np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)


def _sorted(ranks, docs, weights, counts, flat) -> tuple:  # type: ignore[no-untyped-def]
    """Postings with positions sorted by term rank then document, each posting's
    run of positions moved with it."""
    starts = np.cumsum(counts) - counts
    order = np.lexsort((docs, ranks))
    counts = counts[order]
    before = np.cumsum(counts) - counts
    flat = flat[np.arange(int(counts.sum())) + np.repeat(starts[order] - before, counts)]
    return ranks[order], docs[order], weights[order], counts, flat


class ArrayPool:
    """Every field's postings for one segment, in memory (see FieldPool)."""

    def __init__(self, schema) -> None:  # type: ignore[no-untyped-def]
        self.schema = schema
        self.fields: dict[str, FieldPool] = {}
        self.fieldnames: set[str] = set()

    def field(self, name: str) -> FieldPool:
        found = self.fields.get(name)
        if found is None:
            fmt = self.schema[name].format
            found = self.fields[name] = FieldPool(isinstance(fmt, PackedPositions), fmt.field_boost)
            self.fieldnames.add(name)
        return found

    def add(self, item: tuple) -> None:
        """A posting as Whoosh's pool takes it: (field, term, doc, weight, value)."""
        name, term, doc, weight, value = item
        if name not in self.schema:
            return
        pool = self.field(name)
        if pool.positions:
            places = self.schema[name].format.decode_positions(value) if value else []
            pool.add_positions(term, doc, weight, places)
        else:
            pool.add_value(term, doc, weight, value or b"")

    def size(self) -> int:
        return sum(pool.size() for pool in self.fields.values())

    def cleanup(self) -> None:
        self.fields = {}


# Numbers whose terms are kept for the next paper with the same number.
_NUMBERS_KEPT = 10_000
# Formats whose postings only count a field's words (or note them): no positions.
_COUNTED = (formats.Frequency, formats.Existence)


def _splitter(field) -> Callable[[str], list[str]] | None:  # type: ignore[no-untyped-def]
    """The words a field's analyzer gives for a text, in one call, where the field
    indexes text as Whoosh's FieldType does and its analyzer is a plain tokenizer,
    lowercased or not; None for any other field (Whoosh's own chain then
    analyses the text)."""
    if type(field).index is not fields.FieldType.index:  # numbers, dates...
        return None
    analyzer = field.analyzer
    lower = False
    if isinstance(analyzer, analysis.CompositeAnalyzer):
        if len(analyzer.items) != 2 or type(analyzer.items[1]) is not analysis.LowercaseFilter:
            return None
        analyzer, lower = analyzer.items[0], True
    split: Callable[[str], list[str]]
    if type(analyzer) is analysis.IDTokenizer:  # the whole text is one word
        split = _as_one_word
    elif type(analyzer) is analysis.RegexTokenizer and not analyzer.gaps:
        split = whole_matches(analyzer.expression)
    else:
        return None
    if lower:
        return lambda text: [word.lower() for word in split(text)]
    return split


class ArrayWriter(SegmentWriter):
    """Whoosh's SegmentWriter with the array pool and the raw-array codec.

    It takes the same documents and writes a segment Whoosh reads as its own.
    """

    def __init__(self, ix, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["codec"] = ArrayCodec()
        super().__init__(ix, **kwargs)
        self.pool = ArrayPool(self.schema)
        # Each scorable field's length in every document, for the term statistics.
        self._lengths: dict[str, array] = {}
        self._plans: dict[str, tuple] = {}  # see _plan()
        self._numbers: dict[tuple[str, int], list[tuple]] = {}
        self._vectored: set[str] = set()
        self._spelt: dict[str, str] = {}
        self._note_vectors_and_spelling()

    def _note_vectors_and_spelling(self) -> None:
        """The fields with term vectors, and those spelt in a field of their own
        (each one's name): written as Whoosh's writer writes them."""
        fields_ = self.schema.items()
        self._vectored = {name for name, field in fields_ if field.vector}
        self._spelt = {
            name: field.spelling_fieldname(name)
            for name, field in fields_
            if field.separate_spelling()
        }

    def add_field(self, fieldname, fieldspec, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().add_field(fieldname, fieldspec, **kwargs)
        self._note_vectors_and_spelling()

    def remove_field(self, fieldname) -> None:  # type: ignore[no-untyped-def]
        super().remove_field(fieldname)
        self._note_vectors_and_spelling()

    def add_document(self, **fields) -> None:  # type: ignore[no-untyped-def]
        if any(name.startswith("_") for name in fields):
            super().add_document(**fields)  # boosts and custom stored values
            return
        self._check_state()
        schema = self.schema
        self._check_fields(schema, fields)
        perdoc = self.perdocwriter
        docnum = self.docnum
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = self._index(name, field, value, docnum) if field.indexed else 0
                if name in self._spelt:
                    spelling = self.pool.field(self._spelt[name])
                    for word in field.spellable_words(value):
                        spelling.add_value(word.encode("utf-8"), 0, 1, b"")
                if name in self._vectored:
                    found = field.vector.word_values(value, field.analyzer, mode="index")
                    items = sorted((text, weight, vbytes) for text, _, weight, vbytes in found)
                    perdoc.add_vector_items(name, field, items)
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, name: str, field, value, docnum: int) -> int:  # type: ignore[no-untyped-def]
        """Put the field's postings in the pool; its length (0 if not scorable)."""
        plan = self._plans.get(name)
        if plan is None:
            plan = self._plans[name] = self._plan(name, field)
        pool, analyzer, split = plan
        length = 0
        if analyzer is not None and type(value) is str:
            length = pool.add_words(analyzer.words(value), docnum, analyzer)
        elif split is not None and type(value) is str:
            length = pool.add_counted(split(value), docnum, field.format)
        else:
            decode = field.format.decode_positions if pool.positions else None
            for btext, freq, weight, vbytes in self._terms_of(name, field, value):
                if decode is not None:
                    pool.add_positions(btext, docnum, weight, decode(vbytes))
                else:
                    pool.add_value(btext, docnum, weight, vbytes or b"")
                length += freq
        if not field.scorable:
            return 0
        lengths = self._lengths.setdefault(name, array("I"))
        missing = docnum - self.docbase + 1 - len(lengths)
        if missing > 0:
            lengths.extend([0] * missing)
        lengths[docnum - self.docbase] = length
        return length

    def _terms_of(self, name: str, field, value) -> list[tuple]:  # type: ignore[no-untyped-def]
        """Whoosh's terms of a field's value; for a number, made once (years repeat)."""
        if type(value) is not int:
            return list(field.index(value))
        if len(self._numbers) > _NUMBERS_KEPT:
            self._numbers.clear()
        key = (name, value)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = list(field.index(value))
        return found

    def _plan(self, name: str, field) -> tuple:  # type: ignore[no-untyped-def]
        """How the field's text is indexed: (its pool, the one-loop analyzer whose
        words the pool takes, or else a splitter for a field that counts words;
        neither: Whoosh's own analysis)."""
        pool = self.pool.field(name)
        analyzer = getattr(field, "analyzer", None)
        if pool.positions and isinstance(analyzer, ONE_LOOP):
            return pool, analyzer, None
        return pool, None, _splitter(field) if type(field.format) in _COUNTED else None

    def pool_bytes(self) -> int:
        """About how much memory the postings held so far take."""
        return self.pool.size()

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        pool: ArrayPool = self.pool
        self._add_spellings(pool)
        for name in sorted(pool.fields):
            writer.start_field(name, self.schema[name])
            lengths = self._lengths.get(name)
            known = None
            if lengths is not None:
                # Indexed by document number; documents added otherwise count 0.
                known = np.zeros(self.docnum + 1, dtype=np.int64)
                values = np.frombuffer(lengths, dtype=np.uint32)
                known[self.docbase : self.docbase + len(values)] = values
            pool.fields[name].write(writer, known)
            writer.finish_field()
        writer.close()

    def _add_spellings(self, pool: ArrayPool) -> None:
        """The words of the stemmed fields as written, each in the first paper of
        the segment that has it: the library's written words, which a half-typed
        word is completed from (its stems alone cannot tell that "study" is the
        word stemmed "studi"). One posting a word keeps it small."""
        if SPELLED not in self.schema:
            return
        seen: dict[str, int] = {}
        for name in sorted(pool.fields):
            if not isinstance(getattr(self.schema[name], "analyzer", None), StemmingAnalyzer):
                continue
            for word, doc in pool.fields[name].spellings:
                seen.setdefault(word, doc)
        if not seen:
            return
        spelled = pool.field(SPELLED)
        once = pack_uint(1)  # the field's format counts (a KEYWORD field): once each
        for word, doc in seen.items():
            spelled.add_value(word.encode("utf-8"), doc, 1.0, once)


def _as_one_word(text: str) -> list[str]:
    return [text]
