"""Whole posting lists of a Whoosh index as numpy arrays, with global document numbers.

Whoosh hands out postings one at a time through its matchers, which is where a
search spends its time. Here each posting list is read once, a block at a time,
into arrays over every segment of the index: document numbers (segment offset
plus the segment's own number, deleted documents left out) and the weights the
matcher's `weight()` would give. Field lengths come as one array per field,
decoded as Whoosh's BM25F scorer reads them. Positions are read only for the
words of phrases, a posting list at a time, and kept like the postings as one
sorted array of document-and-position keys.

A segment written by the project's own codec (codec.py) answers from its raw
arrays instead, with no Python loop at all.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import FieldType
from whoosh.util.numeric import byte_to_length

from . import codec as _raw  # its readers give None for another codec's segment
from .analysis import PackedPositions

# Posting arrays kept in memory, most recently used first out last.
CACHE_BYTES = 64 * 1024 * 1024
_EMPTY_DOCS = np.zeros(0, dtype=np.int64)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)
# What a field-length byte stands for (Whoosh keeps lengths as one byte).
_BYTE_LENGTHS = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class ManyPostings:
    """The postings of many terms one term after another (see many_postings())."""

    docs: np.ndarray  # document numbers, ascending within each term
    weights: np.ndarray
    sizes: np.ndarray  # how many postings each term has (live documents)
    frequency: np.ndarray  # each term's document frequency (with deleted documents)
    present: np.ndarray  # how many of the terms each segment's table holds


class PostingSource:
    """The postings, field lengths and statistics of one searcher's index version.

    Make a new one whenever the searcher changes: nothing here notices commits.
    Safe to share between threads.
    """

    def __init__(self, searcher_or_reader, cache_bytes: int = CACHE_BYTES) -> None:  # type: ignore[no-untyped-def]
        reader = getattr(searcher_or_reader, "reader", None)
        self.reader = reader() if callable(reader) else searcher_or_reader
        self.schema = self.reader.schema
        self.segments = [(segment, int(offset)) for segment, offset in self.reader.leaf_readers()]
        self.doc_count_all = int(self.reader.doc_count_all())
        # Where each segment starts, and one past the last document.
        self.starts = np.array([offset for _, offset in self.segments] + [self.doc_count_all])
        self.segment_sizes = np.diff(self.starts)
        live = np.ones(self.doc_count_all, dtype=bool)
        for segment, offset in self.segments:
            if segment.has_deletions():
                kept = np.fromiter(segment.all_doc_ids(), dtype=np.int64)
                live[offset : offset + segment.doc_count_all()] = False
                live[kept + offset] = True
        self.live = live
        self.deletions = not live.all()
        # Every segment written by this project's codec: its term tables are arrays.
        self.own_tables = all(_raw._table(segment) is not None for segment, _ in self.segments)
        self.live_docs = np.flatnonzero(live)
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        # Keyed (field, term), or (field, term, "many") for kept_many().
        self._postings: OrderedDict[tuple, tuple] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    # --- terms --------------------------------------------------------------

    def term_bytes(self, field: str, term: str | bytes | int) -> bytes | None:
        """The term as the index stores it, or None if the field cannot hold it."""
        if field not in self.schema:
            return None
        if isinstance(term, bytes):
            return term
        try:
            return self.schema[field].to_bytes(term)
        except ValueError:
            return None

    def terms_bytes(self, field: str, terms: Iterable[str]) -> list[bytes]:
        """Many terms as the index stores them (those the field can hold), the
        field looked up once: the thousands of keys of a filter on marks."""
        if field not in self.schema:
            return []
        to_bytes = self.schema[field].to_bytes
        terms = list(terms)
        if type(self.schema[field]).to_bytes is FieldType.to_bytes:  # text as UTF-8
            with suppress(UnicodeEncodeError):  # (a lone surrogate: each on its own)
                return [t.encode("utf-8") if isinstance(t, str) else t for t in terms]
        found = []
        for term in terms:
            with suppress(ValueError):
                found.append(to_bytes(term))
        return found

    def doc_frequency(self, field: str, term: str | bytes | int) -> int:
        """Documents holding the term, deleted ones too: what Whoosh's idf counts."""
        return self._entry(field, term)[3]

    def postings(self, field: str, term: str | bytes | int) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers ascending, weights) of the live documents holding the term."""
        docs, weights, _, _ = self._entry(field, term)
        return docs, weights

    def term_segments(self, field: str, term: str | bytes | int) -> tuple[int, ...]:
        """The segments whose term lists hold the term (if only for deleted documents)."""
        return self._entry(field, term)[2]

    def _entry(self, field: str, term: str | bytes | int) -> tuple:
        btext = self.term_bytes(field, term)
        if btext is None:
            return _EMPTY_DOCS, _EMPTY_WEIGHTS, (), 0
        return self._cached((field, btext), lambda: self._read_postings(field, btext))

    def _cached(self, key: tuple, read) -> tuple:  # type: ignore[no-untyped-def]
        """What read() gives, kept while the arrays kept stay under the budget."""
        with self._lock:
            entry = self._postings.get(key)
            if entry is not None:
                self._postings.move_to_end(key)
                return entry
        entry = read()
        with self._lock:
            if key not in self._postings:
                self._postings[key] = entry
                self._cached_bytes += _size(entry)
                while self._cached_bytes > self._cache_bytes and len(self._postings) > 1:
                    _, old = self._postings.popitem(last=False)
                    self._cached_bytes -= _size(old)
        return entry

    def _read_postings(self, field: str, btext: bytes) -> tuple:
        all_docs, all_weights, present = [], [], []
        frequency = 0
        for number, (segment, offset) in enumerate(self.segments):
            found = _raw.term_arrays(segment, field, btext)
            if found is None:  # another codec's segment: through Whoosh
                if (field, btext) not in segment:
                    continue
                found = (
                    *_matcher_arrays(segment.postings(field, btext)),
                    segment.doc_frequency(field, btext),
                )
            elif found is _raw.ABSENT:
                continue
            docs, weights, held = found
            present.append(number)
            frequency += held
            docs = np.asarray(docs, dtype=np.int64) + offset
            weights = np.asarray(weights, dtype=np.float64)
            if self.deletions:
                keep = self.live[docs]
                docs, weights = docs[keep], weights[keep]
            all_docs.append(docs)
            all_weights.append(weights)
        if not all_docs:
            return _EMPTY_DOCS, _EMPTY_WEIGHTS, tuple(present), frequency
        if len(all_docs) == 1:
            return all_docs[0], all_weights[0], tuple(present), frequency
        docs, weights = np.concatenate(all_docs), np.concatenate(all_weights)
        return docs, weights, tuple(present), frequency

    def many_postings(self, field: str, btexts: list[bytes]) -> ManyPostings | None:
        """The postings of many terms of a field (a prefix's or a fuzzy term's
        expansions) read together, or None where a segment is another codec's.
        Not kept in the cache: a prefix's terms are mostly rare, read once."""
        order = sorted(range(len(btexts)), key=btexts.__getitem__)
        keyed = [btexts[i] for i in order]
        frequency = np.zeros(len(btexts), dtype=np.int64)
        present = np.zeros(len(self.segments), dtype=np.int64)
        docs_of: list[list[np.ndarray]] = [[] for _ in btexts]
        weights_of: list[list[np.ndarray]] = [[] for _ in btexts]
        for number, (segment, offset) in enumerate(self.segments):
            found = _raw.many_term_arrays(segment, field, keyed)
            if found is None:
                return None
            wanted, held, arrays = found
            present[number] = len(wanted)
            for n, frequent, (docs, weights) in zip(
                wanted.tolist(), held.tolist(), arrays, strict=True
            ):
                term = order[n]
                frequency[term] += frequent
                docs = docs + offset
                if self.deletions:
                    keep = self.live[docs]
                    docs, weights = docs[keep], weights[keep]
                docs_of[term].append(docs)
                weights_of[term].append(weights)
        # Term by term in the order asked, each term's segments in order.
        sizes = np.array([sum(len(d) for d in parts) for parts in docs_of], dtype=np.int64)
        docs = [d for parts in docs_of for d in parts]
        weights = [w for parts in weights_of for w in parts]
        return ManyPostings(
            np.concatenate(docs) if docs else _EMPTY_DOCS,
            np.concatenate(weights) if weights else _EMPTY_WEIGHTS,
            sizes,
            frequency,
            present,
        )

    def kept_many(self, field: str, btexts: list[bytes]) -> ManyPostings | None:
        """many_postings() of terms read again and again (the completions of a word
        being typed, most of which its next letter asks for again): each term's
        postings kept as _term() keeps them, only those not kept read (together).
        None where a segment is another codec's."""
        kept: dict[bytes, tuple] = {}
        with self._lock:
            for btext in btexts:
                entry = self._postings.get((field, btext, "many"))
                if entry is not None:
                    self._postings.move_to_end((field, btext, "many"))
                    kept[btext] = entry
        missing = [b for b in btexts if b not in kept]
        if missing:
            many = self.many_postings(field, missing)
            if many is None:
                return None
            ends = np.cumsum(many.sizes)
            for btext, start, end, frequency in zip(
                missing, (ends - many.sizes).tolist(), ends.tolist(), many.frequency.tolist(),
                strict=True,
            ):  # fmt: skip
                entry = (many.docs[start:end].copy(), many.weights[start:end].copy(), frequency)
                kept[btext] = self._cached((field, btext, "many"), lambda e=entry: e)
        entries = [kept[b] for b in btexts]
        sizes = np.array([len(e[0]) for e in entries], dtype=np.int64)
        return ManyPostings(
            np.concatenate([e[0] for e in entries]) if entries else _EMPTY_DOCS,
            np.concatenate([e[1] for e in entries]) if entries else _EMPTY_WEIGHTS,
            sizes,
            np.array([e[2] for e in entries], dtype=np.int64),
            np.zeros(len(self.segments), dtype=np.int64),  # (not known: not needed)
        )

    def hold_terms(self, field: str) -> None:
        """Read a field's terms into memory as arrays now (see docs_of_terms() and
        first_by_term()), rather than in the first search that needs them."""
        for segment, _ in self.segments:
            table = _raw._table(segment)
            if table is not None:
                table.field_terms(field)

    def docs_of_terms(self, field: str, btexts: list[bytes]) -> np.ndarray:
        """The live documents holding any of these terms, ascending, unscored: the
        papers a filter keeps by key. A term of one posting names its document in
        its row of the term table, so most need no record read at all."""
        wanted = np.array(btexts, dtype=bytes) if btexts else None
        if wanted is not None and not (wanted[1:] > wanted[:-1]).all():
            wanted = np.unique(wanted)  # (a filter's keys come sorted, and once each)
        found = []
        for segment, offset in self.segments:
            table = _raw._table(segment)
            if table is None or wanted is None:
                found += [self.postings(field, b)[0] for b in btexts]
                break
            keys, named = table.field_terms(field)
            if not len(keys):
                continue
            # Looked up in the table's own width (numpy would otherwise widen its every
            # key), then compared whole: a longer key cut short is not found.
            at = np.searchsorted(keys, wanted.astype(keys.dtype))
            at = np.minimum(at, len(keys) - 1)
            at = at[keys[at] == wanted]
            one = named[at] >= 0
            found.append(named[at[one]] + offset)
            for index in at[~one].tolist():  # a term of several postings
                found.append(_term_docs_at(table, field, index) + offset)
        if not found:
            return _EMPTY_DOCS
        docs = np.unique(np.concatenate(found))
        return docs[self.live[docs]] if self.deletions else docs

    # --- per document -------------------------------------------------------

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length of `field` as the BM25F scorer reads it (0 if empty)."""
        found = self._lengths.get(field)
        if found is None:
            parts = [self._segment_lengths(segment, field) for segment, _ in self.segments]
            found = np.concatenate(parts) if parts else _EMPTY_WEIGHTS
            self._lengths[field] = found
        return found

    def _segment_lengths(self, segment, field: str) -> np.ndarray:  # type: ignore[no-untyped-def]
        size = segment.doc_count_all()
        column = _length_bytes(segment, field, size)
        if column is not None:
            return _BYTE_LENGTHS[column]
        # Another codec: ask document by document, as the scorer does.
        lengths = (segment.doc_field_length(d, field, 1) or 0 for d in range(size))
        return np.fromiter(lengths, dtype=np.float64, count=size)

    def positions(
        self, field: str, term: str | bytes | int, docnums: Iterable[int]
    ) -> list[np.ndarray]:
        """The term's positions in each of `docnums` (global, ascending, each holding it)."""
        keys = self.position_keys(field, term)
        wanted = np.asarray(docnums, dtype=np.int64)
        bounds = np.searchsorted(keys >> _DOC_SHIFT, np.stack([wanted, wanted + 1]))
        return [keys[start:end] & _POSITION for start, end in bounds.T.tolist()]

    def position_keys(self, field: str, term: str | bytes | int) -> np.ndarray:
        """Every position of the term as document * 2**32 + position, ascending, for
        the live documents holding it: a phrase is then a search of one word's keys
        in the next one's, with no gathering by document."""
        btext = self.term_bytes(field, term)
        if btext is None:
            return _EMPTY_DOCS
        key = (field, btext, "positions")
        return self._cached(key, lambda: (self._read_position_keys(field, btext),))[0]

    def _read_position_keys(self, field: str, btext: bytes) -> np.ndarray:
        parts = []
        for segment, offset in self.segments:
            found = _raw.term_positions(segment, field, btext)
            if found is None:  # another codec's segment: through Whoosh
                if (field, btext) not in segment:
                    continue
                found = _all_positions(segment, field, btext)
            local, counts, flat = found
            if not len(local):
                continue
            keys = np.repeat((local + offset) << _DOC_SHIFT, counts)
            keys |= flat
            parts.append(keys[self.live[keys >> _DOC_SHIFT]] if self.deletions else keys)
        if not parts:
            return _EMPTY_DOCS
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


# A position key: the document in the high bits, the position in the low 32.
_DOC_SHIFT = 32
_POSITION = (1 << _DOC_SHIFT) - 1


def _size(entry: tuple) -> int:
    return 100 + sum(part.nbytes for part in entry if isinstance(part, np.ndarray))


def _length_bytes(segment, field: str, size: int) -> np.ndarray | None:  # type: ignore[no-untyped-def]
    """The W3 codec's length column of a segment as bytes, one a document."""
    perdoc = getattr(segment, "_perdoc", None)
    cached_reader = getattr(perdoc, "_cached_reader", None)
    if cached_reader is None:
        return None
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    column = cached_reader(_lenfield(field), LENGTHS_COLUMN)
    out = np.zeros(size, dtype=np.uint8)
    if column is None:
        out[:] = 1  # no column: the scorer's default length, 1
        return out
    try:
        stored = column._dbfile.get(column._basepos, column._count)
        data = np.frombuffer(stored, dtype=np.uint8)
    except AttributeError:
        data = np.asarray(column.load(), dtype=np.uint8)
    out[: min(len(data), size)] = data[:size]
    return out


def _matcher_arrays(matcher) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """A leaf matcher's ids and weights, whole blocks at a time where it allows."""
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        ids, weights = [], []
        while matcher.is_active():
            # The block's data as W3LeafMatcher._read_ids/_read_weights decode it,
            # without their loops in Python: ids are stored as gaps, and weights as
            # None (all 1.0), one float for all (read back as a 32-bit float) or each.
            if matcher._data is None:
                matcher._read_data()
            gaps, stored, _ = matcher._data
            block = np.cumsum(np.asarray(gaps, dtype=np.int64))
            if stored is None:
                weight = np.ones(len(block))
            elif isinstance(stored, float):
                weight = np.full(len(block), float(np.float32(stored)))
            else:
                weight = np.asarray(stored, dtype=np.float64)
            ids.append(block)
            weights.append(weight)
            matcher._next_block()
        if not ids:
            return _EMPTY_DOCS, _EMPTY_WEIGHTS
        return np.concatenate(ids), np.concatenate(weights)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _all_positions(segment, field: str, btext: bytes) -> tuple:  # type: ignore[no-untyped-def]
    """(local docs, counts, positions) of every posting of a term in a segment,
    read through Whoosh's matcher."""
    matcher = segment.postings(field, btext)
    decode = segment.schema[field].format.decoder("positions")
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        ids, lists = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            lists.append(np.array(matcher.value_as("positions"), dtype=np.int64))
            matcher.next()
        return (np.array(ids, dtype=np.int64), *_flattened(lists))
    ids, counts, flats = [], [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
        matcher._read_values()
        found = _decoded(decode, list(matcher._values))
        counts.append(found[0])
        flats.append(found[1])
        matcher._next_block()
    if not ids:
        return _EMPTY_DOCS, _EMPTY_DOCS, _EMPTY_DOCS
    return np.concatenate(ids), np.concatenate(counts), np.concatenate(flats)


def _flattened(lists: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    counts = np.fromiter((len(p) for p in lists), dtype=np.int64, count=len(lists))
    return counts, np.concatenate(lists) if lists else _EMPTY_DOCS


def first_by_term(source: PostingSource, field: str, docnums: np.ndarray, count: int) -> list[int]:
    """The `count` documents of `docnums` whose terms in `field` sort first, in
    that order. `field` holds one term a document (an id): ties in a ranking are
    broken by it. The terms are read in order until enough are found."""
    wanted = np.zeros(source.doc_count_all, dtype=bool)
    wanted[np.asarray(docnums, dtype=np.int64)] = True
    wanted &= source.live
    count = min(count, int(wanted.sum()))
    found: list[int] = []
    if count <= 0:
        return found
    if source.own_tables:
        return _first_by_table(source, field, wanted, count)
    segments = [_term_docs(segment, offset, field) for segment, offset in source.segments]
    for _, docnum in heapq.merge(*segments):
        if wanted[docnum]:
            found.append(docnum)
            if len(found) == count:
                break
    return found


def _first_by_table(source: PostingSource, field: str, wanted: np.ndarray, count: int) -> list[int]:
    """first_by_term() from each segment's terms of the field as arrays (one term a
    document names it in its row): each segment's first `count` wanted documents in
    term order, then those few put in order together. No walk in Python."""
    keys, docs = [], []
    for segment, offset in source.segments:
        table = _raw._table(segment)
        assert table is not None  # (the caller checked)
        terms, named = table.field_terms(field)
        one = named >= 0
        firsts = np.flatnonzero(one)
        firsts = firsts[wanted[named[firsts] + offset]][:count]  # terms ascend
        keys.append(terms[firsts])
        docs.append(named[firsts] + offset)
        for index in np.flatnonzero(~one).tolist():  # a term of several postings
            ids = _term_docs_at(table, field, index) + offset
            ids = ids[wanted[ids]]
            keys.append(np.full(len(ids), terms[index]))
            docs.append(ids)
    all_docs = np.concatenate(docs)
    all_keys = np.concatenate(keys)
    order = np.lexsort((all_docs, all_keys))[:count]
    return all_docs[order].tolist()


def _term_docs_at(table, field: str, index: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The local documents of the field_terms() term at this index."""
    return _raw.Record(table._postfile, *table.field_term_extent(field, index)).postings()[0]


def _term_docs(segment, offset: int, field: str) -> Iterator[tuple[bytes, int]]:  # type: ignore[no-untyped-def]
    for btext, info in segment.iter_field(field):
        if info.doc_frequency() == 1 and info.min_id() is not None:
            yield btext, info.min_id() + offset  # the one document, without a read
            continue
        ids = _raw.info_docs(segment, info)
        if ids is None and getattr(info, "is_inlined", lambda: False)():
            ids = info.inlined_postings()[0]
        elif ids is None:
            ids = segment.postings(field, btext).all_ids()
        for docnum in ids:
            yield btext, docnum + offset


def _decoded(decode, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """(counts, positions) of posting values: this project's packed format (a count,
    then the gaps, as 16-bit numbers) all at once; any other one by one."""
    if not values:
        return np.zeros(0, dtype=np.int64), _EMPTY_DOCS
    if getattr(decode, "__func__", None) is not PackedPositions.decode_positions or not all(
        v[:1] == b"H" for v in values
    ):
        return _flattened([np.array(decode(v), dtype=np.int64) for v in values])
    sizes = np.fromiter(((len(v) - 1) // 2 for v in values), dtype=np.int64, count=len(values))
    numbers = np.frombuffer(b"".join(v[1:] for v in values), dtype="=u2").astype(np.int64)
    starts = np.cumsum(sizes) - sizes
    numbers[starts] = 0  # each value's count: not a gap
    total = np.cumsum(numbers)
    positions = total - np.repeat(total[starts], sizes)
    keep = np.ones(len(numbers), dtype=bool)
    keep[starts] = False
    return sizes - 1, positions[keep]
