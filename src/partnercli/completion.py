"""Shell completion for the values people type: partner ids and acronyms, themes, types, fields.

Completion reads the dataset the command would read (`--data` and `PARTNERS_DATA` are honoured)
and never imports the search engine. A `--data` file larger than `MAX_COMPLETED_BYTES`
completes nothing: reading it whole would take seconds at every TAB.
"""

import os
from typing import Final

import typer

from partnercli import catalogue
from partnercli.errors import PartnersError
from partnercli.lookup import key, partner_steps
from partnercli.models import COUNTRY_NAMES, SORT_KEYS, TYPE_SYNONYMS, Catalogue, PartnerType
from partnercli.text import fold
from partnercli.views import fields_for

Completions = list[tuple[str, str]]
#: A --data file larger than this (some 1,000 partners) completes nothing: reading it whole
#: at every TAB would keep the shell waiting.
MAX_COMPLETED_BYTES: Final = 2 * 2**20


def _catalogue(ctx: typer.Context) -> Catalogue | None:
    """The data the command would read; None if it is broken (the command itself will say
    why) or too large to read at every TAB."""
    path = ctx.params.get("data") or ctx.find_root().params.get("data")
    try:
        if path is None:
            return catalogue.load()
        if os.stat(path).st_size > MAX_COMPLETED_BYTES:
            return None
        return catalogue.load(path)
    except (PartnersError, OSError, ValueError):
        return None


def partners(ctx: typer.Context, incomplete: str) -> Completions:
    """Partner ids, then acronyms and one-word aliases in any language (OMPI, 故宫博物院), that
    start with what was typed (any case or accents)."""
    data = _catalogue(ctx)
    if data is None:
        return []
    start = fold(incomplete)
    ids = sorted(partner_steps(data).starting(key(incomplete)))
    named = [p for p in map(data.partner, ids) if p is not None]
    found = [(p.id, p.name) for p in named if p.id.startswith(start)]
    found += [
        (name, p.name)
        for p in named
        for name in ([p.acronym] if p.acronym else []) + [a for a in p.aliases if " " not in a]
        if fold(name).startswith(start) and name != p.id
    ]
    return list(dict.fromkeys(found))


def sort_keys(incomplete: str) -> list[str]:
    """Sort keys, and their descending forms once a `-` is typed."""
    keys = [f"-{k}" for k in SORT_KEYS] if incomplete.startswith("-") else list(SORT_KEYS)
    return [k for k in keys if k.startswith(incomplete)]


def countries(ctx: typer.Context, incomplete: str) -> Completions:
    """The country codes of the data's seats, with their names."""
    data = _catalogue(ctx)
    if data is None:
        return []
    lower = incomplete.islower()  # shells keep only what starts with what was typed, as typed
    return [
        (code.lower() if lower else code, COUNTRY_NAMES.get(code, code))
        for code in data.countries()
        if code.lower().startswith(incomplete.lower())
    ]


def themes(ctx: typer.Context, incomplete: str) -> Completions:
    data = _catalogue(ctx)
    if data is None:
        return []
    return [(t.id, t.name) for t in data.themes if t.id.startswith(fold(incomplete))]


def types(incomplete: str) -> Completions:
    choices = [(t.value, t.label) for t in PartnerType]
    choices += [(word, t.label) for word, t in TYPE_SYNONYMS.items()]
    return [(value, label) for value, label in choices if value.startswith(fold(incomplete))]


def fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Field names for the command at hand, also after commas: `id,na` gives `id,name`."""
    available = fields_for(ctx.command.name or "", sources=bool(ctx.params.get("sources")))
    done, _, last = incomplete.rpartition(",")
    chosen = set(done.split(",")) if done else set()
    prefix = f"{done}," if done else ""
    return [prefix + name for name in available if name.startswith(last) and name not in chosen]
