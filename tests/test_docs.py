"""The documentation says what the code does: the command reference is generated from `--help`
and current."""

from __future__ import annotations

from pathlib import Path

from partnercli.cli import commands
from tests.reference import reference

DOCS = Path(__file__).parent.parent / "docs"


def test_the_command_reference_is_current() -> None:
    """Regenerate with `python -m tests.reference > docs/commands.md`."""
    assert (DOCS / "commands.md").read_text(encoding="utf-8") == reference()


def test_the_reference_has_every_command() -> None:
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    for name in (info.name for info in commands.registered_commands):
        assert f"## partners {name}\n" in text
        assert f"Usage: partners {name} [OPTIONS]" in text
