"""The config file's settings of the reader, and what a wrong one says."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Config


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return Config.load(path)


def test_the_readable_width_is_88_columns_unless_set(tmp_path: Path) -> None:
    assert Config().text_width == 88
    assert load(tmp_path, "").text_width == 88
    assert load(tmp_path, "text_width = 100\n").text_width == 100
    assert load(tmp_path, "text_width = 0\n").text_width == 0  # as wide as the viewer


@pytest.mark.parametrize("value", ["-1", '"wide"', "true", "8.5"])
def test_a_wrong_width_is_a_problem_said(tmp_path: Path, value: str) -> None:
    config = load(tmp_path, f"text_width = {value}\n")
    assert config.text_width == 88
    assert [p.message for p in config.problems] == ["text_width must be a number of columns"]
