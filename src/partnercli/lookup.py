"""Resolve what a person types ("unesco", "OMPI", "world customs") to one partner or theme.

Resolution goes from the most to the least exact, and stops at the first step that matches:
exact id, exact acronym or alias, exact name, then a unique start of any of them (at least
`MIN_PREFIX` characters). Comparison ignores case, accents and a leading "The" ("The Palace
Museum" is the Palace Museum). Several candidates at the prefix step, or none at all, is an
error that names the candidates or the closest matches: nothing is ever picked silently, and a
pick by the start of a name is reported (`Found.exact` is False). ICOM's own names are not a
partner's: they are an error that says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final, NamedTuple

from partnercli import records
from partnercli.errors import AmbiguousError, NotFoundError, UsageError
from partnercli.models import TYPE_SYNONYMS, Catalogue, Partner, PartnerType, Theme
from partnercli.records import Names, Records
from partnercli.text import did_you_mean, fold

#: How many candidates an "ambiguous" message lists before "…".
MAX_LISTED: Final = 8
#: How many ids a "did you mean" hint names at most.
MAX_SUGGESTED: Final = 3
#: A name's start must be this long to pick anything: `t` or `ic` say too little.
MIN_PREFIX: Final = 3
_WORD_SPLIT = r"[\s\-]+"  # compiled by `re` when a name is not found
_ARTICLE = "the "


def key(name: str) -> str:
    """How names compare: folded, trimmed, without a leading "The" (unless that is all there is)."""
    folded = " ".join(fold(name).split())
    stripped = folded.removeprefix(_ARTICLE)
    return stripped or folded


class Found(NamedTuple):
    """What a name resolved to, and whether it was an exact name (not only the start of one)."""

    id: str
    exact: bool


def partner_names(partner: Partner) -> tuple[list[str], list[str], list[str]]:
    """A partner's names by resolution step: its id; its acronym, aliases and former names;
    its name."""
    names = [partner.acronym] if partner.acronym else []
    return [partner.id], [*names, *partner.aliases, *partner.former_names], [partner.name]


class Steps:
    """`Names` of items held in memory: for each resolution step, each name's key and the ids
    of the items it names."""

    def __init__(self, items: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> None:
        depth = max((len(names) for _, names in items), default=0)
        self.steps: list[dict[str, set[str]]] = [{} for _ in range(depth)]
        for item_id, names_by_step in items:
            for step, names in enumerate(names_by_step):
                for name in names:
                    self.steps[step].setdefault(key(name), set()).add(item_id)

    def exact(self, needle: str) -> set[str]:
        return next((found for step in self.steps if (found := step.get(needle))), set())

    def starting(self, needle: str) -> set[str]:
        return {
            item_id
            for step in self.steps
            for name, ids in step.items()
            if name.startswith(needle)
            for item_id in ids
        }

    def everything(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for step in self.steps:
            for name, ids in step.items():
                found.setdefault(name, set()).update(ids)
        return found


def _resolve(
    query: str,
    *,
    what: str,
    names: Names,
    not_found_hints: Callable[[str, list[str]], list[str]],
) -> Found:
    """The id of the one item `query` names, through the exact steps and then by prefix."""
    needle = key(query)
    if not needle:
        raise UsageError(f"an empty {what} name; give an id, a name or the start of one")
    if f"{needle} " == _ARTICLE:
        raise NotFoundError(
            f"no {what} '{query}'", hints=["an article alone is not a name; give more of the name"]
        )
    found = names.exact(needle)
    if found:
        return Found(_one(found, query=query, what=what), exact=True)
    if len(needle) >= MIN_PREFIX:
        by_prefix = names.starting(needle)
        if by_prefix:
            return Found(_one(by_prefix, query=query, what=what), exact=False)
    suggestions = closest(needle, names.everything())
    hints = not_found_hints(query, suggestions)
    if len(needle) < MIN_PREFIX:
        hints = [f"the start of a name needs at least {MIN_PREFIX} letters", *hints]
    raise NotFoundError(f"no {what} '{query}'", hints=hints)


def closest(
    needle: str, names: Mapping[str, Iterable[str]], *, limit: int = MAX_SUGGESTED
) -> list[str]:
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


def _not_icom(data: Records, query: str) -> None:
    """ICOM's own names are an error that says whose partners these are."""
    icom = data.header.icom
    if icom is None:
        return
    names = {key(n) for n in (icom.name, icom.acronym or icom.name, *icom.aliases)}
    if key(query) not in names:
        return
    short = icom.acronym or icom.name
    similar = sorted(data.names().starting(key(short)))[:MAX_SUGGESTED]
    hint = f"did you mean {' or '.join(similar)}?" if similar else "run 'partners about'"
    raise NotFoundError(
        f"'{query}' is {short} itself, the organisation these are partners of, not a partner",
        hints=[hint],
    )


def find_partner(data: Catalogue | Records, query: str) -> tuple[Partner, bool]:
    """The partner `query` names and whether it named it exactly (False: by the start of a
    name), or `NotFoundError` / `AmbiguousError` saying why not."""

    def hints(_: str, suggestions: list[str]) -> list[str]:
        if suggestions:
            return [f"did you mean {' or '.join(suggestions)}?"]
        return ["run 'partners list' to see every partner, or 'partners search' to search them"]

    found_in = records.of(data)
    _not_icom(found_in, query)
    exact = found_in.partner(key(query))
    if exact is not None:  # an id: no need to fold every name of a large file
        return exact, True
    found = _resolve(query, what="partner", names=found_in.names(), not_found_hints=hints)
    partner = found_in.partner(found.id)
    assert partner is not None  # the id came from the catalogue
    return partner, found.exact


def resolve_partner(data: Catalogue | Records, query: str) -> Partner:
    """The partner `query` names (see `find_partner`)."""
    return find_partner(data, query)[0]


def resolve_theme(catalogue: Catalogue, query: str) -> Theme:
    """The theme `query` names (id, name or unique prefix), or an error listing the themes."""
    theme_ids = ", ".join(t.id for t in catalogue.themes) or "(none in this dataset)"

    def hints(_: str, suggestions: list[str]) -> list[str]:
        found = f"did you mean {' or '.join(suggestions)}? " if suggestions else ""
        return [f"{found}themes: {theme_ids}"]

    theme_id = _resolve(
        query,
        what="theme",
        names=Steps([(t.id, ([t.id], [t.name])) for t in catalogue.themes]),
        not_found_hints=hints,
    ).id
    theme = catalogue.theme(theme_id)
    assert theme is not None  # the id came from the catalogue
    return theme


def parse_type(value: str) -> PartnerType:
    """A partner type from its id or long word (`ngo`, `Intergovernmental`…), any case."""
    folded = fold(value.strip())
    try:
        return TYPE_SYNONYMS.get(folded) or PartnerType(folded)
    except ValueError:
        valid = [*(t.value for t in PartnerType), *TYPE_SYNONYMS]
        hint = did_you_mean(folded, valid)
        raise UsageError(
            f"unknown type '{value}'; {hint}expected one of: {', '.join(valid)}"
        ) from None


def parse_country(data: Catalogue | Records, value: str) -> str:
    """A country of the data's seats from its ISO code (any case) or its English name."""
    from partnercli.models import COUNTRY_NAMES

    present = data.countries()
    wanted = key(value)
    by_name = {key(name): code for code, name in COUNTRY_NAMES.items()}
    code = wanted.upper() if len(wanted) == 2 else by_name.get(wanted, "")
    if code in present:
        return code
    # A name misspelled: 'frnce' suggests `FR (France)`.
    names = {
        key(COUNTRY_NAMES[c]): f"{c} ({COUNTRY_NAMES[c]})" for c in present if c in COUNTRY_NAMES
    }
    hint = did_you_mean(wanted, names)
    raise UsageError(
        f"--country: no partner is seated in '{value}'; {hint}countries in the data: "
        f"{', '.join(present)}"
    )
