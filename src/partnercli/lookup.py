"""Resolve what a person types ("unesco", "OMPI", "world customs") to one partner or theme.

Resolution goes from the most to the least exact, and stops at the first step that matches:
exact id, exact acronym or alias, exact name, then a unique start of any of them (at least
`MIN_PREFIX` characters). Comparison ignores case, accents and a leading "The" ("The Palace
Museum" is the Palace Museum). Several candidates at the prefix step, or none at all, is an
error that names the candidates or the closest matches: nothing is ever picked silently, and a
pick by the start of a name is reported (`find_partner` says it was not exact). ICOM's own names are not a
partner's: they are an error that says so.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Final, NamedTuple

from partnercli.errors import AmbiguousError, NotFoundError, UsageError
from partnercli.models import (
    COUNTRY_NAMES,
    TYPE_SYNONYMS,
    Catalogue,
    Partner,
    PartnerType,
    Theme,
    sort_by_name,
)
from partnercli.text import did_you_mean, display_width, fold

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


class Filter(NamedTuple):
    """Which partners a listing wants: of a type, on a theme, seated in a country (each given
    must hold; none given: every partner)."""

    type_: PartnerType | None = None
    theme: str | None = None
    country: str | None = None

    def admits(self, partner: Partner) -> bool:
        seat = partner.headquarters
        return (
            (self.type_ is None or partner.type is self.type_)
            and (self.theme is None or self.theme in partner.themes)
            and (self.country is None or (seat is not None and seat.country == self.country))
        )


#: The filter that admits every partner.
EVERY: Final = Filter()


def select(catalogue: Catalogue, wanted: Filter) -> list[Partner]:
    """The partners `wanted` admits, by name (ties by id)."""
    return sort_by_name([p for p in catalogue.partners if wanted.admits(p)])


#: For each resolution step, the key of each name with the id of the item it names.
Steps = list[list[tuple[str, str]]]
#: What a "not found" error says, given the ids of the closest names.
Hints = Callable[[list[str]], list[str]]


def _resolve(query: str, *, what: str, steps: Steps, hints: Hints) -> tuple[str, bool]:
    """The id of the one item `query` names, through the exact steps and then by prefix, and
    whether it named it exactly (False: by the start of a name)."""
    needle = key(query)
    if not needle:
        raise UsageError(f"an empty {what} name; give an id, a name or the start of one")
    if f"{needle} " == _ARTICLE:
        raise NotFoundError(
            f"no {what} '{query}'", hints=["an article alone is not a name; give more of the name"]
        )
    for step in steps:
        if found := {item_id for name, item_id in step if name == needle}:
            return _one(found, query=query, what=what), True
    names = [pair for step in steps for pair in step]
    # Too short to pick a name by its start? A wide character (Chinese, Japanese, Korean)
    # counts as two letters: two of them (故宫) are a word.
    short = display_width(needle) < MIN_PREFIX
    if not short and (by_prefix := _starting(names, needle)):
        return _one(by_prefix, query=query, what=what), False
    advice = hints(closest(needle, names))
    if short:
        advice = [f"the start of a name needs at least {MIN_PREFIX} letters", *advice]
    raise NotFoundError(f"no {what} '{query}'", hints=advice)


def _starting(names: Iterable[tuple[str, str]], needle: str) -> set[str]:
    return {item_id for name, item_id in names if name.startswith(needle)}


def closest(needle: str, names: Iterable[tuple[str, str]]) -> list[str]:
    """Ids of the items whose names (each with the id it names), or a word in them, are closest
    to `needle` (a typo)."""
    by_word: dict[str, set[str]] = {}
    for name, item_id in names:
        for word in {name, *re.split(_WORD_SPLIT, name)}:
            by_word.setdefault(word, set()).add(item_id)
    close = difflib.get_close_matches(needle, list(by_word), n=MAX_SUGGESTED * 2, cutoff=0.75)
    ranked = (item_id for word in close for item_id in sorted(by_word[word]))
    return list(dict.fromkeys(ranked))[:MAX_SUGGESTED]


def _one(ids: set[str], *, query: str, what: str) -> str:
    if len(ids) == 1:
        return next(iter(ids))
    ordered = sorted(ids)
    listed = ", ".join(ordered[:MAX_LISTED]) + ("…" if len(ordered) > MAX_LISTED else "")
    raise AmbiguousError(
        f"'{query}' is ambiguous: {listed}",
        hints=[f"give more of the name, or one of the ids above ({len(ordered)} match)"],
    )


def _not_icom(catalogue: Catalogue, steps: Steps, query: str) -> None:
    """ICOM's own names are an error that says whose partners these are."""
    icom = catalogue.icom
    if icom is None:
        return
    short = icom.acronym or icom.name
    if key(query) not in {key(n) for n in (icom.name, short, *icom.aliases)}:
        return
    similar = sorted(_starting((pair for step in steps for pair in step), key(short)))
    hints = ["run 'partners about' for ICOM and its network"]
    if similar:
        hints.append(f"or did you mean {' or '.join(similar[:MAX_SUGGESTED])}?")
    raise NotFoundError(
        f"'{query}' is {short} itself, the organisation these are partners of, not a partner",
        hints=hints,
    )


def find_partner(catalogue: Catalogue, query: str) -> tuple[Partner, bool]:
    """The partner `query` names and whether it named it exactly (False: by the start of a
    name), or `NotFoundError` / `AmbiguousError` saying why not."""

    def hints(suggestions: list[str]) -> list[str]:
        if suggestions:
            return [f"did you mean {' or '.join(suggestions)}?"]
        return ["run 'partners list' to see every partner, or 'partners search' to search them"]

    by_id = catalogue.partner(key(query))
    if by_id is not None:  # an id: no need to fold every name of a large file
        return by_id, True
    partners = catalogue.partners
    steps = [  # its id; its acronym, aliases and former names; its name
        [(key(p.id), p.id) for p in partners],
        [(key(n), p.id) for p in partners for n in (p.acronym, *p.aliases, *p.former_names) if n],
        [(key(p.name), p.id) for p in partners],
    ]
    _not_icom(catalogue, steps, query)
    partner_id, exact = _resolve(query, what="partner", steps=steps, hints=hints)
    partner = catalogue.partner(partner_id)
    assert partner is not None  # the id came from the catalogue
    return partner, exact


def resolve_theme(catalogue: Catalogue, query: str) -> Theme:
    """The theme `query` names (id, name or unique prefix), or an error listing the themes."""
    theme_ids = ", ".join(t.id for t in catalogue.themes) or "(none in this dataset)"

    def hints(suggestions: list[str]) -> list[str]:
        found = f"did you mean {' or '.join(suggestions)}? " if suggestions else ""
        return [f"{found}themes: {theme_ids}"]

    themes = catalogue.themes
    steps = [[(key(t.id), t.id) for t in themes], [(key(t.name), t.id) for t in themes]]
    theme = catalogue.theme(_resolve(query, what="theme", steps=steps, hints=hints)[0])
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


#: Ways people write a country that ISO 3166 (and so pycountry) does not list, folded as `key`
#: folds them: English short forms and a few names in the country's own languages.
COUNTRY_FORMS: Final = {
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "us": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
    "holland": "NL", "nederland": "NL", "suisse": "CH", "schweiz": "CH", "svizzera": "CH",
    "deutschland": "DE", "osterreich": "AT", "belgique": "BE", "belgie": "BE",
    "italia": "IT", "espana": "ES", "tunisie": "TN", "zhongguo": "CN", "中国": "CN",
    "scotland": "GB", "wales": "GB", "russia": "RU", "turkey": "TR", "iran": "IR", "syria": "SY",
    "korea": "KR", "south korea": "KR", "north korea": "KP", "vietnam": "VN", "laos": "LA",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "taiwan": "TW",
    "czech republic": "CZ", "palestine": "PS", "vatican": "VA",
}  # fmt: skip


def parse_country(catalogue: Catalogue, value: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country written as people write it: a code (FR, FRA,
    any case), its English name, or a common form (UK, U.S., Holland, Suisse). A country where
    no partner is seated is still a country: its listing is empty. Anything else is a usage
    error that suggests a country of the data."""
    present = catalogue.countries()
    wanted = key(value)
    code = wanted.upper() if wanted.upper() in present else COUNTRY_FORMS.get(wanted)
    if code is None:
        code = {key(name): c for c, name in COUNTRY_NAMES.items()}.get(wanted) or _iso(value)
    if code is not None:
        return code
    # A name misspelled: 'frnce' suggests `FR (France)`.
    names = {
        key(COUNTRY_NAMES[c]): f"{c} ({COUNTRY_NAMES[c]})" for c in present if c in COUNTRY_NAMES
    }
    hint = did_you_mean(wanted, names)
    raise UsageError(
        f"--country: unknown country '{value}'; {hint}give an ISO code (FR, FRA) or a name; "
        f"countries in the data: {', '.join(present)}"
    )


def _iso(value: str) -> str | None:
    """The alpha-2 code ISO 3166 gives `value` (a code or a name), if any."""
    import pycountry  # ~45 ms with importlib.metadata: only a country not in the data pays

    try:
        found = pycountry.countries.lookup(value.strip())
    except LookupError:
        return None
    return str(found.alpha_2)
