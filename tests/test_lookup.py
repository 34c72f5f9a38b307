"""Resolving what people type to one partner or theme, or saying why not."""

from __future__ import annotations

import pytest

from partnercli import catalogue, lookup
from partnercli.errors import AmbiguousError, NotFoundError, UsageError
from partnercli.lookup import key
from partnercli.models import Catalogue, PartnerType
from tests.conftest import WriteData, minimal_dataset, record


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("unesco", "unesco"),  # exact id
        ("UNESCO", "unesco"),  # case
        ("  unesco ", "unesco"),  # surrounding space
        ("OMPI", "wipo"),  # French acronym
        ("ompi", "wipo"),
        ("World Customs Organisation", "wco"),  # the page's own spelling
        ("world customs organization", "wco"),  # the official name
        ("故宫博物院", "palace-museum"),  # native script
        ("musee du palais", "palace-museum"),  # accents do not matter
        ("Ministere de la culture", "french-ministry-of-culture"),
        ("Palace Museum", "palace-museum"),  # exact name
        ("smith", "smithsonian"),  # unique prefix of an id and a name
        ("french ministry", "french-ministry-of-culture"),  # prefix of a name
        ("world customs", "wco"),
        ("getty", "getty-foundation"),
        ("ica", "ica"),  # an exact id wins over being a prefix of iccrom
        ("icomo", "icomos"),  # a unique prefix
        ("The Getty Foundation", "getty-foundation"),  # the page's headings, with "The"
        ("The Palace Museum", "palace-museum"),
        ("The European Union", "eu"),
        ("The French Ministry of Culture", "french-ministry-of-culture"),
        ("the smithsonian", "smithsonian"),  # an alias with "the"
        ("smithsonian", "smithsonian"),
    ],
)
def test_resolves(bundled: Catalogue, query: str, expected: str) -> None:
    assert lookup.find_partner(bundled, query)[0].id == expected


@pytest.mark.parametrize(
    ("query", "expected", "exact"),
    [
        ("unesco", "unesco", True),
        ("smith", "smithsonian", False),
        ("Getty", "getty-foundation", False),
    ],
)
def test_a_pick_by_the_start_of_a_name_is_not_exact(
    bundled: Catalogue, query: str, expected: str, exact: bool
) -> None:
    partner, found_exactly = lookup.find_partner(bundled, query)
    assert (partner.id, found_exactly) == (expected, exact)


@pytest.mark.parametrize(
    "query",
    ["icom", "ICOM", "International Council of Museums", "Conseil international des musées"],
)
def test_icom_is_not_a_partner(bundled: Catalogue, query: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        lookup.find_partner(bundled, query)[0]
    assert "ICOM itself, the organisation these are partners of, not a partner" in str(caught.value)
    assert caught.value.hints == (
        "run 'partners about' for ICOM and its network",
        "or did you mean icomos?",
    )


@pytest.mark.parametrize("query", ["the", "The", "t", "ic", "sm"])
def test_an_article_or_a_short_start_is_not_a_name(bundled: Catalogue, query: str) -> None:
    with pytest.raises(NotFoundError):
        lookup.find_partner(bundled, query)[0]


def test_resolution_order_id_then_alias_then_name_then_prefix(write_data: WriteData) -> None:
    data = minimal_dataset(
        record("alpha", name="Gamma Org", aliases=["BETA"]),
        record("beta", name="Delta Org"),
        record("gamma", name="Alpha House", aliases=["Epsilon"]),
        record("delta-org", name="Zeta"),
    )
    cat = catalogue.load(write_data(data))
    assert lookup.find_partner(cat, "beta")[0].id == "beta"  # id beats alias
    assert lookup.find_partner(cat, "epsilon")[0].id == "gamma"  # alias
    assert lookup.find_partner(cat, "gamma org")[0].id == "alpha"  # name beats id prefix
    assert lookup.find_partner(cat, "delta org")[0].id == "beta"  # exact name beats id prefix
    assert lookup.find_partner(cat, "zet")[0].id == "delta-org"  # prefix


def test_ambiguous_prefix_lists_candidates(bundled: Catalogue) -> None:
    with pytest.raises(AmbiguousError) as caught:
        lookup.find_partner(bundled, "int")[0]
    assert caught.value.message.startswith("'int' is ambiguous: aliph, blue-shield, ica, iccrom")


def test_not_found_suggests_the_closest(bundled: Catalogue) -> None:
    with pytest.raises(NotFoundError) as caught:
        lookup.find_partner(bundled, "intrepol")[0]
    assert caught.value.message == "no partner 'intrepol'"
    assert caught.value.hints == ("did you mean interpol?",)


def test_not_found_without_anything_close(bundled: Catalogue) -> None:
    with pytest.raises(NotFoundError) as caught:
        lookup.find_partner(bundled, "qqqqqqq")[0]
    assert "partners list" in caught.value.hints[0]


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_name_is_a_usage_error(bundled: Catalogue, query: str) -> None:
    with pytest.raises(UsageError):
        lookup.find_partner(bundled, query)[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("illicit-trafficking", "illicit-trafficking"),
        ("Illicit trafficking", "illicit-trafficking"),
        ("illicit", "illicit-trafficking"),
        ("LAW", "law-and-policy"),
        ("education", "education-and-research"),
    ],
)
def test_resolves_themes(bundled: Catalogue, query: str, expected: str) -> None:
    assert lookup.resolve_theme(bundled, query).id == expected


def test_unknown_theme_lists_the_themes(bundled: Catalogue) -> None:
    with pytest.raises(NotFoundError) as caught:
        lookup.resolve_theme(bundled, "ilicit-trafic")
    hints = caught.value.hints
    assert hints == (
        "did you mean illicit-trafficking? themes: illicit-trafficking, emergencies, "
        "capacity-building, funding, intellectual-property, conservation, law-and-policy, "
        "education-and-research, sustainable-development, professional-networks",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ngo", PartnerType.NGO),
        ("IGO", PartnerType.IGO),
        ("Non-Governmental", PartnerType.NGO),
        ("intergovernmental", PartnerType.IGO),
        ("museum-institution", PartnerType.MUSEUM),
    ],
)
def test_parse_type(value: str, expected: PartnerType) -> None:
    assert lookup.parse_type(value) is expected


def test_parse_type_lists_valid_values() -> None:
    with pytest.raises(UsageError, match="expected one of: ngo, igo, museum, non-governmental"):
        lookup.parse_type("charity")


def test_an_exact_id_is_found_without_folding_every_name(
    bundled: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 100,000-record `show ID` folded 281,000 names before this."""

    keys: list[str] = []

    def counted_key(name: str) -> str:
        keys.append(name)
        return key(name)

    monkeypatch.setattr(lookup, "key", counted_key)
    assert lookup.find_partner(bundled, "UNESCO ") == (bundled.partner("unesco"), True)
    assert keys == ["UNESCO "], "every name folded for an exact id"
