"""Shared fixtures: the bundled catalogue, a CLI runner, and small datasets written to disk."""

from __future__ import annotations

import copy
import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from partnercli import catalogue, search
from partnercli.cli import app
from partnercli.models import Catalogue

# Property tests: a quick profile by default (CI keeps them well under a minute), a long one for
# local runs: HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_properties.py
settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

DATA_DIR = Path(__file__).parent / "data"
BUNDLED: dict[str, Any] = json.loads(catalogue.bundled_bytes())

Invoke = Callable[..., Result]
WriteData = Callable[[Any], Path]


@pytest.fixture(scope="session")
def bundled() -> Catalogue:
    return catalogue.load()


@pytest.fixture
def bundled_raw() -> dict[str, Any]:
    """A fresh deep copy of the bundled dataset, to corrupt at will."""
    return copy.deepcopy(BUNDLED)


def minimal_dataset(*partners: dict[str, Any]) -> dict[str, Any]:
    """A small valid dataset: two themes and the given partner records."""
    return {
        "schema_version": 1,
        "source": {"publisher": "test", "title": "test", "compiled": "2026-01-01"},
        "themes": [
            {"id": "alpha", "name": "Alpha", "description": "First theme."},
            {"id": "beta", "name": "Beta", "description": "Second theme."},
        ],
        "partners": list(partners),
    }


def record(partner_id: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": partner_id,
        "type": "ngo",
        "name": partner_id.replace("-", " ").title(),
        "description": f"About {partner_id}.",
    }
    base.update(fields)
    return base


@pytest.fixture
def write_data(tmp_path: Path) -> WriteData:
    """Write a dataset (an object to dump as JSON, or raw str/bytes) and return its path."""
    counter = iter(range(1_000_000))

    def write(content: Any) -> Path:
        path = tmp_path / f"data{next(counter)}.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            # ASCII escapes: the file holds any text the data can, lone surrogates included
            path.write_text(json.dumps(content), encoding="utf-8")
        return path

    return write


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run `partners ARGS…` in-process, with a clean colour environment."""
    for name in ("NO_COLOR", "FORCE_COLOR", "PARTNERS_DATA", "COLUMNS", "TERM"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, input=input)

    return run


def read_pty(
    args: list[str], env: dict[str, str], *, rows: int = 24, columns: int = 100
) -> tuple[int, str]:
    """Run `partners ARGS` on a pseudo-terminal of `rows` by `columns`; its exit code and output."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("partners")), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = proc.wait(timeout=30)
    os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace")


def searched_as(catalogue: Catalogue, query: str) -> str | None:
    """The query as search read it, when it corrected a word (what its note on stderr says)."""
    notes: list[str] = []
    search.search(catalogue, query, notes=notes)
    prefix = "showing results for "
    return next((n.removeprefix(prefix) for n in notes if n.startswith(prefix)), None)
