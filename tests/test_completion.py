"""Shell completion through Typer's own protocol, as bash and zsh call it, in real processes
(completion callbacks are attached only when the completion variable is set)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from benchmarks.datasets import write_scaled
from partnercli import catalogue, completion
from partnercli.cli import app
from tests import shells
from tests.conftest import WriteData, minimal_dataset, record

PARTNERS = str(Path(sys.executable).with_name("partners"))


def complete_bash(words: str, *, env: dict[str, str] | None = None) -> list[str]:
    parts = words.split(" ")
    extra = {
        "_PARTNERS_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    return [line for line in _run(extra | (env or {})).splitlines() if line]


def complete_zsh(words: str) -> str:
    return _run({"_PARTNERS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words})


def _run(extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DATA"} | extra
    result = subprocess.run(
        [PARTNERS], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("partners show un", ["unesco", "unodc", "unidroit", "united", "union"]),
        ("partners show UN", ["UNESCO", "UNODC", "UNIDROIT", "UNITED", "UNION"]),
        ("partners show getty f", ["foundation"]),
        ("partners show Une", ["Unesco"]),
        ("partners theme ill", ["illicit-trafficking"]),
        ("partners list --theme emer", ["emergencies"]),
        ("partners list --type n", ["ngo", "non-governmental"]),
        ("partners list --format j", ["json", "jsonl"]),
        ("partners list --fields id,na", ["id,name"]),
        ("partners search x --fields sc", ["score"]),
        ("partners themes --fields co", ["count"]),
    ],
)
def test_bash_completion(words: str, expected: list[str]) -> None:
    assert sorted(complete_bash(words)) == sorted(expected)


def test_zsh_completion() -> None:
    assert "unesco" in complete_zsh("partners show une")
    assert "id,name" in complete_zsh("partners list --fields id,na")


def test_completion_reads_the_data_the_command_would(write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("my-museum"), record("my-archive"))))
    assert sorted(complete_bash(f"partners --data {path} show my")) == [
        "my",  # the first word of "My Archive" and "My Museum"
        "my-archive",
        "my-museum",
    ]
    assert sorted(complete_bash("partners show my", env={"PARTNERS_DATA": path})) == [
        "my",
        "my-archive",
        "my-museum",
    ]


def test_completion_of_a_broken_dataset_offers_nothing(write_data: WriteData) -> None:
    path = str(write_data("{not json"))
    assert complete_bash(f"partners --data {path} show u") == []


def test_completion_does_not_import_the_search_engine() -> None:
    code = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.stderr.write(json.dumps(sorted(sys.modules))))\n"
        "from partnercli.cli import main\n"
        "sys.argv = ['partners']\n"
        "main()\n"
    )
    env = os.environ | {
        "_PARTNERS_COMPLETE": "complete_bash",
        "COMP_WORDS": "partners show un",
        "COMP_CWORD": "2",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert "unesco" in result.stdout.split()
    modules = set(json.loads(result.stderr))
    assert not {"sqlite3", "partnercli.search", "rich"} & modules


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_prints_the_script_for_the_shell_named(shell: str) -> None:
    result = subprocess.run(
        [PARTNERS, "completion", shell], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert f"complete_{shell}" in result.stdout
    assert "partners" in result.stdout


# -- real shells, installed as the README says -------------------------------------------------

SHELLS = ["bash", "zsh", "fish"]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_readmes_lines_install_completion_that_works_at_the_first_tab(
    shell: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shells.install(shell, home)
    written = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    for line in shells.readme_install_lines(shell):  # a second time: nothing is added
        subprocess.run([shells.shell_path(shell), "-c", line], env=shells.environment(home),
                       check=True, timeout=60)  # fmt: skip
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == written
    for typed, completed in (
        ("partners list --sort fo", "partners list --sort founded"),
        ("partners show getty f", "partners show getty foundation"),
        ("partners show Une", "partners show Unesco"),
    ):
        session = shells.Session(shell, home, tmp_path)  # each TAB the first of a new shell
        try:
            assert session.complete(typed) == completed
        finally:
            session.close()


#: Names, acronyms, aliases and themes that are shell syntax, markup or terminal escapes.
HOSTILE = minimal_dataset(
    record("zh-one", name='x\\"<(touch pwned)\\"y', acronym="ZH1"),
    record("zh-two", name="ZH two", acronym="ZH$(touch${IFS}pwned)"),
    record("pw-one", name="Pw one", aliases=["PWN$(touch${IFS}pwned)", "PW`touch pwned`", "*"]),
    record("pw-two", name="Pw two", acronym="PW\nrm", aliases=["PW'$(touch pwned)'"]),
    record("mk", name="Closing [/x] tag [bold]x", acronym="MKUP"),
    record("es", name="Evil \x1b]0;pwned\x07\x1b[2J \u202e name", acronym="ESC\x1b[31m"),
)


@pytest.mark.parametrize("shell", SHELLS)
def test_hostile_names_complete_as_text_in_a_real_shell(shell: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shells.install(shell, home)
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps(HOSTILE), encoding="utf-8")
    echoed = {}
    for typed in ("partners show ZH", "partners show PW", "partners show x", "partners show MKU"):
        session = shells.Session(shell, home, tmp_path, PARTNERS_DATA=str(evil))
        try:
            echoed[typed] = session.complete(typed)
        finally:
            raw = session.close()
        assert "\x1b]0;pwned" not in raw
        assert "\x1b[31m" not in raw
    assert not list(tmp_path.rglob("pwned")), echoed
    for line in echoed.values():
        assert "$(" not in line, echoed
        assert "`" not in line, echoed
        assert "evil.json" not in line, echoed  # no `*` expanded to the folder's files
    assert echoed["partners show MKU"] == "partners show MKUP"  # ordinary values complete
    session = shells.Session(shell, home, tmp_path)  # --data on the line, as issue 26 typed it
    try:
        line = session.complete(f"partners --data {evil} show ZH-T")
    finally:
        session.close()
    assert line == f"partners --data {evil} show ZH-TWO"
    assert not list(tmp_path.rglob("pwned"))


#: What a shell reads as syntax in a word: quotes, expansions, globs, separators, redirections.
SYNTAX = " \t\n'\"\\$`*?[]{}()<>|&;!#~=%^:@"


def test_no_shells_output_carries_syntax_escapes_or_broken_lines(tmp_path: Path) -> None:
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps(HOSTILE), encoding="utf-8")
    data = {"PARTNERS_DATA": str(evil)}
    for typed in ("partners show ", "partners show PW", "partners show Clo", "partners show Evil"):
        outputs = {
            "bash": _run(data | {"_PARTNERS_COMPLETE": "complete_bash", "COMP_WORDS": typed,
                                 "COMP_CWORD": str(len(typed.split(" ")) - 1)}),
            "zsh": _run(data | {"_PARTNERS_COMPLETE": "complete_zsh",
                                "_TYPER_COMPLETE_ARGS": typed}),
            "fish": _run(data | {"_PARTNERS_COMPLETE": "complete_fish",
                                 "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                                 "_TYPER_COMPLETE_ARGS": typed}),
            "powershell": _run(data | {"_PARTNERS_COMPLETE": "complete_powershell",
                                       "_TYPER_COMPLETE_ARGS": typed,
                                       "_TYPER_COMPLETE_WORD_TO_COMPLETE": typed.split(" ")[-1]}),
        }  # fmt: skip
        for shell, out in outputs.items():
            for line in out.splitlines():
                value, _, described = line.partition(":::" if shell == "powershell" else "\t")
                if shell == "powershell":
                    assert described, line  # PowerShell refuses a completion without a tooltip
                    value = value.removeprefix("'").removesuffix("'")  # a comma is quoted
                assert not set(value) & set(SYNTAX), (shell, line)
                assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", described)
    described = _run(data | {"_PARTNERS_COMPLETE": "complete_zsh",
                             "_TYPER_COMPLETE_ARGS": "partners show MKU"})  # fmt: skip
    assert described == "MKUP\tClosing [/x] tag [bold]x\n"  # markup shown as written


def test_completion_offers_aliases_sort_keys_and_countries() -> None:
    assert "OMPI" in complete_bash("partners show OM")
    assert "故宫博物院" in complete_bash("partners show 故宫")
    assert sorted(complete_bash("partners list --sort fo")) == ["founded"]
    assert "fr" in complete_bash("partners list --country f")
    assert "FR" in complete_bash("partners list --country F")


# -- a large file completes nothing, and is not read ------------------------------------------------


def context(data: Path) -> typer.Context:
    """The context a completion callback gets for `partners --data DATA ...`."""
    ctx = typer.Context(typer.main.get_command(app))
    ctx.params["data"] = str(data)
    return ctx


def test_a_file_past_the_size_completes_nothing_and_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = write_scaled(1050, tmp_path / "big.json")  # 2.4 MB: 50 copies of each record
    assert big.stat().st_size > completion.MAX_COMPLETED_BYTES

    def no_reading(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("completion read a large file whole")

    monkeypatch.setattr(catalogue, "read_file", no_reading)
    assert completion.partners(context(big), "unesco-1") == []
    assert completion.themes(context(big), "ill") == []
    assert completion.countries(context(big), "F") == []


def test_a_file_under_the_size_completes_its_names(tmp_path: Path) -> None:
    small = write_scaled(42, tmp_path / "small.json")
    found = completion.partners(context(small), "unesco-1")
    assert sorted(value for value, _ in found) == ["unesco-1"]
    assert [t for t, _ in completion.themes(context(small), "ill")] == ["illicit-trafficking"]
    assert ("FR", "France") in completion.countries(context(small), "F")
