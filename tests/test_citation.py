"""Citing the data: `partners about`, `partners cite`, `show --sources`, CITATION.cff, LICENSE."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bibtexparser.entrypoint import parse_string

from partnercli import __version__, citation
from partnercli.models import Catalogue
from tests.conftest import BUNDLED, DATA_DIR, Invoke, WriteData, minimal_dataset, record

ROOT = Path(__file__).parent.parent
DAY = "2026-11-30"
VERSION: str = BUNDLED["dataset"]["version"]


def test_about_says_what_where_when_and_how_to_cite(invoke: Invoke, bundled: Catalogue) -> None:
    result = invoke("about", "--json")
    assert result.exit_code == 0, result.output
    about = json.loads(result.stdout)
    assert bundled.dataset is not None
    assert about["version"] == bundled.dataset.version
    assert about["compiled"] == bundled.dataset.compiled
    assert about["as_of"] == "2022-01"
    assert about["source"]["url"] == "https://icom.museum/en/network/partners/"
    assert about["by_type"] == {"ngo": 6, "igo": 11, "museum": 4}
    assert about["partners"] == 21
    assert about["by_theme"]["illicit-trafficking"] == 8
    assert about["licence"]["code"] == "MIT"
    assert "Retrieved" in about["cite"]
    plain = invoke("about").stdout
    assert "version:\t" + bundled.dataset.version in plain
    table = invoke("about", "-f", "table", env={"COLUMNS": "100"}).stdout
    assert "https://icom.museum/en/network/partners/" in table


def test_cite_text_is_apa_style_with_the_access_date(invoke: Invoke) -> None:
    out = invoke("cite", "--accessed", DAY).stdout.splitlines()
    assert out == [
        f"partnercli developers. (2026). ICOM's partner network (Version {VERSION}) [Data set]. "
        "Retrieved November 30, 2026, from https://icom.museum/en/network/partners/",
        "International Council of Museums. (n.d.). Partners. "
        "Retrieved November 30, 2026, from https://icom.museum/en/network/partners/",
    ]


def test_cite_a_partner_names_its_entry_on_the_page(invoke: Invoke) -> None:
    first = invoke("cite", "OMPI", "--accessed", DAY).stdout.splitlines()[0]
    assert first.startswith(
        "International Council of Museums. (n.d.). WIPO \u2013 World Intellectual"
    )
    assert "In Partners." in first
    headless = invoke("cite", "interpol", "--accessed", DAY).stdout
    assert "International Criminal Police Organization. In Partners" in headless


def test_cite_defaults_to_today(invoke: Invoke) -> None:
    today = datetime.date.today()
    assert f"{today.year}" in invoke("cite").stdout
    assert today.isoformat() in invoke("cite", "-f", "bibtex").stdout


@pytest.mark.parametrize("name", [None, "unesco", "palace-museum"])
def test_bibtex_is_read_by_a_real_bibtex_parser(invoke: Invoke, name: str | None) -> None:
    args = ["cite", *([name] if name else []), "--format", "bibtex", "--accessed", DAY]
    library = parse_string(invoke(*args).stdout)
    assert library.failed_blocks == []
    assert len(library.entries) == 2
    for entry in library.entries:
        fields = {f.key: f.value for f in entry.fields}
        assert fields["urldate"] == DAY
        assert fields["url"] == "https://icom.museum/en/network/partners/"
        assert entry.entry_type == "misc"


def test_bibtex_escapes_hostile_text() -> None:
    hostile = "50% of {braces} & $math$ #1 a_b ^ ~ back\\slash \x1b[31m"
    escaped = citation.bibtex_escape(hostile)
    assert "\x1b" not in escaped
    entry = f"@misc{{k,\n  title = {{{escaped}}}\n}}\n"
    library = parse_string(entry)
    assert library.failed_blocks == []
    assert escaped.count("{") == escaped.count("}")
    for special in "%&$#_":
        assert f"\\{special}" in escaped


def test_hostile_data_stays_inert_in_every_citation(invoke: Invoke, write_data: WriteData) -> None:
    data = minimal_dataset(
        record("x", name="Evil } @misc{pwned, \x1b]52;c;aGk=\x07", heading="x}{")
    )
    data["source"] = {"title": "T}", "url": "https://example.org/", "publisher": "P\x1b[2J"}
    path = str(write_data(data))
    for fmt in ("text", "bibtex", "csl-json"):
        result = invoke("--data", path, "cite", "x", "-f", fmt, "--accessed", DAY)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        assert "\x07" not in result.stdout
    library = parse_string(
        invoke("--data", path, "cite", "x", "-f", "bibtex", "--accessed", DAY).stdout
    )
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["icom-partners-x", "partnercli-dataset"]


def test_csl_json_has_what_zotero_needs(invoke: Invoke) -> None:
    items = json.loads(invoke("cite", "-f", "csl-json", "--accessed", DAY).stdout)
    assert [i["type"] for i in items] == ["dataset", "webpage"]
    for item in items:
        assert {"id", "type", "title", "URL", "issued", "accessed"} <= item.keys()
        assert item["accessed"] == {"date-parts": [[2026, 11, 30]]}
    assert items[0]["version"] == VERSION


def test_a_bad_access_date_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("cite", "--accessed", "yesterday")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --accessed: 'yesterday' is not a date")


def test_show_sources_gives_each_fact_its_source(invoke: Invoke) -> None:
    rows = json.loads(invoke("show", "eu", "--sources", "--json").stdout)
    by_field = {row["field"]: row for row in rows}
    assert "de facto" in by_field["headquarters"]["caveat"]
    assert by_field["headquarters"]["source"].startswith("Reference facts")
    assert by_field["description"]["source"].startswith("ICOM partners page")
    assert "combating the illicit trafficking" in by_field["themes"]["source"]
    plain = invoke("show", "wipo", "--sources").stdout
    assert "typos fixed: 'Committee on\u00a0 Copyright' -> 'Committee on Copyright'" in plain
    table = invoke("show", "unesco", "--sources", "-f", "table", env={"COLUMNS": "120"}).stdout
    assert "since its creation" in table
    assert "Source" in table


def test_version_gives_the_package_and_the_dataset(invoke: Invoke) -> None:
    assert (
        invoke("--version").stdout
        == f"partners {__version__} (dataset {VERSION}, compiled {DAY})\n"
    )


def test_citation_cff_is_valid_cff_1_2() -> None:
    schema: dict[str, Any] = json.loads(
        (DATA_DIR / "cff-1.2.0.schema.json").read_text(encoding="utf-8")
    )
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(cff)]
    assert errors == []
    assert cff["version"] == VERSION


def test_citation_cff_and_the_dataset_agree(bundled: Catalogue) -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert bundled.dataset is not None
    assert cff["version"] == bundled.dataset.version
    assert cff["date-released"] == bundled.dataset.compiled
    assert cff["references"][0]["url"] == bundled.source.url


def test_the_licence_file_says_what_stays_icoms() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "remain ICOM's" in text
