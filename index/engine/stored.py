"""Stored fields compressed with a dictionary learnt from the segment's own papers.

Whoosh compresses each document's stored fields on their own: an abstract of a
kilobyte or two gives zlib too little text to find repeats in, and the stored
papers end up the biggest part of the index. Here the first papers of a
segment are held back, the end of their text becomes a zlib dictionary (zlib's
`zdict`: the words and phrases papers share), and every paper is compressed
with it: about a third smaller. The dictionary is kept in the column itself,
as one more value after the last document.
"""

from __future__ import annotations

import os
import pickle
import zlib

import numpy as np
from whoosh import columns
from whoosh.codec.whoosh3 import W3PerDocReader, W3PerDocWriter, _lenfield
from whoosh.util.numeric import length_to_byte

# Papers held back to learn the dictionary from, and its size (zlib's most).
_LEARN_FROM = 256
_DICTIONARY_BYTES = 32 * 1024
# Level 4: half the time of level 6 on papers, for a twentieth more bytes.
_LEVEL = 4


class DictionaryColumn(columns.Column):
    """Pickled values compressed with a dictionary learnt from the first ones."""

    def __init__(self) -> None:
        self._child = columns.VarBytesColumn()

    def writer(self, dbfile):  # type: ignore[no-untyped-def]
        return _Writer(self._child.writer(dbfile))

    def reader(self, dbfile, basepos, length, doccount):  # type: ignore[no-untyped-def]
        return _Reader(self._child.reader(dbfile, basepos, length, doccount + 1), doccount)


class _Writer(columns.ColumnWriter):
    def __init__(self, child) -> None:  # type: ignore[no-untyped-def]
        self._child = child
        self._held: list[tuple[int, bytes]] = []
        self._zdict: bytes | None = None

    def add(self, docnum: int, value: object) -> None:
        data = pickle.dumps(value, 2) if value is not None else b""
        if self._zdict is None:
            self._held.append((docnum, data))
            if len(self._held) >= _LEARN_FROM:
                self._learn()
        else:
            self._child.add(docnum, self._squeeze(data))

    def _learn(self) -> None:
        self._zdict = b"".join(data for _, data in self._held)[-_DICTIONARY_BYTES:]
        # Set up once and copied for each paper: loading the dictionary into a new
        # compressor costs more than compressing most papers.
        self._packer = zlib.compressobj(_LEVEL, zdict=self._zdict)
        for docnum, data in self._held:
            self._child.add(docnum, self._squeeze(data))
        self._held = []

    def _squeeze(self, data: bytes) -> bytes:
        if not data:
            return b""
        packer = self._packer.copy()
        return packer.compress(data) + packer.flush()

    def fill(self, docnum: int) -> None:
        if self._zdict is None:
            self._learn()
        self._child.fill(docnum)

    def finish(self, doccount: int) -> None:
        if self._zdict is None:
            self._learn()
        self._child.add(doccount, self._zdict)
        self._child.finish(doccount + 1)


class _Reader(columns.ColumnReader):
    def __init__(self, child, doccount: int) -> None:  # type: ignore[no-untyped-def]
        self._child = child
        self._doccount = doccount
        self._zdict = child[doccount] if len(child) > doccount else b""

    def __len__(self) -> int:
        return self._doccount

    def _read(self, docnum: int) -> bytes:
        """A paper's bytes: read at their offset without moving the file's shared
        position (Whoosh's column seeks, then reads a whole buffer)."""
        child = self._child
        if not hasattr(child, "_lengths"):  # not Whoosh's column of variable bytes
            return child[docnum]
        length = child._lengths[docnum]
        if not length:
            return b""
        return read_at(child._dbfile, child._basepos + child._offsets[docnum], length)

    def __getitem__(self, docnum: int):  # type: ignore[no-untyped-def]
        data = self._read(docnum)
        if not data:
            return None
        unpacker = zlib.decompressobj(zdict=self._zdict)
        return pickle.loads(unpacker.decompress(data) + unpacker.flush())

    def __iter__(self):  # type: ignore[no-untyped-def]
        return (self[docnum] for docnum in range(self._doccount))

    def load(self) -> list:
        return list(self)


STORED_COLUMN = DictionaryColumn()


class StoredWriter(W3PerDocWriter):
    """Whoosh's per-document writer, storing fields in a DictionaryColumn, and
    field lengths kept in memory and written once, at the end."""

    def __init__(self, codec, storage, segment) -> None:  # type: ignore[no-untyped-def]
        super().__init__(codec, storage, segment)
        # Whoosh made its own stored column: it is left empty (a byte a paper).
        self._create_column("_papers", STORED_COLUMN)
        # Each field's length byte of every document so far, as Whoosh's length
        # column holds them: up to the last document where the field has a length.
        self._length_bytes: dict[str, bytearray] = {}

    def add_field(self, fieldname, fieldobj, value, length) -> None:  # type: ignore[no-untyped-def]
        if value is not None:
            self._storedfields[fieldname] = value
        if length:
            self._fieldlengths[fieldname] += length
            column = self._length_bytes.setdefault(fieldname, bytearray())
            if len(column) < self._docnum:
                column.extend(bytes(self._docnum - len(column)))
            column.append(length_to_byte(length))

    def cancel_doc(self) -> None:
        for column in self._length_bytes.values():
            del column[self._docnum :]
        super().cancel_doc()

    def close(self) -> None:
        # What Whoosh's length columns would hold, a document at a time.
        for fieldname, column in self._length_bytes.items():
            if column:
                self._cols.create_file(_lenfield(fieldname)).write(bytes(column))
        self._length_bytes = {}
        super().close()

    def finish_doc(self) -> None:
        stored = self._storedfields
        if stored:
            self.add_column_value("_papers", STORED_COLUMN, dict(stored))
            stored.clear()
        self._indoc = False


class StoredReader(W3PerDocReader):
    """Whoosh's per-document reader, reading fields from a DictionaryColumn."""

    def stored_fields(self, docnum: int) -> dict:
        reader = self._cached_reader("_papers", STORED_COLUMN)
        found = reader[docnum] if reader is not None else None
        return found or {}


def column_values(reader) -> list[bytes]:  # type: ignore[no-untyped-def]
    """Every value of a column of variable-length bytes, read in one go: Whoosh's
    reader seeks and reads once a value (121k values: 0.7 s)."""
    lengths = getattr(reader, "_lengths", None)
    if lengths is None:  # not Whoosh's column of variable bytes
        return list(reader)
    if not len(lengths):
        return []
    starts = np.asarray(reader._offsets, dtype=np.int64)
    ends = starts + np.asarray(lengths, dtype=np.int64)
    data = read_at(reader._dbfile, reader._basepos, int(ends.max()))
    return [data[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def read_at(dbfile, offset: int, length: int) -> bytes:  # type: ignore[no-untyped-def]
    """Bytes of an index file, without moving its shared file position (readers in
    several threads share the file)."""
    if getattr(dbfile, "is_real", False):
        return os.pread(dbfile.file.fileno(), length, offset)
    return dbfile.get(offset, length)
