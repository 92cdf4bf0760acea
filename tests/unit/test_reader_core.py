"""The reader core: every path to what the reader shows gives the view that the
same inputs give when computed from nothing, and the marks it shows are the
database's.

A stateful test drives the core as the reader does, with random sequences of
typing, Enter, tabs, orders, pages, the selection, marks set here and by another
process, dumps appended to and deleted while open, and going back.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import SAMPLES
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from index import (
    ALL,
    ORDERS,
    Config,
    Inputs,
    Library,
    PaperState,
    ReaderCore,
    Request,
    TabFilter,
    UserDB,
    View,
)

_FOLDERS: tuple[Path, Path] | None = None


def _folders() -> tuple[Path, Path]:
    """(work, kept): the samples and their index built once in `work`, and a copy
    kept of them; each run starts from the kept copy put back in `work` (the same
    paths, so the index is up to date for its dumps)."""
    global _FOLDERS
    if _FOLDERS is None:
        root = Path(tempfile.mkdtemp(prefix="reader-core-"))
        work, kept = root / "work", root / "kept"
        shutil.copytree(SAMPLES, work / "dumps", ignore=shutil.ignore_patterns("__pycache__"))
        library = Library([work / "dumps"], work / "index", Config())
        library.update()
        library.close()
        shutil.copytree(work, kept)
        _FOLDERS = (work, kept)
    return _FOLDERS


@pytest.fixture(autouse=True, scope="module")
def _built_before_hypothesis() -> None:
    # Hypothesis seeds `random` for each run, and Whoosh names new segments with
    # it: built inside a run, the samples' segment would share its name with the
    # first segment that run writes.
    _folders()


def _show(core: ReaderCore, request: Request | None) -> View | None:
    """What the reader does with a request: answer it off the loop, show it."""
    if request is None:
        return core.shown
    view = core.answer(request)
    assert view is not None
    return core.accept(request, view)


def _marks(state: PaperState | None, key: str) -> tuple[bool, bool, tuple[str, ...]]:
    state = state or PaperState(key)
    return (state.starred, state.read, state.tags)


# Letters that begin and continue words of the samples, and a space.
LETTERS = st.sampled_from(list("aeilmnorst "))


class ReaderMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        work, kept = _folders()
        shutil.rmtree(work)
        shutil.copytree(kept, work)
        self.dumps = work / "dumps"
        self.library = Library([self.dumps], work / "index", Config())
        user = UserDB.for_library(work / "index").path
        for left in user.parent.glob(user.name + "*"):  # and its journal
            left.unlink()
        self.other = UserDB.for_library(work / "index")  # another process's connection
        self.core = ReaderCore(self.library)
        self.added = 0
        _show(self.core, self.core.library_changed())

    def teardown(self) -> None:
        self.library.close()

    @property
    def view(self) -> View:
        assert self.core.shown is not None
        return self.core.shown

    def _hit_key(self, number: int) -> str | None:
        hits = self.view.hits
        return hits[number % len(hits)].paper.key if hits else None

    # --- the reader's inputs ----------------------------------------------------

    @rule(letter=LETTERS)
    def type_a_letter(self, letter: str) -> None:
        _show(self.core, self.core.typed(self.core.inputs.query + letter))

    @rule()
    def delete_a_letter(self) -> None:
        _show(self.core, self.core.typed(self.core.inputs.query[:-1]))

    @rule()
    def submit(self) -> None:
        _show(self.core, self.core.submitted())

    @rule(number=st.integers(0, 20))
    def switch_tab(self, number: int) -> None:
        tabs = self.view.tabs
        self.core.back_stack.push(self.core.place())
        _show(self.core, self.core.tab_chosen(tabs[number % len(tabs)][1]))

    @rule(order=st.sampled_from(ORDERS))
    def sort(self, order: str) -> None:
        _show(self.core, self.core.sorted(order))

    @rule()
    def a_page_more(self) -> None:
        _show(self.core, self.core.more())

    @rule(number=st.integers(0, 40))
    def select(self, number: int) -> None:
        if self.view.hits:
            row = number % len(self.view.hits)
            self.core.select(self._hit_key(row), row)

    @rule()
    def go_back(self) -> None:
        _show(self.core, self.core.back())

    # --- marks, here and elsewhere ----------------------------------------------

    @precondition(lambda self: bool(self.view.hits))
    @rule(number=st.integers(0, 40))
    def star(self, number: int) -> None:
        self.library.user.toggle_star(self._hit_key(number))  # type: ignore[arg-type]
        _show(self.core, self.core.marks_changed())

    @precondition(lambda self: bool(self.view.hits))
    @rule(number=st.integers(0, 40))
    def read(self, number: int) -> None:
        self.library.user.toggle_read(self._hit_key(number))  # type: ignore[arg-type]
        _show(self.core, self.core.marks_changed(tabs=False))

    @precondition(lambda self: bool(self.view.hits))
    @rule(number=st.integers(0, 40), tag=st.sampled_from(["survey", "todo"]))
    def tag(self, number: int, tag: str) -> None:
        self.library.user.add_tag(self._hit_key(number), tag)  # type: ignore[arg-type]
        _show(self.core, self.core.marks_changed())

    @precondition(lambda self: bool(self.view.hits))
    @rule(number=st.integers(0, 40))
    def star_from_another_process(self, number: int) -> None:
        self.other.toggle_star(self._hit_key(number))  # type: ignore[arg-type]
        _show(self.core, self.core.marks_changed())  # as the state watcher says

    # --- dumps changed while open -------------------------------------------------

    @rule(words=st.sampled_from(["seaside lemon models", "a transformer of sorts", "mist"]))
    def append_a_paper(self, words: str) -> None:
        dumps = sorted(self.dumps.glob("*.txt"))
        if not dumps:
            return
        self.added += 1
        with dumps[-1].open("a", encoding="utf-8") as dump:
            dump.write(f"\nAbstract:Paper {self.added} on {words}, appended while open.\n")
        self.library.update()
        _show(self.core, self.core.library_changed())

    @rule(number=st.integers(0, 4))
    def delete_a_dump(self, number: int) -> None:
        dumps = sorted(self.dumps.glob("*.txt"))
        if len(dumps) < 2:
            return
        dumps[number % len(dumps)].unlink()
        self.library.update()
        _show(self.core, self.core.library_changed())

    # --- what must hold after every step ------------------------------------------

    @invariant()
    def the_view_is_the_one_computed_from_scratch(self) -> None:
        fresh = ReaderCore(self.library).compute(self.core.inputs)
        assert self.view == fresh

    @invariant()
    def the_marks_shown_are_the_databases(self) -> None:
        user = UserDB.for_library(self.library.index_dir)
        for hit in self.view.hits:
            key = hit.paper.key
            assert _marks(self.view.states.get(key), key) == _marks(user.state(key), key)

    @invariant()
    def the_selection_is_a_paper_listed(self) -> None:
        view = self.view
        assert (view.selected is None) == (not view.hits)
        if view.hits:
            assert self.core.inputs.selected == view.hits[view.selected or 0].paper.key
        assert view.inputs.tab in [entry[1] for entry in view.tabs]


TestReaderCore = ReaderMachine.TestCase
TestReaderCore.settings = settings(
    max_examples=20, stateful_step_count=14, deadline=None, suppress_health_check=list(HealthCheck)
)


# --- the rules, one at a time ------------------------------------------------------


@pytest.fixture
def core(library: Library) -> ReaderCore:
    core = ReaderCore(library)
    _show(core, core.library_changed())
    return core


def test_a_new_query_selects_its_best_paper(core: ReaderCore) -> None:
    view = _show(core, core.typed("o1 system card"))
    assert view is not None and view.selected == 0
    assert "System Card" in view.hits[0].paper.title


def test_without_a_query_relevance_lists_newest_first(core: ReaderCore) -> None:
    view = core.shown
    assert view is not None and view.inputs.shown_order == "newest"
    years = [hit.paper.year or 0 for hit in view.hits]
    assert years == sorted(years, reverse=True)
    assert view.status.endswith("newest first")


def test_a_starred_paper_keeps_its_place_and_shows_its_star(core: ReaderCore) -> None:
    view = _show(core, core.typed("model"))
    assert view is not None and len(view.hits) > 3
    key = view.hits[2].paper.key
    core.select(key, 2)
    core.library.user.toggle_star(key)
    view = _show(core, core.marks_changed())
    assert view is not None and view.selected == 2
    assert view.states[key].starred
    assert ("★ Starred", TabFilter(marks="is:starred"), 1) in view.tabs


def test_a_paper_gone_leaves_the_selection_where_it_stood(core: ReaderCore, dumps: Path) -> None:
    view = _show(core, core.tab_chosen(TabFilter(author="Tony")))
    assert view is not None and len(view.hits) > 4
    core.select(view.hits[3].paper.key, 3)
    # Tony's dump loses a paper that only it has.
    dump = dumps / "003_fa869cb8beed8520.txt"
    gone = view.hits[3].paper
    lines = dump.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if gone.abstract[:60] not in line]
    assert len(kept) == len(lines) - 1
    dump.write_text("\n".join(kept) + "\n", encoding="utf-8")
    core.library.update()
    view = _show(core, core.library_changed())
    assert view is not None and gone not in [hit.paper for hit in view.hits]
    assert view.selected == 3


def test_a_tab_that_is_gone_shows_all(core: ReaderCore, dumps: Path) -> None:
    view = _show(core, core.tab_chosen(TabFilter(author="Tony")))
    assert view is not None and view.inputs.tab == TabFilter(author="Tony")
    (dumps / "003_fa869cb8beed8520.txt").unlink()
    core.library.update()
    view = _show(core, core.library_changed())
    assert view is not None and view.inputs.tab == ALL
    assert view.selected == 0


def test_a_stale_request_is_not_shown(core: ReaderCore) -> None:
    old = core.typed("model")
    new = core.typed("models")
    assert old is not None and new is not None
    assert core.answer(old) is None  # a newer one was asked
    view = core.answer(new)
    assert view is not None and core.accept(new, view) is not None


def test_the_selection_moved_while_a_view_was_computed_stays(core: ReaderCore) -> None:
    view = _show(core, core.typed("model"))
    assert view is not None and len(view.hits) > 3
    request = core.marks_changed()
    core.select(view.hits[3].paper.key, 3)  # while the request is answered
    answered = core.answer(request)
    assert answered is not None
    shown = core.accept(request, answered)
    assert shown is not None and shown.selected == 3


def test_going_back_returns_to_the_place_and_its_paper(core: ReaderCore) -> None:
    view = _show(core, core.typed("attention"))
    assert view is not None and len(view.hits) > 1
    core.select(view.hits[1].paper.key, 1)
    core.back_stack.push(core.place())
    _show(core, core.tab_chosen(TabFilter(author="Alex")))
    view = _show(core, core.back())
    assert view is not None
    assert (view.inputs.query, view.inputs.tab, view.selected) == ("attention", ALL, 1)


def test_a_page_more_keeps_the_selection(core: ReaderCore) -> None:
    view = core.shown
    assert view is not None and view.more_to_show
    core.select(view.hits[5].paper.key, 5)
    more = _show(core, core.more())
    assert more is not None and len(more.hits) > len(view.hits) and more.selected == 5
    assert core.more() is None or more.more_to_show


def test_inputs_are_the_view_of_nothing_but_themselves(core: ReaderCore) -> None:
    inputs = Inputs(query="transformer", exact=True, order="title")
    assert ReaderCore(core.library).compute(inputs) == ReaderCore(core.library).compute(inputs)
