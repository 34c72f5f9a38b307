"""Search quality on the judged queries: nDCG@5 per query, and the false positives in the top 5.

    python -m benchmarks.relevance              # every query, worst first, then the means
    python -m benchmarks.relevance --failing    # only queries below nDCG@5 1.0 or with a false positive

Judgments are in tests/data/judged_queries.json (2 = the answer, 1 = relevant, unlisted = not
relevant); tests/test_relevance.py holds the means to a floor.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path

from partnercli import catalogue, search
from partnercli.models import Catalogue

JUDGED = Path(__file__).parent.parent / "tests" / "data" / "judged_queries.json"
K = 5


@dataclass(frozen=True)
class Scored:
    query: str
    kind: str
    ndcg: float
    top: list[str]
    false_positives: list[str]


def dcg(gains: list[int]) -> float:
    return sum((2.0**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:K]))


def score(cat: Catalogue, query: str, kind: str, relevant: dict[str, int]) -> Scored:
    top = [h.partner.id for h in search.search(cat, query, limit=K)]
    ideal = dcg(sorted(relevant.values(), reverse=True))
    ndcg = dcg([relevant.get(i, 0) for i in top]) / ideal if ideal else 1.0
    return Scored(query, kind, ndcg, top, [i for i in top if i not in relevant])


def judged() -> list[dict[str, object]]:
    queries: list[dict[str, object]] = json.loads(JUDGED.read_text(encoding="utf-8"))["queries"]
    return queries


def evaluate(cat: Catalogue) -> list[Scored]:
    return [
        score(cat, str(q["query"]), str(q["kind"]), dict(q["relevant"]))  # type: ignore[call-overload]  # JSON object of grades
        for q in judged()
    ]


def summary(results: list[Scored]) -> tuple[float, float]:
    """Mean nDCG@5, and the share of top-5 results that are not relevant."""
    shown = sum(len(r.top) for r in results)
    wrong = sum(len(r.false_positives) for r in results)
    return sum(r.ndcg for r in results) / len(results), wrong / shown if shown else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--failing", action="store_true", help="only imperfect queries")
    args = parser.parse_args()
    results = evaluate(catalogue.load())
    for r in sorted(results, key=lambda r: (r.ndcg, r.query)):
        if args.failing and r.ndcg == 1.0 and not r.false_positives:
            continue
        wrong = f"  false positives: {', '.join(r.false_positives)}" if r.false_positives else ""
        print(f"{r.ndcg:5.3f}  {r.kind:10}  {r.query!r:32} {', '.join(r.top)}{wrong}")
    mean, share = summary(results)
    print(
        f"\n{len(results)} queries: mean nDCG@{K} {mean:.3f}; {share:.1%} of top-{K} results not relevant"
    )


if __name__ == "__main__":
    main()
