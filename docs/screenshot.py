"""Take the README's picture of the reader: the bundled samples at 100×30, a search
with its matches marked and the best paper open (run from the repository's top:
`python docs/screenshot.py`)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from index import Config, Library, sample_dumps
from tui.app import AbstractsApp
from tui.widgets.search_box import SearchBox

HERE = Path(__file__).parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        library = Library([sample_dumps()], Path(folder) / "index", Config())
        library.update()
        app = AbstractsApp(library, restore=False, watch=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            app.screen.query_one(SearchBox).cursor_blink = False
            await pilot.press("slash", *"reasoning safety", "enter", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause(1.0)
            app.save_screenshot("reader.svg", str(HERE))
        library.close()


if __name__ == "__main__":
    asyncio.run(main())
