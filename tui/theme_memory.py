"""The reader's theme, remembered: the one named in the config is put on at start,
and one chosen in the palette is written to the config, for the next start."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme
from textual.timer import Timer

from index import Config, save_theme

# Seconds the theme must stay before it is written: the palette's theme picker
# puts on each theme it passes over, and back the first one if left with escape.
SETTLE = 1.0


class ThemeMemory:
    """Keeps the config's theme in step with the app's."""

    def __init__(self, app: App, config: Config) -> None:
        self.app = app
        self.saved = config.theme  # the theme the config names
        self._timer: Timer | None = None

    def start(self) -> None:
        """Put on the config's theme (saying so if there is none of that name), then
        follow the app's changes of theme."""
        if self.saved is not None:
            if self.saved in self.app.available_themes:
                self.app.theme = self.saved
            else:
                self.app.notify(
                    f"No theme is named {self.saved!r} (the config's theme); "
                    "ctrl+p, then Theme, lists them.",
                    title="Theme",
                    severity="warning",
                )
        self.app.theme_changed_signal.subscribe(self.app, self._changed)

    def _changed(self, theme: Theme) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(SETTLE, self._settled)

    def _settled(self) -> None:
        self._timer = None
        name = self.app.theme
        if name != self.saved:
            self.saved = name
            self.app.run_worker(
                lambda: save_theme(name), thread=True, group="theme", exit_on_error=False
            )
