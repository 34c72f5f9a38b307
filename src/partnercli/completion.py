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
        return catalogue.load(ctx.params.get("data") or ctx.find_root().params.get("data"))
    except PartnersError:  # a broken dataset completes nothing; the command itself will say why
        return None


def partners(ctx: typer.Context, incomplete: str) -> Completions:
    """Partner ids, then acronyms and one-word aliases in any language (OMPI, 故宫博物院), that
    start with what was typed (any case or accents)."""
    cat = _catalogue(ctx)
    if cat is None:
        return []
    start = fold(incomplete)
    found = [(p.id, p.name) for p in cat.partners if p.id.startswith(start)]
    found += [
        (name, p.name)
        for p in cat.partners
        for name in ([p.acronym] if p.acronym else []) + [a for a in p.aliases if " " not in a]
        if fold(name).startswith(start) and name != p.id
    ]
    return list(dict.fromkeys(found))


def sort_keys(incomplete: str) -> list[str]:
    """Sort keys, and their descending forms once a `-` is typed."""
    from partnercli.models import SORT_KEYS

    keys = [f"-{k}" for k in SORT_KEYS] if incomplete.startswith("-") else list(SORT_KEYS)
    return [k for k in keys if k.startswith(incomplete)]


def countries(ctx: typer.Context, incomplete: str) -> Completions:
    """The country codes of the data's seats, with their names."""
    from partnercli.models import COUNTRY_NAMES

    cat = _catalogue(ctx)
    if cat is None:
        return []
    lower = incomplete.islower()  # shells keep only what starts with what was typed, as typed
    return [
        (code.lower() if lower else code, COUNTRY_NAMES.get(code, code))
        for code in cat.countries()
        if code.lower().startswith(incomplete.lower())
    ]


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
