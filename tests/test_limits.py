"""Output at its limits (issue 26): what a reader cannot take is refused, cut with "…" and said,
or dropped, never lost in silence; a table of a huge result stays what a person can read; a file
too large for memory is one line, not a traceback."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import openpyxl
import pydot
import pytest

from partnercli import formats
from partnercli.errors import PartnersError
from partnercli.formats import XLSX_CELL_CHARS, XLSX_ROWS, View, write_xlsx
from partnercli.network import DOT_STRING_BYTES
from tests.conftest import Invoke, WriteData, minimal_dataset, record

# -- xlsx: Excel's 32,767 characters a cell and 1,048,576 rows a sheet ------------------------------


def test_xlsx_cuts_a_value_too_long_for_a_cell_and_says_so(
    invoke: Invoke, write_data: WriteData, tmp_path: Path
) -> None:
    long_name = "N" * 40_000
    emoji = "🏛" * 20_000  # 20,000 characters, 40,000 UTF-16 units: Excel counts the units
    path = str(write_data(minimal_dataset(record("big", name=long_name, description=emoji))))
    book = tmp_path / "out.xlsx"
    result = invoke("--data", path, "list", "-f", "xlsx", "-o", str(book))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        'warning: xlsx: 2 values longer than a cell\'s 32,767 characters cut with "…" '
        "(first: row 2, name); -f csv or -f json keeps them whole\n"
    )
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    assert row["name"] == "N" * (XLSX_CELL_CHARS - 1) + "…"
    assert isinstance(row["description"], str)
    assert len(row["description"].encode("utf-16-le")) // 2 <= XLSX_CELL_CHARS
    assert row["description"].endswith("🏛…")
    ordinary = invoke("--data", path, "list", "-f", "xlsx", "--fields", "id", "-o", str(book))
    assert (ordinary.exit_code, ordinary.stderr) == (0, "")


def test_xlsx_refuses_more_records_than_a_sheet_has_rows() -> None:
    view = View(records=[{}] * XLSX_ROWS, fields=("id",), plain_fields=(), markdown_fields=())
    with pytest.raises(PartnersError, match="1,048,576 records do not fit a sheet of 1,048,576"):
        write_xlsx(view, ("id",))
    fits = View(records=[{}] * 3, fields=("id",), plain_fields=(), markdown_fields=())
    assert openpyxl.load_workbook(io.BytesIO(write_xlsx(fits, ("id",)))).active is not None


def test_xlsx_past_the_rows_is_one_error_and_no_file(
    invoke: Invoke, write_data: WriteData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "XLSX_ROWS", 3)  # a sheet of 3 rows: a header and 2 records
    path = str(write_data(minimal_dataset(record("a"), record("b"), record("c"))))
    book = tmp_path / "out.xlsx"
    result = invoke("--data", path, "list", "-f", "xlsx", "-o", str(book))
    assert result.exit_code == 1
    assert result.stderr == (
        "error: xlsx: 3 records do not fit a sheet of 3 rows (one is the header); nothing "
        "written; use -f csv or -f jsonl\n"
    )
    assert not book.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data0.json"]  # no temporary left
    assert invoke("--data", path, "list", "-n", "2", "-f", "xlsx", "-o", str(book)).exit_code == 0


# -- GraphML and DOT: what their readers refuse ----------------------------------------------------

NOT_XML = "\ufffe\uffff\ufdd0\U0001fffe\U0010ffff"


def test_graphml_drops_what_xml_cannot_hold(invoke: Invoke, write_data: WriteData) -> None:
    name = f"Museum {NOT_XML}of\x0b\x0c Things\ufffd"
    data = minimal_dataset(record("m", name=name, related=[{"id": "n", "relation": "x\uffffy"}]),
                           record("n", related=[{"id": "m", "relation": "x\uffffy"}]))  # fmt: skip
    path = str(write_data(data))
    for by in ("relation", "theme"):
        text = invoke("--data", path, "graph", "--by", by, "-f", "graphml").stdout
        ET.fromstring(text.encode("utf-8"))  # a parser refuses U+FFFE and U+FFFF
        graph = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
        assert graph.nodes["m"]["label"] == "Museum of Things\ufffd"
    edges = nx.read_graphml(
        io.BytesIO(invoke("--data", path, "graph", "-f", "graphml").stdout_bytes)
    )
    assert edges.edges["m", "n"]["label"] == "xy"


def test_dot_strings_stay_under_graphviz_limit(invoke: Invoke, write_data: WriteData) -> None:
    names = {"ascii": "N" * 40_000, "escaped": '"\\' * 20_000, "wide": "é" * 9_000}
    data = minimal_dataset(*(record(key, name=name) for key, name in names.items()))
    path = str(write_data(data))
    text = invoke("--data", path, "graph", "-f", "dot").stdout
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    assert max(len(s.encode("utf-8")) for s in strings) <= DOT_STRING_BYTES
    labels = {
        node.get_name().strip('"'): node.get("label")
        for node in pydot.graph_from_dot_data(text)[0].get_nodes()  # type: ignore[index]
    }
    for key, name in names.items():
        label = labels[key][1:-1]
        shown = label.replace('\\"', '"').replace("\\\\", "\\")
        assert shown.endswith("…")
        assert name.startswith(shown[:-1]), key
    if shutil.which("dot"):  # .ci/run installs Graphviz
        drawn = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True,
                               timeout=120, check=False)  # fmt: skip
        assert drawn.returncode == 0, drawn.stderr[:300]
