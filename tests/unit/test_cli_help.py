"""A command line that helps: --version, help that names the reader's flags, a
mistyped command answered, each command's own usage, and shell completion that
works in bash, answered without loading the index."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run

from index import EXPORT_FORMATS, ORDERS

ROOT = Path(__file__).parents[2]
COMMANDS = "index list search related authors star unstar read unread tag note state completion"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def run_in(folder: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`abstracts ARGS` run in `folder`, where a relative path names a file of it."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[variable] = str(home / variable.lower())
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, env=env, cwd=folder
    )


def test_version(home: Path) -> None:
    result = run("--version", env_home=home)
    assert result.returncode == 0 and result.stdout.startswith("abstracts 0.")


def test_help_lists_the_readers_flags_and_the_commands(home: Path) -> None:
    help = run("-h", env_home=home).stdout
    for flag in ("--no-restore", "--no-watch", "--index-dir", "--config", "--version"):
        assert flag in help
    for command in COMMANDS.split():
        assert f"\n  {command} " in help
    assert "abstracts ./read" in help and "abstracts completion bash" in help


def test_a_mistyped_command_is_answered(home: Path, tmp_path: Path) -> None:
    result = run_in(tmp_path, "serch", "foo", home=home)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.endswith("did you mean: search?\n") and result.stderr.count("\n") == 1
    # A folder of that name is a path, opened as one (here: it holds no dump).
    (tmp_path / "serch").mkdir()
    opened = run_in(tmp_path, "serch", home=home)
    assert opened.returncode == 1 and opened.stderr == "abstracts: no dump file in serch\n"


def test_a_dump_named_like_a_command_opens_as_a_path(home: Path, tmp_path: Path) -> None:
    # `read` is the command (it wants an ID); `./read` is the file (here: missing).
    assert "abstracts read: error:" in run_in(tmp_path, "read", home=home).stderr
    as_path = run_in(tmp_path, "./read", home=home)
    assert as_path.stderr == "abstracts: no such file or folder: read\n"


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["search", "--limt", "5"], "usage: abstracts search "),
        (["list", "--bogus"], "usage: abstracts list "),
        (["tag"], "usage: abstracts tag "),
        (["state", "export", "--nope"], "usage: abstracts state export "),
    ],
)
def test_each_command_prints_its_own_usage(home: Path, args: list[str], usage: str) -> None:
    result = run(*args, env_home=home)
    assert result.returncode == 2 and result.stderr.startswith(usage)
    assert "Traceback" not in result.stderr


def test_the_parser_offers_what_the_index_accepts() -> None:
    from tui.cli import parsers

    assert parsers.ORDERS == ORDERS and parsers.EXPORT_FORMATS == EXPORT_FORMATS


def test_version_help_usage_and_completion_do_not_load_the_index() -> None:
    probe = (
        "import sys\n"
        "from tui.cli import main\n"
        "for args in (['--version'], ['-h'], ['search', '--limt', '5'], ['serch'],\n"
        "             ['completion', 'bash']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in ('index', 'numpy', 'whoosh', 'rich', 'textual')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        cwd="/",
    )
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


def complete(line: str, home: Path, bin_dir: Path) -> list[str]:
    """What bash offers for `line` (the cursor at its end), through the script
    `abstracts completion bash` prints, as bash runs it on a tab."""
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    script = f"""
source <(abstracts completion bash)
complete -p abstracts >/dev/null || exit 9
COMP_LINE={shlex.quote(line)}; COMP_POINT=${{#COMP_LINE}}
COMP_WORDS=({" ".join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}
_python_argcomplete abstracts "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = os.environ | {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[variable] = str(home / variable.lower())
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return [word.rstrip() for word in done.stdout.splitlines()]


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A folder with `abstracts` in it, as installing puts it on the PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "abstracts"
    program.write_text(
        f"#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)}"
        ' -m tui "$@"\n'
    )
    program.chmod(0o755)
    return folder


@pytest.mark.skipif(not Path("/bin/bash").exists(), reason="bash is not installed")
def test_completion_in_bash(dumps: Path, home: Path, bin_dir: Path) -> None:
    assert complete("abstracts se", home, bin_dir) == ["search"]
    assert "completion" in complete("abstracts ", home, bin_dir)
    assert complete("abstracts list --sort ", home, bin_dir) == list(ORDERS)
    assert complete("abstracts search x --format ", home, bin_dir) == list(EXPORT_FORMATS)
    assert "--library" in complete("abstracts search x --", home, bin_dir)
    assert complete("abstracts completion ", home, bin_dir) == ["bash", "zsh", "fish"]
    # Words of the library: the tags in use, authors' names (quoted for the shell).
    assert run("index", dumps, env_home=home).returncode == 0
    assert run("tag", "2412.16720", "safety", "survey", env_home=home).returncode == 0
    assert complete("abstracts tag 2412.16720 s", home, bin_dir) == ["safety", "survey"]
    assert complete("abstracts tag x --remove sa", home, bin_dir) == ["safety"]
    assert complete("abstracts search x --author Jai", home, bin_dir) == [r"Jain,\ Saachi"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_name_the_program(home: Path, shell: str) -> None:
    script = run("completion", shell, env_home=home)
    assert script.returncode == 0 and "abstracts" in script.stdout
    assert "_ARGCOMPLETE" in script.stdout


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_completion_in_fish(home: Path, bin_dir: Path) -> None:
    script = (
        "abstracts completion fish | source; "
        "complete -C 'abstracts se'; complete -C 'abstracts list --sort '"
    )
    env = os.environ | {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[variable] = str(home / variable.lower())
    done = subprocess.run(
        ["fish", "--no-config", "-c", script], capture_output=True, text=True, env=env
    )
    offered = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert offered == ["search", *sorted(ORDERS)], done.stderr
