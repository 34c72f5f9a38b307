"""At the terminal and in scripts: sorting, filters, files, spreadsheets, the pager, the
browser, and tables that fit any width (issue "At the terminal and in scripts, by the standard
of gh")."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shutil
import stat
import struct
import subprocess
import sys
import termios
from pathlib import Path

import openpyxl
import pytest

from partnercli.models import Catalogue
from tests.conftest import Invoke, WriteData, minimal_dataset, read_pty, record

PARTNERS = str(Path(sys.executable).with_name("partners"))


def ids(invoke: Invoke, *args: str) -> list[str]:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return [p["id"] for p in json.loads(result.stdout)]


# -- sort, limit, country -----------------------------------------------------------------------------


def test_sort_by_founded_descending_with_missing_values_last(
    invoke: Invoke, bundled: Catalogue
) -> None:
    years = [
        p["founded"] for p in json.loads(invoke("list", "--sort", "-founded", "--json").stdout)
    ]
    assert years == sorted(years, reverse=True)
    assert ids(invoke, "list", "--sort", "founded", "--reverse") == ids(
        invoke, "list", "--sort=-founded"
    )
    since = [p["since"] for p in json.loads(invoke("list", "--sort", "since", "--json").stdout)]
    known = [y for y in since if y is not None]
    assert since == [*sorted(known), *[None] * (len(since) - len(known))]


@pytest.mark.parametrize("key", ["name", "id", "type", "country"])
def test_every_sort_key(invoke: Invoke, key: str) -> None:
    assert len(ids(invoke, "list", "--sort", key)) == 21


def test_an_unknown_sort_key_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("list", "--sort", "weight")
    assert result.exit_code == 2
    assert "unknown sort key 'weight'; expected one of name, id," in result.stderr


@pytest.mark.parametrize(("typed", "meant"), [("nmae", "name"), ("-fonded", "-founded")])
def test_a_misspelled_sort_key_is_suggested(invoke: Invoke, typed: str, meant: str) -> None:
    result = invoke("list", "--sort", typed)
    assert result.exit_code == 2
    assert f"unknown sort key '{typed}'; did you mean {meant}? expected one of" in result.stderr


def test_limit_on_list_theme_and_search(invoke: Invoke) -> None:
    assert len(ids(invoke, "list", "--limit", "3")) == 3
    assert len(ids(invoke, "theme", "illicit", "-n", "2")) == 2
    assert ids(invoke, "search", "illicit", "--limit", "2") == ids(invoke, "search", "illicit")[:2]


def test_search_keeps_relevance_unless_sorted(invoke: Invoke, bundled: Catalogue) -> None:
    from partnercli import search

    relevance = [h.partner.id for h in search.search(bundled, "illicit")]
    assert ids(invoke, "search", "illicit") == relevance
    by_name = ids(invoke, "search", "illicit", "--sort", "name")
    assert sorted(by_name) == sorted(relevance)
    names = [bundled.partner(i).name.casefold() for i in by_name]  # type: ignore[union-attr]  # ids from the data
    assert names == sorted(names)
    assert by_name != relevance


@pytest.mark.parametrize("value", ["FR", "fr", "France", "france"])
def test_country_by_code_or_name(invoke: Invoke, value: str) -> None:
    assert sorted(ids(invoke, "list", "--country", value)) == [
        "french-ministry-of-culture", "ica", "icomos", "interpol", "oecd", "unesco",
    ]  # fmt: skip


def test_country_on_theme_and_search(invoke: Invoke) -> None:
    assert ids(invoke, "theme", "illicit", "--country", "be") == ["eu", "wco"]
    assert ids(invoke, "search", "illicit", "--country", "at") == ["unodc"]


def test_an_unknown_country_lists_those_present(invoke: Invoke) -> None:
    result = invoke("list", "--country", "XX")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --country: unknown country 'XX'; give an ISO code (FR, FRA) or a name; "
        "countries in the data: AT, BE, CH, CN, FR, IT, NL, TN, US\n"
    )


@pytest.mark.parametrize("typed", ["frnce", "Frence"])
def test_a_misspelled_country_name_is_suggested_with_its_code(invoke: Invoke, typed: str) -> None:
    result = invoke("list", "--country", typed)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: --country: unknown country '{typed}'; did you mean FR (France)? "
        "give an ISO code (FR, FRA) or a name; "
        "countries in the data: AT, BE, CH, CN, FR, IT, NL, TN, US\n"
    )
    assert ids(invoke, "list", "--country", "FRANCE ") == ids(invoke, "list", "--country", "fr")


def test_a_since_column_when_any_partner_has_one(invoke: Invoke) -> None:
    with_since = invoke("list", "-f", "table", env={"COLUMNS": "120"}).stdout
    assert "Since" in with_since
    assert "2022" in with_since
    without = invoke("theme", "intellectual-property", "-f", "table", env={"COLUMNS": "120"}).stdout
    assert "Since" not in without


def test_themes_are_sorted_by_partner_count_then_name(invoke: Invoke) -> None:
    rows = [line.split("\t") for line in invoke("themes").stdout.splitlines()]
    keys = [(-int(count), name.casefold()) for _, count, name, _ in rows]
    assert keys == sorted(keys)


def test_global_options_after_the_command(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("mine"))))
    assert ids(invoke, "list", "--data", path) == ["mine"]
    assert ids(invoke, "list", "--data", path) == ids(invoke, "--data", path, "list")


# -- plain output a shell can read ---------------------------------------------------------------------


def test_no_empty_field_in_plain_lines(invoke: Invoke) -> None:
    for args in (("list",), ("search", "illicit"), ("theme", "funding"), ("related", "unesco")):
        for line in invoke(*args).stdout.splitlines():
            assert "" not in line.split("\t"), (args, line)


def test_while_read_gets_every_column_in_place() -> None:
    script = (
        f"\"{PARTNERS}\" list | while IFS=$'\\t' read -r id type acronym name themes; do "
        'printf "%s|%s\\n" "$id" "$name"; done'
    )
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout
    assert "palace-museum|Palace Museum" in out.splitlines()
    assert "blue-shield|Blue Shield" in out.splitlines()


# -- files and spreadsheets ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "check"), [
    ("out.json", lambda text: json.loads(text)[0]["id"]),
    ("out.csv", lambda text: text.splitlines()[0].split(",")[0]),
    ("out.md", lambda text: text.split("|")[1].strip()),
    ("out.txt", lambda text: text.split("\t")[0]),
])  # fmt: skip
def test_output_file_format_from_its_extension(
    invoke: Invoke, tmp_path: Path, name: str, check: object
) -> None:
    path = tmp_path / name
    result = invoke("list", "--output", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert callable(check)
    assert check(path.read_text(encoding="utf-8")) in ("id", "alecso", "blue-shield")


def test_output_never_overwrites_the_dataset(invoke: Invoke, write_data: WriteData) -> None:
    path = write_data(minimal_dataset(record("mine")))
    before = path.read_bytes()
    result = invoke("list", "--data", str(path), "-o", str(path), "-f", "json")
    assert result.exit_code == 2
    assert "is the dataset being read" in result.stderr
    assert path.read_bytes() == before


def test_an_unwritable_output_is_one_clear_line(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("list", "-o", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'missing' / 'x.csv'}: ")


def test_xlsx_is_a_real_workbook_of_text_and_numbers(
    invoke: Invoke, tmp_path: Path, write_data: WriteData
) -> None:
    data = minimal_dataset(record("evil", name='=HYPERLINK("http://x")', founded=1999))
    path = tmp_path / "partners.xlsx"
    result = invoke("--data", str(write_data(data)), "list", "-o", str(path))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["id", "type", "name"]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["name"].value == '=HYPERLINK("http://x")'
    assert row["name"].data_type == "s", "text, never a formula"
    assert row["founded"].value == 1999
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None


def test_xlsx_for_the_bundled_data(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    assert (
        invoke("list", "-f", "xlsx", "--fields", "id,name,founded", "-o", str(path)).exit_code == 0
    )
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet.max_row == 22


def test_xlsx_refuses_a_terminal(tmp_path: Path) -> None:
    code, out = read_pty(["list", "-f", "xlsx"], dict(os.environ))
    assert code == 2
    assert "xlsx is a binary format" in out


# -- the pager ------------------------------------------------------------------------------------


def recording_pager(tmp_path: Path) -> tuple[str, Path]:
    seen = tmp_path / "paged.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f"#!/bin/sh\ncat > {seen}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), seen


def pager_env(**extra: str) -> dict[str, str]:
    unset = {"PAGER", "PARTNERS_PAGER", "PARTNERS_DATA", "COLUMNS", "LINES"}  # the pty's size
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return env | {"TERM": "xterm"} | extra


def test_tall_output_on_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    pager, seen = recording_pager(tmp_path)
    code, out = read_pty(["list"], pager_env(PARTNERS_PAGER=pager), rows=10)
    assert code == 0
    assert "UNESCO" in seen.read_text(encoding="utf-8")
    assert "UNESCO" not in out


def test_pager_order_and_ways_to_turn_it_off(tmp_path: Path) -> None:
    pager, seen = recording_pager(tmp_path)
    assert read_pty(["list"], pager_env(PAGER=pager), rows=10)[0] == 0
    assert seen.exists(), "$PAGER when PARTNERS_PAGER is unset"
    seen.unlink()
    for args, env in (
        (["list", "--no-pager"], pager_env(PAGER=pager)),
        (["list"], pager_env(PAGER="cat")),
        (["show", "unesco", "--fields", "id"], pager_env(PAGER=pager)),  # short output
    ):
        code, out = read_pty(args, env, rows=10)
        assert code == 0
        assert not seen.exists(), args
        assert "unesco" in out.lower()


def test_a_missing_pager_falls_back_to_printing(tmp_path: Path) -> None:
    code, out = read_pty(["list"], pager_env(PARTNERS_PAGER="no-such-pager-here"), rows=10)
    assert code == 0
    assert "UNESCO" in out


def test_no_pager_on_a_pipe(tmp_path: Path) -> None:
    pager, seen = recording_pager(tmp_path)
    result = subprocess.run(
        [PARTNERS, "list"], capture_output=True, text=True, env=pager_env(PAGER=pager), check=True
    )
    assert "unesco" in result.stdout
    assert not seen.exists()


# -- the browser ------------------------------------------------------------------------------------


def test_open_on_a_pipe_prints_the_url(invoke: Invoke) -> None:
    assert invoke("open", "OMPI").stdout == "https://www.wipo.int\n"
    assert invoke("show", "unesco", "--web").stdout == "https://www.unesco.org\n"


def test_open_on_a_terminal_starts_the_browser(tmp_path: Path) -> None:
    seen = tmp_path / "url.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {seen}\n', encoding="utf-8")
    browser.chmod(0o755)
    code, out = read_pty(["open", "unesco"], pager_env(BROWSER=str(browser)))
    assert code == 0
    assert seen.read_text(encoding="utf-8").strip() == "https://www.unesco.org"
    assert "opening https://www.unesco.org" in out


def test_a_partner_without_a_website(invoke: Invoke, write_data: WriteData) -> None:
    result = invoke("--data", str(write_data(minimal_dataset(record("x")))), "open", "x")
    assert result.exit_code == 1
    assert result.stderr == "error: x has no website in the data\n"


# -- tables that fit ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize(
    "args",
    [("list",), ("theme", "illicit"), ("search", "illicit"), ("related", "unesco"), ("themes",),
     ("show", "iccrom"), ("show", "unesco", "--sources"), ("about",), ("graph",)],
)  # fmt: skip
def test_screens_fit_and_mark_every_cut(
    invoke: Invoke, bundled: Catalogue, width: int, args: tuple[str, ...]
) -> None:
    out = invoke(*args, "-f", "table", env={"COLUMNS": str(width)}).stdout
    lines = out.splitlines()
    assert lines
    assert max(len(line) for line in lines) <= width, args
    # A name is whole or cut with "…": never cut silently.
    for partner in bundled.partners:
        for line in lines:
            if re.search(rf"(^|\s){re.escape(partner.id)}\s", line) and args[0] in (
                "list",
                "theme",
            ):
                cell = line.split(partner.id, 1)[1].strip()
                assert partner.name[:8] in cell or "…" in cell, (width, line)


def test_list_at_80_columns_is_one_line_per_partner(invoke: Invoke) -> None:
    out = invoke("list", "-f", "table", env={"COLUMNS": "80"}).stdout
    rows = [line for line in out.splitlines() if re.match(r"\s+[a-z][a-z…-]+\s", line)]
    assert len(rows) == 21
    assert any("…" in row for row in rows)


def test_wide_shows_whole_cells(invoke: Invoke) -> None:
    out = invoke("list", "-f", "table", "--wide", env={"COLUMNS": "80"}).stdout
    assert "…" not in out
    assert "Restoration" in out
    assert "Property" in out


def test_show_names_the_partner_in_full(invoke: Invoke) -> None:
    out = invoke("show", "iccrom", "-f", "table", env={"COLUMNS": "80"}).stdout
    flat = " ".join(out.split())
    assert "Restoration of Cultural Property" in flat.replace("│", " ").replace("  ", " ")


def test_a_dumb_terminal_uses_its_real_width() -> None:
    env = pager_env(TERM="dumb", COLUMNS="130", PARTNERS_PAGER="cat")
    code, out = read_pty(["list", "--wide"], env)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) > 100


def test_less_as_the_pager_shows_colours_not_their_codes(tmp_path: Path) -> None:
    """PAGER=less with LESS unset: partners sets LESS=FRX as git and gh do, so less passes the
    colours through (R) instead of showing `ESC[1m`; 'q' quits it."""
    if shutil.which("less") is None:
        pytest.skip("less is not installed here")
    env = {k: v for k, v in pager_env(PAGER="less").items() if k not in {"LESS", "NO_COLOR"}}
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 10, 100, 0, 0))
    proc = subprocess.Popen([PARTNERS, "fields"], stdin=follower, stdout=follower,
                            stderr=follower, env=env)  # fmt: skip
    os.close(follower)
    seen = b""
    while b"description" not in seen:  # the first screen is drawn: less waits for a key
        ready, _, _ = select.select([leader], [], [], 30)
        assert ready, seen
        seen += os.read(leader, 65536)
    os.write(leader, b"q")
    assert proc.wait(timeout=30) == 0
    os.close(leader)
    assert b"ESC[" not in seen
    assert b"\x1b[1m" in seen  # the header, in bold


@pytest.mark.parametrize(("columns", "most"), [(80, 3), (60, 5)])
def test_search_results_stay_short_at_narrow_widths(columns: int, most: int) -> None:
    """On a real terminal: at most `most` lines a result (a title and a header besides), and no
    name cut to five letters."""
    env = {k: v for k, v in pager_env(PAGER="cat").items() if k not in {"COLUMNS", "LINES"}}
    code, out = read_pty(["search", "illicit"], env, rows=200, columns=columns)
    assert code == 0
    lines = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", out).splitlines() if line.strip()]
    results = 8  # as many as `search illicit --json` finds
    assert len(lines) <= 2 + most * results, "\n".join(lines)
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines if re.match(r"  [a-z]", line)]
    assert len(rows) == results
    if columns >= 80:  # a Name column: no name cut to five letters ("Unite…")
        assert all(len(row[1]) >= 10 for row in rows), rows


@pytest.mark.parametrize(
    "args",
    [["list", "--json"], ["list", "-f", "jsonl"], ["show", "unesco"], ["themes"],
     ["theme", "funding"], ["search", "illicit", "-f", "plain"], ["fields"], ["related", "unesco"],
     ["graph"], ["about"], ["cite"], ["schema"]],
    ids=" ".join,
)  # fmt: skip
def test_every_command_pages_what_is_taller_than_the_screen(
    tmp_path: Path, args: list[str]
) -> None:
    """Taller counts the rows long lines wrap into, not only the lines."""
    pager, seen = recording_pager(tmp_path)
    code, _ = read_pty(args, pager_env(PARTNERS_PAGER=pager), rows=4, columns=40)
    assert code == 0
    assert seen.exists(), args
