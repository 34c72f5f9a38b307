"""Shell completion for the values people type: partner ids and acronyms, themes, types, fields.

Completion reads the dataset the command would read (`--data` and `PARTNERS_DATA` are honoured)
and never imports the search engine.
"""

import typer

from partnercli import catalogue
from partnercli.errors import PartnersError
from partnercli.models import PARTNER_FIELDS, TYPE_SYNONYMS, Catalogue, PartnerType
from partnercli.text import fold
from partnercli.views import HIT_FIELDS, THEME_FIELDS

Completions = list[tuple[str, str]]


def _catalogue(ctx: typer.Context) -> Catalogue | None:
    try:
        return catalogue.load(ctx.find_root().params.get("data"))
    except PartnersError:  # a broken dataset completes nothing; the command itself will say why
        return None


def partners(ctx: typer.Context, incomplete: str) -> Completions:
    """Partner ids, then acronyms, that start with what was typed (any case)."""
    cat = _catalogue(ctx)
    if cat is None:
        return []
    start = fold(incomplete)
    found = [(p.id, p.name) for p in cat.partners if p.id.startswith(start)]
    found += [
        (p.acronym, p.name) for p in cat.partners if p.acronym and fold(p.acronym).startswith(start)
    ]
    return found


def themes(ctx: typer.Context, incomplete: str) -> Completions:
    cat = _catalogue(ctx)
    if cat is None:
        return []
    return [(t.id, t.name) for t in cat.themes if t.id.startswith(fold(incomplete))]


def types(incomplete: str) -> Completions:
    choices = [(t.value, t.label) for t in PartnerType]
    choices += [(word, t.label) for word, t in TYPE_SYNONYMS.items()]
    return [(value, label) for value, label in choices if value.startswith(fold(incomplete))]


def fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Field names for the command at hand, also after commas: `id,na` gives `id,name`."""
    command = ctx.command.name
    available = THEME_FIELDS if command == "themes" else PARTNER_FIELDS
    if command == "search":
        available = (*available, *HIT_FIELDS)
    done, _, last = incomplete.rpartition(",")
    chosen = set(done.split(",")) if done else set()
    prefix = f"{done}," if done else ""
    return [prefix + name for name in available if name.startswith(last) and name not in chosen]
