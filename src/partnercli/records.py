"""What the commands ask of a dataset, whether it is in memory or kept in the cache's SQLite.

A `Catalogue` holds every record; a large file seen before is answered from its `store.Store`
instead, which decodes only the records a command shows. Both are `Records`: the commands, the
lookup and the search are written once, against this protocol.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol, TypeVar

from partnercli.catalogue import parse, read_file
from partnercli.models import Catalogue, Partner, PartnerType, sort_by_name

if TYPE_CHECKING:
    import sqlite3

T = TypeVar("T")

#: A smaller file (up to some 500 partners) is read whole every time, as fast as a database
#: could answer, without a look at the cache nor the cost of importing it.
STORED_FROM_BYTES: Final = 2**20


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


class Names(Protocol):
    """The names partners answer to, each folded by `lookup.key`, in resolution steps: ids,
    then acronyms and aliases, then names."""

    def exact(self, needle: str) -> set[str]:
        """The ids of the first step that holds `needle` as a whole name (none: empty)."""
        ...

    def starting(self, needle: str) -> set[str]:
        """The ids of every partner with a name that starts with `needle`."""
        ...

    def everything(self) -> Mapping[str, Iterable[str]]:
        """Every name and the ids it names, for suggestions."""
        ...


class Records(Protocol):
    """A validated dataset, in memory or in the cache."""

    @property
    def header(self) -> Catalogue:
        """Everything but the partners: themes, relation kinds, ICOM, the source."""
        ...

    def __len__(self) -> int: ...

    def partner(self, partner_id: str) -> Partner | None: ...

    def select(self, wanted: Filter = EVERY) -> list[Partner]:
        """The partners `wanted` admits, by name (ties by id)."""
        ...

    def select_lines(self, wanted: Filter = EVERY) -> list[str] | None:
        """`select`'s partners, each as the line of JSON `list --json` writes for it
        (`formats.json_lines`, not ASCII-only), when they are kept that way; else None."""
        ...

    def countries(self) -> list[str]: ...

    def at(self, rows: Iterable[int]) -> list[Partner]:
        """The partners at these positions in the file, in that order."""
        ...

    def everything(self) -> Catalogue: ...

    def names(self) -> Names: ...

    def searched(self, run: Callable[[sqlite3.Connection], T]) -> T:
        """`run` on the full-text index of `search` (rowid = position in the file)."""
        ...


class InMemory:
    """`Records` of a catalogue held whole in memory."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    @property
    def header(self) -> Catalogue:
        return self.catalogue

    def __len__(self) -> int:
        return len(self.catalogue.partners)

    def partner(self, partner_id: str) -> Partner | None:
        return self.catalogue.partner(partner_id)

    def select(self, wanted: Filter = EVERY) -> list[Partner]:
        return sort_by_name([p for p in self.catalogue.partners if wanted.admits(p)])

    def select_lines(self, wanted: Filter = EVERY) -> list[str] | None:
        return None  # encoded when written

    def countries(self) -> list[str]:
        return self.catalogue.countries()

    def at(self, rows: Iterable[int]) -> list[Partner]:
        return [self.catalogue.partners[row] for row in rows]

    def everything(self) -> Catalogue:
        return self.catalogue

    def names(self) -> Names:
        from partnercli.lookup import Steps, partner_names

        return Steps([(p.id, partner_names(p)) for p in self.catalogue.partners])

    def searched(self, run: Callable[[sqlite3.Connection], T]) -> T:
        from partnercli import search

        return run(search.in_memory(self.catalogue))


def open_file(
    path: str,
    *,
    cache_dir: Path | None,
    warnings: list[str],
    notice: Callable[[str], object] | None = None,
) -> Records:
    """The dataset at `path`: a large regular file through the cache (`store`; `notice` is told
    before a database is built), any other read and validated in full. Raise `DataError` on bad
    data."""
    status = large(path) if cache_dir is not None else None
    if cache_dir is None or status is None:
        return InMemory(parse(read_file(path), source_name=path, warnings=warnings))
    from partnercli import store  # SQLite and hashing: only for a file large enough to keep

    return store.open_records(path, status, cache_dir=cache_dir, warnings=warnings, notice=notice)


def large(path: str) -> os.stat_result | None:
    """The file's status if it is a regular file large enough to be kept in the cache."""
    status = regular(path)
    return status if status is not None and status.st_size >= STORED_FROM_BYTES else None


def regular(path: str) -> os.stat_result | None:
    """The file's status if it is a regular file (a pipe or a device is never kept)."""
    import stat

    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status if stat.S_ISREG(status.st_mode) else None


def of(data: Catalogue | Records) -> Records:
    """`data` as `Records` (a catalogue is wrapped)."""
    return InMemory(data) if isinstance(data, Catalogue) else data
