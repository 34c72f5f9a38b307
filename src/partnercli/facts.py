"""A partner's facts as short labelled texts, shared by the panel, plain and Markdown views, and
each fact with its source (a type both `views` and `render` use, so it lives below both)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from msgspec import Struct

from partnercli.formats import flatten, join
from partnercli.models import Catalogue, FactSource, Partner


def theme_names(themes: Iterable[str], catalogue: Catalogue) -> list[str]:
    """Theme names for ids, falling back to the id for one the catalogue lacks."""
    return [t.name if (t := catalogue.theme(theme_id)) else theme_id for theme_id in themes]


def partner_facts(partner: Partner, cat: Catalogue) -> list[tuple[str, str | None]]:
    """The short facts of a partner as (label, text), for the panel and the Markdown section."""
    return [
        ("Type", partner.type.label),
        ("Also known as", join(partner.aliases)),
        ("Formerly", join(partner.former_names)),
        ("Themes", join(theme_names(partner.themes, cat))),
        ("Partner since", flatten(partner.since)),
        ("Seat", flatten(partner.headquarters)),
        ("Founded", flatten(partner.founded)),
        ("UN system", partner.un_system.place.capitalize() if partner.un_system else None),
    ]


def long_texts(partner: Partner) -> list[tuple[str, str]]:
    """The long texts a partner has, each with its heading: what it does, then its partnership."""
    texts = (("About", partner.description), ("Partnership with ICOM", partner.partnership))
    return [(heading, text) for heading, text in texts if text]


def shares_themes(partner: Partner, cat: Catalogue, *, top: int = 3, more: bool = True) -> str:
    """The partners it shares most themes with (at most `top`), and the themes; then, if
    `more` (for people, not for scripts), how many more there are and where to see them."""
    from partnercli.network import related  # only show pays for it

    sharing = [c for c in related(cat, partner) if c.kind == "themes"]
    shown = join(f"{c.partner.id} ({', '.join(theme_names(c.themes, cat))})" for c in sharing[:top])
    if more and len(sharing) > top:
        shown += f" …and {len(sharing) - top} more (partners related {partner.id})"
    return shown


class SourcedFact(Struct, frozen=True, kw_only=True):
    """One fact of a partner and where it comes from: the source `cited` (a named source, its
    URL if any and a caveat), and what the source says for it (the phrase behind each theme)."""

    field: str
    value: str
    cited: FactSource
    detail: str | None = None

    def record(self) -> dict[str, Any]:
        cited = self.cited
        source = cited.source + (f" ({cited.url})" if cited.url else "")
        if self.detail:
            source += f": {self.detail}"
        return {"field": self.field, "value": self.value, "source": source, "caveat": cited.caveat}
