"""Loading and validating dataset files: the domain layer, tested without Typer or Rich."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from partnercli import catalogue
from partnercli.errors import DataError
from partnercli.fields import json_schema
from partnercli.views import record as json_record
from tests.conftest import BUNDLED, WriteData, minimal_dataset, record

SCHEMA: dict[str, Any] = json.loads(catalogue.bundled_bytes(catalogue.SCHEMA_NAME))
Mutation = Callable[[dict[str, Any]], object]


def schema_accepts(raw: object) -> bool:
    return not list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(raw))


def load_error(path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        catalogue.load(path)
    return caught.value


def test_bundled_data_loads_and_matches_its_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert schema_accepts(BUNDLED)
    assert len(catalogue.load().partners) == 21


def test_bundled_data_is_read_as_a_package_resource() -> None:
    data = catalogue.bundled_bytes()
    assert json.loads(data)["schema_version"] == 1


# -- files that are not a dataset at all ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"  \n", "the file is empty"),
        (b"\xff\xfe{}", "not UTF-8 text (bad byte at offset 0)"),
        (b'{"partners": [', "line 1, column 15: invalid JSON"),
        (b'{"partners": []} trailing', "line 1, column 18: invalid JSON: Extra data"),
        (b'{"partners": [], "x": NaN}', "NaN is not valid JSON"),
        (b'{"partners": [], "x": -Infinity}', "-Infinity is not valid JSON"),
        (b'{"partners": [], "partners": []}', "duplicate key(s) in one object: partners"),
        (b"[]", "top level: expected an object with 'partners' and 'themes', got an array"),
        (b'"partners"', "got a string"),
        (b'{"themes": []}', "partners: missing; expected an array of partner objects"),
        (b'{"partners": {}}', "partners: expected an array of partner objects, got an object"),
        (b'{"partners": [1]}', "partners[0]: expected an object, got a number"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"partners": [], "x": ' + b"[" * 5_000 + b"]" * 5_000 + b"}", "nested too deeply"),
        (b'{"partners": [{"x": ' + b"[" * 5_000 + b"]" * 5_000 + b"}]}", "nested too deeply"),
    ],
)
def test_unreadable_json_is_one_clear_problem(
    write_data: WriteData, content: bytes, expected: str
) -> None:
    path = write_data(content)
    error = load_error(path)
    assert error.path == str(path)
    assert expected in error.message


def test_a_bom_is_allowed(write_data: WriteData) -> None:
    path = write_data(b"\xef\xbb\xbf" + json.dumps(minimal_dataset(record("a"))).encode())
    assert [p.id for p in catalogue.load(path).partners] == ["a"]


def test_missing_file(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nope.json")
    assert "no such file" in error.message
    assert "nope.json" in error.message


def test_a_directory(tmp_path: Path) -> None:
    assert "is a directory" in load_error(tmp_path).message


def test_unreadable_file(write_data: WriteData, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod cannot stop root from reading, so the refusal is simulated where the file is read.
    path = write_data(minimal_dataset())

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert "permission denied; the file must be readable" in load_error(path).message


def test_empty_partner_list_is_valid(write_data: WriteData) -> None:
    assert catalogue.load(write_data(minimal_dataset())).partners == ()


# -- records with problems -------------------------------------------------------------------------


def _set(index: int, key: str, value: Any) -> Mutation:
    return lambda raw: raw["partners"][index].__setitem__(key, value)


def _drop(index: int, key: str) -> Mutation:
    return lambda raw: raw["partners"][index].pop(key)


RECORD_PROBLEMS: list[tuple[str, Mutation, str, bool]] = [
    # (case, mutation of the bundled data, expected message part, can the schema tell?)
    ("missing id", _drop(0, "id"), "partners[0].id: missing; expected a non-empty string", True),
    ("missing name", _drop(1, "name"), "partners[1] (id 'ica').name: missing", True),
    ("missing texts", lambda raw: [raw["partners"][2].pop(k) for k in ("description", "partnership")], "(id 'icomos').description: missing; a partner needs a description or a partnership text", False),
    ("missing type", _drop(3, "type"), "(id 'ifla').type: missing", True),
    ("evidence for a theme it lacks", _set(2, "themes", ["conservation"]), "(id 'icomos').evidence: evidence for 'emergencies', which is not one of the record's themes", False),
    ("former name not an alias", _set(2, "former_names", ["Old ICOMOS"]), "(id 'icomos').former_names: 'Old ICOMOS' is not one of the aliases; list it there too", False),
    ("name not a string", _set(0, "name", 3), "name: expected a string, got a number", True),
    ("empty name", _set(0, "name", ""), "name: expected a non-empty string", True),
    ("blank name", _set(0, "name", "  "), "name: expected a non-empty string", False),
    ("lone surrogate", _set(0, "name", "\ud800"), "name: not valid Unicode text", False),
    ("one-way link", _set(0, "related", [{"id": "unesco", "relation": "x"}]), "which does not link back", False),
    ("newline after slug", _set(0, "id", "blue-shield\n"), "is not a lowercase slug", True),
    ("aliases not a list", _set(0, "aliases", "x"), "aliases: expected an array of strings, got a string", True),
    ("alias not a string", _set(0, "aliases", [1]), "aliases[0]: expected a string, got a number", True),
    ("themes not a list", _set(0, "themes", {}), "themes: expected an array of strings, got an object", True),
    ("unknown type", _set(0, "type", "charity"), "unknown type 'charity'; expected one of ngo, igo, museum", True),
    ("bad slug", _set(0, "id", "Blue Shield"), "'Blue Shield' is not a lowercase slug", True),
    ("year as text", _set(0, "founded", "1996"), "founded: expected a year as a whole number, got a string", True),
    ("year as bool", _set(0, "since", True), "since: expected a year as a whole number, got a boolean", True),
    ("year as float", _set(0, "since", 2000.5), "since: expected a year as a whole number, got a number", True),
    ("year out of range", _set(0, "founded", 99999), "year 99999 is out of range 1000-2100", True),
    ("http url", _set(0, "website", "http://example.org"), "'http://example.org' is not an https:// URL", True),
    ("malformed url", _set(0, "website", "https://"), "is not an https:// URL", True),
    ("url with space", _set(0, "website", "https://a.org/x y"), "is not an https:// URL", True),
    ("url with escape", _set(0, "website", "https://a.org/\x1b[31m"), "is not an https:// URL", True),
    ("hq not object", _set(0, "headquarters", "Paris"), "headquarters: expected an object", True),
    ("bad country", _set(0, "headquarters", {"city": "Paris", "country": "France"}), "'France' is not an ISO 3166-1 alpha-2 code", True),
    ("related not list", _set(0, "related", "ica"), "related: expected an array, got a string", True),
    ("relation missing", _set(0, "related", [{"id": "ica"}]), "related[0].relation: missing", True),
    ("unknown theme", _set(0, "themes", ["nope"]), "unknown theme 'nope'", False),
    ("dangling related", _set(0, "related", [{"id": "nope", "relation": "x"}]), "related: unknown partner id 'nope'", False),
    ("duplicate id", _set(1, "id", "blue-shield"), "(id 'blue-shield'): duplicate id", False),
    ("duplicate alias", _set(1, "aliases", ["Bouclier Bleu"]), "alias 'bouclier bleu' is also used by", False),
    ("duplicate acronym", _set(2, "acronym", "ica"), "acronym or alias 'ica' is also used by", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "expected", "schema_can_tell"),
    [pytest.param(m, e, s, id=case) for case, m, e, s in RECORD_PROBLEMS],
)
def test_record_problems(
    write_data: WriteData,
    bundled_raw: dict[str, Any],
    mutate: Mutation,
    expected: str,
    schema_can_tell: bool,
) -> None:
    mutate(bundled_raw)
    path = write_data(bundled_raw)
    error = load_error(path)
    assert any(expected in problem for problem in error.problems), error.problems
    if schema_can_tell:
        assert not schema_accepts(bundled_raw), "the schema and the loader must agree"


def test_every_problem_is_reported_in_one_run(
    write_data: WriteData, bundled_raw: dict[str, Any]
) -> None:
    bundled_raw["partners"][0]["type"] = "x"
    bundled_raw["partners"][5]["website"] = "ftp://a"
    bundled_raw["partners"][9].pop("name")
    error = load_error(write_data(bundled_raw))
    assert error.total == 3
    assert "3 problems" in error.message
    assert [p.split(".")[0] for p in error.problems] == [
        "partners[0] (id 'blue-shield')",
        "partners[5] (id 'aliph')",
        "partners[9] (id 'interpol')",
    ]


def test_problems_are_capped_with_a_count_of_the_rest(write_data: WriteData) -> None:
    data = minimal_dataset(*(record(f"p{i}", type="bad") for i in range(50)))
    error = load_error(write_data(data))
    assert error.total == 50
    assert len(error.problems) == catalogue.MAX_PROBLEMS


def test_unknown_fields_warn_and_still_load(write_data: WriteData) -> None:
    data = minimal_dataset(record("a", colour="blue"))
    data["extra"] = 1
    warnings: list[str] = []
    loaded = catalogue.load(write_data(data), warnings=warnings)
    assert [p.id for p in loaded.partners] == ["a"]
    assert any("unknown field 'extra'" in w for w in warnings)
    assert any("(id 'a'): unknown field 'colour' ignored" in w for w in warnings)


def test_optional_fields_may_be_left_out(write_data: WriteData) -> None:
    loaded = catalogue.load(write_data(minimal_dataset(record("only-required"))))
    partner = loaded.partners[0]
    assert (partner.acronym, partner.aliases, partner.website, partner.related) == (
        None,
        (),
        None,
        (),
    )
    assert schema_accepts(minimal_dataset(record("only-required")))


def test_records_give_back_the_dataset(bundled_raw: dict[str, Any]) -> None:
    loaded = catalogue.load()
    assert (
        json.loads(json.dumps([json_record(p) for p in loaded.partners])) == bundled_raw["partners"]
    )


def test_the_bundled_dataset_is_valid() -> None:
    """`load()` trusts the bundled file (only decodes it): here is why it may."""
    warnings: list[str] = []
    checked = catalogue.parse(catalogue.bundled_bytes(), source_name="bundled", warnings=warnings)
    assert checked == catalogue.load()
    assert warnings == []


def test_the_shipped_schema_is_the_generated_one() -> None:
    shipped = catalogue.bundled_bytes(catalogue.SCHEMA_NAME).decode()
    assert shipped == json_schema(), (
        "regenerate it: partners schema > src/partnercli/data/partners.schema.json"
    )


def test_duplicate_keys_are_found_at_any_depth(write_data: WriteData) -> None:
    text = json.dumps(minimal_dataset(record("a", headquarters={"city": "X", "country": "FR"})))
    text = text.replace('"city": "X"', '"city": "X", "city": "Y"')
    assert "duplicate key(s) in one object: city" in load_error(write_data(text)).message


def test_the_models_annotations_are_objects_not_text() -> None:
    """msgspec evaluates annotations kept as text with eval() on the first decode of every run
    (2 ms of a 70 ms start): `models` must not postpone them."""
    import msgspec

    from partnercli import models

    structs = [
        value
        for value in vars(models).values()
        if isinstance(value, type)
        and issubclass(value, msgspec.Struct)
        and value is not msgspec.Struct
    ]
    assert models.Partner in structs
    for struct in structs:
        assert not any(isinstance(a, str) for a in struct.__annotations__.values()), struct
