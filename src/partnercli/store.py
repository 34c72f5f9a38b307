"""A large dataset's validated records kept in SQLite, so that a file seen before is answered
with SQL instead of being read and validated again.

A file of `records.STORED_FROM_BYTES` or more is read and validated in full the first time,
like any other; that run only notes that it saw the file (by its size, modification time and inode, as
git does). The next run that reads the same file validates it once more and keeps its records
in the cache: one SQLite database per content, holding each record as the line of JSON
`list --json` writes for it, indexes on id, type and name order, the folded names `show` looks
up, and the full-text index `search` uses. From then on a run finds that database by the file's
stat alone (no reading, no hashing) and decodes only the records it shows (a listing of every
field as JSON is the kept lines, decoded not at all). A file read once never costs a database.

A database is written only by a run that validated its content, and checked when opened: the
content hash and format version it was built from, and its row count. A damaged or foreign
one is deleted, and the run falls back to reading the file (which builds it again, once); the
cache is never a reason to fail.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final, TypeVar

import msgspec

from partnercli import cache, records
from partnercli.catalogue import parse, read_file
from partnercli.formats import json_lines
from partnercli.lookup import key, partner_names
from partnercli.models import Catalogue, Partner
from partnercli.records import EVERY, Filter, InMemory, Names, Records
from partnercli.views import record

#: A database takes up to about this many times its file (1.6 at 100,000 records: the
#: records' JSON lines, names and the full-text index); a file whose database would not fit
#: the cache's budget is never stored.
GROWTH: Final = 2
#: Changes whenever what a database holds changes: one of another version is rebuilt.
FORMAT_VERSION: Final = "2"
#: A file changed this recently may change again within the same mtime: its stat proves nothing.
SETTLED_NS: Final = 2_000_000_000

_PARTNERS = msgspec.json.Decoder(list[Partner])
_ONE_VALUE = msgspec.json.Decoder(msgspec.Raw)
#: A record as the UTF-8 bytes it is stored as: what msgspec reads without a copy.
_RECORD_BYTES: Final = "CAST(record AS BLOB)"
_LAST = "\U0010ffff"  # after every character: `key >= 'abc' AND key < 'abc' || _LAST` is a prefix
T = TypeVar("T")


def open_records(
    path: str,
    status: os.stat_result,
    *,
    cache_dir: Path,
    warnings: list[str],
    notice: Callable[[str], object] | None = None,
) -> Records:
    """The regular file at `path` (of `status`, large enough to be kept): from its database when
    it was stored before, else read and validated (and stored, when seen for the second time,
    after `notice` is told). Raise `DataError` on bad data."""
    refused = cache.problem(cache_dir)
    if refused:
        warnings.append(f"{refused}; running without the cache")
        return InMemory(parse(read_file(path), source_name=path, warnings=warnings))
    seen = cache.seen(cache_dir, _stat_key(status))
    store = _stored(path, seen, cache_dir)
    if store is not None:
        warnings.extend(f"{path}: {w}" for w in store.warnings)
        return store
    return _read(
        path,
        cache_dir=cache_dir,
        seen=seen is not None,
        status=status,
        warnings=warnings,
        notice=notice,
    )


def kept(path: str, status: os.stat_result, *, cache_dir: Path) -> Store | None:
    """The database kept for the large file at `path` (of `status`), or None if there is none
    yet: the file is not read, and nothing is noted or built (for shell completion, which must
    answer at once)."""
    if not cache_dir.is_dir() or cache.problem(cache_dir) is not None:
        return None
    return _stored(path, cache.seen(cache_dir, _stat_key(status)), cache_dir)


def _stored(path: str, seen: str | None, cache_dir: Path) -> Store | None:
    """The database that a file's note (`seen`) names, if it opens; marked as used."""
    if not seen:
        return None
    store = Store.open(cache.store_path(cache_dir, seen), seen, reread=lambda: _read(path))
    if store is not None:
        cache.touch(store.path)
    return store


def _read(
    path: str,
    *,
    cache_dir: Path | None = None,
    seen: bool = False,
    status: os.stat_result | None = None,
    warnings: list[str] | None = None,
    notice: Callable[[str], object] | None = None,
) -> Records:
    """The file read and validated; noted as seen, or stored if it was seen before."""
    found: list[str] = []
    # No name holds the bytes: `parse` lets them go once decoded (a large file's worth of memory).
    catalogue = parse(read_file(path), source_name=path, warnings=found)
    if warnings is not None:
        warnings.extend(found)
    memory = InMemory(catalogue)
    if cache_dir is None or status is None:
        return memory
    stat_key = _stat_key(status)
    now = records.regular(path)
    if now is None or _stat_key(now) != stat_key or time.time_ns() - now.st_mtime_ns < SETTLED_NS:
        return memory  # changed while it was read, or too recently for its stat to tell
    if not seen:
        cache.remember(cache_dir, stat_key, "")
        return memory
    own = [w.removeprefix(f"{path}: ") for w in found]
    store = _keep(path, memory, own, size=status.st_size, cache_dir=cache_dir, notice=notice)
    if store is None:
        return memory
    cache.remember(cache_dir, stat_key, store.content)
    return store


def _keep(
    path: str,
    memory: InMemory,
    warnings: list[str],
    *,
    size: int,
    cache_dir: Path,
    notice: Callable[[str], object] | None,
) -> Store | None:
    """The database of this validated file, found or built, if it fits the cache's budget."""
    limit = cache.budget(os.environ)
    if size * GROWTH > limit:
        return None  # its database would not fit the budget: it would be built every time
    content = cache.content_key(path, FORMAT_VERSION)
    if content is None:
        return None
    target = cache.store_path(cache_dir, content)
    store = Store.open(target, content, reread=lambda: memory) if target.exists() else None
    if store is None:
        if notice is not None:
            notice(f"keeping the records of {path} in the cache: this once, later runs are faster")
        if cache.write_atomically(
            target, lambda tmp: build(tmp, memory.catalogue, content, warnings)
        ):
            store = Store.open(target, content, reread=lambda: memory)
    if store is None:
        return None
    if cache.size_of(target) > limit:  # larger than foreseen
        store.db.close()
        cache.discard(target)
        return None
    cache.tidy(cache_dir, limit=limit, keep=target)
    return store


def _stat_key(status: os.stat_result) -> str:
    fields = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    return "-".join(map(str, fields))


# -- building -------------------------------------------------------------------------------------


def build(path: Path, catalogue: Catalogue, content: str, warnings: list[str]) -> None:
    """Write the database of a validated catalogue at `path`."""
    from partnercli import search

    header = msgspec.structs.replace(catalogue, partners=())
    db = sqlite3.connect(os.fsencode(path))  # the bytes: a folder's name need not be UTF-8
    try:
        db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE partners (
                row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
                country TEXT, sort TEXT NOT NULL, record TEXT NOT NULL
            );
            CREATE TABLE themes (theme TEXT NOT NULL, row INTEGER NOT NULL);
            CREATE TABLE names (key TEXT NOT NULL, step INTEGER NOT NULL, row INTEGER NOT NULL);
            """
        )
        partners = catalogue.partners
        # Each record as the line `list --json` writes for it: such a listing is these lines.
        lines = json_lines(map(record, partners), ensure_ascii=False)
        db.executemany(
            "INSERT INTO partners VALUES (?, ?, ?, ?, ?, ?)",
            (
                (row, p.id, p.type.value, p.headquarters and p.headquarters.country,
                 p.name.casefold(), line)
                for row, (p, line) in enumerate(zip(partners, lines, strict=True))
            ),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO themes VALUES (?, ?)",
            ((theme, row) for row, p in enumerate(partners) for theme in p.themes),
        )
        db.executemany("INSERT INTO names VALUES (?, ?, ?)", _names(partners))
        db.executescript(
            """
            CREATE INDEX partners_by_type ON partners (type, sort, id);
            CREATE INDEX partners_by_name ON partners (sort, id);
            CREATE INDEX themes_by_theme ON themes (theme, row);
            CREATE INDEX names_by_key ON names (key, step);
            """
        )
        search.build_index(db, catalogue)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("key", content),
                ("version", FORMAT_VERSION),
                ("rows", str(len(partners))),
                ("header", msgspec.json.encode(header).decode()),
                ("warnings", json.dumps(warnings)),
            ],
        )
        db.commit()
    finally:
        db.close()


def _names(partners: Iterable[Partner]) -> Iterator[tuple[str, int, int]]:
    for row, partner in enumerate(partners):
        for step, names in enumerate(partner_names(partner)):
            for name in names:
                yield key(name), step, row


# -- reading --------------------------------------------------------------------------------------


class Store:
    """`Records` answered from a database; any error in it falls back to the file itself."""

    def __init__(
        self,
        db: sqlite3.Connection,
        path: Path,
        meta: dict[str, str],
        reread: Callable[[], Records],
    ) -> None:
        self.db, self.path = db, path
        self.content = meta["key"]
        self.rows = int(meta["rows"])
        self._header = msgspec.json.decode(meta["header"], type=Catalogue)
        self.warnings: list[str] = json.loads(meta["warnings"])
        self._reread = reread
        self._fallback: Records | None = None

    @classmethod
    def open(cls, path: Path, content: str, *, reread: Callable[[], Records]) -> Store | None:
        """The database at `path` if it is whole and holds this content, else None (and a
        damaged or foreign file is deleted)."""
        import urllib.parse

        try:
            # Percent-encoded bytes: `#` or `?` in a path is text, and a name need not be UTF-8.
            uri = f"file:{urllib.parse.quote(os.fsencode(path))}?mode=ro"
            db = sqlite3.connect(uri, uri=True)
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
            (count,) = db.execute("SELECT count(*) FROM partners").fetchone()
            expected = {"key": content, "version": FORMAT_VERSION, "rows": str(count)}
            if all(meta.get(name) == value for name, value in expected.items()):
                return cls(db, path, meta, reread)
            db.close()
        except (sqlite3.Error, msgspec.MsgspecError, ValueError, KeyError):
            pass
        cache.discard(path)
        return None

    def safely(self, query: Callable[[], T], instead: Callable[[Records], T]) -> T:
        """`query()`, or, if the database fails, `instead` of the records read from the file."""
        if self._fallback is None:
            try:
                return query()
            except (sqlite3.Error, msgspec.MsgspecError):
                self.db.close()
                cache.discard(self.path)
                self._fallback = self._reread()
        return instead(self._fallback)

    def _column(self, kind: type[T], sql: str, parameters: Iterable[object]) -> list[T]:
        found = [value for (value,) in self.db.execute(sql, tuple(parameters))]
        if not all(isinstance(value, kind) for value in found):
            raise sqlite3.DatabaseError("a record is not what was kept")
        return found

    def _decode(self, sql: str, parameters: Iterable[object] = ()) -> list[Partner]:
        """The partners of `sql`, which selects `_RECORD_BYTES` (msgspec decodes UTF-8 bytes
        without a copy; a text would be made one)."""
        return _PARTNERS.decode(b"[" + b",".join(self._column(bytes, sql, parameters)) + b"]")

    @property
    def header(self) -> Catalogue:
        return self._header

    def __len__(self) -> int:
        return self.rows

    def partner(self, partner_id: str) -> Partner | None:
        def query() -> Partner | None:
            found = self._decode(f"SELECT {_RECORD_BYTES} FROM partners WHERE id = ?", [partner_id])
            return found[0] if found else None

        return self.safely(query, lambda r: r.partner(partner_id))

    def select(self, wanted: Filter = EVERY) -> list[Partner]:
        sql, values = _selecting(wanted, _RECORD_BYTES)
        return self.safely(lambda: self._decode(sql, values), lambda r: r.select(wanted))

    def select_lines(self, wanted: Filter = EVERY) -> list[str] | None:
        sql, values = _selecting(wanted, _RECORD_BYTES)

        def query() -> list[str]:
            # Written out as they are, so checked as they are: one JSON object each.
            lines = self._column(bytes, sql, values)
            for line in lines:
                _ONE_VALUE.decode(line)  # valid JSON and UTF-8, nothing after it
                if not line.startswith(b"{"):
                    raise sqlite3.DatabaseError("a kept line is not a JSON object")
            return [line.decode() for line in lines]

        return self.safely(query, lambda r: r.select_lines(wanted))

    def countries(self) -> list[str]:
        sql = "SELECT DISTINCT country FROM partners WHERE country IS NOT NULL ORDER BY country"
        return self.safely(lambda: [c for (c,) in self.db.execute(sql)], lambda r: r.countries())

    def at(self, rows: Iterable[int]) -> list[Partner]:
        wanted = list(rows)

        def query() -> list[Partner]:
            sql = f"SELECT {_RECORD_BYTES} FROM json_each(?) JOIN partners ON row = value ORDER BY key"
            found = self._decode(sql, [json.dumps(wanted)])
            if len(found) != len(wanted):  # the index names a row the table lacks
                raise sqlite3.DatabaseError("a record of the index is missing")
            return found

        return self.safely(query, lambda r: r.at(wanted))

    def everything(self) -> Catalogue:
        def query() -> Catalogue:
            partners = self._decode(f"SELECT {_RECORD_BYTES} FROM partners ORDER BY row")
            return msgspec.structs.replace(self._header, partners=tuple(partners))

        return self.safely(query, lambda r: r.everything())

    def names(self) -> Names:
        return StoredNames(self)

    def searched(self, run: Callable[[sqlite3.Connection], T]) -> T:
        return self.safely(lambda: run(self.db), lambda r: r.searched(run))


def _selecting(wanted: Filter, column: str) -> tuple[str, list[str]]:
    """The query for `column` of the records `wanted` admits, by name, and its parameters."""
    conditions = {
        "type = ?": wanted.type_ and wanted.type_.value,
        "row IN (SELECT row FROM themes WHERE theme = ?)": wanted.theme,
        "country = ?": wanted.country,
    }
    where = " AND ".join(["1", *(c for c, value in conditions.items() if value is not None)])
    values = [value for value in conditions.values() if value is not None]
    return f"SELECT {column} FROM partners WHERE {where} ORDER BY sort, id", values


class StoredNames:
    """`Names` looked up in the database's table of folded names."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _ids(self, sql: str, *parameters: str) -> list[tuple[str, ...]]:
        return self.store.db.execute(
            f"SELECT id, step, key FROM names JOIN partners USING (row) WHERE {sql}", parameters
        ).fetchall()

    def exact(self, needle: str) -> set[str]:
        def query() -> set[str]:
            found = self._ids("key = ? ORDER BY step", needle)
            return {item_id for item_id, step, _ in found if step == found[0][1]}

        return self.store.safely(query, lambda r: r.names().exact(needle))

    def starting(self, needle: str) -> set[str]:
        return self.store.safely(
            lambda: {
                found[0] for found in self._ids("key >= ? AND key < ?", needle, needle + _LAST)
            },
            lambda r: r.names().starting(needle),
        )

    def everything(self) -> Mapping[str, Iterable[str]]:
        def query() -> dict[str, set[str]]:
            found: dict[str, set[str]] = {}
            for item_id, _, name in self._ids("1"):
                found.setdefault(name, set()).add(item_id)
            return found

        return self.store.safely(query, lambda r: r.names().everything())
