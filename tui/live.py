"""What the reader says when dumps change while it is open."""

from __future__ import annotations

from pathlib import Path

from index import DumpChange, Problem, UpdateReport

# At most this many dumps are named in one notice.
NAMED = 5


def change_lines(report: UpdateReport) -> list[str]:
    """One line per dump whose papers changed: "2 papers added from alex.txt"."""
    lines = []
    for path, change in report.changes.items():
        line = _line(Path(path).name, change, path in report.removed)
        if line:
            lines.append(line)
    if len(lines) > NAMED:
        more = len(lines) - NAMED
        lines[NAMED:] = [f"…and {more} more dump" + ("" if more == 1 else "s")]
    return lines


def _line(name: str, change: DumpChange, removed: bool) -> str | None:
    if removed:
        return f"{name} removed: {_papers(change.removed)}" if change.removed else f"{name} removed"
    counts = [(change.added, "added"), (change.changed, "changed"), (change.removed, "removed")]
    parts = [(count, what) for count, what in counts if count]
    if not parts:
        return None  # read again, the same papers
    if len(parts) == 1:
        count, what = parts[0]
        where = {"added": "from", "changed": "in", "removed": "from"}[what]
        return f"{_papers(count)} {what} {where} {name}"
    first, *rest = parts
    said = [f"{_papers(first[0])} {first[1]}", *(f"{count} {what}" for count, what in rest)]
    return f"{name}: {', '.join(said)}"


def _papers(count: int) -> str:
    return f"{count:,} paper" + ("" if count == 1 else "s")


def fresh_problems(report: UpdateReport, changed: set[Path], index_dir: Path) -> list[Problem]:
    """The problems of the dumps just read or seen to change, and of the index: not
    those of the other dumps, which were said when the reader opened."""
    here = {*report.read, *map(str, changed), str(index_dir)}
    return [problem for problem in report.problems if problem.path in here]


def problem_notices(problems: list[Problem], index_dir: Path) -> list[tuple[str, str]]:
    """The notices (message, title) of the errors found opening a library: five at
    most, then how many more."""
    errors = [p for p in problems if p.error]
    notices = []
    for problem in errors[:NAMED]:
        # The index folder itself: full, read-only; the papers it holds still show.
        index = problem.path == str(index_dir)
        notices.append((str(problem), "The index is behind" if index else "Could not read a dump"))
    if len(errors) > NAMED:
        more = len(errors) - NAMED
        notices.append((f"…and {more} more (run 'abstracts index' to list them)", ""))
    return notices
