"""Ranked search: relevance on the page's own content, safety on any input, the output contract."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnercli import search
from partnercli.errors import UsageError
from partnercli.models import Catalogue, PartnerType
from tests.conftest import Invoke, searched_as

# (query, partners that must be first (a set: any order among them), must be in the top N, N)
RELEVANCE: list[tuple[str, set[str], set[str], int]] = [
    ("Beijing", {"palace-museum"}, set(), 1),
    ("drugs", {"unodc"}, set(), 1),
    ("crime", {"unodc"}, {"interpol"}, 3),
    ("customs", {"wco"}, set(), 1),
    ("police", {"interpol"}, set(), 1),
    ("archives", {"ica"}, set(), 1),
    ("libraries", {"ifla"}, set(), 1),
    ("library", {"ifla"}, set(), 1),
    ("monuments", {"icomos"}, set(), 1),
    ("friends", {"wffm"}, set(), 1),
    ("volunteers", {"wffm"}, set(), 1),
    ("copyright", {"wipo"}, set(), 1),
    ("intellectual property", {"wipo", "ifla"}, {"wipo", "ifla"}, 2),
    ("Forbidden City", {"palace-museum"}, set(), 1),
    ("zoo", {"smithsonian"}, set(), 1),
    ("Getty", {"getty-foundation"}, set(), 1),
    ("Arab", {"alecso"}, set(), 1),
    ("Villa Aldobrandini", {"unidroit"}, set(), 1),
    ("stolen", set(), {"interpol", "unidroit"}, 3),
    ("illicit", set(), {"interpol", "wco", "unodc", "unidroit", "eu", "ecosoc"}, 8),
    ("traffic", set(), {"interpol", "wco", "unodc"}, 8),
    ("trafficking", set(), {"interpol", "wco", "eu"}, 8),
    ("armed conflict", {"blue-shield"}, set(), 1),
    ("restoration", {"iccrom"}, set(), 2),
    ("sustainable development", {"ecosoc"}, set(), 1),
    ("grants", {"getty-foundation", "aliph"}, set(), 2),  # the Getty Grant Program, ALIPH's grants
    ("Memorandum of Understanding", {"aliph"}, set(), 1),
    ("observatory", {"french-ministry-of-culture"}, set(), 1),
    ("ONUDC", {"unodc"}, set(), 1),
    ("OMPI", {"wipo"}, set(), 1),
    ("musee", {"wffm", "palace-museum"}, set(), 2),
    ("Geneva", set(), {"aliph", "wipo"}, 2),
    ("France", set(), {"french-ministry-of-culture", "unesco", "oecd"}, 7),
    ('"cultural goods"', set(), {"interpol", "wco", "blue-shield"}, 10),
    ("故宫", {"palace-museum"}, set(), 1),
    ("European", {"eu"}, set(), 1),
    ("emergency preparedness", {"iccrom"}, set(), 1),
]

# (query, partners that must not be found at all)
NOT_RETURNED: list[tuple[str, set[str]]] = [
    ("drugs", {"interpol", "wco", "unesco"}),
    ("Beijing", {"unesco", "smithsonian"}),
    ("customs", {"unodc", "interpol"}),
    ('"stolen objects"', {"unidroit"}),  # UNIDROIT's text says "stolen ... cultural objects"
]


def ids(hits: list[search.Hit]) -> list[str]:
    return [h.partner.id for h in hits]


@pytest.mark.parametrize(("query", "first", "top", "n"), RELEVANCE)
def test_relevance(bundled: Catalogue, query: str, first: set[str], top: set[str], n: int) -> None:
    found = ids(search.search(bundled, query))
    if first:
        assert set(found[: len(first)]) == first, found
    assert top <= set(found[:n]), found


@pytest.mark.parametrize(("query", "absent"), NOT_RETURNED)
def test_not_returned(bundled: Catalogue, query: str, absent: set[str]) -> None:
    assert not absent & set(ids(search.search(bundled, query)))


def test_a_name_hit_outranks_a_description_hit(bundled: Catalogue) -> None:
    hits = search.search(bundled, "museum")
    assert hits[0].partner.id == "palace-museum"
    assert "name" in hits[0].matches


def test_words_that_match_nowhere_together_are_partial_matches(bundled: Catalogue) -> None:
    hits = search.search(bundled, "illicit zoo")
    assert hits, "the rarer word carries most of the query"
    assert all(h.partial for h in hits)
    assert "smithsonian" in ids(hits)
    assert not search.search(bundled, "illicit")[0].partial


def test_phrase_needs_the_words_together(bundled: Catalogue) -> None:
    together = ids(search.search(bundled, '"security measures"'))
    apart = ids(search.search(bundled, "security measures"))
    assert together == ["aliph"]
    assert set(together) <= set(apart)


def test_snippets_mark_the_matched_words(bundled: Catalogue) -> None:
    hit = search.search(bundled, "drugs")[0]
    assert hit.field == "name"
    assert hit.marked_snippet() == "United Nations Office on [Drugs] and Crime"


def test_ties_break_by_name_then_id(bundled: Catalogue) -> None:
    hits = search.search(bundled, "ICOM")
    keys = [(-h.score, h.partner.name.casefold(), h.partner.id) for h in hits]
    assert keys == sorted(keys)
    assert ids(search.search(bundled, "ICOM")) == ids(hits)


def test_limit(bundled: Catalogue) -> None:
    assert (
        ids(search.search(bundled, "illicit", limit=3))
        == ids(search.search(bundled, "illicit"))[:3]
    )


@pytest.mark.parametrize(
    "query",
    [
        '"', '""', "*", "-", ":", "(", ")", "AND", "OR", "NOT", "NEAR", "NEAR(a b)", "a OR b",
        "name:unesco", "^unesco", "unesco*", "-unesco", '"unclosed phrase', "🏛️ museum", "🏛️",
        "\x00", "'; DROP TABLE partners; --", "a" * 5000, " ".join(["word"] * 2000),
    ],
)  # fmt: skip
def test_any_string_is_a_valid_query(bundled: Catalogue, query: str) -> None:
    hits = search.search(bundled, query)
    assert all(isinstance(h.partner.id, str) for h in hits)


def test_query_language_is_only_text(bundled: Catalogue) -> None:
    assert ids(search.search(bundled, "name:unesco")) == ids(search.search(bundled, "name unesco"))
    # OR is no operator: a word, and a stop word at that; no partner names both UNESCO and INTERPOL
    assert all(h.partial for h in search.search(bundled, "unesco OR interpol"))
    assert ids(search.search(bundled, "unesco OR interpol")) == ids(
        search.search(bundled, "unesco interpol")
    )


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_query_is_a_usage_error(bundled: Catalogue, query: str) -> None:
    with pytest.raises(UsageError):
        search.search(bundled, query)


def test_too_many_distinct_words_is_a_usage_error(bundled: Catalogue) -> None:
    with pytest.raises(UsageError, match="use at most 200"):
        search.search(bundled, " ".join(f"w{i}" for i in range(201)))


def test_a_misspelling_is_searched_as_the_data_s_word(bundled: Catalogue) -> None:
    assert searched_as(bundled, "ilicit") == "illicit"
    assert searched_as(bundled, "ilicit trafic") == "illicit traffic"
    assert searched_as(bundled, "illicit") is None
    assert searched_as(bundled, "qqqqzzzz") is None
    assert {h.correction for h in search.search(bundled, "ilicit trafic")} == {"illicit traffic"}


def test_former_names_are_searched_even_when_not_among_the_aliases(bundled: Catalogue) -> None:
    import msgspec

    wco = bundled.partner("wco")
    assert wco is not None
    renamed = msgspec.structs.replace(wco, aliases=(), former_names=("Zollrat Kooperation",))
    partners = tuple(renamed if p.id == "wco" else p for p in bundled.partners)
    catalogue = msgspec.structs.replace(bundled, partners=partners)
    assert ids(search.search(catalogue, "zollrat")) == ["wco"]


def test_a_data_word_with_an_underscore_is_one_word(bundled: Catalogue) -> None:
    """Searched as it is read: `zeta_omega` is one word (SQLite FTS5, used before, split it in
    the index but not in the query, and corrected the query's word to itself)."""
    import msgspec

    wco = bundled.partner("wco")
    assert wco is not None
    renamed = msgspec.structs.replace(wco, former_names=("Zeta_omega Council",))
    partners = tuple(renamed if p.id == "wco" else p for p in bundled.partners)
    catalogue = msgspec.structs.replace(bundled, partners=partners)
    notes: list[str] = []
    assert ids(search.search(catalogue, "zeta_omega", notes=notes)) == ["wco"]
    assert notes == []


@given(st.text(max_size=200))
def test_property_any_text_returns_a_subset_without_error(text: str) -> None:
    catalogue = _bundled()
    try:
        hits = search.search(catalogue, text)
    except UsageError:
        assert not text.strip()
        return
    found = ids(hits)
    assert set(found) <= {p.id for p in catalogue.partners}
    assert len(found) == len(set(found))


@given(
    st.sampled_from(
        ["illicit", "heritage", "museum", "cultural", "ICOM", "training", "un", "conservation"]
    ),
    st.sampled_from([None, *PartnerType]),
    st.sampled_from([None, "illicit-trafficking", "emergencies", "capacity-building", "funding"]),
)
def test_property_filters_return_a_subset(
    query: str, type_: PartnerType | None, theme: str | None
) -> None:
    catalogue = _bundled()
    everything = ids(search.search(catalogue, query))
    candidates = [
        p
        for p in catalogue.partners
        if (type_ is None or p.type is type_) and (theme is None or theme in p.themes)
    ]
    filtered = ids(search.search(catalogue, query, candidates=candidates))
    assert set(filtered) <= set(everything)
    assert filtered == [i for i in everything if i in {p.id for p in candidates}]


def test_a_theme_named_by_no_searchable_word_matches_no_partner() -> None:
    """A theme called `R&D` has no word to look for in the themes field: a word of its
    vocabulary finds no partner through it, rather than every partner."""
    from partnercli import catalogue
    from tests.conftest import minimal_dataset, record

    def found(theme_name: str) -> list[str]:
        data = minimal_dataset(record("a", themes=["rd"]), record("b"), record("c"))
        data["themes"].append({"id": "rd", "name": theme_name, "vocabulary": ["zebrafish"]})
        cat = catalogue.parse(json.dumps(data).encode(), source_name="test")
        return [hit.partner.id for hit in search.search(cat, "zebrafish")]

    assert found("Research") == ["a"]  # the vocabulary leads to the theme's partners
    assert found("R&D") == []


def test_no_text_of_the_data_can_forge_a_mark() -> None:
    """U+E000 and U+E001 mark a match inside a snippet; the same characters in the data are
    left out, so only what matched is marked, in every output."""
    from partnercli import catalogue
    from tests.conftest import minimal_dataset, record

    forged = "We fight zorblax \ue000 here \ue001 daily."
    data = minimal_dataset(record("a", description=forged), record("b"))
    cat = catalogue.parse(json.dumps(data).encode(), source_name="test")
    [hit] = search.search(cat, "zorblax")
    assert hit.marked_snippet() == "We fight [zorblax]  here  daily."


def _bundled() -> Catalogue:
    from partnercli import catalogue

    return catalogue.load()


# -- the command ------------------------------------------------------------------------------------


def test_search_plain_snippet_is_the_last_column(invoke: Invoke) -> None:
    result = invoke("search", "drugs")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "unodc\tigo\tUNODC\tUnited Nations Office on Drugs and Crime\t"
        "education-and-research; illicit-trafficking\tname\tUnited Nations Office on [Drugs] and Crime\n"
    )


def test_search_json_carries_score_and_snippet(invoke: Invoke) -> None:
    hits = json.loads(invoke("search", "illicit", "--json").stdout)
    assert len(hits) >= 8
    assert all("[illicit]" in h["snippet"].lower() for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert {"id", "name", "description", "score", "snippet", "matched_in"} <= set(hits[0])
    assert {"contributions", "correction", "partial"} <= set(hits[0])
    for hit in hits:  # the score is what the words contributed
        assert sum(hit["contributions"].values()) == pytest.approx(hit["score"], abs=1e-5)


def test_search_several_words_and_filters(invoke: Invoke) -> None:
    out = invoke("search", "cultural", "heritage", "--type", "museum", "--theme", "funding").stdout
    assert [line.split("\t")[0] for line in out.splitlines()] == ["french-ministry-of-culture"]


def test_search_table_bolds_matches(invoke: Invoke) -> None:
    out = invoke(
        "search", "Beijing", "-f", "table", env={"FORCE_COLOR": "1", "COLUMNS": "120"}
    ).stdout
    assert "\x1b[1;33m[Beijing]" in out


def test_search_corrects_a_misspelling_and_says_so(invoke: Invoke) -> None:
    result = invoke("search", "interpool", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "interpol"
    assert {h["correction"] for h in hits} == {"interpol"}
    assert result.stderr == "showing results for interpol\n"


def test_search_nothing_found_is_success(invoke: Invoke) -> None:
    result = invoke("search", "football", "--json")
    assert result.exit_code == 0
    assert result.stdout == "[]\n"
    assert result.stderr == "no partners match 'football'\n"


def test_search_of_only_common_words_finds_nothing_with_a_note(invoke: Invoke) -> None:
    result = invoke("search", "who", "can", "help", "me", "--json")
    assert result.exit_code == 0
    assert result.stdout == "[]\n"
    assert result.stderr.splitlines() == [
        "only common words (who, can, help, me): give a word of what you look for",
        "no partners match 'who can help me'",
    ]


def test_search_empty_query_exits_2(invoke: Invoke) -> None:
    result = invoke("search", " ")
    assert result.exit_code == 2
    assert "empty query" in result.stderr


def test_search_limit_must_be_positive(invoke: Invoke) -> None:
    for value in ("0", "-1"):
        result = invoke("search", "illicit", "--limit", value)
        assert result.exit_code == 2
        assert "--limit" in result.stderr
    assert len(invoke("search", "illicit", "-n", "2").stdout.splitlines()) == 2


def test_search_query_after_double_dash(invoke: Invoke) -> None:
    result = invoke("search", "--", "--json")
    assert result.exit_code == 0
    assert result.stdout == ""  # "--json" is a query word here, and nothing matches "json"


def test_the_index_finds_a_word_of_the_data(bundled: Catalogue) -> None:
    index = search.Index.of(bundled)
    assert index.score(search.Term(("illicit",)))
    assert index.holds(search.Term(("illicit",)))


def test_snippets_join_names_as_lists_are_joined_and_never_show_the_id(bundled: Catalogue) -> None:
    [hit] = [h for h in search.search(bundled, "icbs") if h.partner.id == "blue-shield"]
    assert hit.field == "aliases"
    assert "; [ICBS]" in hit.marked_snippet()
    assert " ; " not in hit.marked_snippet()
    assert "blue-shield" not in hit.marked_snippet()
