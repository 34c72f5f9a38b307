"""The bundled dataset: complete, faithful to ICOM's partners page, every fact traceable.

`tests/data/icom_partners_page.txt` and `tests/data/reference_facts.md` are copies of the
sources the data was compiled from; these tests hold the data to them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from partnercli.models import Catalogue, PartnerType
from partnercli.text import fold
from tests.conftest import BUNDLED, DATA_DIR

FIXED_IDS = {
    PartnerType.NGO: ["blue-shield", "ica", "icomos", "ifla", "wffm", "aliph"],
    PartnerType.IGO: [
        "alecso", "ecosoc", "iccrom", "interpol", "unesco", "unodc",
        "wco", "wipo", "unidroit", "oecd", "eu",
    ],
    PartnerType.MUSEUM: [
        "french-ministry-of-culture", "getty-foundation", "palace-museum", "smithsonian",
    ],
}  # fmt: skip
REQUIRED_THEMES = {
    "illicit-trafficking", "emergencies", "capacity-building", "funding",
    "intellectual-property", "conservation", "law-and-policy", "education-and-research",
    "sustainable-development", "professional-networks",
}  # fmt: skip

#: The only changes made to the page's text: obvious typos. Each must really be on the page.
TYPO_FIXES = [
    ("goods practices", "good practices"),
    ("Under the Under the", "Under the"),
    ("located is the", "located in the"),
    ("four founding member of", "four founding members of"),
    ("in charge\u00a0 of", "in charge of"),  # a no-break space and a space
    ("Committee on\u00a0 Copyright", "Committee on Copyright"),
]


def page_text() -> str:
    return (DATA_DIR / "icom_partners_page.txt").read_text(encoding="utf-8")


def page_paragraphs() -> list[str]:
    """The 21 partner paragraphs of the page, in order (headings and 'Learn more' left out)."""
    paragraphs = []
    for line in page_text().splitlines():
        if line.startswith("    ") and line.strip() not in ("", "Learn more"):
            paragraphs.append(line.strip())
    return paragraphs


def fixed(text: str) -> str:
    for wrong, right in TYPO_FIXES:
        text = text.replace(wrong, right)
    return text


def reference_rows() -> dict[str, dict[str, str]]:
    """The reference facts table, keyed by partner id."""
    lines = (DATA_DIR / "reference_facts.md").read_text(encoding="utf-8").splitlines()
    header = [
        c.strip() for c in next(ln for ln in lines if ln.startswith("| id ")).split("|")[1:-1]
    ]
    rows = {}
    for line in lines:
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if (
            len(cells) == len(header)
            and re.fullmatch(r"[a-z][a-z-]*", cells[0])
            and cells[0] != "id"
        ):
            rows[cells[0]] = dict(zip(header, cells, strict=True))
    return rows


def test_counts_per_type(bundled: Catalogue) -> None:
    counts = Counter(p.type for p in bundled.partners)
    assert counts == {PartnerType.NGO: 6, PartnerType.IGO: 11, PartnerType.MUSEUM: 4}


@pytest.mark.parametrize("type_", list(PartnerType))
def test_fixed_ids_per_type(bundled: Catalogue, type_: PartnerType) -> None:
    assert sorted(p.id for p in bundled.partners if p.type is type_) == sorted(FIXED_IDS[type_])


def test_headingless_partners_are_there(bundled: Catalogue) -> None:
    """INTERPOL and UNIDROIT have a paragraph but no heading on the page."""
    for partner_id in ("interpol", "unidroit"):
        partner = bundled.partner(partner_id)
        assert partner is not None
        assert partner.type is PartnerType.IGO


def test_every_page_paragraph_is_one_partner_split_in_two(bundled: Catalogue) -> None:
    paragraphs = page_paragraphs()
    assert len(paragraphs) == 21
    for partner, paragraph in zip(bundled.partners, paragraphs, strict=True):
        joined = " ".join(t for t in (partner.description, partner.partnership) if t)
        assert joined == fixed(paragraph), partner.id


@pytest.mark.parametrize(("wrong", "right"), TYPO_FIXES)
def test_each_typo_fix_is_needed(wrong: str, right: str) -> None:
    assert wrong in page_text()
    assert wrong not in fixed(page_text())


def test_partnership_is_null_only_where_the_page_says_nothing_of_icom(bundled: Catalogue) -> None:
    # WIPO's paragraph is a single sentence: by the split rule it is all description.
    assert {p.id for p in bundled.partners if p.partnership is None} == {"wffm", "oecd", "wipo"}
    for partner in bundled.partners:
        if partner.partnership is not None:
            assert "ICOM" in partner.partnership, partner.id


def test_since_years_are_the_four_the_page_gives(bundled: Catalogue) -> None:
    since = {p.id: p.since for p in bundled.partners if p.since is not None}
    assert since == {"interpol": 2000, "wco": 2000, "alecso": 2002, "aliph": 2022}
    for partner_id, year in since.items():
        partner = bundled.partner(partner_id)
        assert partner is not None
        assert partner.partnership is not None
        assert str(year) in partner.partnership


def test_themes_are_the_required_ones_and_all_used(bundled: Catalogue) -> None:
    assert {t.id for t in bundled.themes} == REQUIRED_THEMES
    counts = bundled.theme_counts()
    assert all(counts[t] > 0 for t in REQUIRED_THEMES), counts
    assert all(p.themes for p in bundled.partners)


def test_aliases_and_acronyms_are_unique_across_partners(bundled: Catalogue) -> None:
    names = [
        fold(n) for p in bundled.partners for n in {*p.aliases, *([p.acronym] if p.acronym else [])}
    ]
    assert [n for n, c in Counter(names).items() if c > 1] == []


@pytest.mark.parametrize(
    ("partner_id", "alias"),
    [
        ("unodc", "ONUDC"), ("wipo", "OMPI"), ("wco", "OMD"), ("oecd", "OCDE"), ("eu", "UE"),
        ("wco", "World Customs Organisation"), ("palace-museum", "故宫博物院"),
        ("alecso", "Arab League for Education, Culture and Science Organization"),
        ("aliph", "Aliph Foundation"), ("wco", "Customs Co-operation Council"),
    ],
)  # fmt: skip
def test_aliases_people_type(bundled: Catalogue, partner_id: str, alias: str) -> None:
    partner = bundled.partner(partner_id)
    assert partner is not None
    assert alias in partner.aliases


def test_relations_are_symmetric(bundled: Catalogue) -> None:
    links = {(p.id, r.id) for p in bundled.partners for r in p.related}
    assert links, "the network has links"
    assert {(b, a) for a, b in links} == links


def test_blue_shield_founders_and_un_system(bundled: Catalogue) -> None:
    blue = bundled.partner("blue-shield")
    assert blue is not None
    assert {r.id for r in blue.related} == {"ica", "icomos", "ifla"}
    un = {"ecosoc", "unesco", "unodc", "wipo"}
    for partner_id in un:
        partner = bundled.partner(partner_id)
        assert partner is not None
        assert un - {partner_id} <= {r.id for r in partner.related}


def test_facts_come_from_the_reference_table(bundled: Catalogue) -> None:
    rows = reference_rows()
    assert set(rows) == {p.id for p in bundled.partners}
    for partner in bundled.partners:
        row = rows[partner.id]
        urls = re.findall(r"https://[^\s;)]+", row["website"])
        if "(likely" in row["website"]:
            assert partner.website is None, f"{partner.id}: an uncertain website is left out"
        else:
            assert partner.website == urls[0], partner.id
        assert partner.founded == int(row["founded"][:4]), partner.id
        assert partner.headquarters is not None
        assert partner.headquarters.country == row["country"], partner.id
        assert row["seat"].startswith(partner.headquarters.city), partner.id
        acronym = None if row["acronym"] == "—" else row["acronym"]
        assert partner.acronym == acronym, partner.id


def test_source_names_the_page_and_a_date(bundled: Catalogue) -> None:
    assert bundled.source.title == "Partners"
    assert "ICOM" in (bundled.source.publisher or "")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", bundled.source.compiled or "")
    assert "url" not in BUNDLED["source"], "no URL that cannot be verified"
