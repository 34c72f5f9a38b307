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


def test_checks_benchmark_times_the_rules_on_a_valid_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks import checks
    from benchmarks.datasets import scaled
    from partnercli.catalogue import parse

    catalogue = parse(json.dumps(scaled(60)).encode(), source_name="benchmark")
    # The rules are timed on the path a valid file takes, not cut short by a failing one.
    assert checks.across(catalogue) is True
    ids, names, themes, links = checks.floor(catalogue)
    assert len(ids) == 60
    assert "ifla 1" in names  # the copy's acronym, folded
    assert themes <= {t.id for t in catalogue.themes}
    assert ("blue-shield-1", "ica-1") in links  # the copy links within itself
    checks.main(["60"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("rules across 60 records: ")
    figures = json.loads(out[-1])
    assert figures["records"] == 60
    assert figures["across_s"] > 0
    assert figures["floor_s"] > 0
