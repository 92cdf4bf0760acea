"""`abstracts` run as its own process, started by forking a process that has
already imported the heavy libraries below it (numpy, whoosh, rich, the index).

Most of a command's second goes to imports; the suite runs hundreds of commands.
Each one is still a separate process: its own environment, working folder, stdin
(/dev/null), stdout and stderr (files), exit status and exit handlers. The UI
package (`tui`) is imported fresh in each, since its consoles read the environment
as they are made. An environment that changes how Python itself starts (its
encodings, its flags) gets a plain new interpreter instead.
"""

from __future__ import annotations

import io
import json
import locale
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

# What the forking process runs: imports once, then forks a child per request.
SERVER = r"""
import json, os, runpy, select, signal, sys, time
import numpy, whoosh, whoosh.index, whoosh.qparser, rich, rich.console, rapidfuzz
import index

def wait(pid, timeout):
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd here: look every few milliseconds
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            if deadline is not None and time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            time.sleep(0.005)
    try:
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if select.select([fd], [], [], left)[0]:
                return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            if deadline is not None and time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
    finally:
        os.close(fd)

for line in sys.stdin:
    asked = json.loads(line)
    pid = os.fork()
    if pid == 0:
        os.chdir(asked["cwd"])
        os.environ.clear()
        os.environ.update(asked["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, asked["out"]), (2, asked["err"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        sys.argv = ["abstracts", *asked["argv"]]
        runpy.run_module("tui", run_name="__main__", alter_sys=True)
        sys.exit(0)
    status = wait(pid, asked["timeout"])
    sys.stdout.write(json.dumps({"status": status}) + "\n")
    sys.stdout.flush()
"""

# Read as Python starts: an environment that differs in these needs a new interpreter.
STARTUP = (
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "PYTHONPATH",
    "PYTHONHASHSEED",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
)

_servers: dict[tuple, subprocess.Popen[str]] = {}
_lock = threading.Lock()


def run(
    argv: list[str], env: dict[str, str], timeout: float | None
) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` with `env`, in `/`, output captured as text."""
    startup = tuple(env.get(name) for name in STARTUP)
    with _lock, tempfile.TemporaryDirectory(prefix="abstracts-run-") as folder:
        out, err = Path(folder, "out"), Path(folder, "err")
        server = _server(startup, env)
        asked = {"argv": argv, "env": env, "cwd": "/", "out": str(out), "err": str(err)}
        asked["timeout"] = timeout
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(json.dumps(asked) + "\n")
        server.stdin.flush()
        reply = server.stdout.readline()
        if not reply:  # the forking process died: the next command starts another
            _servers.pop(startup, None)
            return _spawned(argv, env, timeout)
        status = json.loads(reply)["status"]
        stdout, stderr = _text(out), _text(err)
    command = [sys.executable, "-m", "tui", *argv]
    if status is None:
        raise subprocess.TimeoutExpired(command, timeout or 0, stdout, stderr)
    return subprocess.CompletedProcess(command, status, stdout, stderr)


def _text(path: Path) -> str:
    """A file's bytes read as subprocess.run(text=True) reads a pipe's."""
    data = path.read_bytes() if path.exists() else b""
    return io.TextIOWrapper(io.BytesIO(data), encoding=locale.getpreferredencoding(False)).read()


def _server(startup: tuple, env: dict[str, str]) -> subprocess.Popen[str]:
    server = _servers.get(startup)
    if server is None or server.poll() is not None:
        server = _servers[startup] = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd="/",
        )
    return server


def _spawned(
    argv: list[str], env: dict[str, str], timeout: float | None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd="/",  # the installed program, not folders named tui or index in the current one
    )
