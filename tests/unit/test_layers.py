"""The layers of the code: the index package stands below the UI and never imports
Textual; only its engine package imports Whoosh; the UI reaches the index only
through `index` itself (its __init__), never its modules; no two modules import
each other, however far round; no module grows past MOST_LINES. Checked by walking
the import statements of every module, not by searching their text."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import index
import tui

INDEX = Path(index.__file__).parent
TUI = Path(tui.__file__).parent

# Import circles there are today, each written from its first module in sort order
# back to it. Being broken up in #22; remove when it lands.
KNOWN_CYCLES: set[tuple[str, ...]] = set()

# A module has one job, which its name says: one longer than this is likely doing
# two. A coarse guard, not a target.
MOST_LINES = 700

# Modules over MOST_LINES today. Being split in #22; remove when it lands.
KNOWN_LONG: set[str] = set()


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


def _module_name(path: Path, root: Path) -> str:
    """`index/engine/store.py` under `root` -> `index.engine.store`; a package's
    `__init__.py` -> the package."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _our_imports(path: Path, root: Path, modules: set[str]) -> set[str]:
    """The modules of `modules` that the module at `path` imports, by full name:
    relative imports resolved, imports under TYPE_CHECKING (or any other `if`)
    included, and `from package import module` taken as importing the module."""
    name = _module_name(path, root)
    # Relative imports count from the package a module is in; an __init__ is its own.
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules else source)
    return (found & modules) - {name}


def _import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Each module of `packages` (folders under `root`) -> the modules of theirs it imports."""
    paths = {
        _module_name(path, root): path
        for package in packages
        for path in (root / package).rglob("*.py")
    }
    modules = set(paths)
    return {name: _our_imports(path, root, modules) for name, path in paths.items()}


def _cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Every import circle of `graph` that passes through no module twice, written
    from its first module in sort order back to it."""
    found = set()

    def walk(start: str, path: list[str]) -> None:
        for imported in sorted(graph.get(path[-1], ())):
            if imported == start:
                found.add((*path, start))
            # Only modules after `start`: each circle is found once, from its first.
            elif imported > start and imported not in path:
                walk(start, [*path, imported])

    for start in sorted(graph):
        walk(start, [start])
    return found


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as lines:
        return sum(1 for _ in lines)


def test_no_two_modules_import_each_other() -> None:
    root = INDEX.parent
    cycles = _cycles(_import_graph(root, ("index", "tui")))
    new = sorted(list(cycle) for cycle in cycles - KNOWN_CYCLES)
    assert new == [], f"modules that import each other, however far round: {new}"


def test_no_module_is_longer_than_most_lines() -> None:
    root = INDEX.parent
    lengths = {
        path.relative_to(root).as_posix(): _lines(path)
        for folder in (INDEX, TUI)
        for path in folder.rglob("*.py")
    }
    assert len(lengths) > 50, "the walk found too few modules"
    long = {name: count for name, count in lengths.items() if count > MOST_LINES}
    assert {name: n for name, n in long.items() if name not in KNOWN_LONG} == {}


def test_the_graph_resolves_imports_written_any_way(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    for name in ("__init__", "a", "b", "c", "sub/__init__", "sub/d"):
        (package / f"{name}.py").write_text("")
    (package / "__init__.py").write_text("from .a import thing\nfrom . import b\n")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub.d import D\n"
    )
    (package / "sub" / "d.py").write_text("from .. import c\nfrom ..b import B\nimport os\n")
    (package / "sub" / "__init__.py").write_text("from . import d\nimport pkg.c\n")
    assert _import_graph(tmp_path, ("pkg",)) == {
        "pkg": {"pkg.a", "pkg.b"},
        "pkg.a": {"pkg.sub.d"},
        "pkg.b": set(),
        "pkg.c": set(),
        "pkg.sub": {"pkg.sub.d", "pkg.c"},
        "pkg.sub.d": {"pkg.c", "pkg.b"},
    }


def test_the_cycles_found_are_each_circle_once() -> None:
    graph = {"a": {"b"}, "b": {"c", "a"}, "c": {"a"}, "d": {"d", "a"}, "e": {"a"}}
    assert _cycles(graph) == {("a", "b", "a"), ("a", "b", "c", "a"), ("d", "d")}
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == set()
