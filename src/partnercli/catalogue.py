"""Load and validate a dataset file: the bundled one by default, or any file in the same format.

Decoding and per-field validation are the Structs of `partnercli.models`, run by msgspec in C.
What they cannot see is checked here: duplicate keys in an object, text that is only spaces or
is not valid Unicode, and the rules across records. Every problem is collected and raised together
as a `DataError`, so a person fixing a file sees them all at once, each with where it is and what
was expected.
"""

from __future__ import annotations

import gc
import json
import os
import pkgutil
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import msgspec

from partnercli.errors import DataError
from partnercli.models import (
    COUNTRY_PATTERN,
    DATE_PATTERN,
    MAX_YEAR,
    MIN_YEAR,
    PARTIAL_DATE_PATTERN,
    PARTNER_FIELDS,
    SCHEMA_VERSION,
    SLUG_PATTERN,
    SOURCE_URL_PATTERN,
    URL_PATTERN,
    VERSION_PATTERN,
    Catalogue,
    Partner,
    PartnerType,
    UnPlace,
)
from partnercli.text import fold

BUNDLED_NAME: Final = "partners.json"
SCHEMA_NAME: Final = "partners.schema.json"
#: How many problems a `DataError` lists before it only counts the rest.
MAX_PROBLEMS: Final = 20
#: The largest dataset read (1,000,000 records take about 2.3 GB): past that, a clear error
#: rather than a machine out of memory. PARTNERS_MAX_DATA_MB changes it.
MAX_BYTES: Final = int(os.environ.get("PARTNERS_MAX_DATA_MB", "4096")) * 2**20

_TOP_KEYS = frozenset(Catalogue.__struct_encode_fields__)  # the names the file spells
_PARTNER_KEYS = frozenset(PARTNER_FIELDS)
_TYPES = ", ".join(t.value for t in PartnerType)
# msgspec's messages, and what each means for a person editing the file.
# (Patterns as text are compiled by `re` on first use: a valid file never needs them.)
_MSGSPEC_ERROR = r"(?s)(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?\Z"
_MISSING = r"Object missing required field `(?P<field>[^`]*)`"
_WRONG_TYPE = r"Expected `(?P<expected>[^`]*)`, got `[^`]*`"
_PATTERN_PROBLEMS = {
    SLUG_PATTERN: "{value!r} is not a lowercase slug (like 'world-customs')",
    URL_PATTERN: "{value!r} is not an https:// URL",
    COUNTRY_PATTERN: "{value!r} is not an ISO 3166-1 alpha-2 code (like 'FR')",
    DATE_PATTERN: "expected a date as YYYY-MM-DD, got {value!r}",
    PARTIAL_DATE_PATTERN: "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}",
    SOURCE_URL_PATTERN: "expected an http:// or https:// URL, got {value!r}",
    VERSION_PATTERN: "expected a version as MAJOR.MINOR.PATCH, got {value!r}",
}
#: What a field of an array or object type holds, for "expected …" messages.
_TOP_CONTAINERS = {
    "partners": "an array of partner objects",
    "themes": "an array",
    "source": "an object",
}
_CONTAINERS = {
    "aliases": "an array of strings",
    "themes": "an array of strings",
    "related": "an array",
    "headquarters": "an object with 'city' and 'country'",
}
# A \uD800-\uDFFF escape: JSON can spell a lone surrogate, which no output can write.
_SURROGATE_ESCAPE = r"\\u[dD][89a-fA-F]"


def bundled_bytes(name: str = BUNDLED_NAME) -> bytes:
    """A file shipped in the package's `data` folder, read through the package's loader (which
    works from a wheel or a zip as well as from a checkout)."""
    data = pkgutil.get_data("partnercli", f"data/{name}")
    if data is None:  # only a loader without get_data returns None; ours all have it
        raise DataError(f"<bundled {name}>", ["the package's data cannot be read"])
    return data


def load(path: str | Path | None = None, *, warnings: list[str] | None = None) -> Catalogue:
    """Load the dataset at `path`, or the bundled one; raise `DataError` on any problem.

    Problems that do not stop loading (unknown fields) are appended to `warnings`.
    The bundled dataset is trusted: the tests validate it, so it is only decoded.
    """
    if path is None:
        return msgspec.json.decode(bundled_bytes(), type=Catalogue)
    return parse(read_file(path), source_name=str(path), warnings=warnings)


def read_file(path: str | Path) -> bytes:
    """The bytes of a dataset file, or a `DataError` that says why they cannot be had."""
    name = str(path)
    if not name:
        raise DataError("''", ["an empty path; give the path of a JSON file"])
    try:
        return _read(Path(path), name)
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
    except MemoryError:
        raise DataError(name, [TOO_LARGE]) from None


def _read(path: Path, name: str) -> bytes:
    """A regular file whole, or a pipe in chunks up to `MAX_BYTES`; nothing else (a device such
    as /dev/zero never ends)."""
    import stat

    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(name)
    if stat.S_ISREG(mode):
        if path.stat().st_size > MAX_BYTES:
            raise DataError(
                name,
                [f"larger than {MAX_BYTES // 2**20} MB; split it, or raise PARTNERS_MAX_DATA_MB"],
            )
        return path.read_bytes()
    if not stat.S_ISFIFO(mode):
        raise DataError(name, ["not a regular file or a pipe; give the path of a JSON file"])
    chunks, size = [], 0
    with path.open("rb") as pipe:  # read in chunks: Ctrl-C stops it between two
        while chunk := pipe.read(1 << 20):
            size += len(chunk)
            if size > MAX_BYTES:
                raise DataError(name, [f"more than {MAX_BYTES // 2**20} MB from a pipe; stopped"])
            chunks.append(chunk)
    return b"".join(chunks)


#: Why a file that could be read could not be loaded.
TOO_LARGE: Final = "too large to load into this machine's memory"


def parse(data: bytes, *, source_name: str, warnings: list[str] | None = None) -> Catalogue:
    """Decode and validate a dataset; the one entry point for bytes from anywhere. A file read
    whole may still be too large to decode (its text, its objects): a `DataError` too."""
    try:
        return _parse(data, source_name=source_name, warnings=warnings)
    except MemoryError:
        raise DataError(source_name, [TOO_LARGE]) from None


def _parse(data: bytes, *, source_name: str, warnings: list[str] | None) -> Catalogue:
    by_record = _by_record(data)
    if by_record is not None:
        outside, catalogue, unknown = by_record
        problems = _Problems(outside)
        problems.check(catalogue)
        return _checked(catalogue, problems, unknown, source_name, warnings)
    # Decoded whole, then each part on its own if it does not convert, to report every problem.
    text = _text(data, source_name)
    del data  # a large file is held once at a time: as bytes, as text, then as records
    raw = decode_json(text, source_name=source_name)
    surrogates = re.search(_SURROGATE_ESCAPE, text)
    del text
    if not isinstance(raw, dict):
        raise DataError(
            source_name,
            [f"top level: expected an object with 'partners' and 'themes', got {_kind(raw)}"],
        )
    problems = _Problems(raw)
    whole: Catalogue | None = None
    try:
        whole = msgspec.convert(raw, Catalogue)
    except msgspec.ValidationError:
        problems.per_record()
    else:
        problems.check(whole)
    if surrogates:
        problems.unicode()
    return _checked(whole, problems, problems.unknown_fields(), source_name, warnings)


def _checked(
    catalogue: Catalogue | None,
    problems: _Problems,
    unknown: Iterable[str],
    source_name: str,
    warnings: list[str] | None,
) -> Catalogue:
    """The catalogue, if no problem was found; else a `DataError` with the problems."""
    if problems.found:
        found = problems.found
        raise DataError(source_name, found[:MAX_PROBLEMS], total=len(found))
    assert catalogue is not None  # per_record() found at least one problem
    if warnings is not None:
        warnings.extend(f"{source_name}: {w}" for w in unknown)
    # What was loaded lives until the run ends: out of the cyclic collector's sight, which
    # would otherwise walk it again at every collection and once more at exit.
    gc.freeze()
    return catalogue


def _by_record(data: bytes) -> tuple[dict[str, Any], Catalogue, list[str]] | None:
    """A well-formed file read a partner at a time, straight from its bytes: never held as one
    text and all its objects at once (a third less memory than decoding it whole, and faster).

    None when anything is amiss, or merely unusual (a byte-order mark): `parse` then decodes
    the file whole and words every problem. What is outside the partners array is decoded on
    its own, with that array emptied, so a key the top level holds twice is found too.
    """
    try:
        top = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
        items = top.get("partners")
        if items is None or re.search(_SURROGATE_ESCAPE.encode(), data):
            return None
        start = data.find(items)
        duplicates: list[str] = []
        decode = _json_decoder(duplicates)
        outside = decode((data[:start] + b"[]" + data[start + len(items) :]).decode())
        # The array emptied must be the one msgspec saw: everything else decodes the same.
        if outside.keys() != top.keys() or any(
            msgspec.json.decode(value) != outside[key]
            for key, value in top.items()
            if key != "partners"
        ):
            return None
        shell = msgspec.convert(outside, Catalogue)
        records = msgspec.json.decode(items, type=list[msgspec.Raw])
        partners: list[Partner] = []
        unknown = [
            f"top level: unknown field '{key}' ignored" for key in _unknown(outside, top=True)
        ]
        for index, item in enumerate(records):
            record = _record(item, decode)
            partners.append(msgspec.convert(record, Partner))
            unknown.extend(
                f"{_where(index, record)}: unknown field '{key}' ignored"
                for key in _unknown(record, top=False)
            )
    except (
        msgspec.MsgspecError,
        ValueError,
        TypeError,
        RecursionError,
    ):  # JSONDecodeError: a ValueError
        return None
    if duplicates:
        return None
    return outside, msgspec.structs.replace(shell, partners=tuple(partners)), unknown


def _text(data: bytes, source_name: str) -> str:
    if not data.strip():
        raise DataError(source_name, ["the file is empty; expected a JSON object"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(source_name, [f"not UTF-8 text (bad byte at offset {exc.start})"]) from None


def _record(item: msgspec.Raw, strict: Callable[[str], Any]) -> Any:
    """One partner's JSON, decoded by msgspec (in C, without a hook per object) when it holds
    every key once, which shows as its writing back to its own text, spaces aside; else by the
    strict decoder, which notes a key held twice (or finds the text merely spelled otherwise,
    as with an escaped `\\u00e9`)."""
    record = msgspec.json.decode(item)
    if msgspec.json.encode(record) == msgspec.json.format(item, indent=-1):
        return record
    return strict(str(item, "utf-8"))


def decode_json(text: str, *, source_name: str) -> Any:
    """Strict JSON: no NaN or Infinity, no duplicate keys (msgspec would keep the last one)."""
    duplicates: list[str] = []
    try:
        raw = _json_decoder(duplicates)(text)
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


def _json_decoder(duplicates: list[str]) -> Callable[[str], Any]:
    """The standard library's JSON decoder, refusing NaN and Infinity and adding to
    `duplicates` every key an object holds twice."""

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            counts = Counter(key for key, _ in pairs)
            duplicates.extend(key for key, count in counts.items() if count > 1)
        return obj

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    return json.JSONDecoder(object_pairs_hook=pairs_hook, parse_constant=reject_constant).decode


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


def _at(raw: Any, path: list[str | int]) -> Any:
    """The value at `path`, or None where the path cannot be followed (msgspec writes the key
    of an object used as a map as `[...]`)."""
    for step in path:
        try:
            raw = raw[step]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


def explain(message: str, raw: Any, *, top: bool) -> tuple[str, str]:
    """msgspec's `Expected … - at $.a[0].b` as (the path `a[0].b`, what a person should know),
    for an error in the whole file (`top`) or in one partner record."""
    match = re.match(_MSGSPEC_ERROR, message)
    assert match is not None  # the pattern matches any text
    what, path_text = match["what"], match["path"] or ""
    path: list[str | int] = [
        int(index) if index.isdigit() else name or "[...]"
        for name, index in re.findall(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]", path_text)
    ]
    missing = re.match(_MISSING, what)
    if missing:
        path.append(missing["field"])
        name = missing["field"]
        expected = _containers(path, top=top).get(name, "a non-empty string")
        return _path_text(path), f"missing; expected {expected}"
    value = _at(raw, path)
    name = str(path[-1]) if path else "top level"
    wrong = re.match(_WRONG_TYPE, what)
    if wrong:
        expected = _expected(wrong["expected"], path, top=top)
        return _path_text(path), f"expected {expected}, got {_kind(value)}"
    if "of length >= 1" in what:
        return _path_text(path), "expected a non-empty string"
    for pattern, template in _PATTERN_PROBLEMS.items():
        if repr(pattern) in what:  # msgspec quotes the pattern with repr()
            if value is None:  # a value msgspec could not point at (the key of a map)
                unknown = template.replace(", got {value!r}", "").replace("{value!r}", "the value")
                return _path_text(path), unknown
            return _path_text(path), template.format(value=value)
    if "matching regex" in what:
        return _path_text(path), f"{value!r} does not have the expected form"
    if f">= {MIN_YEAR}" in what or f"<= {MAX_YEAR}" in what:
        return _path_text(path), f"year {value} is out of range {MIN_YEAR}-{MAX_YEAR}"
    bound = re.match(r"Expected `int` ([<>]=? -?\d+)", what)
    if bound:
        return _path_text(path), f"expected a whole number {bound[1]}, got {value!r}"
    if what.startswith("Invalid enum value"):
        if name == "type":
            return _path_text(path), f"unknown type {value!r}; expected one of {_TYPES}"
        if name == "schema_version":
            return _path_text(path), f"expected {SCHEMA_VERSION}, got {value!r}"
        allowed = ", ".join(place.value for place in UnPlace)
        return _path_text(path), f"unknown {name} {value!r}; expected one of {allowed}"
    return _path_text(path), what  # a message msgspec may add one day: still one clear line


def _expected(expected_type: str, path: list[str | int], *, top: bool) -> str:
    """What a field of the wrong type should have been, in a reader's words."""
    name = path[-1] if path else None
    if name == "schema_version":
        return str(SCHEMA_VERSION)
    if expected_type.startswith("str"):
        return "a string"
    if expected_type.startswith("int"):
        return "a year as a whole number"
    containers = _containers(path, top=top)
    if isinstance(name, str) and name in containers:
        return containers[name]
    if len(path) >= 2 and path[-2] == "related":
        return "an object with 'id' and 'relation'"
    return "an array" if expected_type.startswith("array") else "an object"


def _containers(path: list[str | int], *, top: bool) -> dict[str, str]:
    """What the array and object fields at the end of `path` hold: a file's top-level fields
    or a partner record's."""
    return _TOP_CONTAINERS if top and len(path) == 1 else _CONTAINERS


def _path_text(path: list[str | int]) -> str:
    return "".join(
        f"[{step}]" if isinstance(step, int) else step if step == "[...]" else f".{step}"
        for step in path
    )


class _Problems:
    """Everything wrong with one decoded file: per record, then across records."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.found: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.found.append(f"{where}: {what}")

    def _records(self) -> list[Any]:
        partners = self.raw.get("partners")
        return partners if isinstance(partners, list) else []

    def per_record(self) -> None:
        """Convert each part on its own, so every broken record is reported (msgspec stops at
        the first problem of a conversion), then check what is across the valid ones."""
        top = {k: v for k, v in self.raw.items() if k != "partners"}
        top["partners"] = (
            []
            if isinstance(self.raw.get("partners"), list)
            else self.raw.get("partners", msgspec.UNSET)
        )
        if top["partners"] is msgspec.UNSET:
            del top["partners"]
        try:
            shell = msgspec.convert(top, Catalogue)
        except msgspec.ValidationError as exc:
            path, what = explain(str(exc), top, top=True)
            self.add(path.lstrip(".") or "top level", what)
            shell = None
        partners: list[Partner] = []
        positions: list[int] = []
        for index, record in enumerate(self._records()):
            try:
                partners.append(msgspec.convert(record, Partner))
                positions.append(index)
            except msgspec.ValidationError as exc:
                path, what = explain(str(exc), record, top=False)
                self.add(_where(index, record) + path, what)
        if shell is not None:
            ids = [
                r["id"]
                for r in self._records()
                if isinstance(r, dict) and isinstance(r.get("id"), str)
            ]
            valid = msgspec.structs.replace(shell, partners=tuple(partners))
            self.check(valid, all_ids=ids, positions=positions)

    def check(
        self,
        catalogue: Catalogue,
        *,
        all_ids: list[str] | None = None,
        positions: list[int] | None = None,
    ) -> None:
        """What no single field can tell: blank text, unique ids and names, links that exist.

        Each rule is first checked on whole sets at once (fast at 100,000 records); only when
        one fails are the records walked again to say where.
        """
        partners = catalogue.partners
        theme_ids: set[str] = set()
        for index, theme in enumerate(catalogue.themes):
            where = f"themes[{index}] (id '{theme.id}')"
            if theme.name.isspace():
                self.add(f"{where}.name", "expected a non-empty string")
            if theme.id in theme_ids:
                self.add(f"{where}.id", "duplicate theme id")
            theme_ids.add(theme.id)
        id_list = all_ids if all_ids is not None else [p.id for p in partners]
        ids = set(id_list)
        if len(ids) != len(id_list):
            for partner_id, count in Counter(id_list).items():
                if count > 1:
                    self.add(
                        f"partners (id '{partner_id}')", "duplicate id; every id must be unique"
                    )
        kinds = {k.id for k in catalogue.relation_kinds}
        for index, kind in enumerate(catalogue.relation_kinds):
            if kind.inverse not in kinds:
                self.add(
                    f"relation_kinds[{index}] (id '{kind.id}').inverse",
                    f"unknown relation kind '{kind.inverse}'; define it in relation_kinds",
                )
        if not (each_record_holds(partners) and rules_across_hold(catalogue, ids, theme_ids)):
            self._locate(catalogue, ids=ids, theme_ids=theme_ids, positions=positions)

    def _locate(
        self,
        catalogue: Catalogue,
        *,
        ids: set[str],
        theme_ids: set[str],
        positions: list[int] | None,
    ) -> None:
        """Walk the records to say where each rule fails."""
        partners = catalogue.partners
        links, typed = _links(partners)
        owners: dict[str, str] = {}
        for position, partner in zip(positions or range(len(partners)), partners, strict=True):
            place = f"partners[{position}] (id '{partner.id}')"
            for name in _blank_fields(partner):
                self.add(f"{place}.{name}", "expected a non-empty string")
            for name, problem in _inconsistencies(partner):
                self.add(f"{place}.{name}", problem)
            for name in {fold(n) for n in _names(partner)}:
                owner = owners.setdefault(name, partner.id)
                if owner != partner.id:
                    self.add(
                        place,
                        f"acronym or alias '{name}' is also used by '{owner}'; each must name one partner",
                    )
            for theme_id in partner.themes:
                if theme_id not in theme_ids:
                    self.add(
                        f"{place}.themes",
                        f"unknown theme '{theme_id}'; themes are defined in the top-level 'themes' list",
                    )
            for relation in partner.related:
                kind = catalogue.relation_kind(relation.kind)
                back = (relation.id, partner.id, kind.inverse if kind else None)
                if relation.id not in ids:
                    self.add(f"{place}.related", f"unknown partner id '{relation.id}'")
                elif relation.kind and kind is None:
                    self.add(
                        f"{place}.related",
                        f"unknown relation kind '{relation.kind}'; define it in relation_kinds",
                    )
                elif kind and back not in typed and catalogue.partner(relation.id):
                    self.add(
                        f"{place}.related",
                        f"links to '{relation.id}' as '{kind.id}', but '{relation.id}' has no "
                        f"'{kind.inverse}' link back",
                    )
                elif (relation.id, partner.id) not in links and catalogue.partner(relation.id):
                    self.add(
                        f"{place}.related",
                        f"links to '{relation.id}', which does not link back; add the inverse "
                        f"relation to '{relation.id}'",
                    )

    def unicode(self) -> None:
        """Report text that holds a lone surrogate: valid JSON, but no UTF-8 output can write it."""
        for where, value in _strings(self.raw, ""):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                self.add(
                    where.lstrip(".") or "top level",
                    "not valid Unicode text (a lone surrogate escape such as \\ud800)",
                )

    def unknown_fields(self) -> Iterator[str]:
        for key in _unknown(self.raw, top=True):
            yield f"top level: unknown field '{key}' ignored"
        for index, record in enumerate(self._records()):
            for key in _unknown(record, top=False):
                yield f"{_where(index, record)}: unknown field '{key}' ignored"


def _unknown(obj: dict[str, Any], *, top: bool) -> list[str]:
    """The keys of the top level or of a partner record that the format does not know."""
    return sorted(obj.keys() - (_TOP_KEYS if top else _PARTNER_KEYS))


def _where(index: int, record: Any) -> str:
    """Where a partner record is, for messages: its index, and its id if it has a valid one."""
    record_id = record.get("id") if isinstance(record, dict) else None
    named = isinstance(record_id, str) and re.match(SLUG_PATTERN, record_id)
    return f"partners[{index}]" + (f" (id '{record_id}')" if named else "")


def each_record_holds(partners: Sequence[Partner]) -> bool:
    """Do the rules within a record that no field type expresses hold: no text that is only
    spaces, fields that agree? (`_Problems._locate` says where not.)"""
    texts = (
        t
        for p in partners
        for t in (p.name, p.acronym, p.description, p.partnership, *p.aliases)
        if t is not None
    )
    return not any(t.isspace() for t in texts) and all(_consistent(p) for p in partners)


def rules_across_hold(catalogue: Catalogue, ids: set[str], theme_ids: set[str]) -> bool:
    """Do the rules across records hold: each acronym and alias names one partner, themes and
    links exist, links go both ways? Checked on whole sets at once, which is fast at 100,000
    records; `_Problems._locate` walks the records to say where a rule fails."""
    partners = catalogue.partners
    names = [fold(n) for p in partners for n in _names(p)]
    links, typed = _links(partners)
    inverse = {k.id: k.inverse for k in catalogue.relation_kinds}
    return (
        len(set(names)) == len(names)  # else a clash, or a partner naming itself twice
        and {t for p in partners for t in p.themes} <= theme_ids
        and {target for _, target in links} <= ids
        and all((b, a) in links for a, b in links)
        and all((b, a, inverse.get(k or "")) in typed for a, b, k in typed)
    )


def _links(
    partners: Iterable[Partner],
) -> tuple[set[tuple[str, str]], set[tuple[str, str, str | None]]]:
    """Every link as (from, to), and every link of a kind as (from, to, kind)."""
    edges = {(p.id, r.id, r.kind) for p in partners for r in p.related}
    return {(a, b) for a, b, _ in edges}, {edge for edge in edges if edge[2]}


def _names(partner: Partner) -> tuple[str, ...]:
    """The names that must each belong to one partner: acronym and aliases."""
    return (partner.acronym, *partner.aliases) if partner.acronym else partner.aliases


def _consistent(partner: Partner) -> bool:
    """Do the record's fields agree with one another? (`_inconsistencies` says how not.)"""
    return (
        (partner.description is not None or partner.partnership is not None)
        and partner.evidence.keys() <= set(partner.themes)
        and set(partner.former_names) <= set(partner.aliases)
    )


def _inconsistencies(partner: Partner) -> Iterator[tuple[str, str]]:
    if partner.description is None and partner.partnership is None:
        yield "description", "missing; a partner needs a description or a partnership text"
    for theme_id in partner.evidence.keys() - set(partner.themes):
        yield "evidence", f"evidence for '{theme_id}', which is not one of the record's themes"
    for name in set(partner.former_names) - set(partner.aliases):
        yield "former_names", f"'{name}' is not one of the aliases; list it there too"


def _blank_fields(partner: Partner) -> Iterator[str]:
    for name in ("name", "description", "acronym", "partnership"):
        value = getattr(partner, name)
        if value is not None and value.isspace():
            yield name
    for index, alias in enumerate(partner.aliases):
        if alias.isspace():
            yield f"aliases[{index}]"


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in decoded JSON (keys too), with where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, where)
            yield from _strings(item, f"{where}.{key}")
