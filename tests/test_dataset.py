"""The bundled dataset: complete, faithful to ICOM's partners page, every fact traceable.

`tests/data/icom_partners_page.txt` and `tests/data/reference_facts.md` are copies of the
sources the data was compiled from; these tests hold the data to them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from partnercli import catalogue
from partnercli.models import Catalogue, Partner, PartnerType
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


def page_text() -> str:
    return (DATA_DIR / "icom_partners_page.txt").read_text(encoding="utf-8")


def page_paragraphs() -> list[str]:
    """The 21 partner paragraphs of the page, in order (headings and 'Learn more' left out)."""
    paragraphs = []
    for line in page_text().splitlines():
        if line.startswith("    ") and line.strip() not in ("", "Learn more"):
            paragraphs.append(line.strip())
    return paragraphs


def page_headings() -> list[tuple[str | None, str | None]]:
    """(section, heading) for each partner paragraph of the page, in order; None: no heading."""
    sections = BUNDLED["source"]["sections"]
    found: list[tuple[str | None, str | None]] = []
    section: str | None = None
    heading: str | None = None
    for line in page_text().splitlines():
        if line in sections:
            section = line
        elif line.startswith("  • "):
            heading = line[4:].strip()
        elif line.startswith("    ") and line.strip() not in ("", "Learn more"):
            found.append((section, heading))
            heading = None
    return found


def page_words(partner: Partner) -> str:
    """What the page says of a partner: its heading and paragraph."""
    return f"{partner.heading or ''} {rebuilt(partner)}"


def rebuilt(partner: Partner) -> str:
    """The page's paragraph, rebuilt from the record: its two texts with the typo fixes undone."""
    text = " ".join(t for t in (partner.description, partner.partnership) if t)
    for correction in partner.corrections:
        text = text.replace(correction.dataset, correction.page)
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


def test_corrections_rebuild_every_page_paragraph_verbatim(bundled: Catalogue) -> None:
    paragraphs = page_paragraphs()
    assert len(paragraphs) == 21
    for partner, paragraph in zip(bundled.partners, paragraphs, strict=True):
        assert rebuilt(partner) == paragraph, partner.id


def test_each_correction_is_a_real_typo_fix(bundled: Catalogue) -> None:
    fixes = [(p, c) for p in bundled.partners for c in p.corrections]
    assert len(fixes) == 6
    for partner, correction in fixes:
        assert page_text().count(correction.page) == 1, partner.id
        assert correction.page in rebuilt(partner), partner.id
        texts = f"{partner.description} {partner.partnership}"
        assert correction.dataset in texts, partner.id
        assert correction.page not in texts, partner.id


def test_sections_positions_and_headings_follow_the_page(bundled: Catalogue) -> None:
    expected = page_headings()
    sections = bundled.source.sections
    assert list(sections) == [
        "Non-governmental organisations", "Intergovernmental organisations", "Museum institutions",
    ]  # fmt: skip
    assert [(p.section, p.heading) for p in bundled.partners] == expected
    for section in sections:
        positions = [p.position for p in bundled.partners if p.section == section]
        assert positions == list(range(1, len(positions) + 1)), section
    headless = {p.id for p in bundled.partners if p.heading is None}
    assert headless == {"interpol", "unidroit"}


def test_texts_are_null_only_where_the_page_gives_none(bundled: Catalogue) -> None:
    assert {p.id for p in bundled.partners if p.partnership is None} == {"wffm", "oecd"}
    # WIPO's one sentence is about the partnership ("ICOM and WIPO … collaborate").
    assert {p.id for p in bundled.partners if p.description is None} == {"wipo"}
    for partner in bundled.partners:
        if partner.partnership is not None:
            assert "ICOM" in partner.partnership, partner.id


def test_since_is_the_page_s_year_or_a_named_source(bundled: Catalogue) -> None:
    since = {p.id: p.since for p in bundled.partners if p.since is not None}
    assert since == {"interpol": 2000, "wco": 2000, "alecso": 2002, "aliph": 2022, "unesco": 1946}
    for partner_id, year in since.items():
        partner = bundled.partner(partner_id)
        assert partner is not None
        assert str(year) in (partner.partnership or "") or "since" in partner.sources, partner_id


def test_milestones_are_dated_and_sourced(bundled: Catalogue) -> None:
    dates = {p.id: [m.date for m in p.milestones] for p in bundled.partners if p.milestones}
    assert dates == {"aliph": ["2022-01"], "interpol": ["2000-04-11"], "wco": ["2000-01-25"]}
    for partner in bundled.partners:
        for milestone in partner.milestones:
            assert milestone.date[:4] == str(partner.since), partner.id
            assert milestone.source == "ICOM partners page" or "milestones" in partner.sources


def test_themes_are_the_required_ones_and_all_used(bundled: Catalogue) -> None:
    assert {t.id for t in bundled.themes} == REQUIRED_THEMES
    counts = bundled.theme_counts()
    assert all(counts[t] > 0 for t in REQUIRED_THEMES), counts


def test_every_theme_stands_on_a_phrase_of_the_record_s_text(bundled: Catalogue) -> None:
    for partner in bundled.partners:
        assert sorted(partner.evidence) == sorted(partner.themes), partner.id
        text = " ".join(t for t in (partner.description, partner.partnership) if t)
        for theme_id, phrase in partner.evidence.items():
            assert phrase in text, (partner.id, theme_id)


@pytest.mark.parametrize(
    ("partner_id", "theme_id", "present"),
    [
        ("smithsonian", "conservation", True),  # "preserving heritage"
        ("oecd", "law-and-policy", False),  # economic, not cultural, policy
        ("ica", "emergencies", False),  # only its Blue Shield membership
        ("ifla", "emergencies", False),
        ("icomos", "emergencies", True),  # "endangered cultural heritage"
    ],
)
def test_the_audit_s_theme_fixes(
    bundled: Catalogue, partner_id: str, theme_id: str, present: bool
) -> None:
    partner = bundled.partner(partner_id)
    assert partner is not None
    assert (theme_id in partner.themes) is present


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


def test_blue_shield_founders(bundled: Catalogue) -> None:
    blue = bundled.partner("blue-shield")
    assert blue is not None
    assert {r.id for r in blue.related} == {"ica", "icomos", "ifla"}


def test_facts_come_from_the_reference_table(bundled: Catalogue) -> None:
    rows = reference_rows()
    assert set(rows) == {p.id for p in bundled.partners}
    for partner in bundled.partners:
        row = rows[partner.id]
        urls = re.findall(r"https://[^\s;)]+", row["website"])
        assert "(likely" not in row["website"], "an uncertain website would be left out"
        assert partner.website == urls[0], partner.id
        assert partner.founded == int(row["founded"][:4]), partner.id
        assert partner.headquarters is not None
        assert partner.headquarters.country == row["country"], partner.id
        assert row["seat"].startswith(partner.headquarters.city), partner.id
        acronym = None if row["acronym"] == "—" else row["acronym"]
        assert partner.acronym == acronym, partner.id


def test_every_fact_the_page_does_not_carry_names_its_source(bundled: Catalogue) -> None:
    for partner in bundled.partners:
        on_page = page_words(partner)
        needed = {"website", "headquarters", "founded"}
        needed |= {"aliases"} if any(a not in on_page for a in partner.aliases) else set()
        needed |= {"former_names"} if partner.former_names else set()
        needed |= {"name"} if partner.name not in on_page else set()
        needed |= {"acronym"} if partner.acronym and partner.acronym not in on_page else set()
        assert needed <= partner.sources.keys(), (partner.id, needed - partner.sources.keys())
        for source in partner.sources.values():
            assert source.source.strip()


@pytest.mark.parametrize(
    ("partner_id", "field", "caveat"),
    [
        ("eu", "headquarters", "de facto"),
        ("blue-shield", "headquarters", "Newcastle University"),
        ("wco", "founded", "Customs Co-operation Council"),
        ("unesco", "since", "since its creation"),
    ],
)
def test_caveats_of_the_reference_facts_are_kept(
    bundled: Catalogue, partner_id: str, field: str, caveat: str
) -> None:
    partner = bundled.partner(partner_id)
    assert partner is not None
    assert caveat in (partner.sources[field].caveat or "")


def test_former_names_are_marked(bundled: Catalogue) -> None:
    former = {p.id: set(p.former_names) for p in bundled.partners if p.former_names}
    assert former == {
        "blue-shield": {"International Committee of the Blue Shield", "ICBS"},
        "ifla": {"FIAB"},
        "wco": {"Customs Co-operation Council", "CCC"},
        "getty-foundation": {"Getty Grant Program"},
    }


def test_un_bodies_carry_their_place_in_the_page_s_words(bundled: Catalogue) -> None:
    places = {p.id: p.un_system.place for p in bundled.partners if p.un_system}
    assert places == {
        "ecosoc": "principal organ",
        "unesco": "specialized agency",
        "wipo": "specialized agency",
        "unodc": "office",
    }
    for partner in bundled.partners:
        if partner.un_system:
            assert partner.un_system.page in rebuilt(partner), partner.id


def test_metadata_dates_and_cites_the_page(bundled: Catalogue) -> None:
    source, info = bundled.source, bundled.dataset
    assert source.title == "Partners"
    assert "ICOM" in (source.publisher or "")
    assert source.url == "https://icom.museum/en/network/partners/"
    assert [t.url for t in source.translations] == [
        "https://icom.museum/fr/reseau/les-partenaires-de-licom/"
    ]
    assert source.as_of == "2022-01"
    assert "January 2022" in page_text() or "In January 2022" in page_text()
    assert info is not None
    assert re.fullmatch(r"\d+\.\d+\.\d+", info.version)
    assert info.licence is not None
    assert "ICOM's text" in info.licence.text


def test_icom_itself_is_described_not_a_partner(bundled: Catalogue) -> None:
    assert bundled.icom is not None
    assert bundled.icom.acronym == "ICOM"
    assert "Conseil international des musées" in bundled.icom.aliases
    names = {fold(n) for p in bundled.partners for n in (p.id, p.name, p.acronym or "", *p.aliases)}
    assert not {fold(n) for n in (bundled.icom.name, "ICOM", *bundled.icom.aliases)} & names


def test_the_changelog_names_the_dataset_version(bundled: Catalogue) -> None:
    assert bundled.dataset is not None
    changelog = (DATA_DIR.parent.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"### Dataset {bundled.dataset.version} - {bundled.dataset.compiled}" in changelog


def test_the_bundled_file_holds_every_rule_a_dataset_file_is_held_to() -> None:
    """Runs decode the bundled file without the checks (catalogue.read): this is the check."""
    warnings: list[str] = []
    checked = catalogue.parse(catalogue.bundled_bytes(), source_name="bundled", warnings=warnings)
    assert warnings == []
    assert checked == catalogue.load()
