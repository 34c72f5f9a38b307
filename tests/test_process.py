"""What only a real process shows: the entry points, pipes, a pseudo-terminal, an installed wheel."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from benchmarks.datasets import write_scaled
from tests.conftest import read_pty as run_in_pty

ROOT = Path(__file__).parent.parent


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"NO_COLOR", "FORCE_COLOR", "PARTNERS_DATA", "COLUMNS", "TERM", "PAGER"}
    }
    env["PARTNERS_PAGER"] = "cat"  # a pager would wait for a key; the pager tests set their own
    env.update(extra)
    return env


def python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in a real process with a clean environment."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=clean_env(**env),
        timeout=60,
        check=False,
    )


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return python("-m", "partnercli", *args, **env)


def test_python_dash_m_runs_the_command() -> None:
    result = run("show", "unesco", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "unesco"
    assert result.stderr == ""


def test_python_dash_m_exit_codes() -> None:
    assert run("show", "intrepol").returncode == 1
    assert run("list", "--type", "x").returncode == 2
    assert run("list", "--no-such-option").returncode == 2


def bash(shell: str) -> subprocess.CompletedProcess[str]:
    """A shell pipeline, as a user would type it."""
    return subprocess.run(
        ["bash", "-c", shell],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )


def test_closed_pipe_ends_quietly() -> None:
    result = bash(f"{sys.executable} -m partnercli list | head -1")
    assert result.stdout.startswith("alecso\t")
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""


def test_big_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    path = write_scaled(5000, tmp_path / "big.json")
    result = bash(
        f"set -o pipefail; {sys.executable} -m partnercli --data {path} list --json | head -c 10"
    )
    assert result.stderr == ""
    assert result.returncode == 0


def read_pty(args: list[str], env: dict[str, str]) -> str:
    """What a terminal receives from `partners ARGS` (which must succeed)."""
    code, out = run_in_pty(args, env)
    assert code == 0, out
    return out


def test_terminal_gets_a_coloured_table() -> None:
    out = read_pty(["list"], clean_env(TERM="xterm-256color", COLUMNS="100"))
    assert "\x1b[" in out
    assert "─" in out
    assert "UNESCO" in out
    assert "\t" not in out


def test_terminal_with_no_color_gets_a_table_without_colour() -> None:
    out = read_pty(["list"], clean_env(TERM="xterm-256color", COLUMNS="100", NO_COLOR="1"))
    assert not re.search(r"\x1b\[[0-9;]*[34][0-9]m", out), "NO_COLOR allows bold, not colour"
    assert "─" in out
    assert "UNESCO" in out


def test_terminal_link_is_clickable() -> None:
    out = read_pty(["show", "unesco"], clean_env(TERM="xterm-256color", COLUMNS="100"))
    assert "\x1b]8;" in out
    assert "https://www.unesco.org" in out


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    """Build a real wheel, install it in a fresh venv, and run it from elsewhere."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("partnercli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (
        "partnercli/data/partners.json",
        "partnercli/data/partners.schema.json",
        "partnercli/data/search_words.json",
        *(f"partnercli/data/completion/{shell}" for shell in ("bash", "zsh", "fish", "powershell")),
        "partnercli/py.typed",
    ):
        assert shipped in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # Typer and Rich come from this environment (no network needed); partnercli only from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "partners"), "show", "unesco", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"].startswith("United Nations Educational")
    # The completion scripts are data files: the wheel ships them.
    script = subprocess.check_output(
        [venv / "bin" / "partners", "completion", "zsh"], text=True, cwd=elsewhere, timeout=60
    )
    assert script.startswith("#compdef partners\n")
    where = subprocess.run(
        [str(python), "-c", "import partnercli; print(partnercli.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), "partnercli must come from the wheel, not the checkout"


def modules_after(args: list[str]) -> set[str]:
    """The modules a real process has loaded once `partners ARGS` has run."""
    code = (
        "import sys, io, contextlib\n"
        "from partnercli.cli import main\n"
        f"sys.argv = ['partners', *{args!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = python("-c", code)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_a_table_imports_rich_and_a_search_its_engine() -> None:
    """Rich and the search engine are imported where they are needed (ruff's TID253 keeps them
    out of module level everywhere else)."""
    modules = modules_after(["search", "illicit", "--format", "table"])
    assert {"rich", "partnercli.search", "Stemmer"} <= modules


def test_main_runs_twice_in_one_process() -> None:
    """Nothing in main() changes the app: a program embedding it can call it again."""
    code = (
        "import sys\n"
        "from partnercli.cli import main\n"
        "for args in (['show', 'unesco', '--json'], ['list', '--json']):\n"
        "    sys.argv = ['partners', *args]\n"
        "    try:\n        main()\n    except SystemExit as exc:\n        assert exc.code == 0, exc\n"
    )
    result = python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"id": "unesco"') == 1
    assert '[\n{"id":"alecso"' in result.stdout
