"""Collaborating Authors pages: short, dense (CJK) and venue-less papers stay whole."""

from __future__ import annotations

from helpers import FIXTURES, SEED

from index.formats import read_dump

CJK_ABSTRACT = (
    "异质图中节点与边的类型多样。本文提出一种新的图神经网络，在三个数据集上取得了最好的结果。"
)


def _papers(name: str) -> list[tuple[str | None, str | None, str]]:
    dump = read_dump(FIXTURES / name)
    assert dump.format == "collaborating-authors"
    assert dump.label == "Wang, Fang"
    assert not [p for p in dump.problems if "blocks" in p.message or "no abstract" in p.message]
    return [(r.title, r.venue, r.abstract) for r in dump.records]


def test_papers_parted_by_two_blank_lines() -> None:
    assert _papers("collab_cjk.txt") == [
        ("基于图神经网络的异质图表示学习", "计算机学报 2023", CJK_ABSTRACT),
        ("A Two-Sentence Abstract", "NeurIPS 2023 Workshop", "We propose a tiny method. It works."),
        ("没有会议信息的论文", None, "本文研究短摘要的读取。结果表明方法有效。"),
        (
            "Attention Is Enough for Short Texts",
            "arXiv.org Artificial Intelligence",
            "Short texts need short models; we show a single attention layer is enough for "
            "classifying them, matching larger models on four benchmarks while being ten "
            "times faster.",
        ),
    ]


def test_papers_parted_by_one_blank_line() -> None:
    assert _papers("collab_single_blanks.txt") == [
        ("基于图神经网络的异质图表示学习", "计算机学报 2023", CJK_ABSTRACT),
        ("A Two-Sentence Abstract", "NeurIPS 2023 Workshop", "We propose a tiny method. It works."),
        ("A Paper Without a Venue", None, "We read short abstracts. They are kept whole."),
    ]


def test_a_title_without_abstract_is_reported_not_fused(tmp_path) -> None:
    page = tmp_path / "cut.txt"
    page.write_text(
        "Collaborating Authors\n\nWang, Fang\n\n\nFirst Title\n\nICML 2024\n\n"
        "An abstract of one paper. It has two sentences.\n\n\nA Title Cut Off\n\nICML 2024\n",
        encoding="utf-8",
    )
    dump = read_dump(page)
    assert [(r.title, r.abstract) for r in dump.records] == [
        ("First Title", "An abstract of one paper. It has two sentences.")
    ]
    assert any("'A Title Cut Off' has no abstract" in p.message for p in dump.problems)


def test_the_seed_page_reads_as_before() -> None:
    dump = read_dump(SEED["jain"])
    assert len(dump.records) == 10
    assert (
        dump.records[0].title == "Deliberative Alignment: Reasoning Enables Safer Language Models"
    )
    assert dump.records[0].venue == "arXiv.org Artificial Intelligence"
    assert all(r.title and len(r.abstract) > 200 for r in dump.records)
