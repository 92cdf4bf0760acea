"""A segment writer that inverts documents into arrays in memory.

Whoosh's writer puts every posting in a pool as a tuple, pickles sorted runs of
them to disk, merges the runs back, and then looks up the field length of every
posting from a column file while writing blocks one posting at a time. Here
each field keeps flat arrays instead — term number, document, count — with all
positions in one more array; at the end they are sorted once with numpy and
each term is written as one raw-array record by the codec (codec.py).
"""

from __future__ import annotations

from array import array

import numpy as np
from whoosh.writing import SegmentWriter

from .analysis import ONE_LOOP, PackedPositions
from .codec import ArrayCodec, ArrayFieldWriter

# Bytes a posting and a position cost in the pool, to tell how full it is.
_POSTING_BYTES = 16  # term, document, weight, count or value: 4 bytes each
_POSITION_BYTES = 4
_TERM_BYTES = 120
# Postings turned into Python lists at a time while writing.
_SLICE = 1 << 16


class FieldPool:
    """One field's postings, in the order they were added."""

    def __init__(self, positions: bool) -> None:
        self.positions = positions
        self.term_ids: dict[bytes, int] = {}
        self.terms = array("I")  # the term number of each posting
        self.docs = array("I")
        self.weights = array("f")
        self.counts = array("I")  # positions fields: how many positions
        self.flat = array("I")  # positions fields: all positions
        self.value_ids: dict[bytes, int] = {}
        self.values = array("I")  # other fields: the posting's value, numbered

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

    def size(self) -> int:
        return (
            len(self.docs) * _POSTING_BYTES
            + len(self.flat) * _POSITION_BYTES
            + len(self.term_ids) * _TERM_BYTES
        )

    def write(self, writer: ArrayFieldWriter, lengths: np.ndarray | None) -> None:
        """Write every term, in byte order, one record each."""
        if not self.term_ids:
            return
        words = sorted(self.term_ids)
        rank = np.zeros(len(words), dtype=np.int64)
        rank[[self.term_ids[w] for w in words]] = np.arange(len(words))
        docs = np.frombuffer(self.docs, dtype=np.uint32)
        ranks = rank[np.frombuffer(self.terms, dtype=np.uint32)]
        order = np.lexsort((docs, ranks))
        docs = docs[order]
        bounds = np.searchsorted(ranks[order], np.arange(len(words) + 1))
        del ranks
        weights = np.frombuffer(self.weights, dtype=np.float32)[order]
        known = lengths[docs] if lengths is not None else None
        if self.positions:
            counts = np.frombuffer(self.counts, dtype=np.uint32).astype(np.int64)
            starts = np.cumsum(counts) - counts
            counts = counts[order]
            # Each posting's run of positions, gathered in the new order.
            before = np.cumsum(counts) - counts
            flat = np.frombuffer(self.flat, dtype=np.uint32)[
                np.arange(int(counts.sum())) + np.repeat(starts[order] - before, counts)
            ]
            del starts, before
            ends = np.concatenate([[0], np.cumsum(counts)])
        else:
            numbered = list(self.value_ids)
            values = np.frombuffer(self.values, dtype=np.uint32)[order]
        del order
        # The terms a slice at a time, as lists: Python encodes small records
        # faster than numpy, and a slice's lists are all that is in memory at once.
        first = 0
        while first < len(words):
            last = int(np.searchsorted(bounds, bounds[first] + _SLICE, side="right"))
            last = min(max(last - 1, first + 1), len(words))
            low, high = int(bounds[first]), int(bounds[last])
            term_docs = docs[low:high].tolist()
            term_weights = weights[low:high].tolist()
            term_lengths = known[low:high].tolist() if known is not None else None
            if self.positions:
                term_counts = counts[low:high].tolist()
                term_flat = flat[ends[low] : ends[high]].tolist()
                offsets = (ends[low : high + 1] - ends[low]).tolist()
            else:
                term_values = [numbered[v] for v in values[low:high].tolist()]
            for number in range(first, last):
                start, end = int(bounds[number]) - low, int(bounds[number + 1]) - low
                if self.positions:
                    writer.write_term(
                        words[number],
                        term_docs[start:end],
                        term_weights[start:end],
                        term_lengths[start:end] if term_lengths is not None else None,
                        term_counts[start:end],
                        term_flat[offsets[start] : offsets[end]],
                    )
                else:
                    writer.write_term(
                        words[number],
                        term_docs[start:end],
                        term_weights[start:end],
                        term_lengths[start:end] if term_lengths is not None else None,
                        values=term_values[start:end],
                    )
            first = last


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
            found = self.fields[name] = FieldPool(isinstance(fmt, PackedPositions))
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


class ArrayWriter(SegmentWriter):
    """Whoosh's SegmentWriter with the array pool and the raw-array codec.

    It takes the same documents and writes a segment Whoosh reads as its own.
    """

    def __init__(self, ix, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["codec"] = ArrayCodec()
        super().__init__(ix, **kwargs)
        self.pool = ArrayPool(self.schema)  # type: ignore[assignment]
        # Each scorable field's length in every document, for the term statistics.
        self._lengths: dict[str, array] = {}

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
        pool = self.pool.field(name)  # type: ignore[attr-defined]
        length = 0
        analyzer = getattr(field, "analyzer", None)
        if pool.positions and isinstance(analyzer, ONE_LOOP):
            boost = field.format.field_boost
            for term, places in analyzer.term_positions(value).items():
                pool.add_positions(term.encode("utf-8"), docnum, len(places) * boost, places)
                length += len(places)
        else:
            decode = field.format.decode_positions if pool.positions else None
            for btext, freq, weight, vbytes in field.index(value):
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

    def pool_bytes(self) -> int:
        """About how much memory the postings held so far take."""
        return self.pool.size()  # type: ignore[attr-defined]

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        pool: ArrayPool = self.pool  # type: ignore[assignment]
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
