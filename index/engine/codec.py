"""A Whoosh codec that keeps each term's postings as raw little-endian arrays.

Whoosh's own codec pickles and compresses every block of 128 postings, so
reading a posting list costs a Python loop and an unpickle per block. Here a
term's postings are one record in the postings file, readable with
`np.frombuffer` in a few microseconds:

    header    a byte of codes for gaps, weights and values (and a second for
              counts and positions where there are values), then the number of
              postings as a variable-length integer
    gaps      document numbers as gaps from the previous one (the first from 0),
              as 8, 16 or 32-bit unsigned integers: the narrowest that fits
    weights   nothing when all are 1, one 32-bit float when all are the same,
              or each as an 8 or 16-bit integer where they are whole numbers,
              else each as a 32-bit float
    values    for a positions field: each posting's number of positions, then
              all the positions one posting after another; else one value for
              all, or each value's size then the values

The positions come last, so a search reads them only when a phrase needs them.
Every term has its record (none is inlined into the term table, which would
pickle it). Whoosh's own searcher still reads this index: its matcher for a
term is an ArrayMatcher (a ListMatcher) over the decoded arrays, values
encoded on demand.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Sequence

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort
from whoosh.util.numeric import _length_byte_cache, length_to_byte

from .analysis import PackedPositions
from .stored import StoredReader, StoredWriter, read_at
from .terms import TermTable, TermTableWriter

_UINT = (np.dtype("<u1"), np.dtype("<u2"), np.dtype("<u4"))
_F32 = np.dtype("<f4")
# Weight codes: one for all, whole numbers in 8 or 16 bits, floats, all 1.
_W_SAME, _W_U8, _W_U16, _W_F32, _W_ONE = range(5)
# Value codes: none, positions, one for all, each with its size.
_V_NONE, _V_POSITIONS, _V_SAME, _V_EACH = range(4)
# Positions regions longer than this are compressed (zlib, fastest level) where
# that saves a tenth: read only for phrases, they are most of a record's bytes.
_SQUEEZE_OVER = 64
_SQUEEZED = 4  # a bit of the position code
_EMPTY = np.zeros(0, dtype=np.int64)


def _uint_code(largest: int) -> int:
    return 0 if largest < 1 << 8 else 1 if largest < 1 << 16 else 2


class ArrayCodec(W3Codec):
    """Whoosh's W3 codec with postings stored as raw arrays (see the module)."""

    def __init__(self) -> None:
        super().__init__(inlinelimit=0)

    def field_writer(self, storage, segment):  # type: ignore[no-untyped-def]
        return ArrayFieldWriter(self, storage, segment)

    def per_document_writer(self, storage, segment):  # type: ignore[no-untyped-def]
        return StoredWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):  # type: ignore[no-untyped-def]
        return StoredReader(storage, segment)

    def terms_reader(self, storage, segment):  # type: ignore[no-untyped-def]
        terms = segment.open_file(storage, self.TERMS_EXT)
        return TermTable(self, terms, segment.open_file(storage, self.POSTS_EXT))

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):  # type: ignore[no-untyped-def]
        record = Record(dbfile, *terminfo.extent())
        docs, weights = record.postings()
        return ArrayMatcher(
            docs.tolist(),
            weights.tolist(),
            EncodedValues(record, format_),
            format_,
            scorer=scorer,
            term=term,
            terminfo=terminfo,
        )


# --- writing -------------------------------------------------------------------


def encode(
    docs: list[int],
    weights: list[float],
    counts: list[int] | None = None,
    positions: list[int] | None = None,
    values: Sequence[bytes] | None = None,
    *,
    gaps: list[int] | None = None,
    whole: list[int] | None = None,
) -> bytes:
    """One term's record: `docs` ascending; positions (each posting's `counts`,
    then all of them) for a positions field, or encoded `values` for another.
    A caller that has them at hand may give the `gaps` between the documents,
    and the weights as integers (`whole`) where each is a whole number below 2**16.

    Plain Python on lists: most terms have a posting or two, where numpy's
    per-call cost would be most of the work.
    """
    n = len(docs)
    if n == 1 and weights[0] == 1 and counts is None and not (values and values[0]):
        # The commonest record (an id, a name): one document, weight 1, no value.
        gap_code = _uint_code(docs[0])
        return bytes([gap_code | _W_ONE << 2, 1]) + _packed(gap_code, docs)
    if gaps is None:
        gaps = [docs[0], *(b - a for a, b in zip(docs, docs[1:], strict=False))]
    gap_code = _uint_code(max(gaps))
    parts = [b"", _packed(gap_code, gaps)]

    first = weights[0]
    if first == 1 and weights.count(first) == n:
        weight_code = _W_ONE
    elif weights.count(first) == n:
        weight_code = _W_SAME
        parts.append(_SAME_WEIGHT.pack(first))
    elif whole is not None or (
        max(weights) < 1 << 16 and min(weights) >= 0 and all(w == int(w) for w in weights)
    ):
        whole = whole if whole is not None else [int(w) for w in weights]
        weight_code = _W_U8 if max(whole) < 1 << 8 else _W_U16
        parts.append(_packed(weight_code - _W_U8, whole))
    else:
        weight_code = _W_F32
        parts.append(_little(array("f", weights)))

    count_code = position_code = 0
    if counts is not None and positions is not None:
        value_code = _V_POSITIONS
        count_code = _uint_code(max(counts))
        position_code = _uint_code(max(positions) if positions else 0)
        region = _packed(count_code, counts) + _packed(position_code, positions)
        if len(region) > _SQUEEZE_OVER:
            squeezed = zlib.compress(region, 1)
            if len(squeezed) < len(region) * 0.9:
                region, position_code = squeezed, position_code | _SQUEEZED
        parts.append(region)
    elif not values or not any(values):
        value_code = _V_NONE
    elif values.count(values[0]) == n:
        value_code = _V_SAME
        parts.append(struct.pack("<I", len(values[0])) + values[0])
    else:
        value_code = _V_EACH
        sizes = [len(v) for v in values]
        count_code = _uint_code(max(sizes))
        parts.append(_packed(count_code, sizes))
        parts.append(b"".join(values))
    codes = bytes([gap_code | weight_code << 2 | value_code << 5])
    if value_code in (_V_POSITIONS, _V_EACH):
        codes += bytes([count_code | position_code << 2])
    parts[0] = codes + _varint(n)
    return b"".join(parts)


def _varint(number: int) -> bytes:
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


_TYPECODES = ("B", "H", "I")
_SAME_WEIGHT = struct.Struct("<f")


def _packed(code: int, numbers: list[int]) -> bytes:
    return _little(array(_TYPECODES[code], numbers))


def _little(numbers: array) -> bytes:
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers.tobytes()


_WIDTHS = np.array([1, 2, 4])
_LENGTH_BYTES = np.frombuffer(_length_byte_cache, dtype=np.int32)


def _codes(largest: np.ndarray) -> np.ndarray:
    """_uint_code() of each number."""
    return (largest >= 1 << 8).astype(np.int64) + (largest >= 1 << 16)


def _put(out: np.ndarray, at: np.ndarray, numbers: np.ndarray, widths: np.ndarray) -> None:
    """Write each number at its offset as a little-endian integer of its width."""
    as_bytes = numbers.astype("<u4").view(np.uint8).reshape(-1, 4)
    for width in (1, 2, 4):
        chosen = widths == width
        if chosen.any():
            where = at[chosen][:, None] + np.arange(width)
            out[where.ravel()] = as_bytes[chosen, :width].ravel()


def short_terms(
    postings: np.ndarray, count_max: np.ndarray, position_max: np.ndarray, positions: np.ndarray
) -> np.ndarray:
    """Which terms of a positions field encode_short() takes, from each term's
    number of postings, largest count, largest position and number of
    positions: fewer postings than a one-byte varint holds, some positions, and
    counts and positions in at most _SQUEEZE_OVER bytes (never squeezed)."""
    region = postings * _WIDTHS[_codes(count_max)] + positions * _WIDTHS[_codes(position_max)]
    return (postings < 0x80) & (positions > 0) & (region <= _SQUEEZE_OVER)


def encode_short(
    postings: np.ndarray,
    docs: np.ndarray,
    weights: np.ndarray,
    counts: np.ndarray,
    positions: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The records of many terms of a positions field, byte for byte as encode()
    writes them, in a few numpy steps: (all records one after another, each
    one's size). Each term's number of postings; the postings one term after
    another (documents, weights, counts); all their positions. Only terms that
    short_terms() picks: most terms of a library (names, rare words) are such
    terms, and encoding them one at a time costs more than the rest of a write.
    """
    terms = len(postings)
    owner = np.repeat(np.arange(terms), postings)  # each posting's term
    firsts = np.cumsum(postings) - postings
    nth = np.arange(len(docs)) - firsts[owner]  # each posting's place in its term
    gaps = docs.astype(np.int64)
    gaps[1:] -= gaps[:-1].copy()
    gaps[firsts] = docs[firsts]

    def most(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(values, starts) if terms else np.zeros(0, dtype=np.int64)

    gap_codes = _codes(most(gaps, firsts))
    gap_widths = _WIDTHS[gap_codes]
    # Weights: all 1 (none written), all the same (one float), whole numbers
    # below 2**16 (8 or 16 bits each), else floats.
    high, low = most(weights, firsts), -most(-weights, firsts)
    whole = (weights >= 0) & (weights < 1 << 16) & (weights == np.floor(weights))
    whole = np.logical_and.reduceat(whole, firsts) if terms else whole[:0]
    weight_codes = np.select(
        [high == low, whole & (high < 1 << 8), whole],
        [np.where(high == 1, _W_ONE, _W_SAME), _W_U8, _W_U16],
        _W_F32,
    )
    weight_sizes = np.select(
        [weight_codes == _W_ONE, weight_codes == _W_SAME, weight_codes == _W_U8],
        [0, 4, postings],
        postings * np.where(weight_codes == _W_U16, 2, 4),
    )
    count_codes = _codes(most(counts, firsts))
    count_widths = _WIDTHS[count_codes]
    per_term = np.add.reduceat(counts, firsts) if terms else counts[:0]
    position_firsts = np.cumsum(per_term) - per_term
    position_codes = _codes(most(positions, position_firsts))
    sizes = 3 + postings * (gap_widths + count_widths) + weight_sizes
    sizes += per_term * _WIDTHS[position_codes]
    starts = np.cumsum(sizes) - sizes
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    out[starts] = gap_codes | weight_codes << 2 | _V_POSITIONS << 5
    out[starts + 1] = count_codes | position_codes << 2
    out[starts + 2] = postings  # a one-byte varint
    at = starts + 3
    _put(out, at[owner] + nth * gap_widths[owner], gaps, gap_widths[owner])
    at = at + postings * gap_widths
    same = weight_codes == _W_SAME
    _put(out, at[same], low[same].astype("<f4").view("<u4"), np.full(int(same.sum()), 4))
    each = weight_codes[owner]
    for code, width in ((_W_U8, 1), (_W_U16, 2), (_W_F32, 4)):
        chosen = each == code
        if chosen.any():
            numbers = weights[chosen]
            numbers = (
                numbers.astype("<f4").view("<u4") if code == _W_F32 else numbers.astype(np.int64)
            )
            where = at[owner[chosen]] + nth[chosen] * width
            _put(out, where, numbers, np.full(int(chosen.sum()), width))
    at = at + weight_sizes
    _put(out, at[owner] + nth * count_widths[owner], counts, count_widths[owner])
    at = at + postings * count_widths
    position_owner = np.repeat(np.arange(terms), per_term)
    place = np.arange(len(positions)) - position_firsts[position_owner]
    widths = _WIDTHS[position_codes][position_owner]
    _put(out, at[position_owner] + place * widths, positions, widths)
    return out, sizes


def encode_singles(docs: np.ndarray, weights: np.ndarray, values: list[bytes]) -> tuple:
    """The records of many terms of a field of values with one posting each, byte
    for byte as encode() writes them: (all records one after another, each one's
    size). Each term's document, weight and value (b"" for none). Most terms of
    a library (ids, keys, names) are such terms."""
    n = len(docs)
    gap_codes = _codes(docs)
    same = weights != 1  # else _W_ONE: nothing written
    weight_codes = np.where(same, _W_SAME, _W_ONE)
    pieces = [struct.pack("<I", len(v)) + v if v else b"" for v in values]
    piece_sizes = np.array([len(piece) for piece in pieces], dtype=np.int64)
    # Codes byte, count 1 (a varint), document, weight, value.
    sizes = 2 + _WIDTHS[gap_codes] + 4 * same + piece_sizes
    value_codes = np.where(piece_sizes > 0, _V_SAME, _V_NONE)
    starts = np.cumsum(sizes) - sizes
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    out[starts] = gap_codes | weight_codes << 2 | value_codes << 5
    out[starts + 1] = 1
    at = starts + 2
    _put(out, at, docs, _WIDTHS[gap_codes])
    at = at + _WIDTHS[gap_codes]
    _put(out, at[same], weights[same].astype("<f4").view("<u4"), np.full(int(same.sum()), 4))
    at = at + 4 * same
    blob = np.frombuffer(b"".join(pieces), dtype=np.uint8)
    owner = np.repeat(np.arange(n), piece_sizes)
    place = np.arange(len(blob)) - np.repeat(np.cumsum(piece_sizes) - piece_sizes, piece_sizes)
    out[at[owner] + place] = blob
    return out, sizes


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Whoosh's length_to_byte() of each field length."""
    return np.where(lengths >= 106374, 255, np.searchsorted(_LENGTH_BYTES, lengths))


class ArrayFieldWriter(W3FieldWriter):
    """Writes a term's record at once, from arrays (write_term) or from postings
    added one at a time (Whoosh's own path, used when segments are merged)."""

    def __init__(self, codec, storage, segment) -> None:  # type: ignore[no-untyped-def]
        # W3FieldWriter's state, with the term table of terms.py for Whoosh's.
        self._codec, self._storage, self._segment = codec, storage, segment
        self._fieldname = self._fieldid = None
        self._btext = b""  # the term being written, for Whoosh's own path
        self._fieldobj = self._format = None
        self._tindex = TermTableWriter(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap = self._tindex.fieldmap
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False
        self._offset = self._postfile.tell()  # where the next record goes
        self._docs: list[int] = []
        self._weights: list[float] = []
        self._values: list[bytes] = []
        self._lengths: list[int] = []

    def start_field(self, fieldname, fieldobj) -> None:  # type: ignore[no-untyped-def]
        super().start_field(fieldname, fieldobj)
        self._postwriter = None  # postings are written here, not by a postings writer

    def start_term(self, btext: bytes) -> None:
        self._btext = btext
        self._docs, self._weights, self._values, self._lengths = [], [], [], []

    def add(self, docnum, weight, vbytes, length) -> None:  # type: ignore[no-untyped-def]
        self._docs.append(docnum)
        self._weights.append(weight)
        self._values.append(vbytes or b"")
        if length:
            self._lengths.append(length)

    def finish_term(self) -> None:
        docs, weights, lengths = self._docs, self._weights, self._lengths or None
        fmt = self._format
        if isinstance(fmt, PackedPositions):
            decoded = [fmt.decode_positions(v) for v in self._values]
            counts = [len(p) for p in decoded]
            flat = [x for p in decoded for x in p]
            self.write_term(self._btext, docs, weights, lengths, counts, flat)
        else:
            self.write_term(self._btext, docs, weights, lengths, values=self._values)

    def write_terms(self, btexts: list[bytes], records: bytes, rows: np.ndarray) -> None:
        """Write terms of the current field at once, in key order, with their rows
        of statistics (terms.ROWS), each row's offset into `records`."""
        rows["offset"] += self._offset
        self._tindex.add_many(pack_ushort(self._fieldid), btexts, rows)
        self._postfile.write(records)
        self._offset += len(records)

    def write_term(
        self,
        btext: bytes,
        docs: list[int],
        weights: list[float],
        lengths: list[int] | None,
        counts: list[int] | None = None,
        positions: list[int] | None = None,
        values: Sequence[bytes] | None = None,
    ) -> None:
        """Write one term of the current field: its postings as lists."""
        record, row = term_record(docs, weights, lengths, counts, positions, values)
        key = pack_ushort(self._fieldid) + btext
        self._tindex.add(key, *row, (self._offset, len(record)))
        self._postfile.write(record)
        self._offset += len(record)


# A term's statistics in its term-table row: total weight, documents, shortest and
# longest field length (as bytes), highest weight, first and last document.
Row = tuple[float, int, int, int, float, int, int]


def term_record(
    docs: list[int],
    weights: list[float],
    lengths: list[int] | None,
    counts: list[int] | None = None,
    positions: list[int] | None = None,
    values: Sequence[bytes] | None = None,
    *,
    gaps: list[int] | None = None,
    whole: list[int] | None = None,
) -> tuple[bytes, Row]:
    """A term's record (see encode()) and the statistics of its row in the term
    table: total weight, documents, shortest and longest field length (as
    bytes), highest weight, first and last document."""
    record = encode(docs, weights, counts, positions, values, gaps=gaps, whole=whole)
    low, high = (min(lengths), max(lengths)) if lengths else (0, 0)
    row = (
        sum(weights),
        len(docs),
        length_to_byte(low),
        length_to_byte(high),
        max(weights),
        docs[0],
        docs[-1],
    )
    return record, row


# --- reading -------------------------------------------------------------------


class Record:
    """One term's record in a postings file, decoded a part at a time."""

    def __init__(self, dbfile, offset: int, length: int) -> None:  # type: ignore[no-untyped-def]
        self._parse(read_at(dbfile, offset, length))

    @classmethod
    def of(cls, data: bytes | memoryview) -> Record:
        """The record held in `data` (read already)."""
        record = cls.__new__(cls)
        record._parse(data)
        return record

    def _parse(self, data: bytes | memoryview) -> None:
        self.data = data
        codes = data[0]
        self._gap_code = codes & 3
        self._weight_code = codes >> 2 & 7
        self.value_code = codes >> 5 & 3
        at = 1
        self._count_code = self._position_code = 0
        if self.value_code in (_V_POSITIONS, _V_EACH):
            self._count_code, self._position_code = data[1] & 3, data[1] >> 2 & 7
            at = 2
        n = shift = 0
        while True:
            byte = data[at]
            at += 1
            n |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        self.count = n
        self._gaps_at = at
        self._weights_at = at + n * _UINT[self._gap_code].itemsize
        code = self._weight_code
        if code == _W_ONE:
            self._values_at = self._weights_at
        elif code == _W_SAME:
            self._values_at = self._weights_at + 4
        elif code == _W_F32:
            self._values_at = self._weights_at + 4 * n
        else:
            self._values_at = self._weights_at + n * _UINT[code - _W_U8].itemsize

    def postings(self) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers ascending, weights as float64)."""
        n, data = self.count, self.data
        gaps = np.frombuffer(data, _UINT[self._gap_code], n, self._gaps_at)
        docs = np.cumsum(gaps, dtype=np.int64)
        code = self._weight_code
        if code == _W_ONE:
            weights = np.ones(n)
        elif code == _W_SAME:
            weight = float(np.frombuffer(data, _F32, 1, self._weights_at)[0])
            weights = np.full(n, weight)
        elif code == _W_F32:
            weights = np.frombuffer(data, _F32, n, self._weights_at).astype(np.float64)
        else:
            weights = np.frombuffer(data, _UINT[code - _W_U8], n, self._weights_at).astype(
                np.float64
            )
        return docs, weights

    def positions(self) -> tuple[np.ndarray, np.ndarray]:
        """(each posting's number of positions, all positions one posting after
        another, unsigned as stored); both empty if the record keeps no positions."""
        if self.value_code != _V_POSITIONS:
            return np.zeros(self.count, dtype=np.int64), _EMPTY
        n, data = self.count, self.data
        count_type = _UINT[self._count_code]
        at = self._values_at
        if self._position_code & _SQUEEZED:
            data, at = zlib.decompress(data[at:]), 0
        counts = np.frombuffer(data, count_type, n, at).astype(np.int64)
        at += n * count_type.itemsize
        return counts, np.frombuffer(data, _UINT[self._position_code & 3], int(counts.sum()), at)

    def values(self) -> list[bytes] | None:
        """Each posting's value as stored (None for positions or no values)."""
        n, data, at = self.count, self.data, self._values_at
        if self.value_code == _V_SAME:
            (size,) = struct.unpack_from("<I", data, at)
            return [bytes(data[at + 4 : at + 4 + size])] * n
        if self.value_code == _V_EACH:
            size_type = _UINT[self._count_code]
            sizes = np.frombuffer(data, size_type, n, at).astype(np.int64)
            ends = np.cumsum(sizes) + at + n * size_type.itemsize
            starts = ends - sizes
            return [bytes(data[s:e]) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
        return None


class ArrayMatcher(ListMatcher):
    """Whoosh's ListMatcher over a term's arrays, where Whoosh's own matchers and
    writers expect what W3's leaf matcher does."""

    def id(self) -> int:
        # The list is one block of quality: skip_to_quality() passes the last
        # posting whenever the list cannot reach the quality asked, and Whoosh's
        # AndNotMatcher reads id() after that. W3's matcher keeps its last block's
        # ids; this one the last id, rather than raise IndexError.
        try:
            return self._ids[self._i]
        except IndexError:
            return self._ids[-1]

    def replace(self, minquality=0):  # type: ignore[no-untyped-def]
        # ListMatcher asks the scorer for the list's quality, which a scorer
        # without block quality (FunctionWeighting's) cannot tell: W3's matcher
        # is kept as it is.
        if minquality and not self.supports_block_quality():
            return self if self.is_active() else NullMatcher()
        return super().replace(minquality)


class EncodedValues(Sequence):
    """A record's values as Whoosh's format encodes them, made when asked for."""

    def __init__(self, record: Record, fmt) -> None:  # type: ignore[no-untyped-def]
        self._record = record
        self._format = fmt
        self._stored: list[bytes] | None = None
        self._starts: np.ndarray | None = None

    def __len__(self) -> int:
        return self._record.count

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        record = self._record
        if record.value_code == _V_NONE:
            # None, as W3's matcher gives for a field without values (ListMatcher's
            # "" is refused by Whoosh's writer when it merges segments).
            if not -record.count <= index < record.count:
                raise IndexError(index)
            return None
        if record.value_code != _V_POSITIONS:
            if self._stored is None:
                self._stored = record.values() or [b""] * record.count
            return self._stored[index]
        counts, flat = record.positions()
        if self._starts is None:
            self._starts = np.cumsum(counts) - counts
        start = int(self._starts[index])
        return self._format.encode(flat[start : start + int(counts[index])].tolist())


# --- what the posting arrays ask of a segment ----------------------------------


def _table(segment) -> TermTable | None:  # type: ignore[no-untyped-def]
    """The segment's term table if this codec wrote the segment, else None. (Its
    terms are never inlined: each has a record.)"""
    terms = getattr(segment, "_terms", None)
    return terms if isinstance(terms, TermTable) else None


def _record(table: TermTable, info) -> Record:  # type: ignore[no-untyped-def]
    return Record(table._postfile, *info.extent())


# term_arrays() of a term the segment does not hold.
ABSENT = (_EMPTY, np.zeros(0), 0)


def term_arrays(segment, field: str, btext: bytes) -> tuple | None:  # type: ignore[no-untyped-def]
    """(local document numbers, weights, document frequency) of a term in the
    segment, in one look-up of its term table; ABSENT if the segment does not
    hold it; None if another codec wrote the segment."""
    table = _table(segment)
    if table is None:
        return None
    try:
        info = table.term_info(field, btext)
    except TermNotFound:
        return ABSENT
    docs, weights = _record(table, info).postings()
    return docs, weights, info.doc_frequency()


def many_term_arrays(segment, field: str, btexts: list[bytes]) -> tuple | None:  # type: ignore[no-untyped-def]
    """term_arrays() of many terms (in key order) at once: (their positions in
    `btexts`, each one's document frequency, each one's (local document numbers,
    weights)) for the terms the segment holds; None if another codec wrote it.
    Their records lie close together in the postings file (a prefix's terms
    are written side by side): one read brings them all."""
    table = _table(segment)
    if table is None:
        return None
    wanted, rows = table.find_many(field, btexts)
    if not len(rows):
        return wanted, np.zeros(0, dtype=np.int64), []
    starts = rows["offset"].astype(np.int64)
    ends = starts + rows["size"]
    base, span = int(starts.min()), int(ends.max() - starts.min())
    if span <= 2 * int(rows["size"].sum()) + 65536:
        data = memoryview(read_at(table._postfile, base, span))
        records = [
            Record.of(data[s - base : e - base])
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
        ]
    else:
        records = [
            Record(table._postfile, s, e - s)
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
        ]
    return wanted, rows["docs"].astype(np.int64), [record.postings() for record in records]


def term_positions(segment, field: str, btext: bytes) -> tuple | None:  # type: ignore[no-untyped-def]
    """(local document numbers, how many positions in each, those positions one
    document after another) of a term in the segment, all empty if the segment
    does not hold it; None if another codec wrote the segment or the field keeps
    no positions."""
    table = _table(segment)
    if table is None:
        return None
    try:
        record = _record(table, table.term_info(field, btext))
    except TermNotFound:
        return _EMPTY, _EMPTY, _EMPTY
    if record.value_code != _V_POSITIONS:
        return None
    docs, _ = record.postings()
    return (docs, *record.positions())


def info_docs(segment, info) -> np.ndarray | None:  # type: ignore[no-untyped-def]
    """The local document numbers of a term, from its term info, or None."""
    table = _table(segment)
    return _record(table, info).postings()[0] if table is not None else None
