"""Search quality, measured on both halves of the judged queries (the tuning half query by query,
the held-out half only as aggregates), and the answers the issues asked for, each as a test."""

from __future__ import annotations

import pytest

from benchmarks.relevance import HELD_OUT, evaluate, held_out, judged, summary
from partnercli import search
from partnercli.models import Catalogue
from tests.conftest import searched_as

#: Floors of the tuning half, set a little under what it reaches (0.963 and 4.1% when they were
#: set): a change that makes answers worse fails here. Per query: python -m benchmarks.relevance
NDCG_FLOOR = 0.95
FALSE_POSITIVE_CEILING = 0.06
#: The held-out half's targets (issue 24); it is read only as these aggregate figures.
HELD_OUT_NDCG_FLOOR = 0.90
HELD_OUT_FALSE_POSITIVE_CEILING = 0.25
HELD_OUT_EMPTY_CEILING = 0.02


def ids(hits: list[search.Hit]) -> list[str]:
    return [h.partner.id for h in hits]


def test_the_judged_set_is_large_and_varied() -> None:
    queries = judged()
    assert len(queries) >= 160
    kinds = {q.kind for q in queries}
    assert kinds >= {"word", "phrase", "place", "acronym", "name", "type", "vocabulary"}
    assert kinds >= {"question", "sentence", "derived", "typo", "domain", "nothing"}


def test_mean_ndcg_at_5_and_false_positives(bundled: Catalogue) -> None:
    results = evaluate(bundled, judged())
    figures = summary(results)
    worst = sorted(results, key=lambda r: r.ndcg)[:5]
    assert figures.ndcg >= NDCG_FLOOR, [(r.query, round(r.ndcg, 3), r.top) for r in worst]
    assert figures.false_positives <= FALSE_POSITIVE_CEILING, [
        (r.query, r.false_positives) for r in results if r.false_positives
    ]
    assert figures.empty_answerable == 0, [r.query for r in results if r.answerable and not r.top]
    assert figures.nothing_found_something == 0


@pytest.mark.skipif(not HELD_OUT.exists(), reason="the held-out half is not written yet")
def test_the_held_out_half_meets_its_targets(bundled: Catalogue) -> None:
    """Aggregates only: no query of this half is ever shown, here or anywhere."""
    figures = held_out(bundled)
    assert figures is not None
    assert figures.queries >= 120
    assert figures.ndcg >= HELD_OUT_NDCG_FLOOR, figures.line()
    assert figures.false_positives <= HELD_OUT_FALSE_POSITIVE_CEILING, figures.line()
    assert figures.empty_answerable <= HELD_OUT_EMPTY_CEILING, figures.line()
    assert figures.nothing_found_something == 0, figures.line()


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
    hits = [h for h in search.search(bundled, "theft") if h.field == "vocabulary"]
    assert hits
    assert {h.marked_snippet() for h in hits} == {"theme Illicit trafficking ([theft])"}


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


def test_a_misspelling_is_corrected_to_a_data_word_never_to_an_unrelated_one(
    bundled: Catalogue,
) -> None:
    assert searched_as(bundled, "ilicit") == "illicit"
    assert searched_as(bundled, "restitutoin") == "restitution"
    assert searched_as(bundled, "UN") is None  # not "run"
    assert searched_as(bundled, "looting") is None  # a vocabulary word: found, not fixed


def test_a_repeated_misspelling_is_looked_up_once(
    bundled: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each distinct word is looked up once (2,000 copies of a word took 2.75 s before)."""
    real = search.correction
    calls: list[str] = []

    def counted(index: search.Index, word: str) -> str | None:
        calls.append(word)
        return real(index, word)

    monkeypatch.setattr(search, "correction", counted)
    hits = search.search(bundled, " ".join(["ilicit"] * 2000))
    assert {h.correction for h in hits} == {" ".join(["illicit"] * 2000)}
    assert calls == ["ilicit"]


# -- issue 24: questions it has never seen ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("who helps museums after an earthquake", {"smithsonian", "aliph", "blue-shield"}),
        ("how to report a stolen artwork", {"interpol", "unidroit"}),
        ("which organisation can help my museum with copyright", {"wipo"}),
    ],
)
def test_a_question_never_empties_the_result(
    bundled: Catalogue, query: str, expected: set[str]
) -> None:
    assert expected <= set(ids(search.search(bundled, query))), query


def test_a_query_of_only_common_words_finds_nothing_with_a_note(bundled: Catalogue) -> None:
    notes: list[str] = []
    assert search.search(bundled, "who can help me", notes=notes) == []
    assert notes == ["only common words (who, can, help, me): give a word of what you look for"]


def test_when_none_matches_every_word_the_partial_matches_are_the_answer(
    bundled: Catalogue,
) -> None:
    hits = search.search(bundled, "libraries and archives")
    assert set(ids(hits)) == {"ifla", "ica"}
    assert all(h.partial for h in hits)


def test_partial_matches_follow_full_ones_and_the_score_follows_the_order(
    bundled: Catalogue,
) -> None:
    for query in ("who helps museums after an earthquake", "natural disasters zoo", "illicit"):
        hits = search.search(bundled, query)
        assert [h.partial for h in hits] == sorted(h.partial for h in hits), query
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True), query
        for hit in hits:
            assert sum(v for _, v in hit.contributions) == pytest.approx(hit.score, abs=1e-5)
            if not hit.partial:  # a full match: every topical word contributed
                assert len(hit.contributions) >= 1


@pytest.mark.parametrize(
    ("typed", "meant", "first"),
    [("interpool", "interpol", "interpol"), ("unseco", "unesco", "unesco")],
)
def test_a_misspelling_is_searched_as_the_data_s_word(
    bundled: Catalogue, typed: str, meant: str, first: str
) -> None:
    notes: list[str] = []
    hits = search.search(bundled, typed, notes=notes)
    assert ids(hits)[0] == first
    assert {h.correction for h in hits} == {meant}
    assert notes == [f"showing results for {meant}"]


@pytest.mark.parametrize("query", ["cake", "football", "recipe", "weather", "chocolate cake"])
def test_a_word_the_data_does_not_hold_is_never_invented_into_one(
    bundled: Catalogue, query: str
) -> None:
    assert search.search(bundled, query) == []
    assert searched_as(bundled, query) is None


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("archivist", "ica"),
        ("archivists", "ica"),
        ("restorers", "iccrom"),
        ("conservators", "iccrom"),
        ("librarians", "ifla"),
        ("librarian", "ifla"),
    ],
)
def test_word_families_meet(bundled: Catalogue, query: str, answer: str) -> None:
    assert answer in ids(search.search(bundled, query))[:2], query


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("police", "policy"),
        ("nations", "national"),
        ("emergency", "emerging"),
        ("found", "foundation"),
        ("founded", "foundation"),
        ("united", "unit"),
        ("goods", "good"),
    ],
)
def test_words_of_different_families_stay_apart(one: str, other: str) -> None:
    assert search.stem_word(one) != search.stem_word(other)


@pytest.mark.parametrize(
    ("query", "first"),
    [("smuggling", "wco"), ("theft", "interpol"), ("looting", "aliph")],
)
def test_a_domain_word_reaches_the_partner_whose_work_it_is_first(
    bundled: Catalogue, query: str, first: str
) -> None:
    assert ids(search.search(bundled, query))[0] == first


def test_domain_words_do_not_give_a_whole_theme_in_one_order(bundled: Catalogue) -> None:
    orders = {tuple(ids(search.search(bundled, q))[:3]) for q in ("smuggling", "looting", "theft")}
    assert len(orders) == 3


def test_a_domain_word_ranks_below_the_word_itself(bundled: Catalogue) -> None:
    """`stolen` is on the page: partners whose text says it come before those found only
    through the theme whose vocabulary holds it."""
    hits = search.search(bundled, "stolen")
    literal = [h for h in hits if "vocabulary" not in h.matches[:1]]
    assert set(ids(hits)[:2]) == {"interpol", "unidroit"}
    assert ids(hits)[: len(literal)] == ids(literal)


def test_the_partner_whose_work_it_is_outranks_a_passing_mention(bundled: Catalogue) -> None:
    top = ids(search.search(bundled, "illicit"))
    assert top[0] == "interpol"
    assert top.index("wco") < top.index("aliph")
