"""Themes: the one chosen is remembered in the config file for the next start, every
theme Textual ships keeps the list's selection readable, and without colours the
selection is shown in reverse video rather than as a shade of grey."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import settle, until
from textual.color import Color

from index import Config, Library, save_theme
from tui.app import AbstractsApp
from tui.widgets.result_list import CURSOR, ROW, ResultList


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(color: Color) -> float:
        linear = [
            v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in color.normalized
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_theme_line_is_written_and_the_rest_kept(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    save_theme("nord", config)
    assert Config.load(config).theme == "nord"
    config.write_text('restore = false\ntheme = "nord"\n\n[labels]\n"a.txt" = "A"\n')
    save_theme("gruvbox", config)
    loaded = Config.load(config)
    assert (loaded.theme, loaded.restore, loaded.labels) == ("gruvbox", False, {"a.txt": "A"})
    config.write_text('[labels]\n"a.txt" = "A \\"quoted\\""\n')
    save_theme('odd "name"', config)  # written as a TOML string, whatever it holds
    assert Config.load(config).theme == 'odd "name"'
    assert Config.load(config).labels == {"a.txt": 'A "quoted"'}


async def test_a_theme_chosen_is_there_at_the_next_start(
    dumps: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("ABSTRACTS_CONFIG", str(config))
    library = Library([dumps], tmp_path / "index", Config.load())
    library.update()
    async with AbstractsApp(library).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.theme = "dracula"  # as the palette's theme picker does
        await until(pilot, lambda: config.exists())
    assert Config.load().theme == "dracula"
    library.config = Config.load()
    async with AbstractsApp(library).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "dracula"
    library.close()


async def test_every_theme_keeps_the_selection_readable(app: AbstractsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultList)
        assert app.focused is results
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            selected = results.get_component_rich_style(ROW, CURSOR)
            assert selected.color is not None and selected.bgcolor is not None
            if selected.bgcolor.is_system_defined:
                continue  # an ANSI theme: the terminal's own palette, not known here
            text = Color.from_rich_color(selected.color)
            behind = Color.from_rich_color(selected.bgcolor)
            assert contrast(text, behind) >= 3, theme


async def test_without_colours_the_selection_is_in_reverse_video(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = AbstractsApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultList)
        selected = results.get_component_rich_style(ROW, CURSOR)
        row = results.get_component_rich_style(ROW)
        assert selected.color is not None and selected.bgcolor is not None
        text, behind = (
            Color.from_rich_color(selected.color),
            Color.from_rich_color(selected.bgcolor),
        )
        # The text's colour behind the selection, the background's as its text.
        assert contrast(text, behind) >= 7
        assert row.bgcolor is None or contrast(behind, Color.from_rich_color(row.bgcolor)) >= 7
