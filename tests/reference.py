"""The command reference, docs/commands.md, generated from each command's `--help` (as
sqlite-utils and llm generate theirs): `python -m tests.reference > docs/commands.md`.
tests/test_docs.py fails when the file is stale."""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from partnercli.cli import app, commands

HEADER = """\
# Command reference

Every command's `--help`, as `partners` prints it at 80 columns. Generated from the code: run
`.venv/bin/python -m tests.reference > docs/commands.md` after changing a command (a test fails
until you do).
"""


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.stdout


def reference() -> str:
    parts = [HEADER, "## partners\n", "```\n" + help_text() + "```\n"]
    for info in commands.registered_commands:
        name = info.name or ""
        parts += [f"## partners {name}\n", "```\n" + help_text(name) + "```\n"]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(reference())
