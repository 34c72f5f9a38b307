"""Shell completion through Typer's own protocol, as bash and zsh call it, in real processes
(completion callbacks are attached only when the completion variable is set)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_show_completion_script_names_the_command() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SHELL"}}
    result = subprocess.run(
        [PARTNERS, "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "_PARTNERS_COMPLETE=complete_bash" in result.stdout
