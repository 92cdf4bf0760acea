"""The bundled sample dumps, and labels for those that name no author: a first
run shows tabs such as "Apple Speech", not file names such as 000_e4898e36c2f54974."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLES = Path(str(resources.files("index") / "samples"))

# By file name: the dumps in SAMPLES that name no author of their own.
LABELS = {
    "000_e4898e36c2f54974.txt": "Apple Speech",
    "002_58a4e2d616259f18.txt": "arXiv listing",
}


def sample_label(path: Path) -> str | None:
    """The label of a bundled sample dump that names no author (None: not one)."""
    label = LABELS.get(path.name)
    if label is None:
        return None
    try:
        return label if path.parent.resolve() == SAMPLES.resolve() else None
    except OSError:
        return None


def is_samples(paths: list[Path]) -> bool:
    """Whether a library is the bundled samples, opened on a first run."""
    try:
        return [p.resolve() for p in paths] == [SAMPLES.resolve()]
    except OSError:
        return False
