"""The tag editor: add and remove a paper's tags, completing the library's tags.

Enter adds the tag typed (→ takes the grey completion from the tags in use), or
removes it if the paper has it already; in the list of the paper's tags, enter or
delete removes the one highlighted. escape closes, keeping the tags shown.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from index import normalise_tag

from ..text import safe
from ..widgets.safe_input import SafeInput
from .panel import DockedPanel


class TagScreen(DockedPanel[tuple[str, ...]]):
    """Dismisses with the paper's tags as they are when closed, sorted."""

    BINDINGS = [
        Binding("escape", "done", "Done"),
        Binding("delete,backspace", "remove", "Remove tag", show=False),
    ]
    DEFAULT_CSS = """
    TagScreen > Vertical { height: auto; }
    TagScreen OptionList { height: auto; max-height: 12; }
    TagScreen #tags-said { color: $text-muted; }
    TagScreen #tags-said.-error { color: $text-error; }
    """

    def __init__(self, about: str, tags: tuple[str, ...], in_use: list[tuple[str, int]]) -> None:
        super().__init__()
        self.about = about
        self.tags = sorted(tags)
        self.in_use = in_use  # every tag of the library, with its number of papers

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = Text("Tags of ", style="bold")
            heading.append(safe(self.about))
            yield Label(heading)
            names = [name for name, _ in sorted(self.in_use, key=lambda tag: -tag[1])]
            yield SafeInput(
                placeholder="a tag: enter adds it (or removes it), → completes",
                id="tags-input",
                suggester=SuggestFromList(names, case_sensitive=False),
            )
            yield OptionList(id="tags-list")
            yield Label("", id="tags-said")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        if not typed:
            self.action_done()
            return
        try:
            name = normalise_tag(typed)
        except ValueError:
            self._say(f"“{typed}” has nothing a tag can hold.", error=True)
            return
        if name in self.tags:
            self.tags.remove(name)
            said = f"Removed #{name}."
        else:
            self.tags = sorted([*self.tags, name])
            said = f"Added #{name}."
        event.input.value = ""
        self._show(said)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._remove(event.option.id)

    def action_remove(self) -> None:
        """delete in the list of tags (the input box deletes a letter itself)."""
        tags = self.query_one(OptionList)
        if self.focused is tags and tags.highlighted_option is not None:
            self._remove(tags.highlighted_option.id)

    def _remove(self, name: str | None) -> None:
        if name in self.tags:
            self.tags.remove(name)
            self._show(f"Removed #{name}.")

    def action_done(self) -> None:
        self.dismiss(tuple(self.tags))

    def _show(self, said: str = "") -> None:
        tags = self.query_one(OptionList)
        tags.clear_options()
        tags.add_options(Option(Text("#" + safe(name)), id=name) for name in self.tags)
        tags.display = bool(self.tags)
        tags.highlighted = 0 if self.tags else None
        count = len(self.tags)
        has = "no tags" if not count else "1 tag" if count == 1 else f"{count} tags"
        hint = f"{has} · tab: the list (enter or delete removes) · escape: done"
        self._say(f"{said} {hint}" if said else hint)

    def _say(self, text: str, error: bool = False) -> None:
        label = self.query_one("#tags-said", Label)
        label.update(Text(safe(text)))  # it can quote what was typed or pasted
        label.set_class(error, "-error")
