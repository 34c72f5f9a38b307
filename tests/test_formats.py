"""Every format a user reaches for, --fields, and `partners fields`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from partnercli import formats
from partnercli.models import PARTNER_FIELDS, Catalogue, Partner
from tests.conftest import Invoke, WriteData, minimal_dataset, record

DATA_COMMANDS = [
    ("list",),
    ("theme", "funding"),
    ("search", "heritage"),
    ("themes",),
    ("show", "palace-museum"),
]


def run(invoke: Invoke, *args: str) -> str:
    """stdout exactly as written: the runner's `stdout` would turn CRLF into LF."""
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")


@pytest.mark.parametrize("command", DATA_COMMANDS)
def test_json_and_jsonl_agree(invoke: Invoke, command: tuple[str, ...]) -> None:
    as_json = json.loads(run(invoke, *command, "--format", "json"))
    lines = run(invoke, *command, "--format", "jsonl").splitlines()
    as_jsonl = [json.loads(line) for line in lines]
    assert as_jsonl == (as_json if isinstance(as_json, list) else [as_json])


HIT_COLUMNS = (
    "score",
    "matched_in",
    "snippet",
    "matches",
    "partial",
    "contributions",
    "correction",
)


@pytest.mark.parametrize("command", DATA_COMMANDS)
@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_round_trip(
    invoke: Invoke, command: tuple[str, ...], fmt: str, delimiter: str
) -> None:
    text = run(invoke, *command, "--format", fmt)
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    expected = json.loads(run(invoke, *command, "--json"))
    expected = expected if isinstance(expected, list) else [expected]
    assert [row["id"] for row in rows] == [e["id"] for e in expected]
    if command[0] != "themes":
        assert list(rows[0]) == [
            *PARTNER_FIELDS,
            *(HIT_COLUMNS if command[0] == "search" else ()),
        ]


def test_csv_is_rfc_4180_and_utf8(invoke: Invoke) -> None:
    text = run(invoke, "show", "palace-museum", "--format", "csv")
    assert text.count("\r\n") == 2  # header and one record, CRLF-terminated
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert (
        row["aliases"] == "故宫博物院; Musée du Palais; Forbidden City; 紫禁城; The Palace Museum"
    )
    assert row["headquarters"] == "Beijing, CN"
    assert row["description"].startswith("The Palace Museum, located in the Forbidden City")
    assert text.encode("utf-8").decode("utf-8") == text


def test_csv_flattens_links(invoke: Invoke) -> None:
    (row,) = list(
        csv.DictReader(io.StringIO(run(invoke, "show", "blue-shield", "-f", "csv"), newline=""))
    )
    assert row["related"] == "ica (co-founded by); icomos (co-founded by); ifla (co-founded by)"


def test_csv_quotes_what_needs_quoting(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("q", name='A "quoted", name\non two lines'))))
    text = run(invoke, "--data", path, "list", "-f", "csv", "--fields", "id,name")
    assert text == 'id,name\r\nq,"A ""quoted"", name\non two lines"\r\n'
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["name"] == 'A "quoted", name\non two lines'


def test_markdown_table_escapes_pipes(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("pipe", name="A | B"))))
    text = run(invoke, "--data", path, "list", "-f", "markdown")
    lines = text.splitlines()
    assert lines[0] == "| id | name | acronym | type | themes | website |"
    assert lines[1] == "|---|---|---|---|---|---|"
    assert lines[2] == "| pipe | A \\| B |  | ngo |  |  |"


def test_markdown_show_is_a_section(invoke: Invoke) -> None:
    text = run(invoke, "show", "wco", "-f", "markdown")
    assert text.startswith("## World Customs Organization (WCO)\n\n- **ID:** wco\n")
    assert "### About\n\nWCO is an independent" in text
    assert "### Partnership with ICOM\n\nSince 2000" in text


def test_markdown_themes_and_search(invoke: Invoke) -> None:
    themes = run(invoke, "themes", "-f", "markdown").splitlines()
    assert themes[0] == "| id | name | description | count |"
    assert len(themes) == 2 + 10
    hits = run(invoke, "search", "drugs", "-f", "markdown").splitlines()
    assert hits[0] == "| id | name | type | score | matched_in | snippet |"
    assert hits[2].startswith("| unodc | United Nations Office on Drugs and Crime | igo |")


# -- field selection ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["plain", "json", "jsonl", "csv", "tsv", "markdown", "table"])
def test_fields_pick_and_order_in_every_format(invoke: Invoke, fmt: str) -> None:
    text = run(invoke, "list", "--type", "ngo", "--fields", "website,id", "--format", fmt)
    if fmt in ("json", "jsonl"):
        rows = (
            json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
        )
        assert all(list(row) == ["website", "id"] for row in rows)
        assert rows[0] == {"website": "https://theblueshield.org", "id": "blue-shield"}
    elif fmt == "plain":
        assert text.splitlines()[0] == "https://theblueshield.org\tblue-shield"
    elif fmt in ("csv", "tsv"):
        assert text.splitlines()[:2] == [
            f"website{',' if fmt == 'csv' else chr(9)}id",
            f"https://theblueshield.org{',' if fmt == 'csv' else chr(9)}blue-shield",
        ]
    elif fmt == "markdown":
        assert text.splitlines()[0] == "| website | id |"
    else:
        assert text.index("website") < text.index(" id ")
        assert "https://theblueshield.org" in text


def test_fields_are_repeatable_and_deduplicated(invoke: Invoke) -> None:
    text = run(invoke, "list", "--fields", "id", "--fields", "name, id ,since", "-f", "csv")
    assert text.splitlines()[0] == "id,name,since"


def test_fields_on_show_search_and_themes(invoke: Invoke) -> None:
    assert (
        run(invoke, "show", "unesco", "--fields", "id,founded") == "id:\tunesco\nfounded:\t1945\n"
    )
    assert json.loads(run(invoke, "show", "unesco", "--fields", "acronym", "--json")) == {
        "acronym": "UNESCO"
    }
    hits = json.loads(run(invoke, "search", "drugs", "--fields", "id,score,snippet", "--json"))
    assert list(hits[0]) == ["id", "score", "snippet"]
    assert run(invoke, "themes", "--fields", "id,count").splitlines()[0] == "illicit-trafficking\t8"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("list", "--fields", "id,nme"),
            "unknown field 'nme'; did you mean name? available: id, type, name",
        ),
        (("list", "--fields", ",, ,"), "--fields needs at least one field name"),
        (("list", "--fields", "score"), "unknown field 'score'"),  # search only
        (("themes", "--fields", "website"), "available: id, name, description, vocabulary, count"),
    ],
)
def test_bad_fields_are_usage_errors(invoke: Invoke, args: tuple[str, ...], expected: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stdout == ""


def test_fields_command_is_generated_from_the_model(invoke: Invoke) -> None:
    listed = json.loads(run(invoke, "fields", "--json"))
    names = [f["name"] for f in listed]
    assert names == [*Partner.__struct_fields__, *HIT_COLUMNS]
    types = {f["name"]: f["type"] for f in listed}
    assert types["acronym"] == "string or null"
    assert types["type"] == "string: ngo, igo, museum"
    assert types["aliases"] == "array of strings"
    assert types["headquarters"] == "object {city, country} or null"
    assert all(f["description"] for f in listed)


def test_default_columns_per_format(invoke: Invoke, bundled: Catalogue) -> None:
    table = run(invoke, "list", "-f", "table")
    assert "Description" not in table  # a table shows what fits a terminal
    rows = json.loads(run(invoke, "list", "--json"))
    assert all(list(row) == list(PARTNER_FIELDS) for row in rows)  # JSON carries every field
    header = run(invoke, "list", "-f", "csv").splitlines()[0]
    assert header == ",".join(PARTNER_FIELDS)  # and so does CSV


EMPTY = {"plain": "", "json": "[]\n", "jsonl": "", "table": ""}


@pytest.mark.parametrize("fmt", ["table", "plain", "json", "jsonl", "csv", "tsv", "markdown"])
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("list", "--type", "museum", "--theme", "sustainable-development"), "no partners match\n"),
        (("theme", "law-and-policy", "--type", "museum"), "no partners match\n"),
        (("search", "zzzzqqq"), "no partners match 'zzzzqqq'\n"),
    ],
)
def test_an_empty_result_is_the_same_in_every_command(
    invoke: Invoke, fmt: str, args: tuple[str, ...], said: str
) -> None:
    result = invoke(*args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == said
    header_only = fmt in ("csv", "tsv", "markdown")
    if header_only:
        assert len(result.stdout.splitlines()) == (2 if fmt == "markdown" else 1)
        assert result.stdout.startswith(("id", "| id"))
    else:
        assert result.stdout == EMPTY[fmt]


def cell_items(cell: str) -> list[str]:
    """A list's or a map's cell back as its items, as docs/citing.md reads it."""
    found, item, chars = [], "", iter(cell)
    for ch in chars:
        if ch == "\\":
            item += next(chars, "")
        elif ch == ";":
            found.append(item)
            item = ""
            next(chars, None)  # the space after it
        else:
            item += ch
    return [*found, item] if cell else []


def test_csv_pairs_each_phrase_with_its_theme(invoke: Invoke, bundled: Catalogue) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(run(invoke, "list", "-f", "csv", "--fields", "id,evidence"), newline="")
        )
    )
    assert len(rows) == len(bundled.partners)
    for row in rows:
        partner = bundled.partner(row["id"])
        assert partner is not None
        pairs = [item.split(": ", 1) for item in cell_items(row["evidence"])]
        assert dict(pairs) == {
            theme: spreadsheet(phrase) for theme, phrase in partner.evidence.items()
        }


def spreadsheet(text: str) -> str:
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


@pytest.mark.parametrize("fmt", ["csv", "tsv", "plain", "markdown", "xlsx"])
def test_every_flat_format_keeps_the_keys_of_a_map(invoke: Invoke, fmt: str) -> None:
    args = ["show", "unesco", "--fields", "evidence,sources", "-f", fmt]
    if fmt == "xlsx":
        import openpyxl

        result = invoke(*args)
        sheet = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).active
        assert sheet is not None
        out = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row)
    else:
        out = run(invoke, *args)
    assert "law-and-policy: an active advisory status with most heritage-related conventions" in out
    assert "headquarters: Reference facts: the organisations' own pages" in out
    assert "since: ICOM Croatia" in out
    assert "icom-partneri/, the partners page says 'since its creation'" in out


def test_no_list_item_holds_a_bare_separator(invoke: Invoke, write_data: WriteData) -> None:
    """The README's promise: a cell splits back into its items, whatever the data holds."""
    tricky = ["a; b", "back\\slash;", "c\\; d", "plain"]
    data = minimal_dataset(record("x", aliases=tricky))
    path = str(write_data(data))
    (row,) = list(
        csv.DictReader(
            io.StringIO(
                run(invoke, "--data", path, "list", "-f", "csv", "--raw", "--fields", "aliases"),
                newline="",
            )
        )
    )
    assert cell_items(row["aliases"]) == tricky
    keyed = formats.flatten({"f": {"source": "s; t", "caveat": "x; y"}, "g": "z"}, keyed=True)
    assert cell_items(keyed) == ["f: s; t (x; y)", "g: z"]
    sources = json.loads(run(invoke, "show", "unesco", "--json"))["sources"]
    cell = formats.flatten(sources, keyed=True)
    assert len(cell_items(cell)) == len(sources)
