"""Paths and helpers shared by the tests."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import forked_cli
from textual import events
from textual.app import App
from textual.notifications import Notification

from index import sample_dumps

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sample_dumps()
SEED = {
    "plain": SAMPLES / "000_e4898e36c2f54974.txt",
    "alex": SAMPLES / "001_000eb8558b6da544.txt",
    "listing": SAMPLES / "002_58a4e2d616259f18.txt",
    "tony": SAMPLES / "003_fa869cb8beed8520.txt",
    "jain": SAMPLES / "004_668e95e94da32894.txt",
}
# The seed dumps' author labels, in library order (each dump has the o1 System Card).
SEED_LABELS = ("000_e4898e36c2f54974", "Alex", "002_58a4e2d616259f18", "Tony", "Jain, Saachi")
# Seconds between looks at a condition waited for.
POLL = 0.02
# The notices each app run by a test has shown (see notices).
NOTICES: weakref.WeakKeyDictionary[App, list[Notification]] = weakref.WeakKeyDictionary()


async def settle(pilot, viewer: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Let every worker finish and the screen catch up with their messages (and,
    with `viewer`, let the viewer show the best paper once the typing pauses)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    # While typing, the viewer waits for a pause before it shows the best paper.
    if viewer and getattr(pilot.app.screen, "preview_pending", False):
        await until(pilot, lambda: not pilot.app.screen.preview_pending, settled=False)
        await pilot.pause()  # and a frame


async def until(  # type: ignore[no-untyped-def]
    pilot, condition: Callable[[], object], timeout: float = 10.0, settled: bool = True
) -> None:
    """Let the reader run (no key pressed) until `condition` holds, looking every
    few milliseconds; fail after `timeout` seconds. Then settle, unless told not to."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the reader"
        await pilot.pause(POLL)
    if settled:
        await settle(pilot)


async def paste(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste `text` where the focus is, as a terminal hands over a paste: in one go,
    where typing it takes a key, a search and a repaint for each letter."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait until `condition` holds (another thread or process makes it so), looking
    every few milliseconds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(POLL)


def notices(app: App) -> list[Notification]:
    """Every notice the app has shown, oldest first (also those shown long enough
    to be gone): recorded by the functional tests' `noticed` fixture."""
    return NOTICES.get(app, [])


def notice_texts(app: App) -> list[str]:
    """The messages of the notices the app has shown, oldest first."""
    return [notice.message for notice in notices(app)]


def run(
    *args: str | Path,
    env_home: Path,
    terminal: bool = False,
    timeout: float | None = None,
    columns: int = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `abstracts`; with terminal=True its output is laid out as on a terminal,
    without colours (TERM=dumb), else as when piped."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env |= {"COLUMNS": str(columns), "TTY_COMPATIBLE": "1" if terminal else "0"}
    if terminal:
        env["TERM"] = "dumb"
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[variable] = str(env_home / variable.lower())
    return forked_cli.run([str(arg) for arg in args], env, timeout)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def on_the_loop(function: Callable[..., Any], name: str, calls: list[str]) -> Callable[..., Any]:
    """`function`, noting `name` in `calls` whenever it runs on the event loop's
    thread (the main one): what must run in a worker instead."""

    def recorded(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is threading.main_thread():
            calls.append(name)
        return function(*args, **kwargs)

    return recorded


async def palette(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open the command palette and look `text` up (pasted), its commands listed."""
    await pilot.press("ctrl+p")
    await paste(pilot, text)


async def export_results(pilot, target: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    """Export the reader's results to `target` through the palette; the records written."""
    await palette(pilot, "Export results")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await paste(pilot, str(target))
    await pilot.press("enter")
    await settle(pilot)
    return json_lines(target.read_text())


def fill(folder: Path) -> Path:
    """Fill the disk `folder` is on until nothing more can be written; the file
    that fills it (remove it to make room again)."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as file:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    file.write(b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return filler
