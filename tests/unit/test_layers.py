"""The layers of the code: the index package stands below the UI and never imports
Textual; only its engine package imports Whoosh; the UI reaches the index only
through `index` itself (its __init__), never its modules. Checked by walking the
import statements of every module, not by searching their text."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import index
import tui

INDEX = Path(index.__file__).parent
TUI = Path(tui.__file__).parent


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports (relative imports left out)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _modules_imported(path: Path) -> set[str]:
    """The full names of the modules a module imports from (relative imports left out)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _importers(root: Path, package: str) -> list[str]:
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*.py") if package in _imports(path)
    )


def test_index_does_not_import_textual() -> None:
    code = "import sys, index, index.library, index.update; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
    assert _importers(INDEX, "textual") == []


def test_only_the_engine_imports_whoosh() -> None:
    importers = _importers(INDEX, "whoosh")
    assert importers, "the walk found no importer at all"
    assert [name for name in importers if not name.startswith("engine/")] == []
    assert _importers(TUI, "whoosh") == []


def test_the_walk_sees_imports_written_any_way(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import os.path\nfrom whoosh import query\nif True:\n    import textual.app as t\n"
        "from . import sibling\n"
    )
    assert _imports(module) == {"os", "whoosh", "textual"}


def test_the_ui_imports_only_the_surface_of_index() -> None:
    past = {
        str(path.relative_to(TUI)): {
            name for name in _modules_imported(path) if name.startswith("index.")
        }
        for path in TUI.rglob("*.py")
    }
    assert {name: modules for name, modules in past.items() if modules} == {}
    # Every name the surface lists is there to import.
    assert all(hasattr(index, name) for name in index.__all__)


def test_the_walk_sees_the_modules_imported_from(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import index\nfrom index import Library\nif True:\n    from index.text import printable\n"
        "import index.library as lib\nfrom . import sibling\n"
    )
    assert _modules_imported(module) == {"index", "index.text", "index.library"}


def test_the_reader_paints_up_to_120_frames_a_second_unless_told_otherwise() -> None:
    import os
    import subprocess
    import sys

    ask = "import tui, textual.constants as c; print(c.MAX_FPS)"
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    found = subprocess.run([sys.executable, "-c", ask], env=env, capture_output=True, text=True)
    assert found.stdout.strip() == "120"
    told = subprocess.run(
        [sys.executable, "-c", ask],
        env={**env, "TEXTUAL_FPS": "30"},
        capture_output=True,
        text=True,
    )
    assert told.stdout.strip() == "30"
