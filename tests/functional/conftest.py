"""Fixtures for driving the reader with Pilot."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest
from helpers import NOTICES
from textual.app import App
from textual.message import Message
from textual.notifications import Notify

from index import Library
from tui.app import AbstractsApp


@pytest.fixture
def app(library: Library) -> AbstractsApp:
    """The reader on a copy of the seed dumps, indexed beforehand."""
    return AbstractsApp(library)


@pytest.fixture(autouse=True)
def noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app a test runs records each notice it shows, for helpers.notices:
    Textual keeps only the notices not yet gone, and tells of each in a message,
    which its run_test hands to a message hook."""
    run_test = App.run_test

    def recording(app: App, *args, **kwargs):  # type: ignore[no-untyped-def]
        shown = NOTICES.setdefault(app, [])
        hook: Callable[[Message], None] | None = kwargs.get("message_hook")

        def heard(message: Message) -> None:
            if isinstance(message, Notify):
                shown.append(message.notification)
            if hook is not None:
                hook(message)

        kwargs["message_hook"] = heard
        return run_test(app, *args, **kwargs)

    monkeypatch.setattr(App, "run_test", recording)


@pytest.fixture(autouse=True)
def unfrozen():  # type: ignore[no-untyped-def]
    """The reader takes what it keeps in memory out of the garbage collector's way
    (gc.freeze) and puts full collections off while typing: give both back after
    each test, so that tests do not pile up."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
