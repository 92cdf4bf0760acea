"""Chinese, Japanese and Korean text is found by its words.

A run of CJK characters is indexed as its overlapping pairs of characters (a
lone character as itself): a word inside a run is found as its pairs in order,
a one-character query as any pair holding it; English around the run keeps its
stemming, and highlights mark the characters matched.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Config, Library, highlight_spans
from index.engine.analysis import CJK_CHARS
from index.engine.highlights import matched_fields
from index.formats import read_dump
from index.reader.core import ReaderCore
from index.reader.view import Inputs

DUMPS = ("collab_zh.txt", "collab_ja.txt", "collab_ko.txt")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cjk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("cjk")
    for name in DUMPS:
        shutil.copy(FIXTURES / name, folder / name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data"))
        library = Library([folder / name for name in DUMPS], folder / "index", Config())
        assert library.update().errors == []
        yield library
        library.close()


def titles(library: Library, text: str, **options: object) -> list[str]:
    return [hit.paper.title or "" for hit in library.search(text, limit=None, **options).hits]


@pytest.mark.parametrize(
    ("word", "title"),
    [
        ("语音识别", "基于深度学习的语音识别方法研究"),  # inside a Chinese title
        ("目标检测", "面向自动驾驶的三维目标检测算法综述"),
        ("机械翻訳", None),  # not a word of any paper (a Chinese 机 in a Japanese word)
        ("機械翻訳", "ニューラル機械翻訳における低資源言語への転移学習"),  # in a sentence too
        ("雑音環境", "深層学習を用いた音声認識の高精度化"),  # only in an abstract
        ("인식", "딥러닝 기반 음성 인식을 위한 데이터 증강 기법"),  # its particle (을) left off
        ("분할", "의료 영상 분할을 위한 경량 신경망"),
    ],
)
def test_a_word_inside_a_run_is_found(cjk: Library, word: str, title: str | None) -> None:
    found = titles(cjk, word)
    assert (title in found) if title else found == []
    assert titles(cjk, word, as_you_type=True) == found


def test_characters_must_come_in_order(cjk: Library) -> None:
    assert titles(cjk, "语音识别") and titles(cjk, "识别语音") == []


def test_one_character_finds_every_run_holding_it(cjk: Library) -> None:
    for char in ("检", "学", "을", "ー"):
        holding = {
            record.title
            for name in DUMPS
            for record in read_dump(FIXTURES / name).records
            if char in f"{record.title} {record.abstract} {record.venue}"
        }
        assert len(holding) >= 2 and set(titles(cjk, char)) == holding


def test_english_around_cjk_keeps_its_stemming(cjk: Library) -> None:
    assert "基于Transformers的遥感图像分割方法" in titles(cjk, "transformer")
    assert "基于Transformers的遥感图像分割方法" in titles(cjk, "图像分割 transformer")


def test_highlights_mark_the_characters_matched(cjk: Library) -> None:
    for word in ("语音识别", "인식", "機械翻訳"):
        hit = cjk.search(word).hits[0]
        title = hit.paper.title or ""
        spans = highlight_spans(title, hit.terms["title"], "title")
        marked = sorted({i for a, b in spans for i in range(a, b)})
        assert "".join(title[i] for i in marked) == word


def test_the_reader_finds_and_marks_them(cjk: Library) -> None:
    view = ReaderCore(cjk).compute(Inputs(query="機械翻訳"))
    assert view.total == 1 and "機械翻訳" in (view.hits[0].paper.title or "")
    assert view.hits[0].terms["title"]  # what the list marks


def test_typing_cjk_only_narrows(cjk: Library) -> None:
    for text in ("基于深度学习的语音识别", "音声認識の高精度化", "음성 인식을"):
        before: set[str] | None = None
        for end in range(1, len(text) + 1):
            found = {h.paper.key for h in cjk.search(text[:end], as_you_type=True, limit=None).hits}
            assert before is None or found <= before, text[:end]
            before = found
        assert before  # the whole text still finds its paper


def test_the_command_line_finds_them(cjk: Library) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "search",
            "--index-dir",
            str(cjk.index_dir),
            "--json",
            "인식",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert [json.loads(line)["title"] for line in out.splitlines()] == [
        "딥러닝 기반 음성 인식을 위한 데이터 증강 기법"
    ]


# Each CJK run of the fixtures' titles and abstracts, with its paper's title.
RUNS = [
    (run, record.title or "")
    for name in DUMPS
    for record in read_dump(FIXTURES / name).records
    for run in re.findall(f"[{CJK_CHARS}]+", f"{record.title or ''}\n{record.abstract}")
]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), which=st.integers(0, len(RUNS) - 1))
def test_a_word_from_anywhere_in_a_text_finds_its_paper(
    cjk: Library, data: st.DataObject, which: int
) -> None:
    run, title = RUNS[which]
    start = data.draw(st.integers(0, len(run) - 1))
    word = run[start : start + data.draw(st.integers(1, 5))]
    assert title in titles(cjk, word)
    assert title in titles(cjk, word, as_you_type=True)


def test_the_list_says_where_a_word_inside_a_run_matched(cjk: Library) -> None:
    # The list's quick look for the abstract's terms finds pairs inside a run too.
    hit = cjk.search("環境").hits[0]  # only inside 雑音環境下, in an abstract
    assert matched_fields(hit, quick=True) == matched_fields(hit) == ["abstract"]
