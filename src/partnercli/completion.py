"""Shell completion for the values people type: partner ids and acronyms, themes, types, fields.

Completion reads the dataset the command would read (`--data` and `PARTNERS_DATA` are honoured)
and never imports the search engine. A file large enough to be kept in the cache is answered
from its database once it has one, and completes nothing before: reading it whole would take
seconds at every TAB.
"""

import os

import typer

from partnercli import catalogue
from partnercli.errors import PartnersError
from partnercli.lookup import key
from partnercli.models import PARTNER_FIELDS, TYPE_SYNONYMS, PartnerType
from partnercli.records import InMemory, Records, large
from partnercli.text import fold
from partnercli.views import HIT_FIELDS, THEME_FIELDS

Completions = list[tuple[str, str]]
#: Past this many partners, only their ids are offered: naming each would decode its record.
MANY: int = 10_000


def _records(ctx: typer.Context) -> Records | None:
    """The data the command would read; None if it is broken (the command itself will say
    why), or large and not kept in the cache yet."""
    path = ctx.params.get("data") or ctx.find_root().params.get("data")
    try:
        if path is None:
            return InMemory(catalogue.load())
        status = large(path)
        if status is None:
            return InMemory(catalogue.load(path))
    except PartnersError:
        return None
    from partnercli import cache, store  # SQLite: only for a file large enough to be kept

    cache_dir = cache.default_dir(os.environ)
    return None if cache_dir is None else store.kept(path, status, cache_dir=cache_dir)


def partners(ctx: typer.Context, incomplete: str) -> Completions:
    """Partner ids, then acronyms and one-word aliases in any language (OMPI, 故宫博物院), that
    start with what was typed (any case or accents)."""
    data = _records(ctx)
    if data is None:
        return []
    start = fold(incomplete)
    ids = sorted(data.names().starting(key(incomplete)))
    if len(ids) > MANY:
        return [(partner_id, "") for partner_id in ids if partner_id.startswith(start)]
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
    from partnercli.models import SORT_KEYS

    keys = [f"-{k}" for k in SORT_KEYS] if incomplete.startswith("-") else list(SORT_KEYS)
    return [k for k in keys if k.startswith(incomplete)]


def countries(ctx: typer.Context, incomplete: str) -> Completions:
    """The country codes of the data's seats, with their names."""
    from partnercli.models import COUNTRY_NAMES

    data = _records(ctx)
    if data is None:
        return []
    lower = incomplete.islower()  # shells keep only what starts with what was typed, as typed
    return [
        (code.lower() if lower else code, COUNTRY_NAMES.get(code, code))
        for code in data.countries()
        if code.lower().startswith(incomplete.lower())
    ]


def themes(ctx: typer.Context, incomplete: str) -> Completions:
    data = _records(ctx)
    if data is None:
        return []
    return [(t.id, t.name) for t in data.header.themes if t.id.startswith(fold(incomplete))]


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
