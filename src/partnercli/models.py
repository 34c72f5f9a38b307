"""The partner network as frozen dataclasses: no I/O, no Typer, no Rich."""

from __future__ import annotations

from collections.abc import Iterator
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

#: The order of a partner's fields in the dataset and in every output.
PARTNER_FIELDS: tuple[str, ...] = (
    "id",
    "type",
    "name",
    "acronym",
    "aliases",
    "description",
    "partnership",
    "themes",
    "since",
    "website",
    "headquarters",
    "founded",
    "related",
)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Partner:
    """One partner; the fields are in the dataset's order (`PARTNER_FIELDS`)."""

    id: str
    type: PartnerType
    name: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    description: str
    partnership: str | None = None
    themes: tuple[str, ...] = ()
    since: int | None = None
    website: str | None = None
    headquarters: Headquarters | None = None
    founded: int | None = None
    related: tuple[Relation, ...] = ()

    def names(self) -> Iterator[str]:
        """Every name a person may type for this partner: name, acronym, aliases."""
        yield self.name
        if self.acronym:
            yield self.acronym
        yield from self.aliases

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


@dataclass(frozen=True, slots=True)
class Source:
    publisher: str
    title: str
    compiled: str
    heading: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A validated dataset: themes and partners, in file order."""

    source: Source
    themes: tuple[Theme, ...]
    partners: tuple[Partner, ...]
    #: Problems that did not stop loading (unknown fields), for the CLI to show on stderr.
    warnings: tuple[str, ...] = ()
    #: For a large file: the hash of its content, which names its cache entries.
    content_key: str | None = None
    _by_id: dict[str, Partner] = field(default_factory=dict, init=False, repr=False, compare=False)
    _themes_by_id: dict[str, Theme] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._by_id.update((p.id, p) for p in self.partners)
        self._themes_by_id.update((t.id, t) for t in self.themes)

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
