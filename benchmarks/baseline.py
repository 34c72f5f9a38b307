"""A plain, untuned ranking to measure `partners search` against, on both halves of the judged set.

    python -m benchmarks.baseline

BM25F over names (name, acronym, aliases), theme names and texts (description, partnership);
Snowball English stemming; a standard English stop-word list; a query word the data does not
hold is replaced by the data's word within edit distance 2 (1 below six letters) if there is
one; results under 30% of the best score are dropped. Nothing here is tuned on any query.
"""

from __future__ import annotations

import math
import re

import Stemmer

from benchmarks.relevance import HELD_OUT, evaluate, held_out, judged, summary
from partnercli import catalogue
from partnercli.models import Catalogue, Partner
from partnercli.search import STOP_WORDS
from partnercli.text import fold

FIELDS = {"names": 3.0, "themes": 2.0, "texts": 1.0}
K1, B, CUT = 1.2, 0.75, 0.3
_STEM = Stemmer.Stemmer("english")


def distance(a: str, b: str) -> int:
    """Edit distance with transpositions (Damerau-Levenshtein, optimal string alignment)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[-1]


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(text)) if w not in STOP_WORDS]


def _fields(partner: Partner, cat: Catalogue) -> dict[str, list[str]]:
    themes = [t.name for t in (cat.theme(i) for i in partner.themes) if t]
    texts = {
        "names": " ".join([partner.name, partner.acronym or "", *partner.aliases]),
        "themes": " ".join(themes),
        "texts": " ".join([partner.description or "", partner.partnership or ""]),
    }
    return {f: [_STEM.stemWord(w) for w in _words(t)] for f, t in texts.items()}


def ranking(cat: Catalogue, query: str) -> list[str]:
    docs = [(p.id, _fields(p, cat)) for p in cat.partners]
    raw = {w for _, d in docs for words in d.values() for w in words}
    surface = {w for p in cat.partners for w in _words(" ".join(_fields_text(p)))}
    average = {f: sum(len(d[f]) for _, d in docs) / len(docs) or 1.0 for f in FIELDS}
    terms = []
    for word in _words(query):
        stem = _STEM.stemWord(word)
        if stem not in raw:
            most = 1 if len(word) < 6 else 2
            close = sorted((distance(word, s), s) for s in surface)
            if close and close[0][0] <= most:
                stem = _STEM.stemWord(close[0][1])
        terms.append(stem)
    scores: dict[str, float] = {}
    for term in dict.fromkeys(terms):
        matching = [(i, d) for i, d in docs if any(term in words for words in d.values())]
        idf = math.log(1 + (len(docs) - len(matching) + 0.5) / (len(matching) + 0.5))
        for pid, d in matching:
            tf = sum(
                FIELDS[f] * d[f].count(term) / (1 - B + B * len(d[f]) / average[f]) for f in FIELDS
            )
            scores[pid] = scores.get(pid, 0.0) + idf * tf * (K1 + 1) / (tf + K1)
    best = max(scores.values(), default=0.0)
    kept = [(s, pid) for pid, s in scores.items() if s >= CUT * best]
    return [pid for _, pid in sorted(kept, key=lambda x: (-x[0], x[1]))]


def _fields_text(partner: Partner) -> list[str]:
    return [partner.name, partner.acronym or "", *partner.aliases, partner.description or ""]


def main() -> None:
    cat = catalogue.load()
    print(f"baseline, tuning half, {summary(evaluate(cat, judged(), ranking)).line()}")
    held = held_out(cat, ranking) if HELD_OUT.exists() else None
    print(f"baseline, held-out half, {held.line()}" if held else "held-out half: not there yet")


if __name__ == "__main__":
    main()
