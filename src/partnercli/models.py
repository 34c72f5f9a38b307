"""The partner network as frozen dataclasses: no I/O, no Typer, no Rich."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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


@dataclass(frozen=True, slots=True)
class Headquarters:
    city: str
    country: str  # ISO 3166-1 alpha-2

    def __str__(self) -> str:
        return f"{self.city}, {self.country}"


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    relation: str


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    name: str
    description: str


def _doc(text: str) -> dict[str, str]:
    """A field's one-line description, kept in its metadata for `partners fields`."""
    return {"doc": text}


@dataclass(frozen=True, slots=True, kw_only=True)
class Partner:
    """One partner; the fields are in the dataset's order (`PARTNER_FIELDS`)."""

    id: str = field(metadata=_doc("stable identifier, a lowercase slug (for scripts)"))
    type: PartnerType = field(metadata=_doc("group on the partners page"))
    name: str = field(metadata=_doc("official English name"))
    acronym: str | None = field(metadata=_doc("usual acronym"), default=None)
    aliases: tuple[str, ...] = field(
        metadata=_doc("other names: French, former, native-script, variant spellings"), default=()
    )
    description: str = field(
        metadata=_doc("what the organisation is and does (from the partners page)")
    )
    partnership: str | None = field(
        metadata=_doc("how it works with ICOM (from the partners page)"), default=None
    )
    themes: tuple[str, ...] = field(
        metadata=_doc("ids of the themes it works on (see 'partners themes')"), default=()
    )
    since: int | None = field(
        metadata=_doc("year cooperation with ICOM began, where the page gives it"), default=None
    )
    website: str | None = field(metadata=_doc("official website (https)"), default=None)
    headquarters: Headquarters | None = field(
        metadata=_doc("seat: city and ISO 3166-1 alpha-2 country"), default=None
    )
    founded: int | None = field(metadata=_doc("year the organisation was founded"), default=None)
    related: tuple[Relation, ...] = field(
        metadata=_doc("links to other partners that the page states"), default=()
    )

    def to_dict(self) -> dict[str, Any]:
        """The record in the dataset's own field names and order."""
        return {
            "id": self.id,
            "type": self.type.value,
            "name": self.name,
            "acronym": self.acronym,
            "aliases": list(self.aliases),
            "description": self.description,
            "partnership": self.partnership,
            "themes": list(self.themes),
            "since": self.since,
            "website": self.website,
            "headquarters": (
                None
                if self.headquarters is None
                else {"city": self.headquarters.city, "country": self.headquarters.country}
            ),
            "founded": self.founded,
            "related": [{"id": r.id, "relation": r.relation} for r in self.related],
        }


#: The order of a partner's fields in the dataset and in every output.
PARTNER_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Partner))


@dataclass(frozen=True, slots=True)
class Source:
    publisher: str
    title: str
    compiled: str
    heading: str | None = None
    notes: str | None = None


class Catalogue:
    """A validated dataset: themes and partners, in file order.

    A plain class rather than a dataclass: it is made once per run, and a dataclass costs ~0.7 ms
    of start-up to define.
    """

    __slots__ = (
        "_by_id",
        "_themes_by_id",
        "content_key",
        "partners",
        "source",
        "themes",
        "warnings",
    )

    def __init__(
        self,
        *,
        source: Source,
        themes: tuple[Theme, ...],
        partners: tuple[Partner, ...],
        warnings: tuple[str, ...] = (),
        content_key: str | None = None,
    ) -> None:
        self.source = source
        self.themes = themes
        self.partners = partners
        #: Problems that did not stop loading (unknown fields), for the CLI to show on stderr.
        self.warnings = warnings
        #: For a large file: the hash of its content, which names its cache entries.
        self.content_key = content_key
        self._by_id = {p.id: p for p in partners}
        self._themes_by_id = {t.id: t for t in themes}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalogue):
            return NotImplemented
        return (self.source, self.themes, self.partners, self.warnings) == (
            other.source,
            other.themes,
            other.partners,
            other.warnings,
        )

    def __hash__(self) -> int:
        return hash((self.source, self.themes, self.partners, self.warnings))

    def with_content_key(self, key: str | None) -> Catalogue:
        return Catalogue(
            source=self.source,
            themes=self.themes,
            partners=self.partners,
            warnings=self.warnings,
            content_key=key,
        )

    def partner(self, partner_id: str) -> Partner | None:
        return self._by_id.get(partner_id)

    def theme(self, theme_id: str) -> Theme | None:
        return self._themes_by_id.get(theme_id)

    def theme_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self._themes_by_id, 0)
        for partner in self.partners:
            for theme_id in partner.themes:
                counts[theme_id] = counts.get(theme_id, 0) + 1
        return counts

    def select(
        self, *, type_: PartnerType | None = None, theme: str | None = None
    ) -> list[Partner]:
        """Partners of a type and/or on a theme (both must hold), sorted by name."""
        chosen = [
            p
            for p in self.partners
            if (type_ is None or p.type is type_) and (theme is None or theme in p.themes)
        ]
        return sort_by_name(chosen)


def sort_by_name(partners: list[Partner]) -> list[Partner]:
    """Sort by name, case-insensitively, ties broken by id: a stable order for scripts."""
    return sorted(partners, key=lambda p: (p.name.casefold(), p.id))
