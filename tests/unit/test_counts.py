"""Counts equal what the tabs list, after any sequence of updates."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Config, Library


def _counts(library: Library) -> dict[str, tuple[int, int]]:
    """Per author tab: the count shown, and how many papers the tab lists."""
    counts = {a.author: (a.papers, len(library.papers(a.author))) for a in library.authors()}
    counts["All"] = (library.count(), len(library.papers()))
    return counts


def _fresh(dumps: Path, config: Config, index_dir: Path) -> dict[str, tuple[int, int]]:
    shutil.rmtree(index_dir, ignore_errors=True)
    library = Library([dumps], index_dir, config)
    library.update()
    try:
        return _counts(library)
    finally:
        library.close()


def test_counts_stay_right_when_a_dump_changes(dumps: Path, tmp_path: Path) -> None:
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    before = _counts(library)
    assert [shown for shown, _ in before.values()] == [7, 9, 7, 10, 10, 37]
    # The example: one changed line re-indexes the dump, and with it the
    # paper every dump shares.
    with (dumps / "001_000eb8558b6da544.txt").open("a") as file:
        file.write("% x\n")
    library.update()
    assert _counts(library) == before
    for shown, listed in before.values():
        assert shown == listed
    library.close()


def test_counts_stay_right_when_a_label_changes(dumps: Path, tmp_path: Path) -> None:
    library = Library([dumps], tmp_path / "index", Config())
    library.update()
    renamed = Config(labels={"000_e4898e36c2f54974.txt": "Apple Speech"})
    library = Library([dumps], tmp_path / "index", renamed)
    library.update()
    counts = _counts(library)
    assert counts["Apple Speech"] == (7, 7)
    assert counts == _fresh(dumps, renamed, tmp_path / "fresh")


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["append", "rename", "delete", "label", "restore"]), st.integers(0, 4)
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits=EDITS)
def test_counts_equal_a_fresh_build_after_any_updates(tmp_path: Path, edits) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    dumps = work / "dumps"
    shutil.copytree(SAMPLES, dumps)
    labels: dict[str, str] = {}
    library = Library([dumps], work / "index", Config())
    library.update()
    for edit, which in edits:
        files = sorted(dumps.iterdir())
        target = files[which % len(files)] if files else None
        if edit == "append" and target:
            with target.open("a") as file:
                file.write("\n% edited\n")
        elif edit == "rename" and target:
            target.rename(target.with_name(f"r{which}_{target.name}"))
        elif edit == "delete" and target and len(files) > 1:
            target.unlink()
        elif edit == "label" and target:
            labels[target.name] = f"Label {which}"
        elif edit == "restore":
            shutil.copy(sorted(SAMPLES.glob("*.txt"))[which], dumps)
        library.close()
        library = Library([dumps], work / "index", Config(labels=dict(labels)))
        library.update()
    counts = _counts(library)
    library.close()
    for shown, listed in counts.values():
        assert shown == listed
    assert counts == _fresh(dumps, Config(labels=dict(labels)), work / "fresh")
