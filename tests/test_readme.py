"""The examples of README.md and docs/*.md run, and print what they say (sqlite-utils'
test_docs.py idea).

Every ```console block is a list of `$ command` lines, each followed by its expected output
(stdout and stderr as a terminal would show them). They run in `tests/data` (so `mine.json`
there is the README's example file) with this environment's `partners` first on the PATH.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from partnercli.cli import commands

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^( *)```console\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def examples(text: str) -> list[tuple[str, str]]:
    """Each `$ command` of a document's console blocks, and the output shown after it."""
    found = []
    for _indent, body in BLOCK.findall(text):
        command: str | None = None
        expected: list[str] = []
        for line in textwrap.dedent(body).splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(expected)))
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command is not None:
            found.append((command, "\n".join(expected)))
    return found


EXAMPLES = [
    (path.relative_to(ROOT).as_posix(), command, expected)
    for path in DOCUMENTS
    for command, expected in examples(path.read_text(encoding="utf-8"))
]


def test_the_readme_names_every_command_and_shows_the_everyday_ones() -> None:
    """Walks the live registry: a new command fails here until the README shows it."""
    names = [info.name for info in commands.registered_commands]
    assert len(names) == 13
    for name in names:
        assert f"partners {name}" in README, name
    shown = [command for command, _ in examples(README)]
    for everyday in ("partners list --type ngo", "partners search illicit", "partners show unesco"):
        assert any(command.startswith(everyday) for command in shown), everyday
    assert any("--json | jq" in command for command in shown)


def test_the_readme_is_a_landing_page() -> None:
    """Ten minutes' reading: the reference lives in docs/."""
    assert len(README.encode("utf-8")) <= 12_000
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / link).is_file(), link


@pytest.mark.parametrize(
    ("document", "command", "expected"), EXAMPLES, ids=[f"{d}: {c}" for d, c, _ in EXAMPLES]
)
def test_documented_example(document: str, command: str, expected: str) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = {
        k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR", "PARTNERS_DATA"}
    }
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    result = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        cwd=ROOT / "tests" / "data",
        env=env,
        timeout=60,
        check=False,
    )
    assert (result.stdout + result.stderr).rstrip("\n") == expected, document
