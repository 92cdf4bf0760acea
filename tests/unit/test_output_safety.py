"""Text from dumps is data: whatever a dump holds, no escape sequence, bell or bidi
override reaches a terminal, an export or the clipboard, and no code point that
cannot be written makes a command fail."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from helpers import json_lines, run

from index.cite import bibtex, citation
from index.export import export
from index.text import printable

# What a terminal acts on: ESC (all of CSI, OSC and the rest), BEL, C1 controls
# (U+009B is an 8-bit CSI), and the bidi controls that reorder a line.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = (
    "x \x1b[31mRED \x1b]52;c;aGk=\x07 \x1b]0;TITLE\x07 \x1b[2J \u009b31m csi "
    "\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth \ufeffbom end."
)


def unsafe(text: str) -> list[str]:
    return sorted(set(_UNSAFE.findall(text)))


def test_printable_shows_controls_and_invisible_characters() -> None:
    assert printable("a\x1bb\x07c\x7f\x00") == "a␛b␇c␡␀"
    assert printable("\u009b31m") == "⟨U+009B⟩31m"
    assert printable("abc\u202edef\u2066g\u200bh\ufeff") == (
        "abc⟨U+202E⟩def⟨U+2066⟩g⟨U+200B⟩h⟨U+FEFF⟩"
    )
    # Newlines and tabs are text; so are markup, TeX and every script.
    plain = "line\n\tnext [b]x[/b] \\emph{x} $x^2$ 日本語 café עברית 😀"
    assert printable(plain) == plain
    assert printable("a\ud800b") == "a\ufffdb"


def test_printable_leaves_no_control_or_format_character() -> None:
    # Every control, format character and surrogate of this Python's Unicode.
    every = "".join(
        chr(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs") and chr(code) not in "\n\t"
    )
    shown = printable(every)
    left = {char for char in shown if unicodedata.category(char) in ("Cc", "Cf", "Cs")}
    assert left == set()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Dumps whose text, names and file names hold escape sequences and bidi controls."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    # No name inside: labelled by its file name, which holds escapes and an override.
    (folder / "lab\u202eel\x1b]0;T\x07.txt").write_text(
        f"Abstract:{HOSTILE} Transformers leak escapes.\n", encoding="utf-8"
    )
    (folder / "named.txt").write_text(
        f"Eve \x1b[31mMal\u202e\u009b\n\nAbstract:Transformers again, {HOSTILE}\n",
        encoding="utf-8",
    )
    paper = {
        "id": "2401.00001",
        "title": f"Title {HOSTILE} transformers",
        "abstract": f"Collection transformers {HOSTILE}",
        "authors": ["Ann \x1b]52;c;aGk=\x07Lee", "Bob\u202eRoss"],
        "comments": f"venue {HOSTILE}",
    }
    (folder / "papers.jsonl").write_text(json.dumps(paper) + "\n", encoding="utf-8")
    return folder


def test_no_escape_from_a_dump_reaches_the_command_line(hostile: Path, tmp_path: Path) -> None:
    home, index_dir = tmp_path / "home", tmp_path / "ix"
    options = ("--index-dir", index_dir)
    results = {"index": run("index", hostile, *options, env_home=home)}
    assert results["index"].returncode == 0, results["index"].stderr
    for terminal in (False, True):
        where = "terminal" if terminal else "pipe"
        for command in (["list"], ["search", "transformers"], ["authors"]):
            results[f"{command[0]} {where}"] = run(
                *command, *options, env_home=home, terminal=terminal
            )
    for output in ("markdown", "bibtex"):
        results[f"list {output}"] = run("list", "--format", output, *options, env_home=home)
        results[f"search {output}"] = run(
            "search", "transformers", "--format", output, *options, env_home=home
        )
    # A query and a key quoting escapes come back in messages and titles.
    results["search quoting"] = run("search", "nothing\x1b[2J", *options, env_home=home)
    results["related quoting"] = run("related", "k\x1b]0;T\x07", *options, env_home=home)
    for name, result in results.items():
        assert unsafe(result.stdout) == [] and unsafe(result.stderr) == [], name
        assert "Traceback" not in result.stderr, name
    assert "␛[31mRED" in results["list terminal"].stdout
    assert "⟨U+202E⟩" in results["authors terminal"].stdout
    assert "lab⟨U+202E⟩el␛]0;T␇.txt" in results["authors pipe"].stdout.replace("\n", "")
    assert "⟨U+009B⟩31m csi" in results["list bibtex"].stdout


def test_json_keeps_the_text_exactly(hostile: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    run("index", hostile, "--index-dir", tmp_path / "ix", env_home=home)
    listed = run("list", "--json", "--index-dir", tmp_path / "ix", env_home=home)
    assert "\x1b" not in listed.stdout  # JSON escapes it
    papers = json_lines(listed.stdout)
    assert len(papers) == 3
    assert all(HOSTILE in paper["abstract"] for paper in papers)
    assert {"Ann \x1b]52;c;aGk=\x07Lee", "Bob\u202eRoss"} <= {
        author for paper in papers for author in paper["authors"]
    }


def test_exports_and_citations_hold_no_control_characters(library_of_hostile) -> None:  # type: ignore[no-untyped-def]
    papers = library_of_hostile.papers()
    assert len(papers) == 3
    for text in (
        export(papers, "markdown", title="q\x1b[2J"),
        export(papers, "bibtex"),
        *(citation(paper) for paper in papers),
        *(bibtex(paper) for paper in papers),
    ):
        assert unsafe(text) == []
        assert "␛" in text and "31mRED" in text


@pytest.fixture
def library_of_hostile(hostile: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from index import Config, Library

    library = Library([hostile], tmp_path / "index", Config())
    library.update()
    yield library
    library.close()


# Lone surrogates: JSON may escape them, and a file name that is not UTF-8 decodes to them.


@pytest.fixture
def surrogates(tmp_path: Path) -> Path:
    folder = tmp_path / "surrogates"
    folder.mkdir()
    lines = [
        {"id": "2401.00001", "title": "Good transformers", "abstract": "Good transformers."},
        {
            "id": "2401.00002",
            "title": "Bad \ud800 transformers",
            "abstract": "Transformers with a lone \udfff surrogate.",
            "authors": ["Ann \udc80 Lee"],
            "journal-ref": "J. \ud834",
        },
    ]
    # json.dumps writes them as the escapes "\ud800"; ensure_ascii keeps the file UTF-8.
    (folder / "papers.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    # A file name with a byte that is not UTF-8; the dump names no one.
    with open(bytes(folder) + b"/caf\xe9.txt", "wb") as dump:
        dump.write(b"Abstract:Transformers in a file whose name is Latin-1.\n")
    return folder


def test_lone_surrogates_are_cleaned_when_read(surrogates: Path, tmp_path: Path) -> None:
    home, index_dir = tmp_path / "home", tmp_path / "ix"
    options = ("--index-dir", index_dir)
    indexed = run("index", surrogates, *options, env_home=home)
    assert indexed.returncode == 0, indexed.stderr
    assert "3 papers" in indexed.stdout
    assert f"warning: {surrogates / 'papers.jsonl'}:2: invalid characters" in indexed.stderr
    commands = [
        ["list"],
        ["list", "--json"],
        ["search", "transformers"],
        ["search", "transformers", "--json"],
        ["authors"],
        ["authors", "--json"],
        *(["list", "--format", output] for output in ("bibtex", "markdown", "json")),
        *(["search", "surrogate", "--format", output] for output in ("bibtex", "markdown")),
    ]
    for terminal in (False, True):
        for command in commands:
            result = run(*command, *options, env_home=home, terminal=terminal)
            assert result.returncode == 0, (command, result.stderr)
            assert "Traceback" not in result.stderr and "internal error" not in result.stderr
            # JSON escapes a line that holds a file name that is not UTF-8.
            assert "\ufffd" in result.stdout or "\\ufffd" in result.stdout, command
    papers = {
        p["arxiv_id"]: p for p in json_lines(run("list", "--json", *options, env_home=home).stdout)
    }
    bad = papers["2401.00002"]
    assert bad["title"] == "Bad \ufffd transformers"
    assert bad["abstract"] == "Transformers with a lone \ufffd surrogate."
    assert bad["authors"] == ["Ann \ufffd Lee"] and bad["venue"] == "J. \ufffd"
    latin = papers[None]
    assert latin["authors"] == ["caf\ufffd"]  # the label, from the file name
    assert latin["sources"] == ["caf\udce9.txt"]  # the name as the system gives it


def test_the_reader_marks_matches_beside_control_characters() -> None:
    from tui.text import marked

    text = "a\u202e \x1bword and\x07 word"
    shown = marked(text, [(4, 8), (14, 18)])
    assert shown.plain == "a⟨U+202E⟩ ␛word and␇ word"
    assert [shown.plain[span.start : span.end] for span in shown.spans] == ["word", "word"]


def test_the_viewer_scrolls_to_a_match_after_wide_symbols() -> None:
    from tui.widgets.abstract_viewer import _line_of

    text = "\u202e" * 20 + " word"  # shown as 160 characters of ⟨U+202E⟩ markers
    assert _line_of(text, text.index("word"), 40) == 4


def test_json_lines_of_papers_hold_no_line_break_any_reader_splits_at() -> None:
    """`list --json`, `search --json` and exported results: an abstract with a line
    or paragraph separator stays one line for every JSON Lines reader."""
    from index import json_line

    abstract = "one\u2028two\u2029three\x85four\x1cfive\r\nsix"
    line = json_line({"abstract": abstract, "title": "Café"})
    assert len(line.splitlines()) == 1 and "Café" in line
    assert json.loads(line)["abstract"] == abstract
