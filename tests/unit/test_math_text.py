"""LaTeX in titles and abstracts shown as Unicode (index.math_text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import highlight_spans
from index.math_text import BOLD, ITALIC, LINK, has_latex, rendered, search_words, shown

FIXTURE = Path(__file__).parent.parent / "fixtures" / "math_abstracts.jsonl"
# Real arXiv titles and abstracts of the shared corpus, chosen for their LaTeX, with
# the text as it should be shown (each formula and macro checked by eye).
RECORDS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def test_the_fixture_holds_forty_abstracts_and_more() -> None:
    assert len({r["id"] for r in RECORDS if r["field"] == "abstract"}) >= 40


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r['id']}-{r['field']}")
def test_real_abstracts_are_shown_as_checked(record: dict[str, str]) -> None:
    assert shown(record["written"]) == record["shown"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # From the issue
        (
            r"$\mathcal{N}=2$ supersymmetric $\mathcal{W}_{\infty}$-algebra",
            "𝒩=2 supersymmetric 𝒲_∞-algebra",
        ),
        (r"in $O(n^2)$ time", "in O(n²) time"),
        (r"$x_i$ and $x_{ij}$ and $x_{i,j}$", "xᵢ and xᵢⱼ and x_(i,j)"),
        (r"$\mathbb{R}^d$, $\mathrm{SO}(3)$, $\mathbf{x}$", "ℝᵈ, SO(3), 𝐱"),
        (r"$\frac{1}{2}$ and $\frac{a+b}{c}$", "1/2 and (a+b)/c"),
        (r"$\sqrt{n}$, $\sqrt{\log n}$", "√n, √(log n)"),
        (r"$a \leq b \to c$, $x \in S$, $f: X \rightarrow Y$", "a ≤ b → c, x ∈ S, f: X → Y"),
        (r"$p_{\text{data}}$", "p_data"),
        (r"\emph{Wan-Alpha}, \textit{et al.} and \textbf{bold}", "Wan-Alpha, et al. and bold"),
        (r"Code: \href{https://github.com/a/b}{github.com/a/b}.", "Code: github.com/a/b."),
        (r"\url{https://x.org/a_b%20c}", "https://x.org/a_b%20c"),
        (r"M\"obius, Erd\H{o}s, {\"u}ber, Poincar\'e", "Möbius, Erdős, über, Poincaré"),
        (r"improves by 10\% over Fig.~2", "improves by 10% over Fig.\u00a02"),
        # Scripts: Unicode where it has them all, else a readable fallback
        (r"$\epsilon^{-2}$ $x^{n+1}$ $10^{th}$ $A^\top$ $90^\circ$", "ϵ⁻² xⁿ⁺¹ 10ᵗʰ Aᵀ 90°"),
        (r"$\mathbb{F}_{q^n}$ $2^{O(\sqrt{n})}$ $\theta_{\mathrm{ref}}$", "𝔽_(qⁿ) 2^(O(√n)) θ_ref"),
        (r"CaWO$_4$ and $^{167}$Er$^{3+}$", "CaWO₄ and ¹⁶⁷Er³⁺"),
        (r"$\widetilde{O}(\sqrt{T})$ and $\tilde{O}(d)$", "Õ(√T) and Õ(d)"),
        (r"$\|x\|_2$, $\left( x \right)$, $\{a, b\}$", "‖x‖₂, ( x ), {a, b}"),
        (r"$\frac{1}{n}\frac{m}{u}$", "1/n m/u"),
        (r"a 360{\deg} turn; $\deg p$", "a 360° turn; deg p"),
        (r"an en dash $\unicode{x2013}$ here", "an en dash – here"),
        (r"$$E = mc^2$$ and \(a\) and \[b\]", "E = mc² and a and b"),
        (r"costs \$5, not $5 and $10 more", "costs $5, not $5 and $10 more"),
        # "~" before a number after a blank or a bracket means "about": left
        (r"$x$ in (~10%) and ~5 runs", "x in (~10%) and ~5 runs"),
        # Kept exactly as written: what has no faithful Unicode form here
        (r"our \method{} with $\foo{x}$ \cite{a,b}", r"our \method{} with $\foo{x}$ \cite{a,b}"),
        (r"$\begin{pmatrix} a \end{pmatrix}$", r"$\begin{pmatrix} a \end{pmatrix}$"),
        (r"an unclosed $x and \ref{y", r"an unclosed $x and \ref{y"),
        (r"$x^$ and $}$", r"$x^$ and $}$"),
        # Markup and control characters are text like any other
        (r"[2]-[4] and [/b] $[b]x$", "[2]-[4] and [/b] [b]x"),
    ],
)
def test_latex_is_shown_as_unicode(written: str, expected: str) -> None:
    assert shown(written) == expected


def test_styles_and_links() -> None:
    text = r"\emph{a} \textbf{b} \href{https://x.org/p}{site} \href{javascript:alert(1)}{bad}"
    styled = rendered(text).styled()
    shown_text = rendered(text).text
    assert [(shown_text[s:e], style, link) for s, e, style, link in styled] == [
        ("a", ITALIC, ""),
        ("b", BOLD, ""),
        ("site", LINK, "https://x.org/p"),
    ]
    assert shown_text.endswith("bad")  # shown, but no link: not a web address


def test_a_match_in_the_text_as_written_is_marked_in_the_text_shown() -> None:
    written = r"$\mathcal{N}=2$ supersymmetric $\mathcal{W}_{\infty}$-algebra"
    view = rendered(written)
    spans = highlight_spans(written, ["supersymmetr"], "abstract")
    assert [view.text[s:e] for s, e in view.spans(spans)] == ["supersymmetric"]
    # A match inside a formula marks all of the formula as shown.
    inside = written.index("mathcal{W}")
    assert [view.text[s:e] for s, e in view.spans([(inside, inside + 10)])] == ["𝒲_∞"]


def test_search_words_give_the_shown_form_of_latex_and_the_names_of_symbols() -> None:
    assert search_words(r"the $\alpha$-stable law") == "α"
    assert search_words("the α-stable law and ∞") == "alpha infty"
    assert search_words("plain text") == ""


# Text where LaTeX's characters are common, to reach every branch of the reader.
_LATEXISH = st.lists(
    st.sampled_from(list("$\\{}^_~%&#ab x1 \né\x1b") + [r"\frac", r"\alpha", r"\href", r"\emph"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_LATEXISH, st.text(max_size=60)))
def test_nothing_read_raises_and_pieces_cover_the_text(text: str) -> None:
    view = rendered(text)
    assert "".join(text[p.start : p.end] for p in view.pieces) == text
    assert all(0 <= s <= e <= len(view.text) for s, e in view.spans([(0, len(text))]))
    search_words(text)


@given(st.text().filter(lambda t: "$" not in t and "\\" not in t))
def test_text_without_dollar_or_backslash_comes_back_unchanged(text: str) -> None:
    assert not has_latex(text)
    assert shown(text) == text
    assert not rendered(text).changed


def test_a_symbol_finds_its_latex_and_a_latex_name_its_symbol(tmp_path: Path) -> None:
    """`α` finds `$\\alpha$` and `alpha` finds `α`; what is stored and shown is the
    text as written."""
    from index import Config, Library

    dump = tmp_path / "math.jsonl"
    papers = [
        {
            "id": "2401.00001",
            "title": r"On $\alpha$-stable laws",
            "abstract": r"We bound $\Gamma(n) \leq n^2$.",
        },
        {
            "id": "2401.00002",
            "title": "Flows of β-ensembles",
            "abstract": "A limit as n → ∞ of the law.",
        },
        {"id": "2401.00003", "title": "Plain words", "abstract": "Nothing but words here."},
    ]
    dump.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    library = Library([dump], tmp_path / "index", Config())
    library.update()

    def found(query: str) -> list[str | None]:
        return [hit.paper.arxiv_id for hit in library.search(query).hits]

    assert found("α") == ["2401.00001"] and found("alpha") == ["2401.00001"]
    assert found("Γ") == ["2401.00001"] and found("≤") == ["2401.00001"]
    assert found("beta") == ["2401.00002"] and found("infty") == ["2401.00002"]
    (paper,) = [p for p in library.papers() if p.arxiv_id == "2401.00001"]
    assert (paper.title, paper.abstract) == (papers[0]["title"], papers[0]["abstract"])
    library.close()
