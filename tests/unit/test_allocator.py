"""Memory a search frees stays in the process for the next one (glibc only)."""

import subprocess
import sys
from pathlib import Path

import pytest

# Page faults taken by making and freeing a 1 MB array, four times in a row.
PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "search":  # a library searched, as the reader and the CLI do
    from pathlib import Path
    from index import Config, Library, sample_dumps
    library = Library([sample_dumps()], Path(sys.argv[2]), Config())
    library.update()
    assert library.search("learning").hits
faults = []
for _ in range(4):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    scores = np.ones(1 << 17)
    del scores
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(*faults)
"""


def _faults(mode: str, index_dir: Path) -> list[int]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(index_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [int(n) for n in out.stdout.split()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_after_a_search_a_freed_array_is_made_again_without_page_faults(
    tmp_path: Path,
) -> None:
    # As glibc starts, the second 1 MB array faults all its pages in again: the
    # first was handed back to the kernel when freed.
    assert _faults("plain", tmp_path)[1] > 100
    assert max(_faults("search", tmp_path)[1:]) < 10
