"""Search and lookup quality, measured: nDCG@5 and false positives on the judged queries, and the
wrong answers users met before (issue "Answers you can trust"), each as a test."""

from __future__ import annotations

import difflib

import pytest

from benchmarks.relevance import evaluate, judged, summary
from partnercli import search
from partnercli.models import Catalogue

#: Floors set from what the judged set reaches (0.991 and 0.0% when they were set): a change
#: that makes answers worse fails here. Per-query scores: python -m benchmarks.relevance
NDCG_FLOOR = 0.98
FALSE_POSITIVE_CEILING = 0.01


def ids(hits: list[search.Hit]) -> list[str]:
    return [h.partner.id for h in hits]


def test_the_judged_set_is_large_and_varied() -> None:
    queries = judged()
    assert len(queries) >= 60
    kinds = {q.kind for q in queries}
    assert kinds >= {"word", "phrase", "place", "acronym", "name", "type", "vocabulary"}


def test_mean_ndcg_at_5_and_false_positives(bundled: Catalogue) -> None:
    results = evaluate(bundled, judged())
    figures = summary(results)
    worst = sorted(results, key=lambda r: r.ndcg)[:5]
    assert figures.ndcg >= NDCG_FLOOR, [(r.query, round(r.ndcg, 3), r.top) for r in worst]
    assert figures.false_positives <= FALSE_POSITIVE_CEILING, [
        (r.query, r.false_positives) for r in results if r.false_positives
    ]


@pytest.mark.parametrize(
    ("query", "never"),
    [
        ("founded", {"getty-foundation", "aliph"}),  # not "Foundation"
        ("police", {"oecd", "eu", "unesco"}),  # not "policy"
        ("emergency", {"getty-foundation"}),  # not "emerging"
        ("united nations", {"smithsonian"}),  # not "United States" + "National Zoo"
    ],
)
def test_a_word_never_pulls_in_another_word_family(
    bundled: Catalogue, query: str, never: set[str]
) -> None:
    found = ids(search.search(bundled, query))
    assert found, query
    assert not never & set(found), found


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("UN", {"ecosoc", "unesco", "unodc", "wipo"}),
        ("NGO", {"blue-shield", "ica", "icomos", "ifla", "wffm"}),
        ("intergovernmental", {"unesco", "interpol", "wco", "oecd", "eu"}),
        ("looting", {"interpol", "wco"}),
        ("theft", {"interpol", "unidroit"}),
        ("smuggling", {"interpol", "wco"}),
        ("war", {"blue-shield", "aliph"}),
        ("repatriation", {"unidroit"}),
        ("armed conflict", {"blue-shield", "aliph", "smithsonian"}),
    ],
)
def test_what_people_mean_is_found(bundled: Catalogue, query: str, expected: set[str]) -> None:
    assert expected <= set(ids(search.search(bundled, query))), query


def test_two_letter_words_are_searchable_where_they_are_whole_words(bundled: Catalogue) -> None:
    assert ids(search.search(bundled, "UE")) == ["eu"]
    assert ids(search.search(bundled, "un")) == ids(search.search(bundled, "UN"))


def test_vocabulary_hits_rank_below_the_partner_s_own_text(bundled: Catalogue) -> None:
    hits = search.search(bundled, "stolen")
    own = [h for h in hits if "vocabulary" not in h.matches or len(h.matches) > 1]
    assert ids(hits)[: len(own)] == ids(own)
    assert {"interpol", "unidroit"} == set(ids(own))
    vocabulary_only = hits[len(own)]
    assert vocabulary_only.field == "vocabulary" or vocabulary_only.field in search.TEXT_FIELDS


def test_a_vocabulary_snippet_says_which_theme(bundled: Catalogue) -> None:
    hit = search.search(bundled, "looting", limit=1)[0]
    assert hit.marked_snippet() == "theme Illicit trafficking ([looting])"


@pytest.mark.parametrize(
    ("query", "partner", "snippet"),
    [
        (
            "customs",
            "wco",
            "…organisation of capacity building programmes aiming at training [customs] agents in "
            "the identification of suspicious movement of…",
        ),
    ],
)
def test_a_name_hit_is_explained_by_a_sentence_of_the_text(
    bundled: Catalogue, query: str, partner: str, snippet: str
) -> None:
    hit = next(h for h in search.search(bundled, query) if h.partner.id == partner)
    assert "name" in hit.matches
    assert hit.field in search.TEXT_FIELDS or hit.field == "name"
    if hit.field != "name":
        assert hit.marked_snippet() == snippet


def test_partial_matches_follow_only_when_few_match_every_word(bundled: Catalogue) -> None:
    hits = search.search(bundled, "natural disasters zoo")
    assert hits
    assert [h.partial for h in hits] == sorted(h.partial for h in hits)
    full = search.search(bundled, "cultural goods")
    assert not any(h.partial for h in full), "enough partners match every word"


def test_a_theme_hit_is_explained_by_its_evidence(bundled: Catalogue) -> None:
    hit = next(h for h in search.search(bundled, "illicit") if h.partner.id == "unidroit")
    assert hit.marked_snippet() == (
        "[Illicit] trafficking: …Convention on Stolen or Illegally Exported Cultural Objects…"
    )


def test_did_you_mean_draws_on_data_words_and_never_on_unrelated_ones(bundled: Catalogue) -> None:
    assert search.did_you_mean(bundled, "ilicit") == "illicit"
    assert search.did_you_mean(bundled, "restitutoin") == "restitution"
    assert search.did_you_mean(bundled, "UN") is None  # not "run"
    assert search.did_you_mean(bundled, "promotting") is None  # no data word is that close
    assert search.did_you_mean(bundled, "looting") is None  # a vocabulary word: found, not fixed


def test_did_you_mean_is_fast_on_repeated_words(
    bundled: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each distinct word is looked up once (2,000 copies of a word took 2.75 s before)."""
    real = difflib.get_close_matches
    calls: list[str] = []

    def counted(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        calls.append(word)
        return real(word, possibilities, n, cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    assert search.did_you_mean(bundled, " ".join(["ilicit"] * 2000)) == " ".join(["illicit"] * 2000)
    assert len(calls) <= 2
