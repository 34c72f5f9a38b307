"""Load and validate a dataset file: the bundled one by default, or any file in the same format.

Every problem in a file is collected in one pass and raised together as a `DataError`, so a
person fixing a file sees them all at once, each with where it is and what was expected.
"""

from __future__ import annotations

import dataclasses
import json
import pkgutil
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

from partnercli.errors import DataError
from partnercli.models import (
    PARTNER_FIELDS,
    Catalogue,
    Headquarters,
    Partner,
    PartnerType,
    Relation,
    Source,
    Theme,
)
from partnercli.text import fold

BUNDLED_NAME: Final = "partners.json"
SCHEMA_NAME: Final = "partners.schema.json"
SCHEMA_VERSION: Final = 1
#: Files smaller than this are validated every time (it takes milliseconds) and never cached.
MIN_CACHED_BYTES: Final = 1_000_000
#: How many problems a `DataError` lists before it only counts the rest.
MAX_PROBLEMS: Final = 20
MIN_YEAR: Final = 1000
MAX_YEAR: Final = 2100

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_COUNTRY = re.compile(r"[A-Z]{2}\Z")
# No spaces and no control characters anywhere: a URL is shown as a link on a terminal.
_URL = re.compile(
    r"https://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?\Z"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_TOP_KEYS = frozenset({"$schema", "schema_version", "source", "themes", "partners"})
_PARTNER_KEYS = frozenset(PARTNER_FIELDS)
_TYPES = ", ".join(t.value for t in PartnerType)
_T = TypeVar("_T")


def bundled_bytes(name: str = BUNDLED_NAME) -> bytes:
    """A file shipped in the package's `data` folder, read through the package's loader.

    `pkgutil.get_data` reads package data through the same loader protocol as
    `importlib.resources`, so it works from a wheel or a zip as well as from a checkout, but
    importing it costs ~1 ms where `importlib.resources` (zipfile, tempfile, random) costs ~4.5 ms
    on every start.
    """
    data = pkgutil.get_data("partnercli", f"data/{name}")
    if data is None:  # only a loader without get_data returns None; ours all have it
        raise DataError(f"<bundled {name}>", ["the package's data cannot be read"])
    return data


def load(path: str | Path | None = None, *, cache_dir: Path | None = None) -> Catalogue:
    """Load the dataset at `path`, or the bundled one; raise `DataError` on any problem.

    With a `cache_dir`, a large file whose exact content was validated before is only decoded,
    not validated again (see `partnercli.cache`).
    """
    if path is None:
        return parse(bundled_bytes(), source_name=f"<bundled {BUNDLED_NAME}>")
    data = read_file(path)
    if cache_dir is None or len(data) < MIN_CACHED_BYTES:
        return parse(data, source_name=str(path))
    from partnercli import cache  # hashing and temporary files: only large files need them

    key = cache.content_key(data)
    warnings = cache.validated(cache_dir, key)
    if warnings is not None:
        trusted = decode_trusted(data, warnings=warnings, content_key=key)
        if trusted is not None:
            return trusted
    loaded = parse(data, source_name=str(path))
    cache.mark_validated(cache_dir, key, loaded.warnings)
    return loaded.with_content_key(key)


def decode_trusted(data: bytes, *, warnings: tuple[str, ...], content_key: str) -> Catalogue | None:
    """Decode content that passed validation before, without validating it again.

    msgspec decodes straight into the model's dataclasses, about three times faster than the
    standard library's parser plus building the records. It checks types as it goes, but the
    rules live in the validator alone: if msgspec balks at anything (a `null` where the model
    has an empty list, say), this returns None and the caller validates in full.
    """
    import msgspec  # only large files pay for its import

    @dataclasses.dataclass
    class _Trusted:
        """The shape msgspec decodes a validated file into."""

        partners: list[Partner]
        themes: list[dict[str, Any]] = dataclasses.field(default_factory=list)
        source: dict[str, Any] | None = None

    try:
        raw = msgspec.json.decode(data, type=_Trusted)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    themes = tuple(
        Theme(id=t["id"], name=t["name"], description=t.get("description") or "")
        for t in raw.themes
    )
    return Catalogue(
        source=_source(raw.source or {}),
        themes=themes,
        partners=tuple(raw.partners),
        warnings=warnings,
        content_key=content_key,
    )


def read_file(path: str | Path) -> bytes:
    """The bytes of a dataset file, or a `DataError` that says why they cannot be had."""
    name = str(path)
    if not name:
        raise DataError("''", ["an empty path; give the path of a JSON file"])
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError(
            name, ["no such file; check the path given to --data or PARTNERS_DATA"]
        ) from None
    except IsADirectoryError:
        raise DataError(name, ["is a directory; give the path of a JSON file"]) from None
    except PermissionError:
        raise DataError(name, ["permission denied; the file must be readable"]) from None
    except OSError as exc:
        raise DataError(name, [f"cannot be read: {exc.strerror or exc}"]) from None
    except ValueError:  # a NUL character: no file can have that name
        raise DataError(name, ["not a valid path (it contains a NUL character)"]) from None


def decode_json(data: bytes, *, source_name: str) -> Any:
    """Strict JSON: UTF-8 (a BOM is allowed), no NaN or Infinity, no duplicate keys."""
    if not data.strip():
        raise DataError(source_name, ["the file is empty; expected a JSON object"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(source_name, [f"not UTF-8 text (bad byte at offset {exc.start})"]) from None
    duplicates: list[str] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):  # only then is it worth finding which keys repeat
            counts = Counter(key for key, _ in pairs)
            duplicates.extend(key for key, count in counts.items() if count > 1)
        return obj

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        raw = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise DataError(
            source_name, [f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]
        ) from None
    except ValueError as exc:  # NaN / Infinity, from reject_constant
        raise DataError(source_name, [f"invalid JSON: {exc}"]) from None
    except RecursionError:
        raise DataError(source_name, ["invalid JSON: nested too deeply"]) from None
    if duplicates:
        shown = ", ".join(sorted(set(duplicates))[:5])
        raise DataError(source_name, [f"invalid JSON: duplicate key(s) in one object: {shown}"])
    return raw


def _source(raw: dict[str, Any]) -> Source:
    return Source(
        publisher=raw.get("publisher") or "",
        title=raw.get("title") or "",
        compiled=raw.get("compiled") or "",
        heading=raw.get("heading"),
        notes=raw.get("notes"),
    )


def parse(data: bytes, *, source_name: str) -> Catalogue:
    """Decode and validate a dataset; the one entry point for bytes from anywhere."""
    raw = decode_json(data, source_name=source_name)
    return _Validator(source_name).catalogue(raw)


def _kind(value: object) -> str:
    """A JSON name for the type of `value`, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


class _Validator:
    """Collects every problem in one dataset, then builds the `Catalogue` or raises."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.problems: list[str] = []
        self.warnings: list[str] = []
        #: The id of every record that has a valid one, even if something else in it is wrong,
        #: so that a link to a broken record is not reported as a link to nowhere.
        self.record_ids: list[str] = []

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def fail(self) -> DataError:
        return DataError(self.source_name, self.problems[:MAX_PROBLEMS], total=len(self.problems))

    # -- top level ---------------------------------------------------------------------------

    def catalogue(self, raw: Any) -> Catalogue:
        if not isinstance(raw, dict):
            raise DataError(
                self.source_name,
                [f"top level: expected an object with 'partners' and 'themes', got {_kind(raw)}"],
            )
        if raw.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            self.problem(
                "schema_version", f"expected {SCHEMA_VERSION}, got {raw['schema_version']!r}"
            )
        for key in sorted(set(raw) - _TOP_KEYS):
            self.warnings.append(f"{self.source_name}: top level: unknown field '{key}' ignored")
        source = self.source(raw.get("source"))
        themes = self.themes(raw.get("themes", []))
        partners = self.partners(raw.get("partners"), {t.id for t in themes})
        if self.problems:
            raise self.fail()
        return Catalogue(
            source=source,
            themes=tuple(themes),
            partners=tuple(partners),
            warnings=tuple(self.warnings),
        )

    def source(self, raw: Any) -> Source:
        if raw is None:
            return _source({})
        if not isinstance(raw, dict):
            self.problem("source", f"expected an object, got {_kind(raw)}")
            return _source({})
        values = {}
        for key in ("publisher", "title", "compiled", "heading", "notes"):
            value = raw.get(key)
            if value is not None and not isinstance(value, str):
                self.problem(f"source.{key}", f"expected a string, got {_kind(value)}")
                value = None
            values[key] = value
        compiled = values["compiled"] or ""
        if compiled and not _DATE.match(compiled):
            self.problem("source.compiled", f"expected a date as YYYY-MM-DD, got {compiled!r}")
        return _source(values)

    def themes(self, raw: Any) -> list[Theme]:
        if not isinstance(raw, list):
            self.problem("themes", f"expected an array, got {_kind(raw)}")
            return []
        themes: list[Theme] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            where = f"themes[{index}]"
            if not isinstance(item, dict):
                self.problem(where, f"expected an object, got {_kind(item)}")
                continue
            theme_id = self.slug(item.get("id"), f"{where}.id")
            if theme_id is not None:
                where = f"themes[{index}] (id '{theme_id}')"
                if theme_id in seen:
                    self.problem(f"{where}.id", "duplicate theme id")
                seen.add(theme_id)
            name = self.text(item.get("name"), f"{where}.name", required=True)
            description = self.text(item.get("description"), f"{where}.description")
            if theme_id is not None and name is not None:
                themes.append(Theme(id=theme_id, name=name, description=description or ""))
        return themes

    # -- partners ------------------------------------------------------------------------------

    def partners(self, raw: Any, theme_ids: set[str]) -> list[Partner]:
        if raw is None:
            self.problem("partners", "missing; expected an array of partner objects")
            return []
        if not isinstance(raw, list):
            self.problem("partners", f"expected an array of partner objects, got {_kind(raw)}")
            return []
        partners: list[Partner] = []
        for index, item in enumerate(raw):
            partner = self.partner(index, item, theme_ids)
            if partner is not None:
                partners.append(partner)
        self.cross_check(partners)
        return partners

    def partner(self, index: int, raw: Any, theme_ids: set[str]) -> Partner | None:
        where = f"partners[{index}]"
        if not isinstance(raw, dict):
            self.problem(where, f"expected an object, got {_kind(raw)}")
            return None
        partner_id = self.slug(raw.get("id"), f"{where}.id")
        if partner_id is not None:
            where = f"partners[{index}] (id '{partner_id}')"
            self.record_ids.append(partner_id)
        extra = raw.keys() - _PARTNER_KEYS
        if extra:
            for key in sorted(extra):
                self.warnings.append(f"{self.source_name}: {where}: unknown field '{key}' ignored")
        before = len(self.problems)
        type_ = self.partner_type(raw.get("type"), f"{where}.type")
        name = self.text(raw.get("name"), f"{where}.name", required=True)
        description = self.text(raw.get("description"), f"{where}.description", required=True)
        acronym = self.text(raw.get("acronym"), f"{where}.acronym")
        partnership = self.text(raw.get("partnership"), f"{where}.partnership")
        aliases = self.strings(raw.get("aliases"), f"{where}.aliases")
        themes = self.strings(raw.get("themes"), f"{where}.themes")
        for theme_id in themes:
            if theme_id not in theme_ids:
                self.problem(
                    f"{where}.themes",
                    f"unknown theme '{theme_id}'; themes are defined in the top-level 'themes' list",
                )
        since = self.year(raw.get("since"), f"{where}.since")
        founded = self.year(raw.get("founded"), f"{where}.founded")
        website = self.url(raw.get("website"), f"{where}.website")
        headquarters = self.headquarters(raw.get("headquarters"), f"{where}.headquarters")
        related = self.relations(raw.get("related"), f"{where}.related")
        if len(self.problems) != before or partner_id is None or type_ is None:
            return None
        assert name is not None
        assert description is not None
        return Partner(
            id=partner_id,
            type=type_,
            name=name,
            description=description,
            acronym=acronym,
            aliases=tuple(aliases),
            partnership=partnership,
            themes=tuple(themes),
            since=since,
            website=website,
            headquarters=headquarters,
            founded=founded,
            related=tuple(related),
        )

    def cross_check(self, partners: list[Partner]) -> None:
        """What no single record can tell: unique ids and names, links that lead somewhere."""
        ids: set[str] = set()
        for partner_id in self.record_ids:
            if partner_id in ids:
                self.problem(
                    f"partners (id '{partner_id}')", "duplicate id; every id must be unique"
                )
            ids.add(partner_id)
        owners: dict[str, str] = {}
        for partner in partners:
            names = [partner.acronym] if partner.acronym else []
            for name in {fold(n) for n in [*names, *partner.aliases]}:
                owner = owners.setdefault(name, partner.id)
                if owner != partner.id:
                    self.problem(
                        f"partners (id '{partner.id}')",
                        f"acronym or alias '{name}' is also used by '{owner}'; each must name one partner",
                    )
        for partner in partners:
            for relation in partner.related:
                if relation.id not in ids:
                    self.problem(
                        f"partners (id '{partner.id}').related",
                        f"unknown partner id '{relation.id}'",
                    )

    # -- field checks: each returns the value, or None after reporting a problem -------------

    def text(self, value: Any, where: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.problem(where, "missing; expected a non-empty string")
            return None
        if not isinstance(value, str):
            self.problem(where, f"expected a string, got {_kind(value)}")
            return None
        if not value.strip():
            self.problem(where, "expected a non-empty string")
            return None
        return value

    def slug(self, value: Any, where: str) -> str | None:
        text = self.text(value, where, required=True)
        if text is None:
            return None
        if not _SLUG.match(text):
            self.problem(where, f"'{text}' is not a lowercase slug (like 'world-customs')")
            return None
        return text

    def partner_type(self, value: Any, where: str) -> PartnerType | None:
        text = self.text(value, where, required=True)
        if text is None:
            return None
        try:
            return PartnerType(text)
        except ValueError:
            self.problem(where, f"unknown type '{text}'; expected one of {_TYPES}")
            return None

    def strings(self, value: Any, where: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"expected an array of strings, got {_kind(value)}")
            return []
        return [s for i, v in enumerate(value) if (s := self.text(v, f"{where}[{i}]")) is not None]

    def year(self, value: Any, where: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, f"expected a year as a whole number, got {_kind(value)}")
            return None
        if not MIN_YEAR <= value <= MAX_YEAR:
            self.problem(where, f"year {value} is out of range {MIN_YEAR}-{MAX_YEAR}")
            return None
        return value

    def url(self, value: Any, where: str) -> str | None:
        text = self.text(value, where)
        if text is not None and not _URL.match(text):
            self.problem(where, f"'{text}' is not an https:// URL")
            return None
        return text

    def headquarters(self, value: Any, where: str) -> Headquarters | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(where, f"expected an object with 'city' and 'country', got {_kind(value)}")
            return None
        city = self.text(value.get("city"), f"{where}.city", required=True)
        country = self.text(value.get("country"), f"{where}.country", required=True)
        if country is not None and not _COUNTRY.match(country):
            self.problem(
                f"{where}.country", f"'{country}' is not an ISO 3166-1 alpha-2 code (like 'FR')"
            )
            return None
        if city is None or country is None:
            return None
        return Headquarters(city=city, country=country)

    def relations(self, value: Any, where: str) -> list[Relation]:
        return self.each(value, where, self.relation)

    def relation(self, value: Any, where: str) -> Relation | None:
        if not isinstance(value, dict):
            self.problem(where, f"expected an object with 'id' and 'relation', got {_kind(value)}")
            return None
        related_id = self.slug(value.get("id"), f"{where}.id")
        relation = self.text(value.get("relation"), f"{where}.relation", required=True)
        if related_id is None or relation is None:
            return None
        return Relation(id=related_id, relation=relation)

    def each(self, value: Any, where: str, check: Callable[[Any, str], _T | None]) -> list[_T]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"expected an array, got {_kind(value)}")
            return []
        return [r for i, v in enumerate(value) if (r := check(v, f"{where}[{i}]")) is not None]
