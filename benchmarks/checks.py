"""The dataset rules across records, timed against their floor, in one process.

    python -m benchmarks.checks            # 100,000 records
    python -m benchmarks.checks 10000

The floor reads the fields those rules need into the sets they need (ids, acronyms and aliases,
themes, links) with C-level iterators, folds names with `str.casefold` alone (the tool's `fold`
also drops accents, so costs more), and judges nothing: no Python code checks the rules in less.
The records are decoded and loaded as a run of `partners` loads them. Runs alternate; medians.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from itertools import chain
from operator import attrgetter

from benchmarks.datasets import scaled
from partnercli.catalogue import parse, rule_problems
from partnercli.models import Catalogue


def floor(catalogue: Catalogue) -> tuple[set[str], set[str], set[str], set[tuple[str, str]]]:
    """The least work the rules across records need: every field they read, in the sets."""
    partners = catalogue.partners
    ids = set(map(attrgetter("id"), partners))
    names = chain(
        filter(None, map(attrgetter("acronym"), partners)),
        chain.from_iterable(map(attrgetter("aliases"), partners)),
    )
    folded = set(map(str.casefold, names))
    themes = set(chain.from_iterable(map(attrgetter("themes"), partners)))
    links = {(p.id, r.id) for p in partners if p.related for r in p.related}
    return ids, folded, themes, links


def across(catalogue: Catalogue) -> object:
    """The rules across records as the loader checks them: True when they hold."""
    return not any(rule_problems(catalogue))


def measure(records: int, runs: int = 7) -> dict[str, object]:
    """The median seconds of each step, over `runs` alternations, on `records` records."""
    catalogue = parse(
        json.dumps(scaled(records), ensure_ascii=False).encode(), source_name="benchmark"
    )
    timings: dict[str, list[float]] = {"across": [], "floor": []}
    steps: dict[str, Callable[[Catalogue], object]] = {"across": across, "floor": floor}
    for _ in range(runs):
        for name, step in steps.items():
            start = time.perf_counter()
            step(catalogue)
            timings[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "records": records,
        "across_s": round(medians["across"], 6),
        "floor_s": round(medians["floor"], 6),
        "across_vs_floor": round(medians["across"] / medians["floor"], 3),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    figures = measure(int(args[0]) if args else 100_000)
    print(
        f"rules across {figures['records']:,} records: {figures['across_s']:.3f} s; their floor "
        f"{figures['floor_s']:.3f} s (x{figures['across_vs_floor']:.2f})"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
