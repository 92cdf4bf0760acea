"""LaTeX shown as Unicode in the viewer and the list; `m` shows it as written."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import settle
from rich.text import Text
from textual.widgets import Static

from index import Config, Library
from tui.app import AbstractsApp
from tui.widgets.result_list import ResultList

# A real abstract (arXiv 2601.02022, shortened), with markup-like text added.
TITLE = r"Regret of $\tilde{O}(\sqrt{T})$ for \emph{Gaussian} bandits [2]-[4]"
ABSTRACT = (
    r"We prove a regret bound of $\tilde{O}(σd \sqrt{T} + d r \sqrt{\mathrm{Tr}(Σ_0)})$"
    "\n"
    r"under a prior $\mathcal{N}(μ_0, Σ_0)$ in $\ell_2$ [/b], about 10\% tighter."
)


def math_app(folder: Path) -> AbstractsApp:
    dump = folder / "math.jsonl"
    paper = {"id": "2601.02022", "title": TITLE, "abstract": ABSTRACT, "authors": ["A. Author"]}
    dump.write_text(json.dumps(paper) + "\n", encoding="utf-8")
    library = Library([dump], folder / "index", Config())
    library.update()
    return AbstractsApp(library)


def _shown(app: AbstractsApp, part: str) -> str:
    content = app.screen.query_one(f"#viewer-{part}", Static).content
    assert isinstance(content, Text)  # never markup
    return content.plain


async def test_math_is_rendered_m_shows_it_raw_and_y_copies_it_as_written(tmp_path: Path) -> None:
    app = math_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"regret", "enter", "enter")
        await settle(pilot)
        assert _shown(app, "title") == "Regret of Õ(√T) for Gaussian bandits [2]-[4]"
        assert _shown(app, "abstract") == (
            "We prove a regret bound of Õ(σd √T + d r √(Tr(Σ₀))) under a prior 𝒩(μ₀, Σ₀) "
            "in ℓ₂ [/b], about 10% tighter."
        )
        title = app.screen.query_one("#viewer-title", Static).content
        assert isinstance(title, Text)
        assert [title.plain[s.start : s.end] for s in title.spans if "italic" in str(s.style)] == [
            "Gaussian"
        ]
        # The match found in the text as written is marked where it is shown.
        body = app.screen.query_one("#viewer-abstract", Static).content
        assert isinstance(body, Text)
        assert [body.plain[s.start : s.end] for s in body.spans] == ["regret"]
        results = app.screen.query_one(ResultList)
        assert results.row_text(0).startswith("Regret of Õ(√T) for Gaussian bandits [2]-[4]")

        await pilot.press("m")
        await settle(pilot)
        assert _shown(app, "title") == TITLE
        assert _shown(app, "abstract") == ABSTRACT.replace("\n", " ")
        assert results.row_text(0).startswith(TITLE)

        await pilot.press("y")
        assert app.clipboard == ABSTRACT

        await pilot.press("m")  # and back
        await settle(pilot)
        assert _shown(app, "title").startswith("Regret of Õ(√T)")
        await pilot.press("y")
        assert app.clipboard == ABSTRACT  # copied as written, whatever is shown
