"""Loading and validating dataset files: the domain layer, tested without Typer or Rich."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from partnercli import catalogue, lookup
from partnercli.errors import DataError
from partnercli.fields import json_schema
from partnercli.models import PARTNER_FIELDS
from partnercli.views import record as json_record
from tests import broken
from tests.broken import BROKEN, NOT_JSON, Broken
from tests.conftest import BUNDLED, WriteData, minimal_dataset, record

ROOT = Path(__file__).parent.parent
SCHEMA: dict[str, Any] = json.loads(catalogue.bundled_bytes(catalogue.SCHEMA_NAME))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
DATA_FORMAT_DOC = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")


def schema_refuses(raw: object) -> bool:
    return any(True for _ in VALIDATOR.iter_errors(raw))


def load_error(path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        catalogue.load(path)
    return caught.value


def test_bundled_data_loads_and_matches_its_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert not schema_refuses(BUNDLED)
    warnings: list[str] = []
    assert len(catalogue.load(warnings=warnings).partners) == 21
    assert warnings == []


def test_the_shipped_schema_is_the_generated_one() -> None:
    shipped = catalogue.bundled_bytes(catalogue.SCHEMA_NAME).decode()
    assert shipped == json_schema(), (
        "regenerate it: partners schema > src/partnercli/data/partners.schema.json"
    )


def test_bundled_data_is_read_as_a_package_resource(tmp_path: Path) -> None:
    """From a zip on sys.path, where there is no data file to open: through the package's loader."""
    archive = tmp_path / "partnercli.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in (ROOT / "src" / "partnercli").rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, path.relative_to(ROOT / "src"))
    code = (
        f"import sys; sys.path.insert(0, {str(archive)!r})\n"
        "from partnercli import catalogue\n"
        "print(catalogue.__file__, len(catalogue.load().partners))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{archive / 'partnercli' / 'catalogue.py'} 21\n"


def test_a_damaged_bundled_file_is_a_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "bundled_bytes", lambda name="": b'{"partners": [')
    with pytest.raises(DataError) as caught:
        catalogue.load()
    assert caught.value.message == (
        "invalid data in the bundled partners.json: line 1, column 15: invalid JSON: "
        "Expecting value"
    )


# -- the one table of broken files ---------------------------------------------------------------


def ids(cases: list[Broken]) -> list[Any]:
    return [pytest.param(case, id=case.name) for case in cases]


def test_the_table_of_broken_files_is_large_enough() -> None:
    assert len(BROKEN) >= 30
    assert len({case.name for case in BROKEN}) == len(BROKEN)
    assert broken.WRONG.keys() == set(PARTNER_FIELDS), "a wrong value for every field"


@pytest.mark.parametrize("case", ids(BROKEN))
def test_a_broken_file_is_refused_saying_where_and_what(
    write_data: WriteData, case: Broken
) -> None:
    path = write_data(case.content)
    error = load_error(path)
    assert error.path == str(path)
    assert any(case.expected in problem for problem in error.problems), error.problems


def strict_json(content: bytes) -> object:
    """The file as JSON Schema tools read it, or None where there is no JSON to validate."""

    def refuse(name: str) -> object:
        raise ValueError(name)

    try:
        return json.loads(content.decode("utf-8"), parse_constant=refuse)
    except (ValueError, RecursionError):
        return None


@pytest.mark.parametrize("case", ids(BROKEN))
def test_the_schema_and_the_loader_agree_on_every_broken_file(case: Broken) -> None:
    """The loader refuses each file (above); the schema must refuse it too, unless the rule is
    one that only the loader checks, as the data format documentation says."""
    raw = strict_json(case.content)
    if case.loader_only == NOT_JSON:
        assert raw is None, "a file that is not JSON has nothing for the schema to check"
    elif case.loader_only:
        assert not schema_refuses(raw), f"the schema states it: drop {case.loader_only!r}"
    else:
        assert schema_refuses(raw), "the loader refuses what the schema accepts"


@pytest.mark.parametrize("rule", sorted({case.loader_only for case in BROKEN if case.loader_only}))
def test_each_loader_only_rule_is_documented(rule: str) -> None:
    assert rule in DATA_FORMAT_DOC


def test_an_impossible_date_is_refused_by_schema_and_loader(write_data: WriteData) -> None:
    data = minimal_dataset(record("a"))
    data["dataset"] = {"title": "t", "version": "1.0.0", "compiled": "2000-13-45"}
    assert schema_refuses(data)
    assert load_error(write_data(data)).problems == (
        "dataset.compiled: '2000-13-45' is not a date as YYYY-MM-DD",
    )


def test_every_problem_is_reported_in_one_run(
    write_data: WriteData, bundled_raw: dict[str, Any]
) -> None:
    bundled_raw["partners"][0]["type"] = "x"
    bundled_raw["partners"][5]["website"] = "ftp://a"
    bundled_raw["partners"][9].pop("name")
    error = load_error(write_data(bundled_raw))
    assert error.total == 3
    assert error.message.endswith(": 3 problems")
    assert error.problems == (
        "partners[0] (id 'blue-shield').type: 'x' is not one of igo, museum, ngo",
        "partners[5] (id 'aliph').website: 'ftp://a' is not an https:// URL",
        "partners[9] (id 'interpol').name: missing",
    )


def test_problems_are_capped_with_a_count_of_the_rest(write_data: WriteData) -> None:
    data = minimal_dataset(*(record(f"p{i}", type="bad") for i in range(50)))
    error = load_error(write_data(data))
    assert error.total == 50
    assert len(error.problems) == catalogue.MAX_PROBLEMS
    assert error.problems[0].startswith("partners[0] (id 'p0').type:")
    assert error.problems[-1].startswith("partners[19] (id 'p19').type:")


# -- files that load ---------------------------------------------------------------------------------


def test_a_bom_is_allowed(write_data: WriteData) -> None:
    path = write_data(b"\xef\xbb\xbf" + json.dumps(minimal_dataset(record("a"))).encode())
    assert [p.id for p in catalogue.load(path).partners] == ["a"]


def test_an_empty_partner_list_is_valid(write_data: WriteData) -> None:
    assert catalogue.load(write_data(minimal_dataset())).partners == ()


def test_unknown_fields_warn_and_still_load(write_data: WriteData) -> None:
    data = minimal_dataset(record("a", colour="blue"))
    data["extra"] = 1
    path = write_data(data)
    warnings: list[str] = []
    loaded = catalogue.load(path, warnings=warnings)
    assert [p.id for p in loaded.partners] == ["a"]
    assert warnings == [
        f"{path}: top level: unknown field 'extra' ignored",
        f"{path}: partners[0] (id 'a'): unknown field 'colour' ignored",
    ]


def test_optional_fields_may_be_left_out(write_data: WriteData) -> None:
    data = minimal_dataset(record("only-required"))
    partner = catalogue.load(write_data(data)).partners[0]
    assert (partner.acronym, partner.aliases, partner.website, partner.related) == (
        None,
        (),
        None,
        (),
    )
    assert not schema_refuses(data)


def test_a_former_name_is_a_name_without_being_an_alias(write_data: WriteData) -> None:
    data = minimal_dataset(record("wco", name="World Customs Organization", former_names=["CCC"]))
    assert not schema_refuses(data)
    loaded = catalogue.load(write_data(data))
    assert loaded.partners[0].aliases == ()
    assert lookup.find_partner(loaded, "ccc")[0].id == "wco"


def test_records_give_back_the_dataset(bundled_raw: dict[str, Any]) -> None:
    loaded = catalogue.load()
    assert (
        json.loads(json.dumps([json_record(p) for p in loaded.partners])) == bundled_raw["partners"]
    )


# -- files that cannot be read -----------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nope.json")
    assert error.message == (
        f"cannot read {tmp_path / 'nope.json'}: no such file; check the path given to "
        "--data or PARTNERS_DATA"
    )


def test_a_directory(tmp_path: Path) -> None:
    assert load_error(tmp_path).problems == ("is a directory; give the path of a JSON file",)


def test_unreadable_file(write_data: WriteData, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod cannot stop root from reading, so the refusal is simulated where the file is read.
    path = write_data(minimal_dataset())

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert load_error(path).problems == ("permission denied; the file must be readable",)


def test_a_file_over_the_size_limit_is_refused(
    write_data: WriteData, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_data(minimal_dataset(record("x", description="y" * 2_000_000)))
    monkeypatch.setenv("PARTNERS_MAX_DATA_MB", "1")
    assert load_error(path).problems == (
        "larger than 1 MB; split it, or raise PARTNERS_MAX_DATA_MB",
    )
    monkeypatch.setenv("PARTNERS_MAX_DATA_MB", "3")
    assert catalogue.load(path).partners[0].id == "x"


@pytest.mark.parametrize("value", ["abc", "", "0", "-5", "1.5"])
def test_an_unusable_size_limit_warns_and_keeps_the_default(
    write_data: WriteData, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PARTNERS_MAX_DATA_MB", value)
    warnings: list[str] = []
    assert catalogue.load(write_data(minimal_dataset(record("a"))), warnings=warnings).partners
    assert warnings == [
        f"PARTNERS_MAX_DATA_MB={value!r} is not a whole number of megabytes; using 4096"
    ]
    assert catalogue.max_bytes() == 4096 * 2**20
