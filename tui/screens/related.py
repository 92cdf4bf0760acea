"""Papers like the selected one: pick one to go to it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from index import Hit, PaperState

from ..text import safe
from ..widgets.result_list import ResultList
from .panel import DockedPanel


class RelatedScreen(DockedPanel[str | None]):
    """Lists related hits; dismisses with the chosen paper's key (None: cancelled)."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = "RelatedScreen ResultList { height: 1fr; }"

    def __init__(
        self, about: str, hits: list[Hit], states: dict[str, PaperState] | None = None
    ) -> None:
        super().__init__()
        self.about = about
        self.hits = hits
        self.states = states  # the papers' reading state: ★, unread, tags

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = Text("Related to ", style="bold")
            heading.append(safe(self.about))
            yield Label(heading)
            yield Label(Text("enter: go to the paper · escape: back", style="dim"))
            yield ResultList(id="related")

    def on_mount(self) -> None:
        results = self.query_one(ResultList)
        results.show_hits(self.hits, states=self.states)
        results.focus()

    def on_result_list_selected(self, event: ResultList.Selected) -> None:
        self.dismiss(event.hit.paper.key)
