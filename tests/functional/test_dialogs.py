"""Dialogs over their context: tags, note, related and links open over the lower
half of the reader, the paper they are about still in view behind them."""

from __future__ import annotations

import pytest
from helpers import settle, until
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from index import Library
from tui.app import AbstractsApp
from tui.screens.links import LinksScreen
from tui.screens.note import NoteScreen
from tui.screens.related import RelatedScreen
from tui.screens.tags import TagScreen
from tui.widgets.abstract_viewer import AbstractViewer

DIALOGS = {"t": TagScreen, "e": NoteScreen, "r": RelatedScreen, "l": LinksScreen}


@pytest.mark.parametrize("key", list(DIALOGS))
async def test_a_dialog_leaves_the_paper_in_view(library: Library, key: str) -> None:
    """At 80×24, where room is least."""
    o1 = library.search("id:2412.16720", limit=1).hits[0].paper.key
    library.user.set_note(o1, "See arXiv:2410.21276 and [the card](https://openai.com/o1).")
    app = AbstractsApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"id:2412.16720", "enter", "enter")  # the o1 card, opened
        await settle(pilot)
        viewer = app.main.query_one(AbstractViewer)
        title = viewer.query_one("#viewer-title", Static).region
        facts = viewer.query_one("#viewer-facts", Static).region
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, DIALOGS[key]))
        dialog = app.screen
        assert isinstance(dialog, ModalScreen)
        assert dialog.styles.background.a < 1  # the reader shows through, dimmed
        panel = dialog.query_one(Vertical).region
        assert panel.y > facts.bottom >= title.bottom  # the title and the facts above it
        # Behind it the reader still shows the paper.
        assert app.main.query_one(AbstractViewer).hit.paper.key == o1
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main)
