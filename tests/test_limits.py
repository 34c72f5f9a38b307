"""Output at its limits (issue 26): what a reader cannot take is refused, cut with "…" and said,
or dropped, never lost in silence; a table of a huge result stays what a person can read; a file
too large for memory is one line, not a traceback."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import openpyxl
import pydot
import pytest

from partnercli import formats, render
from partnercli.errors import PartnersError
from partnercli.formats import XLSX_CELL_CHARS, XLSX_ROWS, View, write_xlsx
from partnercli.network import DOT_STRING_BYTES
from tests.conftest import Invoke, WriteData, minimal_dataset, read_pty, record
from tests.test_terminal import pager_env, recording_pager

PARTNERS = str(Path(sys.executable).with_name("partners"))

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


# -- tables of huge results --------------------------------------------------------------------------


#: A partner's line in the tree, under its group (its links are one level further in).
PARTNER_LINE = r"[│ ]   [├└]── Museum \d+$"


@pytest.mark.parametrize(
    "args",
    [("list",), ("search", "museum"), ("related", "p0"), ("list", "--fields", "id,name"),
     ("themes",), ("graph",), ("graph", "--by", "theme")],
    ids=" ".join,
)  # fmt: skip
def test_a_table_shows_a_stated_number_of_rows_and_counts_the_rest(
    invoke: Invoke, write_data: WriteData, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setattr(render, "TABLE_ROWS", 5)
    partners = [record(f"p{i}", name=f"Museum {i}", themes=["alpha"]) for i in range(12)]
    data = minimal_dataset(*partners)
    data["themes"] += [{"id": f"t{i}", "name": f"Theme {i}", "description": "x"} for i in range(8)]
    path = str(write_data(data))
    result = invoke("--data", path, *args, "-f", "table", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").splitlines()
    if args[0] == "graph":  # a tree of 5 lines: group headings and links take some of them
        left = 12 - sum(1 for line in lines if re.match(PARTNER_LINE, line))
        assert len(lines) == 1 + 5 + 1, lines  # ICOM, 5 lines, the count
    else:  # 5 rows (a theme's takes two lines), a title, a header, a rule, a space, the count
        left = {"themes": 10, "related": 11}.get(args[0], 12) - 5
        assert len(lines) <= 2 * 5 + 5, lines
    assert lines[-1].strip(" └─") == f"… and {left} more; use -f json", lines
    whole = invoke("--data", path, *args, "-f", "json")
    assert "… and" not in whole.stdout


def test_a_huge_value_is_cut_in_a_table(invoke: Invoke, write_data: WriteData) -> None:
    """A name of a million characters in words (which a table would wrap over thousands of
    lines): what is shown of it is `CELL_CHARS` characters at the most."""
    name = "word " * 200_000
    path = str(write_data(minimal_dataset(record("big", name=name, description=name))))
    for args in (("show", "big"), ("list", "--wide"), ("list", "--fields", "name,description")):
        result = invoke("--data", path, *args, "-f", "table", env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.output
        assert "…" in result.stdout
        shown = result.stdout.count("word")
        assert 0 < shown <= 3 * render.CELL_CHARS // 5, (args, shown)  # name, title, text


def test_a_huge_graph_pages_a_bounded_tree(tmp_path: Path) -> None:
    """The real number, in a real process on a terminal: past `TABLE_ROWS` lines the tree says
    how many partners are left, and goes through the pager like any tall table."""
    count = render.TABLE_ROWS + 100
    partners = [
        record(f"p{i}", name=f"Museum {i}",
               related=[{"id": f"p{(i + k) % count}", "relation": "linked"} for k in (1, -1)])
        for i in range(count)
    ]  # fmt: skip
    path = tmp_path / "big.json"
    path.write_text(json.dumps(minimal_dataset(*partners)), encoding="utf-8")
    pager, seen = recording_pager(tmp_path)
    code, _ = read_pty(["--data", str(path), "graph"], pager_env(PARTNERS_PAGER=pager), rows=10)
    assert code == 0
    paged = re.sub(r"\x1b\[[0-9;]*m", "", seen.read_text(encoding="utf-8")).splitlines()
    assert len(paged) <= render.TABLE_ROWS + 2
    drawn = sum(1 for line in paged if re.match(PARTNER_LINE, line))
    assert paged[-1].endswith(f"… and {count - drawn:,} more; use -f json")


# -- a file larger than memory allows ----------------------------------------------------------------


@pytest.mark.parametrize("megabytes", [600, 700, 800])
def test_a_file_too_large_for_memory_is_one_line(tmp_path: Path, megabytes: int) -> None:
    """A sparse file of 400 MB under a cap on the process's memory: read whole, it is too large
    to decode (text, objects) wherever the cap falls; never a `MemoryError` traceback."""
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(400 * 2**20)
    limit = megabytes * 2**20

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DATA"}
    result = subprocess.run(
        [PARTNERS, "--data", str(path), "list"], capture_output=True, text=True, env=env,
        preexec_fn=cap, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-500:]
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr[-500:]
    assert result.stderr.startswith(f"error: invalid data in {path}: ")


def test_the_documentation_states_the_numbers() -> None:
    root = Path(__file__).parent.parent
    readme = "".join(
        p.read_text(encoding="utf-8") for p in [root / "README.md", *root.glob("docs/*.md")]
    )
    assert f"at most {render.TABLE_ROWS:,} rows" in readme
    assert f"past {render.CELL_CHARS:,} characters" in readme
    assert f"More than {XLSX_ROWS - 1:,} records" in readme
    assert f"past a cell's {XLSX_CELL_CHARS:,} characters" in readme
