"""Reading dump files: detect the format of each by its content, then parse it.

Each format module has `detect(lines) -> bool` and `parse(lines, path) -> Parsed`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..model import Dump, Problem
from ..text import DumpError, decode, without_surrogates
from . import abstract_lines, arxiv_listing, collaborating
from .common import Parsed, looks_like_name
from .jsonl import Collection, is_collection

# Most specific first: a Collaborating Authors page may quote "arXiv:" in a venue.
FORMATS = {
    "collaborating-authors": collaborating,
    "abstract-lines": abstract_lines,
    "arxiv-listing": arxiv_listing,
}


def read_dump(path: Path, label: str | None = None, data: bytes | None = None) -> Dump | Collection:
    """Read one dump file.

    Args:
        path: The file.
        label: The author label to use when the dump names none (from the config).
        data: The file's bytes, when the caller has read them already.

    Returns:
        The dump; a JSON Lines collection is returned unread, to be streamed.

    Raises:
        DumpError: the file cannot be read or is no dump; the message says why.
    """
    if data is None:
        try:
            with path.open("rb") as file:
                head = file.read(64)
            if is_collection(path, head):
                return Collection(path)
            data = path.read_bytes()
        except OSError as error:
            raise DumpError(f"cannot read: {error.strerror or error}") from None
    text, note = decode(data)
    lines = text.split("\n")
    problems = [Problem(str(path), note, error=False)] if note else []
    # A file name that is not UTF-8 holds lone surrogates: no label may keep them.
    fallback = label or without_surrogates(path.stem)[0]
    for name, module in FORMATS.items():
        if module.detect(lines):
            parsed = module.parse(lines, str(path))
            problems += parsed.problems
            if not parsed.records:
                problems.append(Problem(str(path), "no papers found", error=False))
            label = parsed.label or fallback
            records = tuple(replace(record, label=label) for record in parsed.records)
            return Dump(str(path), label, name, records, tuple(problems))
    content = [line.strip() for line in lines if line.strip()]
    if not content:
        problems.append(Problem(str(path), "empty file: no papers", error=False))
        return Dump(str(path), fallback, "empty", (), tuple(problems))
    if len(content) == 1 and looks_like_name(content[0]):
        problems.append(Problem(str(path), "holds only a name, no papers", error=False))
        return Dump(str(path), content[0], "empty", (), tuple(problems))
    raise DumpError(
        "not a dump this program knows: expected 'Abstract:' lines, an arXiv listing "
        "with 'arXiv:<id>' lines, or a 'Collaborating Authors' page"
    )


__all__ = ["FORMATS", "Collection", "Parsed", "read_dump"]
