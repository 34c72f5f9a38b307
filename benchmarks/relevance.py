"""Search quality on the judged queries, in two halves: the tuning half and the held-out half.

    python -m benchmarks.relevance              # both halves' figures; the tuning half's queries
    python -m benchmarks.relevance --failing    # only tuning queries below 1.0 or with a false positive

Judgments: grade 2 = the answer, 1 = relevant, unlisted = not relevant; a query with no relevant
partner should find nothing. The tuning half (tests/data/judged_queries.json) is what the ranking
may be tuned on. The held-out half (tests/data/heldout_queries.json) was written blind, from the
page, by someone who had not seen the code: it is only ever read as aggregate figures, never
query by query (looking at its single queries would make it a second tuning set).
tests/test_relevance.py holds both halves to a floor.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from partnercli import catalogue
from partnercli.models import Catalogue

DATA = Path(__file__).parent.parent / "tests" / "data"
TUNING = DATA / "judged_queries.json"
HELD_OUT = DATA / "heldout_queries.json"
K = 5

#: A ranking under test: the ids it shows for a query, best first.
Ranking = Callable[[Catalogue, str], list[str]]


@dataclass(frozen=True)
class Judged:
    query: str
    kind: str
    relevant: dict[str, int]


@dataclass(frozen=True)
class Scored:
    query: str
    kind: str
    ndcg: float
    top: list[str]
    false_positives: list[str]
    answerable: bool  # the judge named at least one relevant partner


@dataclass(frozen=True)
class Summary:
    """A half's aggregate figures, the only way the held-out half is read."""

    queries: int
    ndcg: float  # mean nDCG@5; a query that should find nothing scores 1 when it does
    false_positives: float  # share of the top-5 results shown that are not relevant
    empty_answerable: float  # share of answerable queries that return nothing
    nothing_found_something: int  # queries that should find nothing but returned something
    nothing_queries: int

    def line(self) -> str:
        return (
            f"{self.queries} queries: mean nDCG@{K} {self.ndcg:.3f}; "
            f"{self.false_positives:.1%} of top-{K} results not relevant; "
            f"{self.empty_answerable:.1%} of answerable queries return nothing; "
            f"{self.nothing_found_something} of {self.nothing_queries} "
            "nothing-queries return something"
        )


def dcg(gains: list[int]) -> float:
    return sum((2.0**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:K]))


def score(top: list[str], judged: Judged) -> Scored:
    top = top[:K]
    ideal = dcg(sorted(judged.relevant.values(), reverse=True))
    # A query that should find nothing scores 1 for finding nothing, 0 for anything else.
    nothing = 0.0 if top else 1.0
    ndcg = dcg([judged.relevant.get(i, 0) for i in top]) / ideal if ideal else nothing
    wrong = [i for i in top if i not in judged.relevant]
    return Scored(judged.query, judged.kind, ndcg, top, wrong, bool(judged.relevant))


def read(path: Path) -> list[Judged]:
    queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
    return [Judged(str(q["query"]), str(q["kind"]), dict(q["relevant"])) for q in queries]


def judged() -> list[Judged]:
    """The tuning half."""
    return read(TUNING)


def searched(cat: Catalogue, query: str) -> list[str]:
    from partnercli import search

    return [h.partner.id for h in search.search(cat, query, limit=K)]


def evaluate(cat: Catalogue, queries: list[Judged], ranking: Ranking = searched) -> list[Scored]:
    return [score(ranking(cat, q.query), q) for q in queries]


def summary(results: list[Scored]) -> Summary:
    shown = sum(len(r.top) for r in results)
    wrong = sum(len(r.false_positives) for r in results)
    answerable = [r for r in results if r.answerable]
    nothing = [r for r in results if not r.answerable]
    return Summary(
        queries=len(results),
        ndcg=sum(r.ndcg for r in results) / len(results),
        false_positives=wrong / shown if shown else 0.0,
        empty_answerable=sum(not r.top for r in answerable) / len(answerable) if answerable else 0,
        nothing_found_something=sum(bool(r.top) for r in nothing),
        nothing_queries=len(nothing),
    )


def held_out(cat: Catalogue, ranking: Ranking = searched) -> Summary | None:
    """The held-out half's figures (None until its file is there)."""
    if not HELD_OUT.exists():
        return None
    return summary(evaluate(cat, read(HELD_OUT), ranking))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--failing", action="store_true", help="only imperfect tuning queries")
    args = parser.parse_args()
    cat = catalogue.load()
    results = evaluate(cat, judged())
    for r in sorted(results, key=lambda r: (r.ndcg, r.query)):
        if args.failing and r.ndcg == 1.0 and not r.false_positives:
            continue
        wrong = f"  false positives: {', '.join(r.false_positives)}" if r.false_positives else ""
        print(f"{r.ndcg:5.3f}  {r.kind:10}  {r.query!r:40} {', '.join(r.top)}{wrong}")
    print(f"\ntuning half, {summary(results).line()}")
    held = held_out(cat)
    print(f"held-out half, {held.line()}" if held else "held-out half: not there yet")


if __name__ == "__main__":
    main()
