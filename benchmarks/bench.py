"""Benchmark `partners` against its floor and against jq, as ratios measured in one run.

Each pair of commands is run alternately, after a warm-up, and the ratio of their times is taken
pair by pair: whatever else the machine is doing weighs on both sides alike. The report gives the
median ratio with its min and max, peak memory (RSS) where asked, and writes the figures to JSON.

    python -m benchmarks.bench                 # everything, as quoted in the README
    python -m benchmarks.bench --quick         # fewer runs and records, for a quick look
    python -m benchmarks.bench --only startup  # just the start-up pairs (no jq needed)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).parent
PYTHON = sys.executable
PARTNERS = str(Path(sys.executable).with_name("partners"))

BASELINE_JSON = """
import json
import typer

app = typer.Typer()

@app.command()
def main(name: str, json_: bool = typer.Option(False, "--json")) -> None:
    print(json.dumps({"name": name}))

app()
"""

BASELINE_TABLE = """
import typer

app = typer.Typer()

@app.command()
def main() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("ID", "Name", "Type", "Themes")
    for i in range(21):
        table.add_row(f"partner-{i}", f"Partner number {i}", "NGO", "Emergencies, Funding")
    Console().print(table)

app()
"""

JQ_FILTER = '[.partners[] | select(.type=="ngo")]'
# The same records `partners search illicit` returns: the word in any text field or theme id.
JQ_SEARCH = (
    "[.partners[]|select(([.name,.acronym,.description,.partnership]+.aliases+.themes"
    '|map(select(.!=null))|join(" "))|test("illicit";"i"))]'
)


@dataclass
class Pair:
    name: str
    ours: list[str]
    theirs: list[str]
    target: float | None  # None: a row measured for the growth figure only
    memory_target: float | None = None
    ratios: list[float] = field(default_factory=list)
    ours_seconds: list[float] = field(default_factory=list)
    theirs_seconds: list[float] = field(default_factory=list)
    ours_rss_mb: float = 0.0
    theirs_rss_mb: float = 0.0
    warmup: int = 1

    def summary(self) -> dict[str, object]:
        row = asdict(self)
        row.update(
            median=round(statistics.median(self.ratios), 3),
            min=round(min(self.ratios), 3),
            max=round(max(self.ratios), 3),
            ours_median_s=round(statistics.median(self.ours_seconds), 4),
            theirs_median_s=round(statistics.median(self.theirs_seconds), 4),
            met=None if self.target is None else statistics.median(self.ratios) <= self.target,
        )
        if self.memory_target is not None:
            row["memory_ratio"] = round(self.ours_rss_mb / self.theirs_rss_mb, 3)
            row["memory_met"] = self.ours_rss_mb / self.theirs_rss_mb <= self.memory_target
        for key, values in (
            ("ratios", self.ratios),
            ("ours_seconds", self.ours_seconds),
            ("theirs_seconds", self.theirs_seconds),
        ):
            row[key] = [round(v, 4) for v in values]
        return row


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run; output is discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{stderr}")
    return seconds, usage.ru_maxrss / 1024


def measure(pair: Pair, *, runs: int, warmup: int, env: dict[str, str]) -> Pair:
    for _ in range(warmup):
        timed(pair.ours, env)
        timed(pair.theirs, env)
    for index in range(runs):
        # Alternate which goes first, so neither always runs on a warmer machine.
        order = [(pair.ours, True), (pair.theirs, False)]
        if index % 2:
            order.reverse()
        results = {}
        for command, is_ours in order:
            results[is_ours] = timed(command, env)
        (ours_s, ours_rss), (theirs_s, theirs_rss) = results[True], results[False]
        pair.ours_seconds.append(ours_s)
        pair.theirs_seconds.append(theirs_s)
        pair.ratios.append(ours_s / theirs_s)
        pair.ours_rss_mb = max(pair.ours_rss_mb, ours_rss)
        pair.theirs_rss_mb = max(pair.theirs_rss_mb, theirs_rss)
    return pair


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 runs, 10,000 records at most")
    parser.add_argument("--only", choices=["startup", "scale"], help="run one group of pairs")
    parser.add_argument(
        "--runs", type=int, help="alternations per pair (default 30 start-up, 5 scale)"
    )
    parser.add_argument(
        "--output", type=Path, default=HERE / "results.json", help="where to write the figures"
    )
    args = parser.parse_args()

    startup_runs = args.runs or (5 if args.quick else 30)
    scale_runs = args.runs or (2 if args.quick else 5)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    work = Path(tempfile.mkdtemp(prefix="partners-bench-"))
    env = {
        k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR", "PARTNERS_DATA"}
    }
    env.update(COLUMNS="100")
    # Measure the tool as installed: pip byte-compiles a package when it installs it, but an
    # editable install (and PYTHONDONTWRITEBYTECODE, set on some machines) would leave ours to be
    # compiled from source on every run, while Typer's bytecode is already there.
    import compileall

    import partnercli

    compileall.compile_dir(Path(partnercli.__file__).parent, quiet=1)
    pairs: list[Pair] = []
    try:
        if args.only in (None, "startup"):
            (work / "baseline_json.py").write_text(BASELINE_JSON, encoding="utf-8")
            (work / "baseline_table.py").write_text(BASELINE_TABLE, encoding="utf-8")
            python, partners = installed(work)
            show = [partners, "show", "unesco", "--json"]
            for pair in (
                Pair("1. start-up, JSON: show unesco --json vs minimal Typer app", show,
                     [python, str(work / "baseline_json.py"), "unesco", "--json"], 1.3),
                Pair("2. start-up, table: list --format table vs minimal Typer + Rich table",
                     [partners, "list", "--format", "table"], [python, str(work / "baseline_table.py")], 1.3),
            ):  # fmt: skip
                pairs.append(measure(pair, runs=startup_runs, warmup=3, env=env))
                print_row(pairs[-1])
        if args.only in (None, "scale"):
            jq = shutil.which("jq")
            if jq is None:
                raise SystemExit("the scale pairs need jq on the PATH")
            for size in sizes:
                for pair in scale_pairs(work, jq, size, big=size == sizes[-1], env=env):
                    pairs.append(measure(pair, runs=scale_runs, warmup=pair.warmup, env=env))
                    print_row(pairs[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    growth = growth_factors(pairs, sizes)
    for line in growth:
        print(line)
    report = {
        "date": date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "system": f"{platform.system()} {platform.machine()}",
        },
        "pairs": [p.summary() for p in pairs],
        "growth": growth,
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.output}")


def scale_pairs(work: Path, jq: str, size: int, *, big: bool, env: dict[str, str]) -> list[Pair]:
    """The pairs against jq on a file of `size` records, read and validated in full each run
    (jq reads it each run too)."""
    # Made in a process of its own: a child's peak RSS counts the pages it inherits from this
    # process at fork, so this process must stay small.
    path = work / f"partners-{size}.json"
    subprocess.run(
        [PYTHON, "-m", "benchmarks.datasets", str(size), str(path)], check=True, cwd=HERE.parent
    )
    label = f"{size:,} records"
    listing = [PARTNERS, "--data", str(path), "list", "--type", "ngo", "--json"]
    searching = [PARTNERS, "--data", str(path), "search", "illicit", "--json"]
    showing = [PARTNERS, "--data", str(path), "show", "unesco-5", "--json"]
    jq_filter = [jq, JQ_FILTER, str(path)]
    jq_search = [jq, JQ_SEARCH, str(path)]
    jq_show = [jq, '.partners[] | select(.id=="unesco-5")', str(path)]

    def name(number: str, kind: str, ours: list[str]) -> str:
        return f"{number}. scale, {kind} ({label}): {' '.join(ours[3:])} vs jq"

    if not big:  # for the growth figure
        return [
            Pair(name("6", "filter", listing), listing, jq_filter, None),
            Pair(name("6", "search", searching), searching, jq_search, None),
        ]
    return [
        Pair(name("3", "filter", listing), listing, jq_filter, 1.2, memory_target=1.2),
        Pair(name("4", "search", searching), searching, jq_search, 1.2),
        Pair(name("5", "show", showing), showing, jq_show, 1.2),
    ]


def installed(work: Path) -> tuple[str, str]:
    """Python and `partners` in a fresh environment made by `pip install .`, as a user gets them:
    only the runtime dependencies (a development environment holds test tools, such as
    typing_extensions, that msgspec would import at every start). Both sides of the start-up
    pairs run there."""
    venv = work / "venv"
    subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(HERE.parent)],
        check=True,
        capture_output=True,
    )
    return str(venv / "bin" / "python"), str(venv / "bin" / "partners")


def growth_factors(pairs: list[Pair], sizes: list[int]) -> list[str]:
    """How our time grows per step in size: no worse than linear means factor <= size factor."""
    lines = []
    for kind in ("filter", "search"):
        times = [
            statistics.median(p.ours_seconds)
            for size in sizes
            for p in pairs
            if f"{kind} ({size:,} records)" in p.name
        ]
        if len(times) != len(sizes):  # this group was not run
            continue
        for (small, big), (t_small, t_big) in zip(pairwise(sizes), pairwise(times), strict=True):
            factor = t_big / t_small
            verdict = "ok" if factor <= big / small else "WORSE THAN LINEAR"
            lines.append(
                f"growth, {kind}: {small:,} -> {big:,} records: x{factor:.2f} (size x{big // small}) {verdict}"
            )
    return lines


def print_row(pair: Pair) -> None:
    row = pair.summary()
    verdict = (
        "(for the growth figure)"
        if pair.target is None
        else f"target <= {pair.target} " + ("met" if row["met"] else "MISSED")
    )
    line = (
        f"{pair.name}\n    ratio median {row['median']:.3f} (min {row['min']:.3f}, max {row['max']:.3f}), "
        f"{verdict}; ours {row['ours_median_s']:.3f} s, theirs {row['theirs_median_s']:.3f} s"
    )
    if pair.memory_target is None and "scale" in pair.name:
        line += f"\n    peak RSS ours {pair.ours_rss_mb:.0f} MB, theirs {pair.theirs_rss_mb:.0f} MB"
    if pair.memory_target is not None:
        memory = "met" if row["memory_met"] else "MISSED"
        line += (
            f"\n    peak RSS ours {pair.ours_rss_mb:.0f} MB, theirs {pair.theirs_rss_mb:.0f} MB: "
            f"ratio {row['memory_ratio']:.3f}, target <= {pair.memory_target} {memory}"
        )
    print(line, flush=True)


if __name__ == "__main__":
    main()
