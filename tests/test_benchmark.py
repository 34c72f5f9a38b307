"""The benchmark script runs (its figures are for people, not assertions: machines are noisy)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow  # the start-up pairs run in a fresh virtual environment
def test_benchmark_startup_pairs_run_and_write_figures(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--only", "startup", "--runs", "1", "--output", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert [p["target"] for p in figures["pairs"]] == [1.3, 1.3]
    assert all(p["median"] > 0 for p in figures["pairs"])
    assert figures["machine"]["cores"] >= 1
