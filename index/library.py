"""A library: the dumps a user pointed at, kept in step with their index.

The index is a cache. A manifest beside it (library.json) remembers, per dump,
its size, mtime and hash, so an unchanged library is opened without reading a
dump or writing a byte, and only what changed is read again. The manifest is
written after the index commits: a process killed in between leaves dumps that
look changed, and the next run simply does that work again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .config import Config, cache_dir, state_dir
from .formats import read_dump
from .formats.jsonl import Collection, is_collection
from .merge import merge, merge_stream
from .model import AuthorInfo, Dump, Hit, Paper, Problem, Record
from .store import SCHEMA_VERSION, SearchResult, Store, StoreBusy, StoreError
from .text import DumpError, abstract_hash

MANIFEST = "library.json"
# Dumps in folders are the files with these endings (or none); a file named on
# the command line is read whatever its name.
DUMP_SUFFIXES = {".txt", ".text", ".dump", "", ".jsonl", ".ndjson"}

Progress = Callable[[str, int, int], None]  # (what is being done, done, total)


def sample_dumps() -> Path:
    """The sample dumps bundled with the program, opened on a first run."""
    return Path(str(resources.files("index") / "samples"))


def default_index_dir(paths: Sequence[Path]) -> Path:
    """The cache folder of a library, named by its paths."""
    digest = hashlib.sha1("\n".join(str(p) for p in paths).encode("utf-8", "surrogatepass"))
    return cache_dir() / "libraries" / digest.hexdigest()[:16]


def remember_last(paths: Sequence[Path], index_dir: Path) -> None:
    """Remember the library for the next run without paths; failing that is harmless."""
    try:
        folder = state_dir()
        folder.mkdir(parents=True, exist_ok=True)
        data = {"paths": [str(p) for p in paths], "index_dir": str(index_dir)}
        _write_json(folder / "last.json", data)
    except OSError:
        pass


def last_library() -> tuple[list[Path], Path] | None:
    """The library opened last, if any is remembered."""
    try:
        data = json.loads((state_dir() / "last.json").read_text(encoding="utf-8"))
        return [Path(p) for p in data["paths"]], Path(data["index_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pinned_authors(config: Config) -> list[str]:
    """Authors with a tab of their own: the config's, then those pinned in the reader."""
    try:
        saved = json.loads((state_dir() / "pinned.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = []
    names = list(config.pinned) + [n for n in saved if isinstance(n, str)]
    return list(dict.fromkeys(names))


def set_pinned(names: Sequence[str]) -> None:
    """Remember the authors pinned in the reader (the config's stay pinned anyway)."""
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _write_json(folder / "pinned.json", list(dict.fromkeys(names)))


def find_dumps(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """The dump files named or inside the folders named, each once, in a stable order."""
    found: dict[Path, None] = {}
    problems: list[Problem] = []
    for root in paths:
        if root.is_dir():

            def walk_error(error: OSError, root: Path = root) -> None:
                problems.append(
                    Problem(error.filename or str(root), f"cannot read folder: {error.strerror}")
                )

            for folder, dirs, names in os.walk(root, onerror=walk_error):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(n for n in names if not n.startswith(".")):
                    path = Path(folder) / name
                    # A broken link is kept, to be reported (and its papers kept) later.
                    if _is_dump_name(name) and (path.is_file() or path.is_symlink()):
                        found[path] = None
        elif root.is_file():
            found[root] = None
        elif root.exists():
            problems.append(Problem(str(root), "not a regular file; skipped"))
        else:
            problems.append(Problem(str(root), "no such file or folder"))
    return list(found), problems


def _is_dump_name(name: str) -> bool:
    lower = name.lower()
    return Path(lower).suffix in DUMP_SUFFIXES or lower.endswith((".jsonl.gz", ".ndjson.gz"))


@dataclass
class UpdateReport:
    """What bringing the index up to date did."""

    read: list[str] = field(default_factory=list)  # dumps (re)read and indexed
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    papers: int = 0
    rebuilt: bool = False
    busy: bool = False  # another process was updating; the index may be behind
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]


class Library:
    """The dumps under some paths and their index.

    Args:
        paths: Dump files and folders.
        index_dir: Where the index lives (default: a cache folder for these paths).
        config: Labels for dumps that name no author.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        index_dir: Path | None = None,
        config: Config | None = None,
    ) -> None:
        self.paths = [Path(os.path.abspath(p.expanduser())) for p in paths]
        self.index_dir = index_dir or default_index_dir(self.paths)
        self.config = config or Config.load()
        self._store: Store | None = None

    @classmethod
    def at(cls, index_dir: Path, config: Config | None = None) -> Library:
        """The library indexed in `index_dir`, with the paths it was indexed from.

        Raises:
            FileNotFoundError: nothing was ever indexed there.
        """
        # Any version's manifest names the paths; an old index is rebuilt on update.
        try:
            paths = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["paths"]
            return cls([Path(p) for p in paths], index_dir, config)
        except (OSError, ValueError, KeyError, TypeError):
            raise FileNotFoundError(f"no library is indexed in {index_dir}") from None

    # --- keeping the index up to date ---------------------------------------

    def update(self, progress: Progress | None = None, wait: float = 2.0) -> UpdateReport:
        """Bring the index up to date with the dumps, reading only what changed.

        Args:
            progress: Told what is being done, as it goes.
            wait: Seconds to wait for another process that is updating this index.
        """
        files, problems = find_dumps(self.paths)
        report = UpdateReport(problems=list(self.config.problems) + problems)
        manifest = _read_manifest(self.index_dir)
        if manifest is not None and self._unchanged(manifest, files, report):
            return report
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            with Store.updating(self.index_dir, timeout=wait):
                # Read it again under the lock: another process may have done the work.
                self._update_locked(_read_manifest(self.index_dir), files, report, progress)
        except StoreBusy:
            report.busy = True
            report.problems.append(
                Problem(
                    str(self.index_dir),
                    "another abstracts process is updating this index; showing what it holds now",
                    error=False,
                )
            )
        except OSError as error:
            raise StoreError(
                f"cannot write the index in {self.index_dir}: {error.strerror}"
            ) from None
        return report

    def _unchanged(self, manifest: dict, files: list[Path], report: UpdateReport) -> bool:
        """True when no dump changed since the manifest was written: a stat() per dump."""
        dumps = manifest["dumps"]
        if manifest["paths"] != [str(p) for p in self.paths] or list(dumps) != [
            str(f) for f in files
        ]:
            return False
        for path in files:
            if not _same_file(path, dumps[str(path)], self.config.label_for(path)):
                return False
        try:
            report.papers = self.store().count()
        except StoreError:
            return False
        report.unchanged = sum(entry["sha256"] is not None for entry in dumps.values())
        report.problems += _stored_problems(dumps)
        return True

    def _update_locked(
        self,
        manifest: dict | None,
        files: list[Path],
        report: UpdateReport,
        progress: Progress | None,
    ) -> None:
        store = None if manifest is None else self._open_store()
        # Missing, damaged or from another version: build it again from the dumps.
        rebuild = manifest is None or store is None
        old: dict[str, dict] = {} if rebuild or manifest is None else manifest["dumps"]
        new, dumps = self._read(files, old, report, progress)
        report.removed = [key for key in old if key not in new]
        # A changed or removed collection means a rebuild: streaming the whole
        # library is cheaper than looking up each of its papers in the index.
        if not rebuild and (
            any(isinstance(dump, Collection) for dump in dumps)
            or any(old[key].get("format") == Collection.format for key in report.removed)
        ):
            rebuild = True
            report.read, report.unchanged = [], 0
            new, dumps = self._read(files, {}, report, progress)
        if rebuild and store is None:
            _remove(self.index_dir / MANIFEST)
            self.close()
            store = self._store = Store.create(self.index_dir)
        # A usable index is rebuilt in place: searches see the old papers until the
        # new ones are committed, all at once.
        report.rebuilt = rebuild
        assert store is not None
        if dumps or report.removed or rebuild:
            self._write(store, dumps, report, progress, estimate=_estimate(dumps, old))
        for dump in dumps:
            report.problems += dump.problems
            if isinstance(dump, Collection):  # known once it has been read
                new[dump.path] |= {"records": dump.count, "problems": _problem_list(dump.problems)}
        _write_json(
            self.index_dir / MANIFEST,
            {"schema": SCHEMA_VERSION, "paths": [str(p) for p in self.paths], "dumps": new},
        )
        report.papers = store.count()

    def _read(
        self,
        files: list[Path],
        old: dict[str, dict],
        report: UpdateReport,
        progress: Progress | None,
    ) -> tuple[dict[str, dict], list[Dump | Collection]]:
        """Manifest entries for every file, and the dumps that changed, read."""
        new: dict[str, dict] = {}
        dumps: list[Dump | Collection] = []
        for number, path in enumerate(files):
            if progress:
                progress("reading dumps", number, len(files))
            key = str(path)
            entry, dump = _check(path, old.get(key), self.config.label_for(path))
            new[key] = entry
            if dump is None:
                report.unchanged += entry["sha256"] is not None  # not the failed ones
                report.problems += _stored_problems({key: entry})
            else:
                dumps.append(dump)
                report.read.append(key)
        return new, dumps

    def _write(
        self,
        store: Store,
        dumps: list[Dump | Collection],
        report: UpdateReport,
        progress: Progress | None,
        estimate: int,
    ) -> None:
        def indexed(count: int) -> None:
            if progress:
                progress("indexing", count, max(estimate, count))

        if report.rebuilt:

            def records() -> Iterator[Record]:
                for dump in dumps:
                    yield from dump.records

            store.write(
                [], merge_stream(records), clear=True, bulk=estimate > 5000, progress=indexed
            )
            return
        added = [record for dump in dumps for record in dump.records]
        gone = {dump.path for dump in dumps} | set(report.removed)
        pool = list(added)
        affected: dict[str, Paper] = {}
        sources: set[str] = gone
        ids = {r.arxiv_id for r in added if r.arxiv_id}
        prints = {abstract_hash(r.abstract) for r in added}
        seen_ids, seen_prints = set(ids), set(prints)
        # Pull in every indexed paper the changed records may merge with, and the
        # papers those may merge with in turn, then merge the pool once.
        while sources or ids or prints:
            found = [p for p in store.touching(sources, ids, prints) if p.key not in affected]
            affected.update((paper.key, paper) for paper in found)
            kept = [r for paper in found for r in paper.records if r.source not in gone]
            pool += kept
            sources = set()
            ids = {r.arxiv_id for r in kept if r.arxiv_id} - seen_ids
            prints = {abstract_hash(r.abstract) for r in kept} - seen_prints
            seen_ids |= ids
            seen_prints |= prints
        store.write(list(affected), merge(pool), bulk=len(pool) > 5000, progress=indexed)

    def _open_store(self) -> Store | None:
        try:
            return self.store()
        except StoreError:
            return None

    # --- reading ------------------------------------------------------------

    def store(self) -> Store:
        """The open index. Raises StoreError when there is none to open."""
        if self._store is None:
            self._store = Store.open(self.index_dir)
        return self._store

    def search(self, text: str, **options: Any) -> SearchResult:
        """Search the papers: the options are Store.search's. A damaged index is
        rebuilt from the dumps first."""
        return self._reading(lambda s: s.search(text, **options))

    def warm_up(self) -> None:
        """Keep the words of the library in memory from now on, for fast prefix and
        fuzzy searches (see Store.warm_up). For a long-running reader."""
        self._reading(lambda s: s.warm_up())

    def suggest(self, text: str, as_you_type: bool = False) -> str | None:
        """A corrected query where words of this one are unknown (see Store.suggest)."""
        return self._reading(lambda s: s.suggest(text, as_you_type))

    def related(self, key: str, top: int = 10) -> list[Hit]:
        """The papers most like the paper with this key, most alike first."""
        return self._reading(lambda s: s.related(key, top))

    def count_matches(
        self, result: SearchResult, cancelled: Callable[[], bool] = lambda: False
    ) -> int | None:
        """Count every match of a search made with count=False (see Store.count_matches)."""
        return self._reading(lambda s: s.count_matches(result, cancelled))

    def count(self, author: str | None = None, source: str | None = None) -> int:
        return self._reading(lambda s: s.count(author, source))

    def papers(self, author: str | None = None) -> list[Paper]:
        return self._reading(lambda s: s.papers(author))

    def get(self, key: str) -> Paper | None:
        return self._reading(lambda s: s.get(key))

    def authors(self) -> list[AuthorInfo]:
        """Every dump's author label with its number of papers, in library order."""
        manifest = _read_manifest(self.index_dir) or {"dumps": {}}
        return self._reading(
            lambda s: [
                AuthorInfo(entry["label"], path, s.count(entry["label"]))
                for path, entry in manifest["dumps"].items()
                if entry.get("label")
            ]
        )

    def coauthors(self) -> list[tuple[AuthorInfo, int, dict[str, int]]]:
        """Each dump's author, how many of its papers others have too, and with whom."""
        authors = self.authors()
        labels = {a.author for a in authors}
        table = []
        for info in authors:
            shared: dict[str, int] = {}
            papers = 0
            for paper in self._reading(lambda s, a=info.author: s.papers(a)):
                others = set(paper.authors) & labels - {info.author}
                papers += bool(others)
                for other in others:
                    shared[other] = shared.get(other, 0) + 1
            ranked = dict(sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])))
            table.append((info, papers, ranked))
        return table

    def collections(self) -> list[tuple[str, int]]:
        """Every JSON Lines collection of the library, with its number of papers."""
        manifest = _read_manifest(self.index_dir) or {"dumps": {}}
        return self._reading(
            lambda s: [
                (path, s.count(source=path))
                for path, entry in manifest["dumps"].items()
                if entry.get("format") == Collection.format
            ]
        )

    def _reading(self, read):  # type: ignore[no-untyped-def]
        try:
            return read(self.store())
        except StoreError:
            # The cache is damaged: build it again from the dumps and retry once.
            self.close()
            _remove(self.index_dir / MANIFEST)
            self.update()
            return read(self.store())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _same_file(path: Path, entry: dict, config_label: str | None) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns, config_label) == (
        entry["size"],
        entry["mtime_ns"],
        entry["config_label"],
    )


def _check(
    path: Path, entry: dict | None, config_label: str | None
) -> tuple[dict, Dump | Collection | None]:
    """The manifest entry for a dump, and the dump itself if it must be indexed again.

    A dump that cannot be read keeps the entry (and the papers) it had; one that
    never could is entered with its error, so it is reported again but not retried
    until it changes.
    """
    if entry and _same_file(path, entry, config_label):
        return entry, None
    try:
        stat = path.stat()
        data = None if is_collection(path, _head(path)) else path.read_bytes()
        digest = _sha256(path) if data is None else hashlib.sha256(data).hexdigest()
    except OSError as error:
        reason = "broken link" if path.is_symlink() and not path.exists() else error.strerror
        failure = DumpError(f"cannot read: {reason or error}")
        return _failed(entry, _stat_of(path), config_label, failure)
    fresh: dict = {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "config_label": config_label,
        "sha256": digest,
    }
    if entry and entry.get("sha256") == digest and entry["config_label"] == config_label:
        return {**entry, **fresh}, None  # touched, not changed
    try:
        dump = read_dump(path, config_label, data)
    except DumpError as error:
        return _failed(entry, fresh, config_label, error)
    fresh |= {
        "label": dump.label,
        "format": dump.format,
        "records": len(dump.records) if isinstance(dump, Dump) else 0,
        "problems": _problem_list(dump.problems),
    }
    return fresh, dump


def _head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(64)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _problem_list(problems: Iterable[Problem]) -> list[list]:
    return [[p.line, p.message, p.error] for p in problems]


def _estimate(dumps: list[Dump | Collection], old: dict[str, dict]) -> int:
    """How many records the dumps hold, for progress: a collection's last count, or a guess."""
    total = 0
    for dump in dumps:
        if isinstance(dump, Dump):
            total += len(dump.records)
        else:
            known = old.get(dump.path, {}).get("records")
            total += known or Path(dump.path).stat().st_size // 600
    return total


def _stat_of(path: Path) -> dict:
    try:
        stat = path.stat()
        return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    except OSError:
        return {"size": -1, "mtime_ns": -1}


def _failed(
    entry: dict | None, fresh: dict, config_label: str | None, error: DumpError
) -> tuple[dict, Dump | None]:
    if entry and entry.get("records"):
        # Keep what was indexed from it: the index loses nothing. Retry next time.
        kept = {**entry, "size": -1, "problems": [[None, str(error), True]]}
        return kept, None
    failed = {
        **fresh,
        "config_label": config_label,
        "sha256": None,
        "label": None,
        "format": None,
        "records": 0,
        "problems": [[None, str(error), True]],
    }
    return failed, None


def _stored_problems(entries: dict[str, dict]) -> list[Problem]:
    return [
        Problem(path, message, line, error)
        for path, entry in entries.items()
        for line, message, error in entry.get("problems", [])
    ]


def _read_manifest(index_dir: Path) -> dict | None:
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("schema") != SCHEMA_VERSION
        or not isinstance(data.get("dumps"), dict)
    ):
        return None
    return data


def _write_json(path: Path, data: object) -> None:
    """Write atomically: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # ASCII: a path that is not UTF-8 (lone surrogates) is kept as \udcXX escapes.
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


__all__ = [
    "Library",
    "UpdateReport",
    "find_dumps",
    "last_library",
    "pinned_authors",
    "remember_last",
    "sample_dumps",
    "set_pinned",
]
