"""A library: the dumps a user pointed at, kept in step with their index.

The index is a cache. A manifest beside it (library.json) remembers, per dump,
its size, mtime and hash, so an unchanged library is opened without reading a
dump or writing a byte, and only what changed is read again. The manifest is
written after the index commits: a process killed in between leaves dumps that
look changed, and the next run simply does that work again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .config import Config, cache_dir, state_dir
from .engine.store import SCHEMA_VERSION, SearchResult, Store, StoreBusy, StoreError
from .formats import read_dump
from .formats.common import file_kind, open_regular
from .formats.jsonl import Collection, CollectionDamaged, is_collection
from .merge import merge, merge_stream
from .model import AuthorInfo, Dump, Hit, Paper, Problem, Record
from .text import DumpError, abstract_hash, author_key

MANIFEST = "library.json"
# How far the update under way is, for other processes to show while they wait.
STATUS = "progress.json"
# Dumps in folders are the files with these endings (or none); a file named on
# the command line is read whatever its name.
DUMP_SUFFIXES = {".txt", ".text", ".dump", "", ".jsonl", ".ndjson"}

Progress = Callable[[str, int, int], None]  # (what is being done, done, total)
T = TypeVar("T")


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


def pinned_authors(config: Config, index_dir: Path) -> list[str]:
    """Authors with a tab of their own: the config's, then those pinned in the reader
    of the library indexed in `index_dir` (a pin belongs to the library it was made in)."""
    saved = _read_pins().get(str(index_dir), [])
    names = list(config.pinned) + [n for n in saved if isinstance(n, str)]
    return list(dict.fromkeys(names))


def set_pinned(names: Sequence[str], index_dir: Path) -> None:
    """Remember the authors pinned in the reader of one library (the config's stay
    pinned anyway)."""
    pins = _read_pins()
    pins[str(index_dir)] = list(dict.fromkeys(names))
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _write_json(folder / "pinned.json", {"libraries": pins})


def _read_pins() -> dict[str, list]:
    try:
        saved = json.loads((state_dir() / "pinned.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # Before pins had a library they were one list, shown in every library: they are
    # let go rather than pinned everywhere again.
    libraries = saved.get("libraries") if isinstance(saved, dict) else None
    return {k: v for k, v in (libraries or {}).items() if isinstance(v, list)}


def find_dumps(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """The dump files named or inside the folders named, each once, in a stable order.

    FIFOs, sockets and devices are skipped with a message (reading one could block
    for good), whether named, in a folder or behind a link.
    """
    found: dict[Path, None] = {}
    problems: list[Problem] = []
    for root in paths:
        kind = _kind(root)
        if kind == "folder":

            def walk_error(error: OSError, root: Path = root) -> None:
                problems.append(
                    Problem(error.filename or str(root), f"cannot read folder: {error.strerror}")
                )

            for folder, dirs, names in os.walk(root, onerror=walk_error):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(n for n in names if not n.startswith(".")):
                    path = Path(folder) / name
                    if not _is_dump_name(name):
                        continue
                    kind = _kind(path)
                    # A broken link or a loop is kept, to be reported (and its papers kept) later.
                    if kind in _READ_LATER:
                        found[path] = None
                    elif kind != "folder":
                        problems.append(
                            Problem(str(path), f"{kind}, not a dump; skipped", error=False)
                        )
        elif kind in _READ_LATER:
            found[root] = None
        elif kind == "missing":
            problems.append(Problem(str(root), "no such file or folder"))
        else:
            problems.append(Problem(str(root), f"{kind}, not a dump; skipped"))
    return list(found), problems


# What a path is, for find_dumps: these are listed as dumps, to be read or reported.
_READ_LATER = ("file", "broken link", "symlink loop")


def _kind(path: Path) -> str:
    """What a path is: a file, folder, missing, broken link, symlink loop, or another kind."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symlink loop"
        return "broken link" if os.path.islink(path) else "missing"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else file_kind(mode)


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
    stale: bool = False  # the index could not be written; it holds what it held
    damaged: str | None = None  # why the index was found damaged and rebuilt
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
        # Told why the index is rebuilt, before it starts, and how the work goes: a
        # callback, or a context that gives one for the time of the work (a progress bar).
        self.say: Callable[[str], object] | None = None
        self.progress: Progress | None = None
        self.watch: Callable[[], AbstractContextManager[Progress]] | None = None
        self._damage: str | None = None  # why the index must be rebuilt, found while reading

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

        A damaged index is built again from the dumps, and `say` (if set) is told why
        before it starts.

        Args:
            progress: Told what is being done, as it goes (default: self.progress).
            wait: Seconds to wait for another process that is updating this index.
        """
        progress = progress or self.progress
        files, problems = find_dumps(self.paths)
        report = UpdateReport(problems=list(self.config.problems) + problems)
        manifest = _read_manifest(self.index_dir)
        if (
            self._damage is None
            and manifest is not None
            and self._unchanged(manifest, files, report)
        ):
            return report
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            with Store.updating(self.index_dir, timeout=wait):
                # Read it again under the lock: another process may have done the work.
                manifest = _read_manifest(self.index_dir)
                damage = self._damage or _manifest_damage(self.index_dir, manifest)
                if manifest is not None and damage is None:
                    damage = _index_damage(self.index_dir, manifest)
                    if damage is None:
                        damage = self._open_store()[1]
                self._damage = None
                if damage is not None:
                    report.damaged = damage
                    self._tell(
                        f"the index in {self.index_dir} is damaged ({damage}); "
                        f"rebuilding from {len(files)} dumps"
                    )
                    self.close()
                    manifest = None
                with self._watching(progress) as told:
                    self._update_locked(manifest, files, report, told)
        except StoreBusy:
            report.busy = True
            report.problems.append(
                Problem(
                    str(self.index_dir),
                    "another abstracts process is updating this index",
                    error=False,
                )
            )
        except OSError as error:
            reason = _write_failure(error)
            held = self.papers_held()
            if held is None:
                raise StoreError(f"cannot write the index in {self.index_dir}: {reason}") from None
            # Still readable: searches go on with what it holds.
            report.stale, report.papers = True, held
            report.problems.append(
                Problem(
                    str(self.index_dir),
                    f"cannot bring the index up to date: {reason}; "
                    f"it was left as it was, with {held} papers",
                )
            )
        return report

    def papers_held(self) -> int | None:
        """How many papers the index holds as it is (None: there is no readable index)."""
        try:
            return self.store().count()
        except StoreError:
            return None

    @contextmanager
    def _watching(self, progress: Progress | None) -> Iterator[Progress]:
        """The progress callback for an update: the caller's, or the watcher's for the
        time of the update; either way also written (once a second) to a file that
        other processes show while they wait for this one."""
        status = self.index_dir / STATUS
        written = 0.0
        shown: list[Progress] = [progress] if progress else []

        def write(what: str, done: int, total: int) -> None:
            with suppress(OSError):
                state = {"pid": os.getpid(), "what": what, "done": done, "total": total}
                _write_json(status, state)

        def told(what: str, done: int, total: int) -> None:
            nonlocal written
            for show in shown:
                show(what, done, total)
            if time.monotonic() - written >= 1.0:
                written = time.monotonic()
                write(what, done, total)

        write("checking dumps", 0, 0)
        try:
            if not shown and self.watch is not None:
                with self.watch() as bar:
                    shown.append(bar)
                    yield told
            else:
                yield told
        finally:
            with suppress(OSError):
                _remove(status)

    def _tell(self, message: str) -> None:
        if self.say is not None:
            self.say(message)

    def _unchanged(self, manifest: dict, files: list[Path], report: UpdateReport) -> bool:
        """True when no dump changed since the manifest was written and the index
        looks whole: a stat() per dump and per index file, and its TOC read."""
        dumps = manifest["dumps"]
        if manifest["paths"] != [str(p) for p in self.paths] or list(dumps) != [
            str(f) for f in files
        ]:
            return False
        for path in files:
            if not _same_file(path, dumps[str(path)], self.config.label_for(path)):
                return False
        if _index_damage(self.index_dir, manifest) is not None:
            return False  # looked at again under the update lock
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
        store = None if manifest is None else self._open_store()[0]
        # Missing, damaged or from another version: build it again from the dumps.
        rebuild = manifest is None or store is None
        # The entries whose papers the index holds now.
        old: dict[str, dict] = {} if rebuild or manifest is None else manifest["dumps"]
        problems = list(report.problems)
        new, dumps = self._read(files, old, report, progress)
        report.removed = [key for key in old if key not in new]
        # A changed or removed collection means a rebuild: streaming the whole
        # library is cheaper than looking up each of its papers in the index.
        if not rebuild and (
            any(isinstance(dump, Collection) for dump in dumps)
            or any(old[key].get("format") == Collection.format for key in report.removed)
        ):
            rebuild = True
            report.read, report.unchanged, report.problems = [], 0, problems
            new, dumps = self._read(files, old, report, progress, again=True)
        if rebuild and store is None:
            _remove(self.index_dir / MANIFEST)
            self.close()
            store = self._store = Store.create(self.index_dir)
        # A usable index is rebuilt in place: searches see the old papers until the
        # new ones are committed, all at once.
        report.rebuilt = rebuild
        assert store is not None
        for dump in dumps:
            # A collection the index holds papers of must read whole to replace them.
            if isinstance(dump, Collection):
                dump.strict = bool(old.get(dump.path, {}).get("records"))
        while dumps or report.removed or rebuild:
            try:
                self._write(store, dumps, new, report, progress, estimate=_estimate(dumps, old))
                break
            except CollectionDamaged as damaged:
                # Its stream broke partway: nothing was committed. Write again
                # without it, keeping the papers of its last good read.
                key = damaged.problem.path
                dumps = [dump for dump in dumps if dump.path != key]
                report.read.remove(key)
                new[key] = _kept(old[key], damaged.problem, new[key])
                report.problems += _stored_problems({key: new[key]})
        for dump in dumps:
            report.problems += dump.problems
            if isinstance(dump, Collection):  # known once it has been read
                new[dump.path] |= {"records": dump.count, "problems": _problem_list(dump.problems)}
        _write_json(
            self.index_dir / MANIFEST,
            {
                "schema": SCHEMA_VERSION,
                "paths": [str(p) for p in self.paths],
                "dumps": new,
                "index": _index_files(self.index_dir),
            },
        )
        report.papers = store.count()

    def _read(
        self,
        files: list[Path],
        old: dict[str, dict],
        report: UpdateReport,
        progress: Progress | None,
        again: bool = False,
    ) -> tuple[dict[str, dict], list[Dump | Collection]]:
        """Manifest entries for every file, and the dumps that changed (or all, again), read."""
        new: dict[str, dict] = {}
        dumps: list[Dump | Collection] = []
        for number, path in enumerate(files):
            if progress:
                progress("reading dumps", number, len(files))
            key = str(path)
            entry, dump = _check(path, old.get(key), self.config.label_for(path), again)
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
        entries: dict[str, dict],
        report: UpdateReport,
        progress: Progress | None,
        estimate: int,
    ) -> None:
        def indexed(count: int) -> None:
            if progress:
                progress("indexing", count, max(estimate, count))

        if report.rebuilt:
            # Dumps that cannot be read now keep the papers of their last good read.
            kept = {key for key, entry in entries.items() if _keeps_papers(entry)}
            carried = [
                record
                for paper in (store.touching(kept, (), ()) if kept else ())
                for record in paper.records
                if record.source in kept
            ]

            def records() -> Iterator[Record]:
                yield from carried
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
            unchanged = [r for paper in found for r in paper.records if r.source not in gone]
            pool += unchanged
            sources = set()
            ids = {r.arxiv_id for r in unchanged if r.arxiv_id} - seen_ids
            prints = {abstract_hash(r.abstract) for r in unchanged} - seen_prints
            seen_ids |= ids
            seen_prints |= prints
        store.write(list(affected), merge(pool), bulk=len(pool) > 5000, progress=indexed)

    def _open_store(self) -> tuple[Store | None, str | None]:
        """The open index, or None and why it cannot be opened."""
        try:
            return self.store(), None
        except StoreError as error:
            return None, str(error)

    # --- reading ------------------------------------------------------------

    def store(self) -> Store:
        """The open index. Raises StoreError when there is none to open."""
        if self._store is None:
            self._store = Store.open(self.index_dir)
        return self._store

    def store_or_none(self) -> Store | None:
        """The open index, or None when there is none (yet) or it cannot be read."""
        return self._open_store()[0]

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
            for paper in self.papers(info.author):
                others = set(paper.authors) & labels - {info.author}
                papers += bool(others)
                for other in others:
                    shared[other] = shared.get(other, 0) + 1
            ranked = dict(sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])))
            table.append((info, papers, ranked))
        return table

    def author_words(self, prefix: str) -> list[str]:
        """Words of author names starting with `prefix`, most papers first: from
        memory, so none until the reader has read the library's words."""
        if self._store is None:
            return []
        return self._store.completions_in_memory("author", prefix.lower(), limit=3)

    def collection_authors(self) -> list[tuple[str, int]]:
        """The authors of the library's collections (not the dumps' own labels), with
        their numbers of papers, most first; none when it has no collection."""
        if not self.collections():
            return []
        labels = {author_key(a.author) for a in self.authors()}
        return [
            (name, papers)
            for name, papers in self._reading(lambda s: s.author_counts())
            if author_key(name) not in labels
        ]

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

    def _reading(self, read: Callable[[Store], T]) -> T:
        try:
            return read(self.store())
        except StoreError as error:
            # The cache is damaged: build it again from the dumps (saying so) and retry once.
            self.close()
            self._damage = _short(str(error))
            self.update()
            return read(self.store())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _write_failure(error: OSError) -> str:
    """Why the index could not be written, in the user's terms."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "the disk holding it is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"its folder cannot be written ({error.strerror})"
    return error.strerror or str(error)


def being_built(index_dir: Path) -> str | None:
    """None if no process is updating the index in `index_dir`; else how far it
    got, in words ("" if it has not said yet)."""
    try:
        with Store.updating(index_dir, timeout=0):
            return None
    except StoreBusy:
        pass
    except OSError:
        return None
    try:
        status = json.loads((index_dir / STATUS).read_text(encoding="utf-8"))
        what, done, total = status["what"], int(status["done"]), int(status["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return f"{what}: {done:,} of {total:,}" if total else str(what)


def left_locked(index_dir: Path) -> int | None:
    """The id of the process that took the index's update lock, if it has ended but
    the lock outlived it (worker processes it started still hold it); else None."""
    if being_built(index_dir) is None:
        return None
    try:
        pid = int(json.loads((index_dir / STATUS).read_text(encoding="utf-8"))["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None if _alive(pid) else pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's: alive
    try:  # Linux: a zombie (ended, not yet reaped by its parent) is not alive
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _same_file(path: Path, entry: dict, config_label: str | None) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns, config_label) == (
        entry["size"],
        entry["mtime_ns"],
        entry["config_label"],
    )


def _check(
    path: Path, entry: dict | None, config_label: str | None, again: bool = False
) -> tuple[dict, Dump | Collection | None]:
    """The manifest entry for a dump, and the dump itself if it must be indexed again
    (always, `again`, unless it cannot be read).

    A dump that cannot be read keeps the entry (and the papers) it had; one that
    never could is entered with its error, so it is reported again but not retried
    until it changes.
    """
    # A file kept damaged is not read again, even for a rebuild, until it changes.
    if entry and (not again or entry.get("kept")) and _same_file(path, entry, config_label):
        return entry, None
    try:
        with open_regular(path) as file:
            info = os.fstat(file.fileno())
            head = file.read(64)
            data = None if is_collection(path, head) else head + file.read()
        digest = _sha256(path) if data is None else hashlib.sha256(data).hexdigest()
    except OSError as error:
        failure = DumpError(f"cannot read: {_reason(path, error)}")
        return _failed(entry, _stat_of(path), config_label, failure)
    fresh: dict = {
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "config_label": config_label,
        "sha256": digest,
    }
    if (
        entry
        and not again
        and entry.get("sha256") == digest
        and entry["config_label"] == config_label
    ):
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


def _reason(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symlink loop"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return "broken link"
    return error.strerror or str(error)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as file:
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
            total += known or max(_stat_of(Path(dump.path))["size"], 0) // 600
    return total


def _stat_of(path: Path) -> dict:
    try:
        info = path.stat()
        return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}
    except OSError:
        return {"size": -1, "mtime_ns": -1}


def _failed(
    entry: dict | None, fresh: dict, config_label: str | None, error: DumpError
) -> tuple[dict, Dump | None]:
    if entry and entry.get("records"):
        return _kept(entry, Problem("", str(error))), None
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


def _kept(entry: dict, problem: Problem, damaged: dict | None = None) -> dict:
    """The entry of a dump that cannot be read now but was before: the index keeps
    the papers of its last good read (a damaged copy of a file never deletes any).

    A file that could not be opened is tried again next time (size -1 never
    matches); a `damaged` one (its stat) when it changes.
    """
    count = entry.get("records") or 0
    message = (
        f"{problem.message}; keeping its {count:,} papers from the last good read "
        "until it reads cleanly"
    )
    where = {"size": damaged["size"], "mtime_ns": damaged["mtime_ns"]} if damaged else {"size": -1}
    return {
        **entry,
        **where,
        "sha256": None,
        "kept": True,
        "problems": [[problem.line, message, True]],
    }


def _keeps_papers(entry: dict) -> bool:
    return bool(entry.get("kept") and entry.get("records"))


def _stored_problems(entries: dict[str, dict]) -> list[Problem]:
    return [
        Problem(path, message, line, error)
        for path, entry in entries.items()
        for line, message, error in entry.get("problems", [])
    ]


def _index_files(index_dir: Path) -> dict[str, list]:
    """The index's files as committed: each file's size, and the TOC's hash too (it
    is small, and names everything else). Leftovers of other writes are not listed."""
    files: dict[str, list] = {}
    try:
        names = Store.files(index_dir)
    except StoreError:
        return files  # nothing to compare with: its damage is found on opening
    for name in names:
        path = index_dir / name
        with suppress(OSError):
            toc = name.endswith(".toc")
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if toc else None
            files[name] = [path.stat().st_size, digest]
    return files


def _index_damage(index_dir: Path, manifest: dict) -> str | None:
    """Why the index no longer matches what was committed, or None: cheap enough
    for every start (a stat per index file, the TOC read), not a full check."""
    recorded = manifest.get("index")
    if not isinstance(recorded, dict):
        return None  # an index written before files were recorded
    if _generation(index_dir) > max(map(_toc_generation, recorded), default=-1):
        # Committed after this manifest was written (by a process killed before it
        # wrote the next one): not damage; the dumps look changed and are read again.
        return None
    for name, (size, digest) in recorded.items():
        path = index_dir / name
        try:
            actual = path.stat().st_size
            if actual != size:
                return f"{name} is {actual:,} bytes, was {size:,}"
            if digest is not None and hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return f"{name} was changed"
        except OSError as error:
            return f"{name}: {error.strerror or error}"
    return None


def _toc_generation(name: str) -> int:
    """The generation of a TOC file's name (_MAIN_12.toc: 12), -1 for other files."""
    _, _, generation = name.removesuffix(".toc").rpartition("_")
    return int(generation) if name.endswith(".toc") and generation.isdigit() else -1


def _generation(index_dir: Path) -> int:
    """The newest generation of the index on disk (-1: none)."""
    try:
        return max((_toc_generation(name) for name in os.listdir(index_dir)), default=-1)
    except OSError:
        return -1


def _manifest_damage(index_dir: Path, manifest: dict | None) -> str | None:
    """Why a manifest that is there cannot be used (None: it can, or there is none)."""
    if manifest is not None or not (index_dir / MANIFEST).exists():
        return None
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{MANIFEST} cannot be read"
    if isinstance(data, dict) and data.get("schema") != SCHEMA_VERSION:
        return "written by another version"
    return f"{MANIFEST} is not as expected"


def _short(message: str) -> str:
    """A store error without the index's path, which the rebuild message gives."""
    if " is damaged (" not in message:
        return message
    return message.split(" is damaged (", 1)[1].removesuffix(")")


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
