"""Resolve what a person types ("unesco", "OMPI", "world customs") to one partner or theme.

Resolution goes from the most to the least exact, and stops at the first step that matches:
exact id, exact acronym or alias, exact name, then a unique prefix of any of them. Comparison
ignores case and accents. Several candidates at the prefix step, or none at all, is an error
that names the candidates or the closest matches: nothing is ever picked silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

from partnercli.errors import AmbiguousError, NotFoundError, UsageError
from partnercli.models import TYPE_SYNONYMS, Catalogue, Partner, PartnerType, Theme
from partnercli.text import fold

#: How many candidates an "ambiguous" message lists before "…".
MAX_LISTED: Final = 8
_WORD_SPLIT = r"[\s\-]+"  # compiled by `re` when a name is not found


def _steps(
    items: Sequence[tuple[str, Sequence[Sequence[str]]]],
) -> list[dict[str, set[str]]]:
    """For each resolution step, a map from folded name to the ids of the items it names."""
    depth = max((len(names) for _, names in items), default=0)
    steps: list[dict[str, set[str]]] = [{} for _ in range(depth)]
    for item_id, names_by_step in items:
        for step, names in enumerate(names_by_step):
            for name in names:
                steps[step].setdefault(fold(name.strip()), set()).add(item_id)
    return steps


def _resolve(
    query: str,
    *,
    what: str,
    items: Sequence[tuple[str, Sequence[Sequence[str]]]],
    not_found_hints: Callable[[str, list[str]], list[str]],
) -> str:
    """The id of the one item `query` names, through the exact steps and then by prefix."""
    needle = fold(query.strip())
    if not needle:
        raise UsageError(f"an empty {what} name; give an id, a name or the start of one")
    steps = _steps(items)
    for step in steps:
        found = step.get(needle)
        if found:
            return _one(found, query=query, what=what)
    by_prefix = {
        item_id
        for step in steps
        for name, ids in step.items()
        if name.startswith(needle)
        for item_id in ids
    }
    if by_prefix:
        return _one(by_prefix, query=query, what=what)
    suggestions = closest(needle, {name: ids for step in steps for name, ids in step.items()})
    raise NotFoundError(f"no {what} '{query}'", hints=not_found_hints(query, suggestions))


def closest(needle: str, names: Mapping[str, Iterable[str]], *, limit: int = 3) -> list[str]:
    """Ids of the items whose names, or a word in them, are closest to `needle` (a typo)."""
    import difflib  # only a name that was not found pays for it

    by_word: dict[str, set[str]] = {}
    for name, ids in names.items():
        for word in {name, *re.split(_WORD_SPLIT, name)}:
            by_word.setdefault(word, set()).update(ids)
    close = difflib.get_close_matches(needle, list(by_word), n=limit * 2, cutoff=0.75)
    ranked = (item_id for word in close for item_id in sorted(by_word[word]))
    return list(dict.fromkeys(ranked))[:limit]


def _one(ids: set[str], *, query: str, what: str) -> str:
    if len(ids) == 1:
        return next(iter(ids))
    ordered = sorted(ids)
    listed = ", ".join(ordered[:MAX_LISTED]) + ("…" if len(ordered) > MAX_LISTED else "")
    raise AmbiguousError(
        f"'{query}' is ambiguous: {listed}",
        hints=[f"give more of the name, or one of the ids above ({len(ordered)} match)"],
    )


def _partner_names(partner: Partner) -> tuple[list[str], list[str], list[str]]:
    names = [partner.acronym] if partner.acronym else []
    return [partner.id], [*names, *partner.aliases], [partner.name]


def resolve_partner(catalogue: Catalogue, query: str) -> Partner:
    """The partner `query` names, or `NotFoundError` / `AmbiguousError` saying why not."""

    def hints(_: str, suggestions: list[str]) -> list[str]:
        if suggestions:
            return [f"did you mean {' or '.join(suggestions)}?"]
        return ["run 'partners list' to see every partner, or 'partners search' to search them"]

    partner_id = _resolve(
        query,
        what="partner",
        items=[(p.id, _partner_names(p)) for p in catalogue.partners],
        not_found_hints=hints,
    )
    partner = catalogue.partner(partner_id)
    assert partner is not None  # the id came from the catalogue
    return partner


def resolve_theme(catalogue: Catalogue, query: str) -> Theme:
    """The theme `query` names (id, name or unique prefix), or an error listing the themes."""
    theme_ids = ", ".join(t.id for t in catalogue.themes) or "(none in this dataset)"

    def hints(_: str, suggestions: list[str]) -> list[str]:
        found = [f"did you mean {' or '.join(suggestions)}?"] if suggestions else []
        return [*found, f"themes: {theme_ids}"]

    theme_id = _resolve(
        query,
        what="theme",
        items=[(t.id, ([t.id], [t.name])) for t in catalogue.themes],
        not_found_hints=hints,
    )
    theme = catalogue.theme(theme_id)
    assert theme is not None  # the id came from the catalogue
    return theme


def parse_type(value: str) -> PartnerType:
    """A partner type from its id or long word (`ngo`, `Intergovernmental`…), any case."""
    folded = fold(value.strip())
    try:
        return TYPE_SYNONYMS.get(folded) or PartnerType(folded)
    except ValueError:
        valid = ", ".join([*(t.value for t in PartnerType), *TYPE_SYNONYMS])
        raise UsageError(f"unknown type '{value}'; expected one of: {valid}") from None
