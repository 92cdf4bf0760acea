"""The reading state: kept per library apart from the index, shared by processes."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from helpers import SEED

from index import Config, Library, PaperState, UserDB, UserStateError
from index.config import data_dir
from index.state_transfer import import_lines
from index.userdb import HISTORY, MIGRATIONS, SCHEMA_VERSION, normalise_tag


@pytest.fixture
def db(tmp_path: Path) -> UserDB:
    user = UserDB(tmp_path / "state.sqlite3")
    yield user
    user.close()


def test_a_paper_without_state_has_the_default_and_reading_creates_no_file(db: UserDB) -> None:
    assert db.state("2412.16720") == PaperState("2412.16720")
    assert db.states(["a", "b", "a"]) == {"a": PaperState("a"), "b": PaperState("b")}
    assert db.tags() == [] and db.keys() == set() and db.queries() == []
    assert db.load_session() is None and list(db.export_records()) == []
    assert not db.path.exists()


def test_read_and_star_set_and_toggle(db: UserDB) -> None:
    db.set_read("a")
    assert db.state("a").read is True
    db.set_read("a", False)
    assert db.state("a").read is False
    assert db.toggle_read("a") is True and db.toggle_read("a") is False
    db.set_starred("b", True)
    assert db.state("b").starred is True
    assert db.toggle_star("b") is False and db.toggle_star("b") is True
    assert db.toggle_star("new") is True
    assert db.state("b") == PaperState("b", starred=True)
    assert db.path.exists()


def test_tags_are_normalised_counted_and_removed(db: UserDB) -> None:
    db.add_tag("a", "  Survey ")
    db.add_tag("a", "to read")
    db.add_tag("a", "survey")  # once
    db.add_tag("b", "SURVEY")
    db.add_tag("b", 'odd:"tag" (x)')
    assert db.state("a").tags == ("survey", "to-read")
    assert db.tags() == [("oddtag-x", 1), ("survey", 2), ("to-read", 1)]
    db.remove_tag("a", "Survey")
    db.remove_tag("a", "never there")
    assert db.state("a").tags == ("to-read",)
    assert db.tags() == [("oddtag-x", 1), ("survey", 1), ("to-read", 1)]
    with pytest.raises(ValueError):
        db.add_tag("a", ' "" ')
    assert normalise_tag("Deep\x1b[31mLearning") == "deep31mlearning"


def test_notes_are_kept_dated_and_deleted(db: UserDB) -> None:
    db.set_note("a", "Read **again**.\nSection 3 matters.")
    state = db.state("a")
    assert state.note == "Read **again**.\nSection 3 matters."
    assert state.note_updated is not None and state.note_updated > 1.7e9
    db.set_note("a", "")
    assert db.state("a").note == ""
    assert db.keys(note_words="again") == set()


def test_keys_by_star_read_tag_and_note_words(db: UserDB) -> None:
    db.set_starred("a", True)
    db.set_read("a")
    db.set_read("b")
    db.set_starred("c", True)
    db.add_tag("c", "survey")
    db.add_tag("d", "survey")
    db.set_note("d", "Compare with the Diffusion-Transformer baseline.")
    assert db.keys() == {"a", "b", "c", "d"}
    assert db.keys(starred=True) == {"a", "c"}
    assert db.keys(read=True) == {"a", "b"}
    assert db.keys(read=False) == {"c", "d"}
    assert db.keys(starred=True, read=False) == {"c"}
    assert db.keys(tag="Survey") == {"c", "d"}
    assert db.keys(tag="nothing") == set() and db.keys(tag=":") == set()
    assert db.keys(note_words="diffusion") == {"d"}
    assert db.keys(note_words="DIFFUSION transformer") == {"d"}  # words in a row
    assert db.keys(note_words="transformer diffusion") == set()
    assert db.keys(note_words="diff") == set()  # whole words
    assert db.keys(note_words="baseline", tag="survey") == {"d"}
    assert db.keys(note_words="baseline", starred=True) == set()


def test_the_version_changes_with_every_write_from_here_or_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    mine, theirs = UserDB(path), UserDB(path)
    first = mine.version()
    mine.set_starred("a", True)
    second = mine.version()
    assert second != first
    assert mine.version() == second  # reading changes nothing
    theirs.add_tag("a", "x")
    assert mine.version() != second
    assert mine.state("a") == PaperState("a", starred=True, tags=("x",))
    mine.close()
    theirs.close()


def test_the_version_stays_while_the_reader_keeps_its_history_and_place(tmp_path: Path) -> None:
    # The reader writes its history and place as the user types and reads; a
    # filter on marks resolved for one version must stay valid through them.
    db = UserDB(tmp_path / "state.sqlite3")
    db.set_starred("a", True)
    before = db.version()
    db.remember_query("speech recognition")
    db.save_session({"query": "speech"})
    assert db.version() == before
    db.add_tag("a", "x")
    assert db.version() != before
    db.close()


def test_changed_elsewhere_counts_other_connections_writes_only(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    mine, theirs = UserDB(path), UserDB(path)
    assert not mine.changed_elsewhere()  # no state at all yet
    theirs.set_starred("a", True)  # the first write ever is another's
    assert mine.changed_elsewhere()
    assert not mine.changed_elsewhere()  # told once
    mine.set_starred("b", True)
    mine.add_tag("b", "mine")
    assert not mine.changed_elsewhere()  # its own writes
    theirs.set_note("a", "theirs")
    mine.set_read("b")  # its own write after another's hides nothing
    assert mine.changed_elsewhere()
    assert theirs.changed_elsewhere()  # the other way round too
    assert not theirs.changed_elsewhere()
    mine.close()
    theirs.close()


def test_changed_elsewhere_starts_from_what_was_read_first(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    UserDB(path).set_starred("a", True)
    reader = UserDB(path)
    assert reader.state("a").starred  # read as it is: nothing changed since
    assert not reader.changed_elsewhere()
    reader.close()


def test_query_history_is_newest_first_without_repeats_and_bounded(db: UserDB) -> None:
    for text in ("diffusion", "speech", "  diffusion ", "", "transformers"):
        db.remember_query(text)
    assert db.queries() == ["transformers", "diffusion", "speech"]
    assert db.queries(limit=1) == ["transformers"]
    for n in range(HISTORY + 20):
        db.remember_query(f"query {n}")
    kept = db.queries()
    assert len(kept) == HISTORY
    assert kept[0] == f"query {HISTORY + 19}" and kept[-1] == "query 20"


def test_the_session_is_saved_and_loaded(db: UserDB) -> None:
    db.save_session({"tab": "Alex", "query": "speech", "selected": "2412.16720"})
    db.save_session({"tab": "Tony", "query": "", "selected": None})
    assert db.load_session() == {"tab": "Tony", "query": "", "selected": None}
    with pytest.raises(TypeError):
        db.save_session({"not json": object()})


def test_export_and_import_merge_without_losing_a_newer_note(tmp_path: Path) -> None:
    here, there = UserDB(tmp_path / "here.sqlite3"), UserDB(tmp_path / "there.sqlite3")
    here.set_starred("a", True)
    here.add_tag("a", "survey")
    here.set_note("n", "older note")
    there.set_read("a")
    there.add_tag("a", "mine")
    there.set_note("n", "newer note")  # written after: newer
    there.set_note("m", "kept here")
    here.set_note("m", "newest note, from here")
    here.set_read("r")
    here.set_read("r", False)  # no state left: not exported
    records = list(here.export_records())
    assert [r["key"] for r in records] == ["a", "m", "n"]
    assert records[0] == {
        "key": "a",
        "read": False,
        "starred": True,
        "tags": ["survey"],
        "note": "",
        "note_updated": None,
    }
    report = there.import_records([*records, {"key": 3}, "junk", {"key": "t", "tags": ["New"]}])
    assert report.records == 6 and report.changed == 3 and report.kept_notes == 1
    assert report.bad == [(4, "no key"), (5, "not a JSON object")]
    assert there.state("a") == PaperState("a", read=True, starred=True, tags=("mine", "survey"))
    assert there.state("n").note == "newer note"  # never overwritten by an older one
    assert there.state("m").note == "newest note, from here"
    assert there.state("t").tags == ("new",)
    # Importing the same again changes nothing.
    assert there.import_records(records).changed == 0
    here.close()
    there.close()


def test_threads_share_one_state(db: UserDB) -> None:
    def work(n: int) -> None:
        for i in range(20):
            db.add_tag(f"p{i}", f"t{n}")
            db.state(f"p{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert db.tags() == [(f"t{n}", 20) for n in range(4)]


def _write_state(path: str, who: str) -> None:
    """One process's writes, each its own transaction, as a reader makes them."""
    user = UserDB(Path(path))
    for i in range(30):
        user.toggle_star(f"{who}{i}")
        user.add_tag(f"shared{i}", who)
        user.set_note(f"{who}{i}", f"note by {who}")
        user.set_read(f"shared{i}")
    user.close()


def test_two_processes_writing_at_once_both_keep_their_changes(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_state, args=(str(path), w)) for w in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    user = UserDB(path)
    assert user.keys(starred=True) == {f"{w}{i}" for w in "ab" for i in range(30)}
    assert user.tags() == [("a", 30), ("b", 30)]
    assert user.state("shared7") == PaperState("shared7", read=True, tags=("a", "b"))
    assert user.state("b29").note == "note by b"
    user.close()


def _import_big(path: str, started: str) -> None:
    """Import 100k lines into the state in `path`, saying when it starts."""
    lines = (json.dumps({"key": f"k{n}", "starred": True, "note": f"{n}"}) for n in range(100_000))
    data = "\n".join(lines).encode()
    user = UserDB(Path(path))
    user.state("k0")  # opened: what is left is the import
    Path(started).touch()
    import_lines(user, data)


def test_an_import_killed_midway_leaves_the_state_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    before = UserDB(path)
    before.add_tag("a", "mine")
    before.close()
    started = tmp_path / "started"
    worker = multiprocessing.get_context("spawn").Process(
        target=_import_big, args=(str(path), str(started))
    )
    worker.start()
    wal = Path(f"{path}-wal")
    deadline = time.monotonic() + 60
    # Killed once the import is writing (its pages reach the journal).
    while not (started.exists() and wal.exists() and wal.stat().st_size > 1_000_000):
        assert worker.is_alive() and time.monotonic() < deadline
        time.sleep(0.001)
    os.kill(worker.pid or 0, signal.SIGKILL)
    worker.join()
    after = UserDB(path)
    assert after.all_states() == {"a": PaperState("a", tags=("mine",))}
    assert after.problem is None and not list(tmp_path.glob("*.damaged-*"))
    after.set_starred("b", True)
    assert after.keys(starred=True) == {"b"}
    after.close()


def test_the_state_survives_a_rebuild_a_renamed_dump_and_a_deleted_index(
    dumps: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    library = Library([dumps], index_dir, Config())
    library.update()
    # A paper with an arXiv id, and one keyed by its abstract (the plain dump has no ids).
    o1 = library.get("2412.16720")
    plain = next(p for p in library.papers("000_e4898e36c2f54974") if p.arxiv_id is None)
    assert o1 is not None and plain.arxiv_id is None
    library.user.set_starred(o1.key, True)
    library.user.add_tag(plain.key, "speech")
    library.user.set_note(plain.key, "kept")
    assert not library.user.path.is_relative_to(index_dir)
    assert library.user.path.is_relative_to(data_dir())
    library.close()

    (dumps / SEED["plain"].name).rename(dumps / "renamed.txt")
    shutil.rmtree(index_dir)
    again = Library([dumps], index_dir, Config())
    again.update()
    renamed = next(p for p in again.papers("renamed") if p.abstract == plain.abstract)
    assert again.user.state(renamed.key) == PaperState(
        renamed.key,
        tags=("speech",),
        note="kept",
        note_updated=again.user.state(plain.key).note_updated,
    )
    assert again.user.keys(starred=True) == {"2412.16720"}
    again.close()


def test_each_library_has_its_own_state(tmp_path: Path) -> None:
    one, two = UserDB.for_library(tmp_path / "one"), UserDB.for_library(tmp_path / "two")
    assert one.path != two.path and one.path.parent == data_dir() / "libraries"
    assert one.path.name.startswith("one-") and one.path.suffix == ".sqlite3"
    one.set_starred("a", True)
    assert two.state("a").starred is False
    assert UserDB.for_library(tmp_path / "one").state("a").starred is True


def _version_one(path: Path) -> None:
    """A database as the first version of the schema left it, with a star."""
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("INSERT INTO papers (key, starred) VALUES ('a', 1)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def test_an_older_database_is_upgraded_keeping_its_state(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _version_one(path)
    user = UserDB(path)
    assert user.state("a").starred is True
    user.remember_query("speech")  # a table the second version added
    assert user.queries() == ["speech"]
    user.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def _kept_aside(path: Path, user: UserDB) -> Path:
    """The one file `path` was moved to, checked against what `user` said of it."""
    (kept,) = path.parent.glob(f"{path.name}.damaged-*")
    assert user.problem is not None and "\n" not in user.problem
    assert str(path) in user.problem and kept.name in user.problem
    return kept


@pytest.mark.parametrize(
    "how", ["empty", "another program's SQLite", "SQLite without tables", "no schema version"]
)
def test_a_file_that_is_not_our_state_is_kept_aside_and_said(tmp_path: Path, how: str) -> None:
    path = tmp_path / "state.sqlite3"
    if how == "empty":
        path.touch()
    else:
        db = sqlite3.connect(path)
        if how == "another program's SQLite":
            db.execute("CREATE TABLE bookmarks (url TEXT)")
            db.execute("PRAGMA user_version = 1")
        elif how == "SQLite without tables":
            db.execute("PRAGMA journal_mode = WAL")
        else:
            for statement in MIGRATIONS[0]:
                db.execute(statement)
        db.commit()
        db.close()
    before = path.read_bytes()
    user = UserDB(path)
    assert user.state("a") == PaperState("a")
    kept = _kept_aside(path, user)
    assert kept.read_bytes() == before
    user.add_tag("a", "x")
    assert UserDB(path).tags() == [("x", 1)]
    user.close()


def test_damage_found_again_in_the_same_second_keeps_each_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    for n in range(3):
        path.write_bytes(f"damage number {n}".encode() * 100)
        user = UserDB(path)
        user.set_starred("a", True)
        assert user.problem is not None
        user.close()
    kept = sorted(p.read_bytes()[:15] for p in tmp_path.glob("state.sqlite3.damaged-*"))
    assert kept == [f"damage number {n}".encode() for n in range(3)]


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    user = UserDB(path)
    with pytest.raises(UserStateError, match="newer version of abstracts"):
        user.state("a")
    with pytest.raises(UserStateError, match="newer version"):
        user.set_starred("a", True)
    assert path.read_bytes() == before


def test_an_import_skips_records_the_state_cannot_hold(db: UserDB) -> None:
    report = db.import_records(
        [
            {"key": "huge", "note": "n", "note_updated": 10**400},
            {"key": "far", "note": "n", "note_updated": float("inf")},
            {"key": "nan", "note": "n", "note_updated": float("nan")},
            {"key": "\udc80"},
            {"key": "lone", "note": "a \ud800 b", "tags": ["x\udc80y"]},
            {"key": "good", "starred": True},
        ]
    )
    assert report.bad == [
        (1, "note_updated must be a time in seconds"),
        (2, "note_updated must be a time in seconds"),
        (3, "note_updated must be a time in seconds"),
        (4, "the key holds a lone surrogate"),
    ]
    assert db.all_states().keys() == {"lone", "good"}
    assert db.state("lone").note == "a \ufffd b" and db.state("lone").tags == ("xy",)
    db.set_note("typed", "\udcff")  # a note from bytes that are not UTF-8
    assert db.state("typed").note == "\ufffd"


def test_a_damaged_file_is_kept_aside_and_a_new_state_started(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not a database, but it may be the user's" * 100)
    user = UserDB(path)
    assert user.state("a") == PaperState("a")
    assert user.problem is not None and "could not be read" in user.problem
    kept = list(tmp_path.glob("state.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    assert kept[0].name in user.problem and "\n" not in user.problem
    user.set_starred("a", True)
    assert UserDB(path).state("a").starred is True


def test_a_state_that_cannot_be_written_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the state's folder would be")
    user = UserDB(blocker / "libraries" / "state.sqlite3")
    assert user.state("a") == PaperState("a")  # nothing to read is no error
    with pytest.raises(UserStateError, match="cannot open the reading state"):
        user.set_starred("a", True)
    assert blocker.read_text().startswith("a file")


def test_many_papers_states_are_read_in_one_go(db: UserDB) -> None:
    report = db.import_records(
        {"key": f"k{n:04d}", "starred": n % 2 == 0, "tags": ["big"] if n % 3 == 0 else []}
        for n in range(1200)
    )
    # Starred (even) or tagged (a multiple of 3): 600 + 400 - 200 papers changed.
    assert report.records == 1200 and report.changed == 800
    assert len(db.all_states()) == 800
    asked = db.states(f"k{n:04d}" for n in range(1200))
    assert len(asked) == 1200 and sum(s.starred for s in asked.values()) == 600
    assert asked["k0003"] == PaperState("k0003", tags=("big",))
    assert db.tags() == [("big", 400)]


def test_a_note_word_being_typed_matches_the_words_it_starts(db: UserDB) -> None:
    db.set_note("a", "Diffusion baselines")
    assert db.keys(note_words="diffusion base") == set()
    assert db.keys(note_words="diffusion base", note_prefix=True) == {"a"}
    assert db.keys(note_words="iffusion", note_prefix=True) == set()  # starts of words only


def test_set_read_many_marks_only_those_papers_and_back(tmp_path: Path) -> None:
    db = UserDB(tmp_path / "state.sqlite3")
    db.set_starred("c", True)
    db.set_read_many(["a", "b"])
    assert {k for k, s in db.all_states().items() if s.read} == {"a", "b"}
    db.set_read_many(["b", "c"], False)
    assert db.state("a").read and not db.state("b").read
    assert db.state("c").starred and not db.state("c").read  # its star kept
