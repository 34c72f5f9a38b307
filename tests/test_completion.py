"""Shell completion through Typer's own protocol, as bash and zsh call it, in real processes
(completion callbacks are attached only when the completion variable is set)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from benchmarks.datasets import write_scaled
from partnercli import catalogue, completion
from partnercli.cli import app
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
        ("partners show un", ["unesco", "unodc", "unidroit"]),
        ("partners show UN", ["UNESCO", "UNODC", "UNIDROIT"]),
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
    assert sorted(complete_bash(f"partners --data {path} show my")) == ["my-archive", "my-museum"]
    assert sorted(complete_bash("partners show my", env={"PARTNERS_DATA": path})) == [
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


def _shell(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed here (.ci/run installs it, so CI runs this test)")
    return path


def _in_shell(shell: str, script: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DATA"}
    env["PATH"] = str(Path(PARTNERS).parent) + os.pathsep + env["PATH"]
    result = subprocess.run(
        [_shell(shell), "-c", script], capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


UN = {"unesco", "unodc", "unidroit"}


def test_bash_completes_show_un_through_its_script() -> None:
    out = _in_shell(
        "bash",
        "source <(partners completion bash); COMP_WORDS=(partners show un); COMP_CWORD=2; "
        '_partners_completion partners un show; printf "%s\\n" "${COMPREPLY[@]}"',
    )
    assert set(out.split()) == UN


def test_zsh_completes_show_un_through_its_script() -> None:
    """zsh's completion function, run by zsh, with the `_arguments` builtin recorded."""
    out = _in_shell(
        "zsh",
        'source <(partners completion zsh | sed "/^compdef/d"); '
        '_arguments() { print -r -- "$@"; }; words=(partners show un); CURRENT=3; '
        "_partners_completion",
    )
    assert set(re.findall(r'"([a-z-]+)":', out)) == UN


def test_fish_completes_show_un_through_its_own_entry_point() -> None:
    out = _in_shell("fish", 'partners completion fish | source; complete -C "partners show un"')
    assert {line.split("\t")[0] for line in out.splitlines()} == UN


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
