"""The index package stands below the UI: it never imports textual."""

from __future__ import annotations

import subprocess
import sys


def test_index_does_not_import_textual() -> None:
    code = "import sys, index, index.store, index.library; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_only_the_store_modules_import_whoosh() -> None:
    from pathlib import Path

    import index

    root = Path(index.__file__).parent
    importers = sorted(
        str(p.relative_to(root)) for p in root.rglob("*.py") if "whoosh" in p.read_text()
    )
    outside_engine = [name for name in importers if not name.startswith("engine/")]
    assert outside_engine == ["analysis.py", "store.py", "workers.py"]
