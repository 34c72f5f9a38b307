"""The dataset format, defined once: msgspec Structs whose constraints validate as they decode.

These classes are the data model the commands use, the decoder and per-field validation of a
dataset file (`catalogue`), and the source of the JSON Schema shipped beside the data
(`partners schema`). Rules across records (unique ids, links that lead somewhere) are the only
ones written by hand, in `catalogue`. No I/O, no Typer, no Rich here.

No `from __future__ import annotations` here: msgspec reads these annotations on the first
decode of every run, and annotations kept as strings it evaluates one by one with `eval()`
(2 ms of a 70 ms `partners show`).
"""

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Final, Literal

from msgspec import Meta, Struct, field


def _whole(pattern: str) -> str:
    """A pattern that must match the whole string. `$` alone also matches before a final newline
    in Python (which msgspec and jsonschema use), so a newline after it is refused explicitly."""
    return f"^{pattern}$(?!\\n)"


SLUG_PATTERN: Final = _whole(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# No spaces and no control characters anywhere: a URL is shown as a link on a terminal.
URL_PATTERN: Final = _whole(
    r"https://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]+)?(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?"
)
#: Where a fact comes from may be an older http:// page; it is shown as text, never as a link.
SOURCE_URL_PATTERN: Final = _whole(r"https?://[^\s\x00-\x1f\x7f-\x9f]+")
COUNTRY_PATTERN: Final = _whole("[A-Z]{2}")
_MONTH = "(?:0[1-9]|1[0-2])"
_DAY = "(?:0[1-9]|[12][0-9]|3[01])"
#: A day as YYYY-MM-DD, month 01-12 and day 01-31 (the schema's `format: date`, and the loader,
#: also refuse a day its month does not have, such as 2001-02-29).
DATE_PATTERN: Final = _whole(f"[0-9]{{4}}-{_MONTH}-{_DAY}")
#: A year, a month or a day: `2000`, `2022-01`, `2000-04-11`.
PARTIAL_DATE_PATTERN: Final = _whole(f"[0-9]{{4}}(?:-{_MONTH}(?:-{_DAY})?)?")
#: A year or a month alone: with `format: date` for a whole day, the schema of a partial date.
_YEAR_OR_MONTH_PATTERN: Final = _whole(f"[0-9]{{4}}(?:-{_MONTH})?")
#: Text with something in it: not empty, not only spaces (searched for, as JSON Schema does).
#: \x1c-\x1f are spaces to Python's `\s`, not to every regex engine: named, so all agree.
TEXT_PATTERN: Final = r"[^\s\x1c-\x1f]"
VERSION_PATTERN: Final = _whole("[0-9]+[.][0-9]+[.][0-9]+")


def _doc(text: str) -> Meta:
    """A field's description, in the JSON Schema and in `partners fields`."""
    return Meta(description=text)


Slug = Annotated[str, Meta(pattern=SLUG_PATTERN)]
Text = Annotated[str, Meta(pattern=TEXT_PATTERN)]
Year = Annotated[int, Meta(ge=1000, le=2100)]
Url = Annotated[str, Meta(pattern=URL_PATTERN)]
#: A whole day is a day on the calendar, as the loader checks it too.
Day = Annotated[str, Meta(pattern=DATE_PATTERN, extra_json_schema={"format": "date"})]
PartialDate = Annotated[
    str,
    Meta(
        pattern=PARTIAL_DATE_PATTERN,
        description="YYYY, YYYY-MM or YYYY-MM-DD",
        extra_json_schema={"anyOf": [{"pattern": _YEAR_OR_MONTH_PATTERN}, {"format": "date"}]},
    ),
]


class PartnerType(StrEnum):
    """The three groups of the partners page."""

    NGO = "ngo"
    IGO = "igo"
    MUSEUM = "museum"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    PartnerType.NGO: "Non-governmental organisation",
    PartnerType.IGO: "Intergovernmental organisation",
    PartnerType.MUSEUM: "Museum institution",
}

#: Long words accepted for a type, besides the ids themselves.
TYPE_SYNONYMS: dict[str, PartnerType] = {
    "non-governmental": PartnerType.NGO,
    "intergovernmental": PartnerType.IGO,
    "museum-institution": PartnerType.MUSEUM,
}


class Headquarters(Struct, frozen=True, gc=False):
    """The seat of an organisation."""

    city: Text
    country: Annotated[str, Meta(pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-2")]

    def __str__(self) -> str:
        return f"{self.city}, {self.country}"


class Relation(Struct, frozen=True, gc=False):
    """A link to another partner that the page states."""

    id: Slug
    relation: Annotated[Text, _doc("the link in words, from this partner's side")]
    kind: Annotated[Slug | None, _doc("its kind, one of the dataset's relation_kinds")] = None
    between: Annotated[
        tuple[Text, Text] | None,
        _doc(
            "the two instruments the link is between, when it is not between the "
            "organisations themselves: this partner's, then the other's"
        ),
    ] = None


class RelationKind(Struct, frozen=True, gc=False):
    """A kind of link between partners, with the kind that reads it from the other side."""

    id: Slug
    label: Text
    inverse: Slug


class UnPlace(StrEnum):
    """Where a body sits in the United Nations system."""

    PRINCIPAL_ORGAN = "principal organ"
    SPECIALIZED_AGENCY = "specialized agency"
    OFFICE = "office"


class UnSystem(Struct, frozen=True, gc=False):
    """A partner's place in the United Nations system, with the page's own words for it."""

    place: UnPlace
    page: Annotated[Text, _doc("the partners page's words for it")]


class Correction(Struct, frozen=True, gc=False):
    """A typo fixed in the page's text: `page` is what the page says, `dataset` what we keep."""

    page: Text
    dataset: Text


class Milestone(Struct, frozen=True, gc=False):
    """A dated event of the partnership."""

    date: PartialDate
    event: Text
    source: Annotated[Text, _doc("where the fact comes from: a URL or a named source")]


class FactSource(Struct, frozen=True, gc=False):
    """Where a fact that the page does not carry comes from."""

    source: Annotated[Text, _doc("a named source")]
    url: Annotated[str, Meta(pattern=SOURCE_URL_PATTERN)] | None = None
    caveat: Text | None = None


class Theme(Struct, frozen=True, gc=False):
    """A theme partners work on."""

    id: Slug
    name: Text
    description: Text | None = None
    vocabulary: Annotated[
        tuple[Text, ...], _doc("words people use for the theme that the page does not, for search")
    ] = ()


class Partner(Struct, frozen=True, kw_only=True, gc=False):
    """One partner organisation of ICOM."""

    id: Annotated[Slug, _doc("stable identifier, a lowercase slug (for scripts)")]
    type: Annotated[PartnerType, _doc("group on the partners page")]
    name: Annotated[Text, _doc("official English name")]
    acronym: Annotated[Text | None, _doc("usual acronym")] = None
    aliases: Annotated[
        tuple[Text, ...],
        _doc("other names: French, native-script, the page's spellings"),
    ] = ()
    former_names: Annotated[
        tuple[Text, ...], _doc("names it had before (found by lookup and search, like aliases)")
    ] = ()
    description: Annotated[
        Text | None, _doc("what the organisation is and does (from the partners page)")
    ] = None
    partnership: Annotated[Text | None, _doc("how it works with ICOM (from the partners page)")] = (
        None
    )
    themes: Annotated[tuple[Slug, ...], _doc("ids of its themes (see 'partners themes')")] = ()
    evidence: Annotated[
        dict[Slug, Text], _doc("for each theme, the phrase of the page's text that supports it")
    ] = {}
    since: Annotated[Year | None, _doc("year cooperation with ICOM began, where known")] = None
    milestones: Annotated[
        tuple[Milestone, ...], _doc("dated events of the partnership, each with its source")
    ] = ()
    website: Annotated[Url | None, _doc("official website (https)")] = None
    headquarters: Annotated[
        Headquarters | None, _doc("seat: city and ISO 3166-1 alpha-2 country")
    ] = None
    founded: Annotated[Year | None, _doc("year the organisation gives as its founding")] = None
    un_system: Annotated[UnSystem | None, _doc("place in the UN system, for the UN bodies")] = None
    related: Annotated[
        tuple[Relation, ...], _doc("links to other partners that the page states")
    ] = ()
    section: Annotated[Text | None, _doc("the section of the partners page it is in")] = None
    position: Annotated[Annotated[int, Meta(ge=1)] | None, _doc("place in that section")] = None
    heading: Annotated[Text | None, _doc("its heading on the page (null: it has none)")] = None
    corrections: Annotated[
        tuple[Correction, ...], _doc("typos fixed in the page's text, to rebuild it verbatim")
    ] = ()
    sources: Annotated[
        dict[str, FactSource], _doc("where each fact the page does not carry comes from")
    ] = {}


#: A partner has a description or a partnership text, or both (the loader checks it too).
_DESCRIBED: Final = {
    "anyOf": [
        {"required": [name], "properties": {name: {"type": "string"}}}
        for name in ("description", "partnership")
    ]
}

#: The order of a partner's fields in the dataset and in every output.
PARTNER_FIELDS: tuple[str, ...] = Partner.__struct_fields__
#: The fields whose value is a map keyed by the data (a theme id, a field name): flat formats
#: write each entry as `key: value`, so that no value loses what it belongs to.
MAP_FIELDS: frozenset[str] = frozenset({"evidence", "sources"})


class Translation(Struct, frozen=True, gc=False):
    """The same page in another language."""

    language: Annotated[str, Meta(pattern=_whole("[a-z]{2}"), description="ISO 639-1 code")]
    url: Url
    title: Text | None = None


class Source(Struct, frozen=True, gc=False):
    """The page the data comes from."""

    publisher: str | None = None
    title: str | None = None
    heading: str | None = None
    url: Url | None = None
    translations: tuple[Translation, ...] = ()
    sections: Annotated[tuple[Text, ...], _doc("the page's sections, in order")] = ()
    as_of: Annotated[PartialDate | None, _doc("the latest event the page mentions")] = None
    as_of_note: str | None = None
    notes: str | None = None


class Licence(Struct, frozen=True, gc=False):
    """Under what terms the dataset may be used."""

    code: Annotated[Text, _doc("SPDX identifier of the code's licence")]
    text: Annotated[Text, _doc("what each licence covers, and what stays ICOM's")]
    data: Annotated[
        Text | None, _doc("SPDX identifier of the compilation's and its structured fields' licence")
    ] = None


class DatasetInfo(Struct, frozen=True, gc=False):
    """The dataset itself: its version, date and licence."""

    title: Text
    version: Annotated[str, Meta(pattern=VERSION_PATTERN, description="semantic version")]
    compiled: Annotated[Day, _doc("YYYY-MM-DD")]
    licence: Licence | None = None


class Organisation(Struct, frozen=True, gc=False):
    """ICOM itself: the organisation these are partners of (not a partner)."""

    name: Text
    acronym: Text | None = None
    aliases: tuple[Text, ...] = ()
    founded: Year | None = None
    website: Url | None = None
    headquarters: Headquarters | None = None


class Catalogue(Struct, frozen=True, kw_only=True, dict=True):
    """ICOM's partner network as read by the `partners` command. The loader also checks what a
    schema cannot state: unique ids and names across partners, themes and links that exist,
    links that go both ways (docs/data-format.md lists every such rule)."""

    schema: str | None = field(default=None, name="$schema")
    schema_version: Literal[1] = 1
    dataset: DatasetInfo | None = None
    source: Source = field(default_factory=Source)
    icom: Organisation | None = None
    relation_kinds: tuple[RelationKind, ...] = ()
    themes: tuple[Theme, ...] = ()
    partners: tuple[Annotated[Partner, Meta(extra_json_schema=_DESCRIBED)], ...]

    @cached_property
    def _by_id(self) -> dict[str, Partner]:
        return {p.id: p for p in self.partners}

    @cached_property
    def _themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @cached_property
    def _kinds_by_id(self) -> dict[str, RelationKind]:
        return {k.id: k for k in self.relation_kinds}

    def relation_kind(self, kind_id: str | None) -> RelationKind | None:
        return None if kind_id is None else self._kinds_by_id.get(kind_id)

    def partner(self, partner_id: str) -> Partner | None:
        return self._by_id.get(partner_id)

    def theme(self, theme_id: str) -> Theme | None:
        return self._themes_by_id.get(theme_id)

    def theme_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self._themes_by_id, 0)
        for partner in self.partners:
            for theme_id in partner.themes:
                counts[theme_id] += 1
        return counts

    def countries(self) -> list[str]:
        """The country codes of the partners' seats, sorted."""
        return sorted({p.headquarters.country for p in self.partners if p.headquarters})


def sort_by_name(partners: list[Partner]) -> list[Partner]:
    """Sort by name, case-insensitively, ties broken by id: a stable order for scripts."""
    return sorted(partners, key=lambda p: (p.name.casefold(), p.id))


#: English names of the seats' countries in the bundled data, so `france` finds Paris-based ones.
COUNTRY_NAMES: Final = {
    "AT": "Austria", "BE": "Belgium", "CH": "Switzerland", "CN": "China", "FR": "France",
    "IT": "Italy", "NL": "Netherlands", "TN": "Tunisia", "US": "United States",
}  # fmt: skip

#: What --sort accepts; records without the value come last, whichever the direction.
SORT_KEYS: Final = ("name", "id", "type", "founded", "since", "country")


def _sort_value(partner: Partner, key: str) -> tuple[int, str] | None:
    """The value to sort by, as (number, text), or None where the partner has none."""
    if key in ("name", "id"):
        return (0, partner.name.casefold() if key == "name" else partner.id)
    if key == "country":
        return (0, partner.headquarters.country) if partner.headquarters else None
    if key == "type":
        return (list(PartnerType).index(partner.type), "")  # the page's order of groups
    year = partner.founded if key == "founded" else partner.since
    return None if year is None else (year, "")


def sort_partners(partners: list[Partner], key: str, *, reverse: bool = False) -> list[Partner]:
    """Partners sorted by one of `SORT_KEYS` (ties by name, then id); those without it last."""
    ordered = sort_by_name(partners)
    present = [p for p in ordered if _sort_value(p, key) is not None]
    missing = [p for p in ordered if _sort_value(p, key) is None]
    present.sort(key=lambda p: _sort_value(p, key) or (0, ""), reverse=reverse)
    return present + missing


class EdgeSet(StrEnum):
    """Which links a graph draws."""

    RELATION = "relation"  # the relations the page states, and ICOM's partnerships
    THEME = "theme"  # partners to the themes they work on
    TYPE = "type"  # partners to their group on the page


class GraphFormat(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    MERMAID = "mermaid"
    DOT = "dot"
    GRAPHML = "graphml"
    JSON = "json"


class CiteFormat(StrEnum):
    TEXT = "text"
    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"
