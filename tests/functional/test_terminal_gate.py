"""No text from a dump, a file name or the reading state acts on the terminal, in
any widget: every screen and dialog of the reader is opened on a library whose
file names, authors, papers, note, history and saved place hold escape sequences
(OSC 52 sets the clipboard, OSC 0 the window title, CSI 2J clears the screen) and
bidi overrides, and what each would write to the terminal is read."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from helpers import notices, paste, settle
from textual.strip import Strip
from textual.widget import Widget

import tui
from index import Config, Library
from tui.app import AbstractsApp
from tui.terminal_gate import clean_update, unsafe_text
from tui.widgets.search_box import SearchBox

CLIP = "\x1b]52;c;aGk=\x07"  # OSC 52: set the clipboard to "hi"
TITLE = "\x1b]0;PWNED\x07"  # OSC 0: set the window title
CLEAR = "\x1b[2J"
RLO = "\u202e"

ABSTRACT = (
    f"Abstract:Gated text {CLIP} in an abstract {TITLE} about reasoning {CLEAR}{RLO} done.\n"
    "See more.\n"
)


def _library(tmp_path: Path) -> Library:
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / f"{CLIP}clip.txt").write_text(f"Eve {CLIP}Mal{RLO}\n\n{ABSTRACT}", encoding="utf-8")
    (folder / f"{TITLE}title.txt").write_text(
        "Abstract:Reasoning about screens and other papers, twice over.\n",
        encoding="utf-8",
    )
    (folder / "x[b].txt").write_text(  # names that read as markup are text too
        "Smith [/b] [@click=app.quit]\n\nAbstract:Markup [b]not bold[/b] text.\n",
        encoding="utf-8",
    )
    library = Library([folder], tmp_path / "index", Config())
    library.update()
    user = library.user
    (key,) = [p.key for p in library.papers() if "Gated" in p.abstract]
    # An entity Markdown decodes into a control character is as hostile as the character.
    note = (
        f"A note {CLIP} &#x202E;&rlm;&amp; with a [link](https://arxiv.org/abs/2401.00001{TITLE})"
    )
    user.set_note(key, note)
    user.add_tag(key, "gated")
    for query in (f"old {CLEAR} query", f"right{RLO}left"):
        user.remember_query(query)
    return library


def _restore_on_start(library: Library) -> None:
    """Leave the reader's place as a query holding an escape sequence."""
    (key,) = [p.key for p in library.papers() if "Gated" in p.abstract]
    library.user.save_session({"query": f"gated {TITLE}", "key": key, "tab": {"author": None}})


def _written(app: AbstractsApp) -> list[Strip]:
    """The strips the screen (and those under a dialog) would be written as, before
    the last gate: what the widgets themselves make of the text."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [strip for line in update.strips for strip in line]


def _plain(strips: list[Strip]) -> str:
    return "\n".join("".join(s.text for s in strip) for strip in strips)


def _tui_widget_classes() -> set[type[Widget]]:
    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if not module.name.endswith("__main__"):  # that one runs the command line
            importlib.import_module(module.name)
    return {
        cls
        for name in list(__import__("sys").modules)
        if name == "tui" or name.startswith("tui.")
        for _, cls in inspect.getmembers(__import__("sys").modules[name], inspect.isclass)
        if issubclass(cls, Widget) and cls.__module__.startswith("tui.")
    }


class Pasted(str):
    """Text pasted where the focus is, rather than typed a key at a time."""


# How each of the reader's screens and dialogs is opened from the list: keys, and
# text pasted.
VISITS: dict[str, tuple[str, ...]] = {
    "main": (),
    "viewer": (),
    "palette": ("ctrl+p", Pasted("author Eve")),
    "palette, files": ("ctrl+p", Pasted("author PWNED")),
    "palette, markup": ("ctrl+p", Pasted("author Smith")),
    "tags": ("t",),
    "note": ("e",),
    "history": ("ctrl+r",),
    "authors": ("a",),
    "related": ("r",),
    "links": ("l",),
    "help": ("question_mark",),
    "mark all read": ("A",),
    "export": ("ctrl+p", Pasted("export results"), "enter"),
}


async def test_every_widget_shows_hostile_text_as_symbols(tmp_path: Path) -> None:
    """Each screen and dialog in turn; then every widget class of the reader must
    have been among those shown, so a new one cannot be left out of this walk."""
    library = _library(tmp_path)
    met: set[type] = set()
    for visit, keys in VISITS.items():
        _restore_on_start(library)
        app = AbstractsApp(Library(library.paths, library.index_dir, Config()))
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            search = app.screen.query_one(SearchBox)
            # The restored query is the user's text, searched as written, shown safely.
            assert search.value == f"gated {TITLE}"
            if visit != "main":  # typing replaces the query restored
                await pilot.press("slash")  # to the search box
                await pilot.press(*"gated")
                await settle(pilot, viewer=False)
                await pilot.press("down")  # to the list, its one paper the gated one
            for step in keys:
                await (paste(pilot, step) if isinstance(step, Pasted) else pilot.press(step))
            await settle(pilot)
            strips = _written(app)
            text = _plain(strips)
            assert unsafe_text(strips) == [], f"{visit}: {text}"
            if visit == "main":
                assert "gated ␛]0;PWNED␇" in text  # the search box
                assert "␛]52;c;aGk=␇" in text  # the viewer and the tabs
            elif visit == "viewer":  # the note under the abstract: characters and entities
                assert "A note ␛]52;c;aGk=␇ ⟨U+202E⟩⟨U+200F⟩& with a link" in text, text
            elif visit == "palette, markup":
                assert "Go to author Smith [/b] [@click=app.quit]" in text, text
                assert "1 paper from x[b].txt" in text, text
            elif visit.startswith("palette"):
                assert "␛]52;c;aGk=␇" in text, f"{visit}: {text}"
            elif visit == "history":
                assert "old ␛[2J query" in text, text
            elif visit == "note":
                assert "A note ␛]52;c;aGk=␇" in text, text
            met |= {cls for node in app.screen.walk_children() for cls in type(node).__mro__}
            met |= {cls for screen in app.screen_stack for cls in type(screen).__mro__}
    assert _tui_widget_classes() - met == set(), "widget classes the walk never showed"


async def test_the_last_gate_takes_out_what_a_widget_forgets() -> None:
    from rich.segment import Segment

    forgetful = Strip([Segment(f"name {CLIP}{RLO}!"), Segment("\x1b[2J", None, [(1,)])])
    from textual._compositor import LayoutUpdate
    from textual.geometry import Region

    (cleaned,) = clean_update(LayoutUpdate([[forgetful]], Region(0, 0, 20, 1))).strips[0]
    assert unsafe_text([cleaned]) == []
    assert cleaned.cell_length == forgetful.cell_length
    assert list(cleaned)[1].text == "\x1b[2J"  # Textual's own control segments pass


async def test_a_box_keeps_what_was_typed_and_its_cursor_in_place() -> None:
    from textual.app import App, ComposeResult

    from tui.widgets.safe_input import SafeInput

    class Box(App[None]):
        def compose(self) -> ComposeResult:
            yield SafeInput(value=f"a{CLEAR}b{RLO}c")

    async with Box().run_test() as pilot:
        box = pilot.app.query_one(SafeInput)
        assert box.value == f"a{CLEAR}b{RLO}c"  # searched and saved as typed
        assert box._value.plain == "a␛[2Jb\ufffdc"  # shown one character for one
        assert box._position_to_cell(len(box.value)) == 8  # each stand-in a cell


async def test_every_notice_is_text_whoever_says_it(app: AbstractsApp) -> None:
    """A screen's or a widget's notify asks Textual for markup by default: names and
    paths quoted in notices (`x[/b].txt`) are shown as written all the same."""
    said = "1 paper added from x[/b].txt [b]bold?[/b] [@click=app.quit]"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen.notify(said)
        app.screen.query_one(SearchBox).notify(said, title="[red]Dumps[/red]")
        await settle(pilot)
        assert [(n.message, n.markup) for n in notices(app)[-2:]] == [(said, False)] * 2


async def test_the_note_editor_puts_its_cursor_where_it_shows_it() -> None:
    """A note holding control characters: each shows as one stand-in cell, and the
    cursor, wrapping and the text saved agree with what is shown."""
    from textual.app import App, ComposeResult

    from tui.widgets.safe_input import SafeTextArea

    note = f"a{CLEAR}b{RLO}c\nnext"

    class Editor(App[None]):
        def compose(self) -> ComposeResult:
            yield SafeTextArea(note, soft_wrap=True)

    async with Editor().run_test(size=(40, 10)) as pilot:
        area = pilot.app.query_one(SafeTextArea)
        area.move_cursor((0, len(f"a{CLEAR}b{RLO}c")))  # the end of the first line
        await pilot.pause()
        assert area.cursor_screen_offset.x - area.content_region.x == 8  # a cell each
        await pilot.press("x")
        assert area.text == f"a{CLEAR}b{RLO}cx\nnext"  # saved as typed
        assert area.document.lines[0] == "a␛[2Jb\ufffdcx"  # shown one for one
