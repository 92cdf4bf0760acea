"""Run Whoosh's own test suite over this project's codec and writer.

The suite of the installed whoosh-reloaded (its sdist, fetched once with pip
into ~/.cache/abstracts-tests) runs twice, the two runs side by side: with the
raw-array codec as Whoosh's default codec, and with the array writer as its
single-process writer too (see array_codec_plugin.py). Extra arguments go to
both pytest runs.

    python tests/whoosh_suite/run.py [codec|writer|both] [pytest args...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MODES = ("codec", "writer")


def suite() -> Path:
    """The unpacked sdist of the installed whoosh-reloaded, fetched if not cached."""
    release = version("whoosh-reloaded")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "abstracts-tests"
    unpacked = cache / f"whoosh-reloaded-{release}"
    if (unpacked / "tests").is_dir():
        return unpacked
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:"]
            + ["--no-deps", f"whoosh-reloaded=={release}", "--dest", scratch],
            check=True,
        )
        (archive,) = Path(scratch).glob("*.tar.gz")
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 on
                tar.extractall(scratch, filter="data")
            else:
                tar.extractall(scratch)
        (top,) = (p for p in Path(scratch).iterdir() if p.is_dir())
        top.rename(unpacked)  # whole or not at all, for the next run
    return unpacked


def main(argv: list[str]) -> int:
    modes = MODES
    if argv and argv[0] in (*MODES, "both"):
        modes = MODES if argv[0] == "both" else (argv[0],)
        argv = argv[1:]
    root = suite()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(REPO)]))
    # One process per mode, side by side: faster on two cores than xdist's workers,
    # which each start Python and collect the suite again.
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "array_codec_plugin"]
    command += ["-p", "no:cacheprovider", "-n", "0", *argv]
    runs = [
        subprocess.Popen(
            command,
            cwd=root,
            env=dict(env, ABSTRACTS_WHOOSH_SUITE=mode),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for mode in modes
    ]
    failed = 0
    for mode, run in zip(modes, runs, strict=True):
        output, _ = run.communicate()
        print(f"Whoosh {version('whoosh-reloaded')}'s suite, array {mode}:\n{output}", flush=True)
        failed |= run.returncode
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
