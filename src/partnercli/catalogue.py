"""Load and validate a dataset file: the bundled one by default, or any file in the same format.

One path for every file: read its bytes, decode them (msgspec), convert them to the Structs of
`partnercli.models` (whose constraints check each field, in C), then check the rules across
records that no field can state. Every problem is raised together as a `DataError`, so a person
fixing a file sees them all at once, each with where it is and what was expected.

When a field is wrong, the problems are found and worded by the JSON Schema shipped beside the
data (generated from the same Structs), imported only then: a valid file never pays for it.
docs/data-format.md lists the rules only the loader checks.
"""

from __future__ import annotations

import datetime
import json
import os
import pkgutil
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

import msgspec

from partnercli.errors import DataError
from partnercli.models import (
    COUNTRY_PATTERN,
    DATE_PATTERN,
    PARTIAL_DATE_PATTERN,
    PARTNER_FIELDS,
    SLUG_PATTERN,
    SOURCE_URL_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
    VERSION_PATTERN,
    Catalogue,
)
from partnercli.text import fold

BUNDLED_NAME: Final = "partners.json"
SCHEMA_NAME: Final = "partners.schema.json"
#: How many problems a `DataError` lists before it only counts the rest.
MAX_PROBLEMS: Final = 20
#: The largest dataset read, in MB, unless PARTNERS_MAX_DATA_MB says otherwise (1,000,000
#: records take about 2.3 GB): past that, a clear error rather than a machine out of memory.
DEFAULT_MAX_DATA_MB: Final = 4096

_BOM = b"\xef\xbb\xbf"
#: What each pattern of the format asks for, in words.
_PATTERN_WORDS = {
    TEXT_PATTERN: "text (not empty, not only spaces)",
    SLUG_PATTERN: "a lowercase slug (like 'world-customs')",
    URL_PATTERN: "an https:// URL",
    SOURCE_URL_PATTERN: "an http:// or https:// URL",
    COUNTRY_PATTERN: "an ISO 3166-1 alpha-2 code (like 'FR')",
    DATE_PATTERN: "a date as YYYY-MM-DD",
    PARTIAL_DATE_PATTERN: "a date as YYYY, YYYY-MM or YYYY-MM-DD",
    VERSION_PATTERN: "a version as MAJOR.MINOR.PATCH",
}
_TYPE_WORDS = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
#: What a decoded JSON value is, for messages (its type as a person reads it).
_KINDS: Final[dict[type, str]] = {
    type(None): "null",
    bool: "true or false",
    int: "a number",
    str: "a string",
    list: "an array",
    dict: "an object",
}


def bundled_bytes(name: str = BUNDLED_NAME) -> bytes:
    """A file shipped in the package's `data` folder, read through the package's loader (which
    works from a wheel or a zip as well as from a checkout)."""
    data = pkgutil.get_data("partnercli", f"data/{name}")
    if data is None:  # only a loader without get_data returns None; ours all have it
        raise DataError(f"the bundled {name}", ["the package's data cannot be read"])
    return data


def load(path: str | Path | None = None, *, warnings: list[str] | None = None) -> Catalogue:
    """Load the dataset at `path`, or the bundled one; raise `DataError` on any problem.

    Problems that do not stop loading (unknown fields, an unusable PARTNERS_MAX_DATA_MB) are
    appended to `warnings`.
    """
    return read(path, warnings=warnings)[0]


def read(path: str | Path | None, *, warnings: list[str] | None = None) -> tuple[Catalogue, bytes]:
    """`load`, with the exact bytes the dataset was read from (what its SHA-256 names).

    The bundled dataset is decoded straight into the model in one pass: the tests hold it to
    every rule, so it is trusted (the checks would cost every run a few milliseconds). A damaged
    bundled file is read as any other file, whose problems are worded."""
    if path is None:
        raw = bundled_bytes()
        try:
            return msgspec.json.decode(raw, type=Catalogue), raw
        except (msgspec.DecodeError, msgspec.ValidationError):
            return parse(raw, source_name=f"the bundled {BUNDLED_NAME}"), raw
    raw = read_file(path, warnings=warnings)
    return parse(raw, source_name=str(path), warnings=warnings), raw


def max_bytes(warnings: list[str] | None = None) -> int:
    """The largest file read, from PARTNERS_MAX_DATA_MB (read now, not at import): a value that
    is not a whole number of megabytes gets a warning and the default."""
    value = os.environ.get("PARTNERS_MAX_DATA_MB", str(DEFAULT_MAX_DATA_MB))
    try:
        megabytes = int(value)
    except ValueError:
        megabytes = 0
    if megabytes < 1:
        if warnings is not None:
            warnings.append(
                f"PARTNERS_MAX_DATA_MB={value!r} is not a whole number of megabytes; "
                f"using {DEFAULT_MAX_DATA_MB}"
            )
        megabytes = DEFAULT_MAX_DATA_MB
    return megabytes * 2**20


#: Why a file cannot be read, by the error reading it raised.
_UNREADABLE: Final[dict[type[Exception], str]] = {
    FileNotFoundError: "no such file; check the path given to --data or PARTNERS_DATA",
    IsADirectoryError: "is a directory; give the path of a JSON file",
    PermissionError: "permission denied; the file must be readable",
    ValueError: "not a valid path (it contains a NUL character)",  # no file can have that name
}


def read_file(path: str | Path, *, warnings: list[str] | None = None) -> bytes:
    """The bytes of a dataset file, or a `DataError` that says why they cannot be had."""
    name = str(path)
    if not name:
        raise DataError("''", ["an empty path; give the path of a JSON file"], unreadable=True)
    try:
        return _read(Path(path), name, max_bytes(warnings))
    except MemoryError:
        raise DataError(name, [TOO_LARGE], unreadable=True) from None
    except (OSError, ValueError) as exc:
        known = (words for kind, words in _UNREADABLE.items() if isinstance(exc, kind))
        problem = next(known, f"cannot be read: {getattr(exc, 'strerror', None) or exc}")
        raise DataError(name, [problem], unreadable=True) from None


def _read(path: Path, name: str, limit: int) -> bytes:
    """A regular file whole, or a pipe in chunks up to `limit` bytes; nothing else (a device
    such as /dev/zero never ends)."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(name)
    too_large = f"larger than {limit // 2**20} MB; split it, or raise PARTNERS_MAX_DATA_MB"
    if stat.S_ISREG(info.st_mode):
        if info.st_size > limit:
            raise DataError(name, [too_large], unreadable=True)
        return path.read_bytes()
    if not stat.S_ISFIFO(info.st_mode):
        raise DataError(
            name, ["not a regular file or a pipe; give the path of a JSON file"], unreadable=True
        )
    chunks, size = [], 0
    with path.open("rb") as pipe:  # read in chunks: Ctrl-C stops it between two
        while chunk := pipe.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise DataError(name, [too_large], unreadable=True)
            chunks.append(chunk)
    return b"".join(chunks)


#: What a file too large for this machine's memory is told.
TOO_LARGE: Final = "too large to load into this machine's memory"


def parse(data: bytes, *, source_name: str, warnings: list[str] | None = None) -> Catalogue:
    """Decode and validate a dataset; the one entry point for bytes from anywhere. A file read
    whole may still be too large to decode (its text, its objects): a `DataError` too."""
    try:
        return _parse(data, source_name=source_name, warnings=warnings)
    except MemoryError:
        raise DataError(source_name, [TOO_LARGE]) from None


def _parse(data: bytes, *, source_name: str, warnings: list[str] | None) -> Catalogue:
    raw = _decode(data.removeprefix(_BOM), source_name)
    try:
        catalogue = msgspec.convert(raw, Catalogue)
    except msgspec.ValidationError as exc:  # a field is wrong: say which, and how
        problems = field_problems(raw) or [_msgspec_problem(exc, raw)]
    else:
        problems = list(rule_problems(catalogue))
    if problems:
        raise DataError(source_name, problems[:MAX_PROBLEMS], total=len(problems))
    if warnings is not None:
        warnings.extend(f"{source_name}: {warning}" for warning in _unknown_fields(raw))
    return catalogue


def _decode(data: bytes, source_name: str) -> Any:
    """The JSON value of `data`. msgspec decodes it (fast, strict: no NaN, no lone surrogate);
    when it refuses, the standard library says where, by line and column."""
    try:
        return msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError):
        pass
    if not data.strip():
        raise DataError(source_name, ["the file is empty; expected a JSON object"])
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        problems = [f"not UTF-8 text (bad byte at offset {exc.start})"]
    except json.JSONDecodeError as exc:
        problems = [f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]
    except ValueError as exc:  # NaN / Infinity, from _reject_constant
        problems = [f"invalid JSON: {exc}"]
    except RecursionError:
        problems = ["invalid JSON: nested too deeply"]
    else:
        # Valid to the standard library, not to msgspec: a \uD800-\uDFFF escape standing alone,
        # which JSON can spell but no output can write (UTF-8 has no bytes for it).
        problems = [
            f"{_where(path, raw)}: not valid Unicode text (a lone surrogate escape such as \\ud800)"
            for path, value in _strings(raw, [])
            if re.search(r"[\ud800-\udfff]", value)
        ] or ["invalid JSON"]
    raise DataError(source_name, problems)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _strings(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    """Every string in decoded JSON (keys too), with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, [*path, index])
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, path)
            yield from _strings(item, [*path, key])


# -- the fields: what the schema states ----------------------------------------------------------


def field_problems(raw: Any) -> list[str]:
    """Every value of a decoded file that the shipped JSON Schema refuses, in words (found by
    jsonschema-rs, in Rust: a second for 100,000 records)."""
    import jsonschema_rs

    schema = json.loads(bundled_bytes(SCHEMA_NAME))
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    found: dict[str, tuple[tuple[tuple[int, str], ...], str]] = {}
    for error in validator.iter_errors(raw):
        path, what = _field_problem(error)
        where = _where(path, raw)
        found.setdefault(where, (_order(path), f"{where}: {what}"))  # one problem a value
    return [problem for _, problem in sorted(found.values())]


def _field_problem(error: Any) -> tuple[list[str | int], str]:
    """(where, what is wrong in words) for one jsonschema-rs error."""
    from jsonschema_rs import ValidationErrorKind as K  # imported already, by field_problems

    kind = error.kind
    if isinstance(kind, K.AnyOf):  # a partner needs a description or a partnership text
        errors = [e for branch in kind.context for e in branch]
        needed = [e.kind.property for e in errors if isinstance(e.kind, K.Required)]
        if len(needed) == len(errors):
            return list(error.instance_path), f"needs {' or '.join(needed)}"
    while isinstance(kind, K.AnyOf):
        # `X | None`: what is wrong is said by the alternative that is not null (and for a
        # partial date, "a year or a month, or else a day": by the day); of its problems, the
        # value's form before the calendar (2000-13-45)
        branch = [b for b in kind.context if b[0].kind.as_dict() != {"types": ["null"]}][-1]
        error = min(branch, key=lambda e: isinstance(e.kind, K.Format))
        kind = error.kind
    # where the alternative's problem is: `headquarters.country`, not `headquarters`
    path = list(error.instance_path)
    if isinstance(kind, K.PropertyNames):  # a key of a map, told at the map
        error = kind.error
        kind = error.kind
    value = error.instance
    if isinstance(kind, K.Required):  # told at the key that is missing
        return [*path, kind.property], "missing"
    if isinstance(kind, K.Type):
        # 1967.5 is a number: shown as it is
        got = _short(value) if isinstance(value, float) else _KINDS.get(type(value), "a value")
        what = f"expected {_TYPE_WORDS[kind.types[0]]}, got {got}"
    elif isinstance(kind, K.Enum):  # msgspec writes a Literal as an enum, even of one value
        what = f"{_short(value)} is not one of {', '.join(map(str, kind.options))}"
    elif isinstance(kind, K.Pattern):
        what = f"{_short(value)} is not {_PATTERN_WORDS.get(kind.pattern, 'of the expected form')}"
    elif isinstance(kind, K.Format):
        what = f"{_short(value)} is not a day on the calendar"
    elif isinstance(kind, K.Minimum | K.Maximum):
        bound = "least" if isinstance(kind, K.Minimum) else "most"
        what = f"expected at {bound} {kind.limit}, got {_short(value)}"
    elif isinstance(kind, K.MinItems | K.MaxItems):  # a pair of instruments
        what = f"expected {kind.limit} items, got {len(value)}"
    else:  # a keyword the generated schema does not use today: still one clear line
        what = error.message[:200]
    return path, what


def _order(path: Iterable[str | int]) -> tuple[tuple[int, str], ...]:
    """A key that sorts paths as they come in the file (`[2]` before `[10]`)."""
    return tuple((0, f"{step:>12}") if isinstance(step, int) else (1, step) for step in path)


def _msgspec_problem(exc: msgspec.ValidationError, raw: Any) -> str:
    """A value msgspec refuses that the schema does not, in words: a whole number written with a
    fraction (`1967.0`, an integer to JSON Schema), else msgspec's own message (`Expected `int`,
    got `float` - at `$.partners[0].founded``). Within a map msgspec names no key (`[...]`): its
    path is then given as it is."""
    what, _, at = str(exc).partition(" - at `$")
    if "[...]" in at:
        return f"{at.rstrip('`').lstrip('.')}: {what}"
    path: list[str | int] = [
        int(index) if index else key for key, index in re.findall(r"\.(\w+)|\[(\d+)\]", at)
    ]
    value: Any = raw
    for step in path:
        value = value[step]
    if what.startswith("Expected `int") and isinstance(value, float):
        what = f"expected a whole number, got {value!r}"
    return f"{_where(path, raw)}: {what}"


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 80 else f"{shown[:77]}..."


def _where(path: list[str | int], raw: Any) -> str:
    """A path as people read it: `partners[3] (id 'wco').related[0].id`; `top level` for none.
    A partner is named by its id when it has a valid one."""
    steps = [f"[{step}]" if isinstance(step, int) else f".{step}" for step in path]
    if path[:1] == ["partners"] and len(path) > 1:
        record = raw["partners"][path[1]]
        record_id = record.get("id") if isinstance(record, dict) else None
        if isinstance(record_id, str) and re.match(SLUG_PATTERN, record_id):
            steps[1] += f" (id {_short(record_id)})"
    return "".join(steps).lstrip(".") or "top level"


# -- the rules across records: what only the loader checks ----------------------------------------


def rule_problems(catalogue: Catalogue) -> Iterator[str]:
    """What no field can tell, each rule once: unique ids and names, themes, kinds and links
    that exist, links that go both ways, days on the calendar, texts a partner must have."""
    yield from _duplicates("themes", [theme.id for theme in catalogue.themes], "theme id")
    yield from _duplicates("partners", [p.id for p in catalogue.partners], "id")
    for index, kind in enumerate(catalogue.relation_kinds):
        if catalogue.relation_kind(kind.inverse) is None:
            yield (
                f"relation_kinds[{index}] (id '{kind.id}').inverse: unknown relation kind "
                f"'{kind.inverse}'; define it in relation_kinds"
            )
    if catalogue.dataset and not _on_calendar(catalogue.dataset.compiled):
        yield f"dataset.compiled: '{catalogue.dataset.compiled}' is not a day on the calendar"
    links = {(p.id, r.id, r.kind) for p in catalogue.partners for r in p.related}
    untyped = {(a, b) for a, b, _ in links}
    owners: dict[str, str] = {}
    for index, partner in enumerate(catalogue.partners):
        where = f"partners[{index}] (id '{partner.id}')"
        if partner.description is None and partner.partnership is None:
            yield f"{where}.description: missing; a partner needs a description or a partnership text"
        for theme_id in partner.themes:
            if catalogue.theme(theme_id) is None:
                yield f"{where}.themes: unknown theme '{theme_id}'; define it in the top-level 'themes'"
        for theme_id in partner.evidence.keys() - set(partner.themes):
            yield f"{where}.evidence: evidence for '{theme_id}', which is not one of the record's themes"
        names = (partner.acronym, *partner.aliases, *partner.former_names)  # each names one partner
        for name in {fold(n) for n in names if n}:
            owner = owners.setdefault(name, partner.id)
            if owner != partner.id:
                yield f"{where}: the name '{name}' is also used by '{owner}'; each must name one partner"
        for number, milestone in enumerate(partner.milestones):
            if not _on_calendar(milestone.date):
                yield f"{where}.milestones[{number}].date: '{milestone.date}' is not a day on the calendar"
        for relation in partner.related:
            defined = catalogue.relation_kind(relation.kind)  # its kind, if relation_kinds has it
            if catalogue.partner(relation.id) is None:
                yield f"{where}.related: unknown partner id '{relation.id}'"
            elif relation.kind and defined is None:
                yield f"{where}.related: unknown relation kind '{relation.kind}'; define it in relation_kinds"
            elif defined and (relation.id, partner.id, defined.inverse) not in links:
                yield (
                    f"{where}.related: links to '{relation.id}' as '{relation.kind}', but "
                    f"'{relation.id}' has no '{defined.inverse}' link back"
                )
            elif (relation.id, partner.id) not in untyped:
                yield (
                    f"{where}.related: links to '{relation.id}', which does not link back; add "
                    f"the inverse relation to '{relation.id}'"
                )


def _duplicates(where: str, ids: list[str], noun: str) -> Iterator[str]:
    for item_id, count in Counter(ids).items():
        if count > 1:
            yield f"{where} (id '{item_id}'): duplicate {noun}; every {noun} must be unique"


def _on_calendar(day: str) -> bool:
    """Is a date of the format's patterns (YYYY, YYYY-MM, YYYY-MM-DD) a real one?"""
    if len(day) < len("YYYY-MM-DD"):
        return True  # a year or a month: the pattern has said all there is
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return False
    return True


def _unknown_fields(raw: dict[str, Any]) -> Iterator[str]:
    """The keys of the top level and of the partner records that the format does not know."""
    for key in sorted(raw.keys() - Catalogue.__struct_encode_fields__):  # as spelt: `$schema`
        yield f"top level: unknown field '{key}' ignored"
    for index, record in enumerate(raw["partners"]):
        for key in sorted(record.keys() - PARTNER_FIELDS):
            yield f"{_where(['partners', index], raw)}: unknown field '{key}' ignored"
