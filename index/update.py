"""Bringing a library's index up to date with its dumps, reading only what changed.

The manifest (manifest.py) says what each dump was when it was last indexed: an
unchanged library is opened without reading a dump or writing a byte. Changed
dumps are read again and their papers merged with the indexed papers they touch;
a changed collection, or a damaged index, means a rebuild. Only one process
updates an index at a time: the others wait, or read what it holds, and are told
how far it got (progress.json).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .engine.errors import StoreBusy, StoreError
from .engine.store import Store
from .files import write_json
from .formats import read_dump
from .formats.common import open_regular
from .formats.discovery import find_dumps
from .formats.jsonl import Collection, CollectionDamaged, is_collection
from .manifest import (
    MANIFEST,
    index_damage,
    keeps_papers,
    manifest_damage,
    problem_list,
    read_manifest,
    same_file,
    stored_problems,
    write_manifest,
)
from .merge import merge, merge_stream, paper_key
from .model import Dump, Paper, Problem, Record
from .open_index import OpenIndex
from .text import DumpError, abstract_hash

# How far the update under way is, for other processes to show while they wait.
STATUS = "progress.json"

Progress = Callable[[str, int, int], None]  # (what is being done, done, total)


@dataclass
class DumpChange:
    """How the papers of one dump changed in an update."""

    added: int = 0
    removed: int = 0
    changed: int = 0  # the same paper, written differently

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


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
    # How the papers of each dump changed since the index was last written: the
    # dumps read again whose papers changed, and every dump removed (none when
    # there was no index to compare with).
    changes: dict[str, DumpChange] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]


def update(
    index: OpenIndex,
    paths: Sequence[Path],
    config: Config,
    progress: Progress | None = None,
    *,
    watch: Callable[[], AbstractContextManager[Progress]] | None = None,
    say: Callable[[str], object] | None = None,
    wait: float = 2.0,
) -> UpdateReport:
    """Bring the index of the dumps under `paths` up to date, reading only what
    changed.

    A damaged index is built again from the dumps: one found so here, or by a read
    since the last update (index.damage). `say` (if given) is told why before the
    rebuild starts.

    Args:
        index: The index, as the library has it open.
        paths: The library's dump files and folders.
        config: Labels for dumps that name no author.
        progress: Told what is being done, as it goes.
        watch: Gives a progress callback for the time of the update, when
            `progress` is not given (a progress bar).
        say: Told why the index is rebuilt, before it starts.
        wait: Seconds to wait for another process that is updating this index.
    """
    files, problems = find_dumps(paths)
    report = UpdateReport(problems=list(config.problems) + problems)
    manifest = read_manifest(index.index_dir)
    if (
        index.damage is None
        and manifest is not None
        and _unchanged(index, paths, config, manifest, files, report)
    ):
        return report
    try:
        index.index_dir.mkdir(parents=True, exist_ok=True)
        with Store.updating(index.index_dir, timeout=wait):
            # Read it again under the lock: another process may have done the work.
            manifest = read_manifest(index.index_dir)
            damage = index.take_damage() or manifest_damage(index.index_dir, manifest)
            if manifest is not None and damage is None:
                damage = index_damage(index.index_dir, manifest)
                if damage is None:
                    damage = index.open_store()[1]
            if damage is not None:
                report.damaged = damage
                if say is not None:
                    say(
                        f"the index in {index.index_dir} is damaged ({damage}); "
                        f"rebuilding from {len(files)} dumps"
                    )
                index.close()
                manifest = None
            with watching(index.index_dir, progress, watch) as told:
                _update_locked(index, paths, config, manifest, files, report, told)
    except StoreBusy:
        report.busy = True
        report.problems.append(
            Problem(
                str(index.index_dir),
                "another abstracts process is updating this index",
                error=False,
            )
        )
    except OSError as error:
        reason = _write_failure(error)
        held = index.papers_held()
        if held is None:
            raise StoreError(f"cannot write the index in {index.index_dir}: {reason}") from None
        # Still readable: searches go on with what it holds.
        report.stale, report.papers = True, held
        report.problems.append(
            Problem(
                str(index.index_dir),
                f"cannot bring the index up to date: {reason}; "
                f"it was left as it was, with {held} papers",
            )
        )
    return report


@contextmanager
def watching(
    index_dir: Path,
    progress: Progress | None,
    watch: Callable[[], AbstractContextManager[Progress]] | None = None,
) -> Iterator[Progress]:
    """The progress callback for an update of the index in `index_dir`: the
    caller's `progress`, or else the one `watch` gives for the time of the update;
    either way also written (once a second) to a file that other processes show
    while they wait for this one."""
    status = index_dir / STATUS
    written = 0.0
    shown: list[Progress] = [progress] if progress else []

    def write(what: str, done: int, total: int) -> None:
        with suppress(OSError):
            state = {"pid": os.getpid(), "what": what, "done": done, "total": total}
            write_json(status, state)

    def told(what: str, done: int, total: int) -> None:
        nonlocal written
        for show in shown:
            show(what, done, total)
        if time.monotonic() - written >= 1.0:
            written = time.monotonic()
            write(what, done, total)

    write("checking dumps", 0, 0)
    try:
        if not shown and watch is not None:
            with watch() as bar:
                shown.append(bar)
                yield told
        else:
            yield told
    finally:
        with suppress(OSError):
            status.unlink(missing_ok=True)


def _unchanged(
    index: OpenIndex,
    paths: Sequence[Path],
    config: Config,
    manifest: dict,
    files: list[Path],
    report: UpdateReport,
) -> bool:
    """True when no dump changed since the manifest was written and the index
    looks whole: a stat() per dump and per index file, and its TOC read."""
    dumps = manifest["dumps"]
    if manifest["paths"] != [str(p) for p in paths] or list(dumps) != [str(f) for f in files]:
        return False
    for path in files:
        if not same_file(path, dumps[str(path)], config.label_for(path)):
            return False
    if index_damage(index.index_dir, manifest) is not None:
        return False  # looked at again under the update lock
    try:
        store = index.store()
        store.refresh()  # another process may have brought it up to date just now
        report.papers = store.count()
    except StoreError:
        return False
    report.unchanged = sum(entry["sha256"] is not None for entry in dumps.values())
    report.problems += stored_problems(dumps)
    return True


def _update_locked(
    index: OpenIndex,
    paths: Sequence[Path],
    config: Config,
    manifest: dict | None,
    files: list[Path],
    report: UpdateReport,
    progress: Progress | None,
) -> None:
    store = None if manifest is None else index.open_store()[0]
    # Missing, damaged or from another version: build it again from the dumps.
    rebuild = manifest is None or store is None
    compared = not rebuild  # what the dumps held before is known
    # The entries whose papers the index holds now.
    old: dict[str, dict] = {} if rebuild or manifest is None else manifest["dumps"]
    problems = list(report.problems)
    new, dumps = _read(config, files, old, report, progress)
    report.removed = [key for key in old if key not in new]
    # A changed or removed collection means a rebuild: streaming the whole
    # library is cheaper than looking up each of its papers in the index.
    if not rebuild and (
        any(isinstance(dump, Collection) for dump in dumps)
        or any(old[key].get("format") == Collection.format for key in report.removed)
    ):
        rebuild = True
        report.read, report.unchanged, report.problems = [], 0, problems
        new, dumps = _read(config, files, old, report, progress, again=True)
    if rebuild and store is None:
        (index.index_dir / MANIFEST).unlink(missing_ok=True)
        index.close()
        store = index.adopt(Store.create(index.index_dir))
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
            _write(store, dumps, new, report, progress, estimate=_estimate(dumps, old))
            break
        except CollectionDamaged as damaged:
            # Its stream broke partway: nothing was committed. Write again
            # without it, keeping the papers of its last good read.
            key = damaged.problem.path
            dumps = [dump for dump in dumps if dump.path != key]
            report.read.remove(key)
            new[key] = _kept(old[key], damaged.problem, new[key])
            report.problems += stored_problems({key: new[key]})
    for dump in dumps:
        report.problems += dump.problems
        if isinstance(dump, Collection):  # known once it has been read
            new[dump.path] |= {"records": dump.count, "problems": problem_list(dump.problems)}
    if compared and report.rebuilt:  # else compared record by record in _write
        _count_changes(report, old, new)
    write_manifest(index.index_dir, paths, new)
    report.papers = store.count()


def _read(
    config: Config,
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
        entry, dump = _check(path, old.get(key), config.label_for(path), again)
        new[key] = entry
        if dump is None:
            report.unchanged += entry["sha256"] is not None  # not the failed ones
            report.problems += stored_problems({key: entry})
        else:
            dumps.append(dump)
            report.read.append(key)
    return new, dumps


def _write(
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
        kept = {key for key, entry in entries.items() if keeps_papers(entry)}
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

        store.write([], merge_stream(records), clear=True, bulk=estimate > 5000, progress=indexed)
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
    changes = _record_changes(dumps, report.removed, affected.values())
    store.write(list(affected), merge(pool), bulk=len(pool) > 5000, progress=indexed)
    report.changes = changes  # once written: a failed write changed nothing


def _record_changes(
    dumps: list[Dump | Collection], removed: list[str], papers: Iterable[Paper]
) -> dict[str, DumpChange]:
    """How the papers of each dump read again, and each removed, changed: the
    records the index held for it against those read now, paper by paper (the
    same arXiv id, or the same abstract)."""
    before: dict[str, dict[str, Record]] = {}
    for paper in papers:
        for record in paper.records:
            before.setdefault(record.source, {})[_identity(record)] = record
    changes = {}
    for dump in dumps:
        if isinstance(dump, Dump):
            old = before.get(dump.path, {})
            now = {_identity(record): record for record in dump.records}
            changed = sum(_content(old[key]) != _content(now[key]) for key in now.keys() & old)
            # A paper gone where another came, on the same line: one paper edited.
            gone_lines = {old[key].line for key in old.keys() - now}
            edited = sum(now[key].line in gone_lines for key in now.keys() - old)
            added, removed_here = len(now.keys() - old) - edited, len(old.keys() - now) - edited
            if change := DumpChange(added, removed_here, changed + edited):
                changes[dump.path] = change
    for key in removed:
        changes[key] = DumpChange(removed=len(before.get(key, {})))
    return changes


def _identity(record: Record) -> str:
    return paper_key(record.arxiv_id, record.abstract)


def _content(record: Record) -> tuple:
    """What a record says, wherever in its dump it is."""
    return (record.label, record.title, record.abstract, record.venue, record.authors, record.year)


def _count_changes(report: UpdateReport, old: dict[str, dict], new: dict[str, dict]) -> None:
    """The changes of a rebuild (a collection changed), from the numbers of papers
    the manifest gives before and after: a collection is not compared paper by paper."""
    for key in [*report.read, *report.removed]:
        before = old.get(key, {}).get("records") or 0
        after = (new.get(key, {}).get("records") or 0) if key in report.read else 0
        change = DumpChange(max(after - before, 0), max(before - after, 0))
        if change or key in report.removed:
            report.changes[key] = change


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
    if entry and (not again or entry.get("kept")) and same_file(path, entry, config_label):
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
        "problems": problem_list(dump.problems),
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
