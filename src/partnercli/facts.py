"""A partner's facts as short labelled texts, shared by the panel, plain and Markdown views."""

from __future__ import annotations

from collections.abc import Iterable

from partnercli.models import Catalogue, Partner
from partnercli.network import related


def theme_names(themes: Iterable[str], catalogue: Catalogue) -> list[str]:
    """Theme names for ids, falling back to the id for one the catalogue lacks."""
    return [t.name if (t := catalogue.theme(theme_id)) else theme_id for theme_id in themes]


def text_of(value: object) -> str | None:
    return None if value is None else str(value)


#: How lists are joined in every text format: `; `, which no name or theme contains.
JOIN = "; "


def partner_facts(partner: Partner, cat: Catalogue) -> list[tuple[str, str | None]]:
    """The short facts of a partner as (label, text), for the panel and the Markdown section."""
    return [
        ("Type", partner.type.label),
        ("Also known as", JOIN.join(partner.aliases)),
        ("Formerly", JOIN.join(partner.former_names)),
        ("Themes", JOIN.join(theme_names(partner.themes, cat))),
        ("Partner since", text_of(partner.since)),
        ("Seat", text_of(partner.headquarters)),
        ("Founded", text_of(partner.founded)),
        ("UN system", partner.un_system.place.capitalize() if partner.un_system else None),
    ]


def shares_themes(partner: Partner, cat: Catalogue, *, top: int = 3) -> str:
    """The partners it shares most themes with (at most `top`), and the themes."""
    sharing = [c for c in related(cat, partner) if c.kind == "themes"][:top]
    return JOIN.join(f"{c.partner.id} ({c.label})" for c in sharing)
