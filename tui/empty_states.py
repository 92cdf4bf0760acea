"""What the viewer says where there is no paper to show: what happened, and what
to type next (an empty library, a query that matches nothing, an empty tab)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from index import ALL, View

from .text import safe

KEY = "bold"  # keys and commands to type, in what is said


def nothing_shown(view: View | None, paths: list[Path]) -> Text:
    """Why no paper is shown in `view` of a library of `paths`, and what to do."""
    if view is None:
        return Text("Opening the library…", style="dim")
    query, tab = view.inputs.query.strip(), view.inputs.tab
    if view.total == 0 and not query and tab == ALL:
        return _no_papers(paths)
    if not query:
        return _said(
            ("No papers in this tab yet.", ""),
            ("Press ", "1", " for all papers, or ", "[ ]", " for the other tabs."),
        )
    lines: list[tuple[str, ...]] = [("Nothing matches ", f"“{query}”", " here.", "")]
    if view.suggestion:
        lines.append(("Did you mean ", view.suggestion, "? Press ", "ctrl+s", "."))
    lines.append(("Try fewer words, a prefix", "*", " or a fuzzy~ word; ", "/", " edits it."))
    if tab != ALL:
        lines.append(("Press ", "1", " to search all papers, not just this tab."))
    lines.append(("Press ", "escape", " to clear the query."))
    return _said(*lines)


def _no_papers(paths: list[Path]) -> Text:
    lines: list[tuple[str, ...]] = [("No papers in this library yet.", "")]
    for path in paths:
        missing = "" if path.exists() else ": no such file or folder"
        lines.append(("• ", str(path), missing))
    lines += [
        ("Open your own dumps: quit (", "q", ") and run ", "abstracts PATH…", ""),
        ("(files of Abstract: lines, arXiv listings or JSON Lines, or folders of them);", ""),
        ("", "abstracts", " with no path opens the bundled samples.", ""),
    ]
    return _said(*lines)


def _said(*lines: tuple[str, ...]) -> Text:
    """Lines of alternating plain text and keys (every other piece bold), made safe
    and never read as markup: a query or a path may hold anything."""
    said = Text()
    for number, pieces in enumerate(lines):
        if number:
            said.append("\n")
        for index, piece in enumerate(pieces):
            said.append(safe(piece), style=KEY if index % 2 else "")
    return said
