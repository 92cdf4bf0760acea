"""A segment's term table as sorted arrays: what the raw-array codec uses in place
of Whoosh's hashed, ordered table.

Whoosh's table keeps, besides each term and its statistics, a length header, a
hash slot and an order slot per term: about 30 bytes a term, and most terms of
a library (arXiv ids, keys, author names) occur once. Here the terms are kept
sorted, one after another, with the end of each and a fixed-size row of
statistics; a term is found by binary search, and the table is read through a
memory map, so opening a segment reads nothing but the header.

    b"ABT1", terms (u32), field map size (u32), the field map (JSON: name to
    number), each key's end (u32 each), each term's row (see _ROW), the keys

A key is the field's number (2 bytes, big-endian, as Whoosh's) and the term.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import mmap
import struct
import sys
from array import array
from collections.abc import Iterator

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort, unpack_ushort
from whoosh.util.numeric import byte_to_length

_MAGIC = b"ABT1"
_HEAD = struct.Struct("<4sII")
# Weight, documents, shortest and longest field length (bytes, as Whoosh's),
# highest weight, first and last document, the record's offset and size.
_ROW = struct.Struct("<fIBBfIIQI")
# One key in this many is kept in memory to start each binary search.
_SAMPLE = 32
# The same row as a numpy record, for writing many at once.
ROWS = np.dtype(
    [
        ("weight", "<f4"),
        ("docs", "<u4"),
        ("shortest", "u1"),
        ("longest", "u1"),
        ("max_weight", "<f4"),
        ("first", "<u4"),
        ("last", "<u4"),
        ("offset", "<u8"),
        ("size", "<u4"),
    ]
)
assert ROWS.itemsize == _ROW.size


class TermTableWriter:
    """Collects terms in key order; writes the table on close()."""

    def __init__(self, dbfile) -> None:  # type: ignore[no-untyped-def]
        self._dbfile = dbfile
        self.fieldmap: dict[str, int] = {}
        self._keys = bytearray()
        self._ends = array("I")
        self._rows = bytearray()

    def add(
        self,
        key: bytes,
        weight: float,
        doc_frequency: int,
        shortest: int,
        longest: int,
        max_weight: float,
        first: int,
        last: int,
        extent: tuple[int, int],
    ) -> None:
        """A term's key, its statistics (lengths as bytes) and where its record is."""
        self._keys += key
        self._ends.append(len(self._keys))
        self._rows += _ROW.pack(
            weight, doc_frequency, shortest, longest, max_weight, first, last, *extent
        )

    def add_many(self, prefix: bytes, btexts: list[bytes], rows: np.ndarray) -> None:
        """Terms of one field in key order: `prefix` (the field's number) and each
        term, with its row (a ROWS array)."""
        if not btexts:
            return
        start = len(self._keys)
        self._keys += prefix + prefix.join(btexts)
        ends = np.cumsum(np.fromiter(map(len, btexts), dtype=np.int64, count=len(btexts)))
        self._ends.extend((start + ends + len(prefix) * np.arange(1, len(btexts) + 1)).tolist())
        self._rows += rows.tobytes()

    def close(self) -> None:
        fieldmap = json.dumps(self.fieldmap).encode("utf-8")
        ends = self._ends
        if sys.byteorder != "little":
            ends.byteswap()
        out = self._dbfile
        out.write(_HEAD.pack(_MAGIC, len(ends), len(fieldmap)))
        out.write(fieldmap)
        out.write(ends.tobytes())
        out.write(bytes(self._rows))
        out.write(bytes(self._keys))
        out.close()


class _Keys:
    """The table's keys as a sequence, for bisect."""

    def __init__(self, data, ends, at: int) -> None:  # type: ignore[no-untyped-def]
        self._data, self._ends, self._at = data, ends, at

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> bytes:
        start = self._ends[i - 1] if i else 0
        return bytes(self._data[self._at + start : self._at + self._ends[i]])


class TermTable(base.TermsReader):
    """Whoosh's terms reader interface over a table written by TermTableWriter."""

    def __init__(self, codec, dbfile, postfile) -> None:  # type: ignore[no-untyped-def]
        self._codec = codec
        self._dbfile = dbfile
        self._postfile = postfile
        self._map: mmap.mmap | None = None
        data: bytes | mmap.mmap
        if getattr(dbfile, "is_real", False):
            self._map = data = mmap.mmap(dbfile.file.fileno(), 0, access=mmap.ACCESS_READ)
        else:  # in memory, or in a compound file read without a memory map
            dbfile.seek(0)
            data = dbfile.read()
        magic, count, size = _HEAD.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError("not a term table of the raw-array codec")
        at = _HEAD.size
        self._fieldmap: dict[str, int] = json.loads(bytes(data[at : at + size]))
        self._fieldnames = {number: name for name, number in self._fieldmap.items()}
        at += size
        ends_bytes = memoryview(data)[at : at + 4 * count]
        ends: memoryview | array[int]
        if sys.byteorder == "little":
            ends = ends_bytes.cast("I")
        else:
            swapped = array("I", bytes(ends_bytes))
            swapped.byteswap()
            ends = swapped
        at += 4 * count
        self._ends = ends
        self._rows_at = at
        self._data = data
        self._count = count
        self._keys = _Keys(data, ends, at + _ROW.size * count)
        self._sample: list[bytes] | None = None
        self._fields: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}  # field_terms()

    # --- looking terms up ---------------------------------------------------

    def _bisect(self, key: bytes) -> int:
        """Where `key` is or would go in the table. A binary search over the memory
        map costs a slice per step (some 20 at 100k papers); every _SAMPLE-th key,
        held in a list, leaves a handful."""
        sample = self._sample
        if sample is None:
            sample = self._sample = self._every(_SAMPLE)
        block = bisect.bisect_right(sample, key) - 1
        if block < 0:
            return 0
        lo = block * _SAMPLE
        return bisect.bisect_left(self._keys, key, lo, min(lo + _SAMPLE, self._count))

    def _every(self, step: int) -> list[bytes]:
        """Every step-th key, read in one pass over the ends."""
        ends = self._ends
        data, at = self._data, self._keys._at
        picked = range(0, self._count, step)
        starts = [ends[i - 1] if i else 0 for i in picked]
        return [bytes(data[at + s : at + ends[i]]) for s, i in zip(starts, picked, strict=True)]

    def _key(self, fieldname: str, btext: bytes) -> bytes:
        return pack_ushort(self._fieldmap.get(fieldname, 65535)) + btext

    def _find(self, key: bytes) -> int:
        """The index of `key`, or -1."""
        i = self._bisect(key)
        return i if i < self._count and self._keys[i] == key else -1

    def find_many(self, fieldname: str, btexts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """Of these terms (in key order) those the table holds: their positions in
        `btexts` and their rows (a ROWS array). The expansions of a prefix lie side
        by side in the table: the keys between the first and the last are read
        once, instead of a binary search each."""
        if not btexts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=ROWS)
        keys = [self._key(fieldname, b) for b in btexts]
        lo = self._bisect(keys[0])
        hi = min(self._bisect(keys[-1]) + 1, self._count)
        if hi - lo <= 4 * len(keys):
            at = {self._keys[i]: i for i in range(lo, hi)}
            found = [(n, at[k]) for n, k in enumerate(keys) if k in at]
        else:  # scattered over the table (fuzzy terms): one search each
            found = [(n, i) for n, k in enumerate(keys) if (i := self._find(k)) >= 0]
        wanted = np.array([n for n, _ in found], dtype=np.int64)
        rows = self._row_array()[np.array([i for _, i in found], dtype=np.int64)]
        return wanted, rows

    def field_terms(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """Every term of one field, ascending, as a fixed-width bytes array (for
        np.searchsorted), and the document of each (local; -1 for a term of more
        than one, see field_term_extent()). A term of one posting names its document in
        its row. Made once per table, with no Python loop over the terms (a
        library's paper keys are a field of 100,000s)."""
        cached = self._fields.get(fieldname)
        if cached is not None:
            return cached[0], cached[1]
        number = self._fieldmap.get(fieldname)
        if number is None:
            self._fields[fieldname] = (np.zeros(0, dtype="S1"), np.zeros(0, dtype=np.int64), 0)
            return self._fields[fieldname][:2]
        lo = self._bisect(pack_ushort(number))
        hi = self._bisect(pack_ushort(number + 1)) if number < 65535 else self._count
        ends = np.frombuffer(self._ends, dtype=np.uint32, count=hi - lo, offset=4 * lo)
        ends = ends.astype(np.int64)
        # The terms without the field's number (a table's own: it may differ from
        # another segment's).
        starts = np.concatenate(([self._ends[lo - 1] if lo else 0], ends[:-1])) + 2
        width = max(int((ends - starts).max()) if hi > lo else 1, 1)
        raw = np.frombuffer(self._data, np.uint8, offset=self._keys._at)
        # Each term's bytes, padded with zeros to the widest (zeros sort first, as
        # a shorter bytes does before a longer one it begins).
        at = starts[:, None] + np.arange(width)
        inside = at < ends[:, None]
        block = np.zeros((hi - lo, width), dtype=np.uint8)
        block[inside] = raw[at[inside]]
        rows = self._row_array()[lo:hi]
        docs = np.where(rows["docs"] == 1, rows["first"].astype(np.int64), -1)
        del rows, raw  # no view of the memory map outlives this call
        self._fields[fieldname] = (block.view(f"S{width}").ravel(), docs, lo)
        return self._fields[fieldname][:2]

    def field_term_extent(self, fieldname: str, index: int) -> tuple[int, int]:
        """Where the record of the field_terms() term at this index is."""
        *_, offset, size = self._row(self._fields[fieldname][2] + index)
        return offset, size

    def _row_array(self) -> np.ndarray:
        """Every row as one ROWS array over the table's bytes (no copy)."""
        return np.frombuffer(self._data, ROWS, self._count, self._rows_at)

    def _row(self, i: int) -> tuple:
        return _ROW.unpack_from(self._data, self._rows_at + _ROW.size * i)

    def _info(self, i: int) -> W3TermInfo:
        weight, df, low, high, max_weight, first, last, offset, size = self._row(i)
        info = W3TermInfo()
        info._weight, info._df, info._maxweight = weight, df, max_weight
        info._minlength, info._maxlength = byte_to_length(low), byte_to_length(high)
        info._minid, info._maxid = first, last
        info.set_extent(offset, size)
        return info

    def _decode(self, key: bytes) -> tuple[str, bytes]:
        return self._fieldnames[unpack_ushort(key[:2])[0]], key[2:]

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._find(self._key(*term)) >= 0

    def term_info(self, fieldname: str, tbytes: bytes) -> W3TermInfo:
        i = self._find(self._key(fieldname, tbytes))
        if i < 0:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return self._info(i)

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        return self._known_row(fieldname, tbytes)[0]

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        return self._known_row(fieldname, tbytes)[1]

    def _known_row(self, fieldname: str, tbytes: bytes) -> tuple:
        """The term's row (KeyError if the table lacks it: Whoosh's reader says 0)."""
        i = self._find(self._key(fieldname, tbytes))
        if i < 0:
            raise KeyError(tbytes)
        return self._row(i)

    def matcher(self, fieldname, tbytes, format_, scorer=None):  # type: ignore[no-untyped-def]
        info = self.term_info(fieldname, tbytes)
        return self._codec.postings_reader(
            self._postfile, info, format_, term=(fieldname, tbytes), scorer=scorer
        )

    # --- walking terms in order ---------------------------------------------

    def indexed_field_names(self):  # type: ignore[no-untyped-def]
        return self._fieldmap.keys()

    def _from(self, fieldname: str, prefix: bytes) -> int:
        return self._bisect(self._key(fieldname, prefix))

    def terms(self) -> Iterator[tuple[str, bytes]]:
        return (self._decode(self._keys[i]) for i in range(self._count))

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, bytes]]:
        start = self._from(fieldname, prefix)
        return (self._decode(self._keys[i]) for i in range(start, self._count))

    def items(self) -> Iterator[tuple[tuple[str, bytes], W3TermInfo]]:
        return ((self._decode(self._keys[i]), self._info(i)) for i in range(self._count))

    def items_from(self, fieldname: str, prefix: bytes):  # type: ignore[no-untyped-def]
        start = self._from(fieldname, prefix)
        return ((self._decode(self._keys[i]), self._info(i)) for i in range(start, self._count))

    def cursor(self, fieldname, fieldobj) -> TermCursor:  # type: ignore[no-untyped-def]
        return TermCursor(self, fieldname, fieldobj)

    def close(self) -> None:
        self._keys = _Keys(b"", [], 0)
        self._sample = []
        self._data = b""
        if isinstance(self._ends, memoryview):
            self._ends.release()  # the map cannot close while a view of it is open
        if self._map is not None:
            # A search in another thread may still read it (a worker left running as
            # the reader quits): then the map is freed with the last view of it.
            with contextlib.suppress(BufferError):
                self._map.close()
        self._dbfile.close()
        self._postfile.close()


class TermCursor(base.FieldCursor):
    """Walks one field's terms in order (for Whoosh's fuzzy and automaton matching)."""

    def __init__(self, table: TermTable, fieldname: str, fieldobj) -> None:  # type: ignore[no-untyped-def]
        self._table = table
        self._fieldobj = fieldobj
        self._field = pack_ushort(table._fieldmap.get(fieldname, 65535))
        self._start = table._from(fieldname, b"")
        self._i: int | None = self._start
        self._text = None
        self._settle()

    def _settle(self):  # type: ignore[no-untyped-def]
        table = self._table
        if self._i is not None and self._i < table._count:
            key = table._keys[self._i]
            if key[:2] == self._field:
                self._text = self._fieldobj.from_bytes(key[2:])
                return self._text
        self._i = self._text = None
        return None

    def first(self):  # type: ignore[no-untyped-def]
        self._i = self._start
        return self._settle()

    def find(self, term):  # type: ignore[no-untyped-def]
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        self._i = self._table._bisect(self._field + term)
        return self._settle()

    def next(self):  # type: ignore[no-untyped-def]
        if self._i is None:
            return None
        self._i += 1
        return self._settle()

    def text(self):  # type: ignore[no-untyped-def]
        return self._text

    def term_info(self) -> W3TermInfo | None:
        return None if self._i is None else self._table._info(self._i)

    def is_valid(self) -> bool:
        return self._i is not None
