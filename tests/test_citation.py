"""Citing the data: `partners about`, `partners cite`, `show --sources`, CITATION.cff, LICENSE."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bibtexparser.entrypoint import parse_string
from pybtex.database import parse_string as pybtex_parse  # type: ignore[import-untyped]

from partnercli import __version__, catalogue, citation
from partnercli.models import Catalogue
from tests.conftest import BUNDLED, DATA_DIR, Invoke, WriteData, minimal_dataset, record

ROOT = Path(__file__).parent.parent
DAY = "2026-11-30"
VERSION: str = BUNDLED["dataset"]["version"]
COMPILED: str = BUNDLED["dataset"]["compiled"]
SHA256 = hashlib.sha256(catalogue.bundled_bytes()).hexdigest()


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
    assert about["sha256"] == SHA256
    assert len(about["cite"]) == 2
    assert all("Retrieved" in reference for reference in about["cite"])
    plain = invoke("about").stdout
    assert "version:\t" + bundled.dataset.version in plain
    assert f"sha256:\t{SHA256}\n" in plain
    assert [line for line in plain.splitlines() if line.startswith("cite:")] == [
        f"cite:\t{reference}" for reference in about["cite"]
    ]
    table = invoke("about", "-f", "table", env={"COLUMNS": "100"}).stdout
    assert "https://icom.museum/en/network/partners/" in table


def test_about_gives_the_licences_as_spdx_identifiers(invoke: Invoke) -> None:
    licence = json.loads(invoke("about", "--json").stdout)["licence"]
    assert (licence["code"], licence["data"]) == ("MIT", "CC0-1.0")
    assert "remain ICOM's text" in licence["text"]
    assert "description and partnership texts" in licence["text"]
    plain = invoke("about").stdout
    assert "licence:\tMIT (code); CC0-1.0 (compilation and structured fields)\n" in plain


def test_about_lists_themes_by_count_as_themes_does(invoke: Invoke) -> None:
    about = json.loads(invoke("about", "--json").stdout)
    themes = json.loads(invoke("themes", "--json").stdout)
    assert list(about["by_theme"].items()) == [(t["id"], t["count"]) for t in themes]
    line = next(x for x in invoke("about").stdout.splitlines() if x.startswith("themes:"))
    assert line == "themes:\t" + "; ".join(f"{t['id']} {t['count']}" for t in themes)


def test_about_and_cite_name_a_data_file_by_the_bytes_read(
    invoke: Invoke, write_data: WriteData
) -> None:
    path = write_data(minimal_dataset(record("x")))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest != SHA256
    assert json.loads(invoke("--data", str(path), "about", "--json").stdout)["sha256"] == digest
    for fmt in ("text", "bibtex", "csl-json"):
        assert digest in invoke("--data", str(path), "cite", "-f", fmt).stdout
        assert digest in invoke("--data", str(path), "cite", "x", "-f", fmt).stdout


def test_cite_text_is_apa_style_with_the_access_date(invoke: Invoke) -> None:
    out = invoke("cite", "--accessed", DAY).stdout.splitlines()
    assert out == [
        f"partnercli developers. ({COMPILED[:4]}). ICOM's partner network (Version {VERSION}) "
        f"[Data set]. Compiled {COMPILED}, SHA-256 {SHA256}. "
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
    assert f"Cited from ICOM's partner network (version {VERSION}, compiled {COMPILED}, " in first
    headless = invoke("cite", "interpol", "--accessed", DAY).stdout
    assert "International Criminal Police Organization. In Partners" in headless
    assert len(headless.splitlines()) == 1  # the entry alone
    both = invoke("cite", "interpol", "--with-dataset", "--accessed", DAY).stdout.splitlines()
    assert len(both) == 2
    assert both[1].startswith("partnercli developers.")


@pytest.mark.parametrize("fmt", ["text", "bibtex", "csl-json"])
@pytest.mark.parametrize("name", [None, "unesco"])
def test_every_citation_names_the_version_date_and_sha256(
    invoke: Invoke, fmt: str, name: str | None
) -> None:
    out = invoke("cite", *([name] if name else []), "-f", fmt, "--accessed", DAY).stdout
    assert SHA256 in out
    assert VERSION in out
    assert COMPILED in out


def test_cite_defaults_to_today(invoke: Invoke) -> None:
    today = datetime.date.today()
    assert f"{today.year}" in invoke("cite").stdout
    assert today.isoformat() in invoke("cite", "-f", "bibtex").stdout


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        ((), ["partnercli-dataset", "icom-partners"]),
        (("unesco",), ["icom-partners-unesco"]),
        (
            ("palace-museum", "--with-dataset"),
            ["icom-partners-palace-museum", "partnercli-dataset"],
        ),
    ],
)
def test_bibtex_is_read_by_a_real_bibtex_parser(
    invoke: Invoke, args: tuple[str, ...], keys: list[str]
) -> None:
    library = parse_string(invoke("cite", *args, "--format", "bibtex", "--accessed", DAY).stdout)
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == keys
    for entry in library.entries:
        fields = {f.key: f.value for f in entry.fields}
        assert fields["urldate"] == DAY
        assert fields["url"] == "https://icom.museum/en/network/partners/"
        assert entry.entry_type == "misc"


def test_appended_citations_make_one_bibliography_pybtex_reads(invoke: Invoke) -> None:
    """`cite -f bibtex`, then two partners appended, as `cite --help` suggests: pybtex (which
    refuses a file with a key twice, as BibTeX warns) reads every entry once."""
    appended = "".join(
        invoke("cite", *name, "-f", "bibtex", "--accessed", DAY).stdout + "\n"
        for name in ((), ("unesco",), ("interpol",))
    )
    database = pybtex_parse(appended, "bibtex")
    assert list(database.entries) == [
        "partnercli-dataset",
        "icom-partners",
        "icom-partners-unesco",
        "icom-partners-interpol",
    ]
    unesco = database.entries["icom-partners-unesco"]
    assert unesco.fields["title"].startswith("{UNESCO} \u2013 {United} {Nations}")
    assert database.entries["partnercli-dataset"].fields["title"] == "{ICOM}'s partner network"
    assert SHA256 in database.entries["partnercli-dataset"].fields["note"]
    assert SHA256 in unesco.fields["note"]


def test_a_title_keeps_its_capitals_in_a_style_that_lowercases_titles() -> None:
    from pybtex.richtext import Text as RichText  # type: ignore[import-untyped]

    protected = citation.bibtex_escape("ICOM's partner network", title=True)
    assert protected == "{ICOM}'s partner network"
    # BibTeX's change.case$ "t", as standard styles apply it to titles:
    assert str(RichText.from_latex(protected).capfirst().lower()) == "ICOM's partner network"


def test_bibtex_escapes_hostile_text() -> None:
    hostile = "50% of {braces} & $math$ #1 a_b ^ ~ back\\slash @x \x1b[31m"
    for escaped in (citation.bibtex_escape(hostile), citation.bibtex_escape(hostile, title=True)):
        assert "\x1b" not in escaped
        assert "\\}" not in escaped  # BibTeX would count that brace all the same
        assert "@" not in escaped
        assert citation.balanced(escaped)
        entry = f"@misc{{k,\n  title = {{{escaped}}}\n}}\n"
        assert parse_string(entry).failed_blocks == []
        assert list(pybtex_parse(entry, "bibtex").entries) == ["k"]
        for special in "%&$#_":
            assert f"\\{special}" in escaped


@pytest.mark.parametrize(
    ("value", "expected"),
    [("{}", True), ("{{}", False), ("}{", False), (r"\}{", False), ("", True)],
)
def test_braces_balance_as_bibtex_counts_them(value: str, expected: bool) -> None:
    assert citation.balanced(value) is expected


def test_a_url_is_verbatim_but_for_braces() -> None:
    url = "https://example.org/a_b%20c/{x}#frag~1"
    assert citation.bibtex_url(url) == "https://example.org/a_b%20c/%7Bx%7D#frag~1"


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
        invoke("--data", path, "cite", "x", "--with-dataset", "-f", "bibtex").stdout
    )
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["icom-partners-x", "partnercli-dataset"]


def test_a_crafted_name_cannot_close_a_field_or_add_an_entry(
    invoke: Invoke, write_data: WriteData
) -> None:
    """As BibTeX reads a file: every brace counts (a backslash escapes none), and `@` outside
    an entry starts one. The name below, written raw or as `\\}`, would end the title and add
    `injected`."""
    crafted = "x} @misc(injected, title={y}) {{{ \\} % # @"
    data = minimal_dataset(record("x", name=crafted, heading=crafted))
    data["source"] = {"title": crafted, "url": "https://example.org/a{b}c", "publisher": crafted}
    data["icom"] = {"name": crafted}
    path = str(write_data(data))
    out = "".join(
        invoke("--data", path, "cite", *name, "-f", "bibtex", "--accessed", DAY).stdout
        for name in ((), ("x",))
    )
    assert citation.balanced(out)
    assert "\\}" not in out
    assert len(re.findall("@", out)) == 3  # the three entries' own
    database = pybtex_parse(out, "bibtex")
    assert list(database.entries) == ["partnercli-dataset", "icom-partners", "icom-partners-x"]
    library = parse_string(out)
    assert library.failed_blocks == []
    assert "injected" not in [e.key for e in library.entries]
    assert "url = {https://example.org/a%7Bb%7Dc}" in out


def test_no_csl_json_holds_n_d(invoke: Invoke, write_data: WriteData) -> None:
    undated = minimal_dataset(record("x"))
    path = str(write_data(undated))
    for args in ((), ("unesco",), ("unesco", "--with-dataset")):
        out = invoke("cite", *args, "-f", "csl-json").stdout
        assert "n.d." not in out
        items = json.loads(out)
        assert all("issued" not in i for i in items if i["type"] == "webpage")
    for args in ((), ("x", "--with-dataset")):
        out = invoke("--data", path, "cite", *args, "-f", "csl-json").stdout
        assert "n.d." not in out
        assert all("issued" not in item for item in json.loads(out))


def test_csl_json_has_what_zotero_needs(invoke: Invoke) -> None:
    items = json.loads(invoke("cite", "-f", "csl-json", "--accessed", DAY).stdout)
    assert [i["type"] for i in items] == ["dataset", "webpage"]
    for item in items:
        assert {"id", "type", "title", "URL", "accessed"} <= item.keys()
        assert item["accessed"] == {"date-parts": [[2026, 11, 30]]}
    assert items[0]["version"] == VERSION
    year, month, day = map(int, COMPILED.split("-"))
    assert items[0]["issued"] == {"date-parts": [[year, month, day]]}
    assert SHA256 in items[0]["note"]


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


def test_the_facts_with_a_source_are_these_fields() -> None:
    """`show --sources` cites every field of a partner but these five; a field added to the
    format must be added here, or to views.UNSOURCED, on purpose."""
    from partnercli import views
    from partnercli.models import PARTNER_FIELDS

    assert [name for name in PARTNER_FIELDS if name not in views.UNSOURCED] == [
        "name", "acronym", "aliases", "former_names", "description", "partnership", "themes",
        "since", "milestones", "website", "headquarters", "founded", "un_system", "related",
        "section", "position", "heading",
    ]  # fmt: skip


def test_version_gives_the_package_and_the_dataset(invoke: Invoke) -> None:
    assert (
        invoke("--version").stdout
        == f"partners {__version__} (dataset {VERSION}, compiled {COMPILED})\n"
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
    licence = bundled.dataset.licence
    assert licence is not None
    assert cff["license"] == [licence.code, licence.data]


def test_the_licence_file_says_what_stays_icoms() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "remain ICOM's" in text


def test_the_licence_files_and_the_package_metadata_say_the_same(bundled: Catalogue) -> None:
    import tomllib

    assert "CC0 1.0 Universal" in (ROOT / "LICENSES" / "CC0-1.0.txt").read_text(encoding="utf-8")
    assert "CC0 1.0 Universal (LICENSES/CC0-1.0.txt)" in (ROOT / "LICENSE").read_text(
        encoding="utf-8"
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC0-1.0"
    assert project["license-files"] == ["LICENSE", "LICENSES/*.txt"]
    docs = "".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *ROOT.glob("docs/*.md")]
    )
    assert "MIT AND CC0-1.0" in docs
    assert "remain ICOM's text" in docs


def test_ci_validates_citation_cff_with_cffconvert_in_its_own_environment() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    assert "python3 -m venv .venv-cff" in script
    assert ".venv-cff/bin/cffconvert --validate -i CITATION.cff" in script


@pytest.mark.slow
def test_the_wheel_metadata_names_both_licences(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode()
    assert "License-Expression: MIT AND CC0-1.0" in text
    assert "License-File: LICENSE" in text
    assert "License-File: LICENSES/CC0-1.0.txt" in text
    assert any(n.endswith("licenses/LICENSES/CC0-1.0.txt") for n in names)
