"""Every hostile input gets a clear answer and a documented exit code; nothing breaks.

Data files (through --data and PARTNERS_DATA), odd arguments, strange terminals and environments,
and a dataset crafted to attack the terminal. Each case would fail without its handling.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.datasets import scaled, write_scaled
from partnercli import catalogue, output
from tests.broken import BROKEN, Broken
from tests.conftest import DATA_DIR, Invoke, WriteData, minimal_dataset, record

PARTNERS = str(Path(sys.executable).with_name("partners"))


def assert_one_clear_error(result: Any, *, code: int, naming: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert naming in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- data files, through the option and the environment ------------------------------------------------


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in BROKEN])
def test_every_broken_file_is_one_clear_error(
    invoke: Invoke, write_data: WriteData, case: Broken
) -> None:
    path = str(write_data(case.content))
    result = invoke("--data", path, "list")
    assert_one_clear_error(result, code=1, naming=path)
    assert case.expected in result.stderr


def test_a_broken_file_named_by_the_environment(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(b'{"partners": {}}'))
    result = invoke("list", env={"PARTNERS_DATA": path})
    assert_one_clear_error(result, code=1, naming=path)
    assert "partners: expected an array, got an object" in result.stderr


def test_a_damaged_bundled_file_is_one_clear_error(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue, "bundled_bytes", lambda name="": b"\x00garbage")
    result = invoke("show", "unesco")
    assert_one_clear_error(result, code=1, naming="the bundled partners.json")


@pytest.mark.parametrize("value", ["abc", ""])
def test_an_unparsable_size_limit_is_no_traceback(
    invoke: Invoke, write_data: WriteData, value: str
) -> None:
    path = str(write_data(minimal_dataset(record("a"))))
    result = invoke("--data", path, "list", env={"PARTNERS_MAX_DATA_MB": value})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("a\t")
    assert "Traceback" not in result.stderr


def test_a_former_name_finds_its_partner(invoke: Invoke, write_data: WriteData) -> None:
    data = minimal_dataset(record("wco", name="World Customs Organization", former_names=["CCC"]))
    result = invoke("--data", str(write_data(data)), "show", "CCC", "--fields", "id")
    assert result.exit_code == 0, result.output
    assert result.stdout == "id:\twco\n"


def test_missing_file_and_directory(invoke: Invoke, tmp_path: Path) -> None:
    assert_one_clear_error(
        invoke("--data", str(tmp_path / "nope.json"), "list"), code=1, naming="no such file"
    )
    assert_one_clear_error(invoke("--data", str(tmp_path), "list"), code=1, naming="is a directory")


@pytest.mark.parametrize(
    ("path", "expected"), [("\x00", "not a valid path"), ("", "an empty path")]
)
def test_impossible_paths(invoke: Invoke, path: str, expected: str) -> None:
    result = invoke("--data", path, "list")
    assert result.exit_code == 1
    assert expected in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_many_problems_are_capped_with_a_count(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(*(record(f"r{i}", type="nope") for i in range(30)))))
    lines = invoke("--data", path, "list").stderr.splitlines()
    assert lines[0].endswith("30 problems")
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "  …and 10 more"


def test_an_empty_partner_list(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset()))
    assert (
        invoke("--data", path, "list").exit_code,
        invoke("--data", path, "list", "--json").stdout,
    ) == (0, "[]\n")


def test_unknown_fields_warn_and_load(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("a", extra=1))))
    result = invoke("--data", path, "show", "a", "--json")
    assert result.exit_code == 0
    assert "extra" not in json.loads(result.stdout)
    assert "warning: " in result.stderr


def test_a_large_file_works_in_a_real_process(tmp_path: Path) -> None:
    """The same code path as 100,000 records (validation, a search index), on a file
    small enough for the tests; benchmarks/bench.py runs the full size."""
    path = write_scaled(2_000, tmp_path / "big.json")
    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DATA"}
    result = subprocess.run(
        [PARTNERS, "--data", str(path), "search", "drugs", "--type", "igo", "--limit", "3", "--json"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [h["name"] for h in json.loads(result.stdout)] == [
        "United Nations Office on Drugs and Crime"
    ] * 3


def test_the_users_data_is_never_written(invoke: Invoke, write_data: WriteData) -> None:
    path = write_data(scaled(1500))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    for args in (("list",), ("search", "illicit"), ("show", "unesco")):
        invoke("--data", str(path), *args)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# -- arguments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("show", ""), 2), (("show", "   "), 2), (("theme", ""), 2), (("search", ""), 2),
        (("search", " \t "), 2), (("list", "--type", ""), 2), (("list", "--theme", ""), 2),
        (("search", "x", "--limit", "0"), 2), (("search", "x", "--limit", "-3"), 2),
        (("search", "x", "--limit", "many"), 2), (("list", "--format", "xml"), 2),
        (("list", "--fields", ",,"), 2), (("list", "--fields", "id;name"), 2),
        (("list", "--nope"), 2), (("nope",), 2),
    ],
)  # fmt: skip
def test_bad_arguments_are_usage_errors(invoke: Invoke, args: tuple[str, ...], code: int) -> None:
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "x" * 100_000,
        "\x1b[31mred\x1b[0m\x07",
        "\u202eocsenu",  # a right-to-left override
        "مرحبا",
        "qu\u0301x\u0308",  # combining accents
        "🏛️",
        "\x00",
    ],
)
def test_odd_names_get_a_clear_not_found(invoke: Invoke, name: str) -> None:
    for command in ("show", "theme"):
        result = invoke(command, name)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("error: no ")
        assert "\x1b" not in result.stderr
        assert "\x07" not in result.stderr
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "query", ["x" * 100_000, " ".join(["word"] * 20_000), "\x1b[2J", "مرحبا", "🏛️"]
)
def test_odd_queries_are_answered(invoke: Invoke, query: str) -> None:
    result = invoke("search", query, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "\x1b" not in result.stderr


def test_too_many_distinct_words_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("search", " ".join(f"w{i}" for i in range(500)))
    assert result.exit_code == 2
    assert "use at most 200" in result.stderr


def test_option_like_values_after_double_dash(invoke: Invoke) -> None:
    result = invoke("show", "--", "--json")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: no partner '--json'; run 'partners list' to see every partner, or 'partners search' to search them\n"
    )
    assert invoke("search", "--", "-unesco", "--json").exit_code == 0


# -- terminals and environment ---------------------------------------------------------------------------


def run_process(
    *args: str, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"NO_COLOR", "FORCE_COLOR", "PARTNERS_DATA", "COLUMNS"}
    }
    return subprocess.run(
        [PARTNERS, *args],
        capture_output=True,
        env=base | (env or {}),
        timeout=60,
        check=False,
        **kwargs,
    )


@pytest.mark.parametrize("columns", ["20", "1000"])
def test_extreme_widths(invoke: Invoke, columns: str) -> None:
    for args in (
        ("list",),
        ("show", "unesco"),
        ("themes",),
        ("search", "illicit"),
        ("list", "--fields", "id,description"),
    ):
        result = invoke(*args, "-f", "table", env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)


def test_c_locale_keeps_non_ascii_data() -> None:
    result = run_process("show", "palace-museum", env={"LC_ALL": "C", "LANG": "C"})
    assert result.returncode == 0
    assert "故宫博物院" in result.stdout.decode("utf-8")


def test_ascii_only_output_degrades_without_crashing(tmp_path: Path) -> None:
    env = {"PYTHONIOENCODING": "ascii"}
    plain = run_process("show", "palace-museum", env=env)
    assert plain.returncode == 0, plain.stderr
    assert b"?????; Mus?e du Palais" in plain.stdout
    table = run_process("show", "palace-museum", "-f", "table", env=env | {"COLUMNS": "80"})
    assert table.returncode == 0, table.stderr
    assert b"+--" in table.stdout, "Rich draws ASCII boxes on an ASCII-only stream"
    as_json = run_process("show", "palace-museum", "--json", env=env)
    assert as_json.stdout.isascii()
    assert json.loads(as_json.stdout)["aliases"][0] == "故宫博物院"  # escaped, not lost
    emoji_data = tmp_path / "emoji.json"
    emoji_data.write_text(json.dumps(minimal_dataset(record("emoji", name="Museum 🏛️"))))
    emoji = run_process("--data", str(emoji_data), "list", "--json", env=env)
    assert json.loads(emoji.stdout)[0]["name"] == "Museum 🏛️"


def test_closed_stdout_is_one_error_line() -> None:
    result = subprocess.run(
        f"{PARTNERS} list >&-", shell=True, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert result.stderr == (
        "error: standard output is closed; nothing can be written (give --output FILE)\n"
    )


def test_stdin_not_a_terminal_changes_nothing() -> None:
    result = run_process("show", "unesco", "--json", stdin=subprocess.DEVNULL)
    assert result.returncode == 0
    assert json.loads(result.stdout)["id"] == "unesco"


def test_force_color_on_a_pipe_colours_tables_only() -> None:
    assert b"\x1b[" in run_process("list", "-f", "table", env={"FORCE_COLOR": "1"}).stdout
    assert b"\x1b[" not in run_process("list", env={"FORCE_COLOR": "1"}).stdout
    assert b"\x1b[" not in run_process("list", "--json", env={"FORCE_COLOR": "1"}).stdout


def test_ctrl_c_in_process_is_exit_130(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "emit", interrupted)
    result = invoke("list")
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"


def _open_writer(fifo: Path) -> int | None:
    """The write end of a named pipe, or None while no process reads it (ENXIO)."""
    try:
        return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        select.select([], [], [], 0.01)  # a short wait between two looks
        return None


def test_ctrl_c_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "never-written"
    os.mkfifo(path)  # reading it waits for a writer, for as long as it takes to interrupt
    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DATA"}
    proc = subprocess.Popen(
        [PARTNERS, "--data", str(path), "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    # Ready once it reads: a writer can open the pipe only while a reader has it open.
    deadline = time.monotonic() + 60
    while (writer := _open_writer(path)) is None and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    assert writer is not None, "the process never opened the pipe"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    os.close(writer)
    assert proc.returncode == 130, stderr
    assert stderr == b"interrupted\n"


# -- a dataset crafted to attack the terminal --------------------------------------------------------------

ATTACK = {
    "name": "Evil [bold]Museum[/bold] [link=https://x.invalid]x[/link]\x1b]0;pwned\x07\x1b[2J",
    "acronym": "\x1b[5mBLINK\x1b[0m",
    "aliases": [
        "\u202eevil\u202c",
        "\x9b31m C1 CSI",
        "\x1b]8;;https://x.invalid\x1b\\link\x1b]8;;\x1b\\",
    ],
    "description": "Line one\nline two\tand a tab \x1b[1A\x1b[2K up and erase",
    "website": "https://x.invalid/\x1b[31m",
}


@pytest.mark.parametrize(
    "args",
    [("list",), ("list", "-f", "table"), ("show", "evil"), ("show", "evil", "-f", "table"),
     ("show", "evil", "-f", "markdown"), ("list", "-f", "csv"), ("list", "-f", "tsv"),
     ("list", "-f", "markdown"), ("search", "evil"), ("search", "evil", "-f", "table")],
)  # fmt: skip
def test_terminal_attack_is_inert(
    invoke: Invoke, write_data: WriteData, args: tuple[str, ...]
) -> None:
    data = minimal_dataset(record("evil"))
    data["partners"][0].update(ATTACK)
    data["partners"][0]["website"] = (
        "https://x.invalid/page"  # a URL with escapes would be rejected
    )
    path = str(write_data(data))
    result = invoke("--data", path, *args, env={"COLUMNS": "200", "FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    if "table" not in args:
        assert "\x1b" not in text
    else:  # only the table's own escapes: SGR colours, and the OSC 8 link of the (validated) website
        own = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*\x1b\\")
        assert "\x1b" not in own.sub("", text), repr(own.sub("", text))
    assert "\x07" not in text
    assert "\x9b" not in text
    assert "\u202e" not in text
    shown = text.replace("\\[", "[").replace("\\]", "]")  # Markdown escapes brackets
    assert "[bold]Museum[/bold]" in shown or "search" in args


EVIL = "\x1b]52;c;aGk=\x07\x1b]8;;https://evil.invalid\x1b\\x\x1b]8;;\x1b\\\x1b[2J\x9b31m\u202e<img src=x>[l](https://e.invalid)=cmd|' /C calc'!A0\""


def attack_dataset() -> dict[str, object]:
    """Every string field of the data carries the attack."""
    data = minimal_dataset(
        record(
            "evil", name=f"Evil {EVIL}", acronym=f"E{EVIL}", aliases=[f"A{EVIL}"],
            description=f"D {EVIL}. Second sentence {EVIL}.", partnership=f"P {EVIL}",
            themes=["alpha"], evidence={"alpha": f"D {EVIL}"}, milestones=[{"date": "2000", "event": EVIL, "source": EVIL}],
            headquarters={"city": f"C{EVIL}", "country": "FR"}, founded=1990, since=2000,
            related=[{"id": "good", "relation": EVIL}], heading=EVIL, section=EVIL,
            sources={"website": {"source": EVIL, "caveat": EVIL}}, website="https://x.invalid/p",
        ),
        record("good", related=[{"id": "evil", "relation": EVIL}], themes=["alpha"]),
    )  # fmt: skip
    data["themes"] = [
        {
            "id": "alpha",
            "name": f"Alpha {EVIL}",
            "description": EVIL,
            "vocabulary": [EVIL, "alphaword"],
        }
    ]
    data["source"] = {
        "title": EVIL,
        "publisher": EVIL,
        "url": "https://x.invalid/",
        "as_of_note": EVIL,
    }
    data["dataset"] = {
        "title": EVIL,
        "version": "1.0.0",
        "compiled": "2026-01-01",
        "licence": {"code": EVIL, "text": EVIL},
    }
    return data


COMMANDS = [
    ("list",), ("show", "evil"), ("show", "evil", "--sources"), ("themes",), ("theme", "alpha"),
    ("search", "evil"), ("search", "alphaword"), ("related", "good"), ("about",), ("graph",),
    ("graph", "--by", "theme"),
]  # fmt: skip
FORMATS = ["table", "plain", "json", "jsonl", "csv", "tsv", "markdown"]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_and_format_is_inert(
    invoke: Invoke, write_data: WriteData, args: tuple[str, ...]
) -> None:
    path = str(write_data(attack_dataset()))
    formats = (
        ["table", "plain", "mermaid", "dot", "graphml", "json"] if args[0] == "graph" else FORMATS
    )
    if args[0] == "about":
        formats = ["table", "plain", "json"]
    for fmt in formats:
        result = invoke(
            "--data", path, *args, "-f", fmt, env={"COLUMNS": "120", "FORCE_COLOR": "1"}
        )
        assert result.exit_code == 0, (fmt, result.output)
        text = result.stdout + result.stderr
        own = re.compile(
            r"\x1b\[[0-9;]*m|\x1b\]8;id=[0-9]+;https://x\.invalid/p\x1b\\|\x1b\]8;;\x1b\\"
        )
        rest = own.sub("", text)
        assert "\x1b" not in rest, (args, fmt, repr(rest[:300]))
        for bad in ("\x07", "\x9b", "\u202e"):
            assert bad not in text, (args, fmt, bad)
        if fmt == "markdown":
            assert "<img" not in text
            assert "[l](" not in text
        if fmt in ("csv", "tsv"):
            for start in ("\n=cmd", ",=cmd", "\t=cmd"):
                assert start not in text, (args, fmt)
    for cite in ("text", "bibtex", "csl-json"):
        result = invoke("--data", path, "cite", "evil", "-f", cite)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        assert "\x07" not in result.stdout


def test_terminal_attack_stays_exact_in_json(invoke: Invoke, write_data: WriteData) -> None:
    data = minimal_dataset(record("evil"))
    data["partners"][0].update({k: v for k, v in ATTACK.items() if k != "website"})
    result = invoke("--data", str(write_data(data)), "show", "evil", "--json")
    assert "\x1b" not in result.stdout  # JSON escapes control characters
    partner = json.loads(result.stdout)
    assert partner["name"] == ATTACK["name"]
    assert partner["aliases"] == ATTACK["aliases"]


def test_urls_with_escapes_are_rejected(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("evil", website="https://x.invalid/\x1b[31m"))))
    assert invoke("--data", path, "list").exit_code == 1


# -- streams, files and caches (issue "Nothing gets through, nothing is lost") -------------------


def test_a_full_disk_is_one_line_not_a_traceback() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [PARTNERS, "list"], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert result.returncode == 1
    assert result.stderr == "error: cannot write output: No space left on device\n"


def test_a_closed_stderr_costs_neither_output_nor_exit_code() -> None:
    result = subprocess.run(
        [PARTNERS, "search", "zzzzqq", "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, check=False, close_fds=True,
    )  # fmt: skip
    closed = subprocess.run(
        ["bash", "-c", f'"{PARTNERS}" search zzzzqq --json 2>&-; echo "exit $?"'],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.stdout == "[]\n"
    assert closed.stdout == "[]\nexit 0\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_not_read_forever(invoke: Invoke, device: str) -> None:
    result = invoke("--data", device, "list")
    assert result.exit_code == 1
    assert "not a regular file or a pipe" in result.stderr


def test_a_pipe_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "data.json"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [PARTNERS, "--data", str(fifo), "list", "--fields", "id"], stdout=subprocess.PIPE, text=True
    )
    fifo.write_text(json.dumps(minimal_dataset(record("piped"))), encoding="utf-8")
    out, _ = proc.communicate(timeout=30)
    assert out == "piped\n"


def test_a_path_that_is_not_utf8_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = os.fsencode(tmp_path) + b"/caf\xe9.json"
    with open(path, "w", encoding="utf-8") as file:
        json.dump(minimal_dataset(record("cafe")), file)
    result = subprocess.run(
        [PARTNERS, "--data", path, "list", "--fields", "id"], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"cafe\n"


def test_csv_cells_that_would_run_as_formulas_are_neutralised(
    invoke: Invoke, write_data: WriteData
) -> None:
    data = minimal_dataset(
        *(
            record(f"f{i}", name=name)
            for i, name in enumerate(["=1+1", "+x", "-y", "@sum", "\tt", "plain"])
        )
    )
    path = str(write_data(data))
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        rows = invoke("--data", path, "list", "-f", fmt, "--fields", "name").stdout.splitlines()[1:]
        names = [r.strip('"') for r in rows]
        assert all(n.startswith("'") for n in names if n.lstrip("'") != "plain"), names
        raw = invoke("--data", path, "list", "-f", fmt, "--fields", "name", "--raw").stdout
        assert "=1+1" in raw, sep
        assert "'=1+1" not in raw, sep


def test_markdown_never_makes_html_links_or_images(invoke: Invoke, write_data: WriteData) -> None:
    data = minimal_dataset(
        record(
            "m",
            name="<script>alert(1)</script> [x](https://e.invalid) ![i](https://e.invalid/i.png)",
        )
    )
    path = str(write_data(data))
    for args in (("list", "-f", "markdown"), ("show", "m", "-f", "markdown")):
        text = invoke("--data", path, *args).stdout
        assert "<script>" not in text
        assert "](https" not in text.replace("\\](https", "")
        assert "&lt;script>" in text


def test_json_escapes_c1_controls_and_bidi_overrides(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("j", name="a\u009bb\u202ec\u2028d"))))
    text = invoke("--data", path, "show", "j", "--json").stdout
    for escape in ("\\u009b", "\\u202e", "\\u2028"):
        assert escape in text
    assert json.loads(text)["name"] == "a\u009bb\u202ec\u2028d"


def test_search_with_an_underscore_still_finds(invoke: Invoke) -> None:
    assert "unesco" in invoke("search", "unesco", "_").stdout


def test_a_home_less_run_makes_no_folder_named_tilde(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"HOME", "XDG_CACHE_HOME"}}
    subprocess.run(
        [PARTNERS, "--data", str(DATA_DIR / "mine.json"), "search", "x"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert not (tmp_path / "~").exists()


# -- delimited and Markdown output that no reader turns into code (issue 26) ------------------------

CR_FORMULA = "Museum\r=cmd|' /C calc'!A0"


@pytest.mark.parametrize("name", [CR_FORMULA, "Museum\r\n=cmd|' /C calc'!A0", "M\n@SUM(A1)"])
@pytest.mark.parametrize(("fmt", "dialect"), [("tsv", "excel-tab"), ("csv", "excel")])
def test_a_line_break_in_a_cell_never_starts_a_row_or_a_formula(
    invoke: Invoke, write_data: WriteData, name: str, fmt: str, dialect: str
) -> None:
    import csv
    import io

    path = str(write_data(minimal_dataset(record("m", name=name), record("n"))))
    # The bytes as written (the runner's `stdout` turns CRLF into LF)
    text = invoke("--data", path, "list", "-f", fmt, "--fields", "id,name").stdout_bytes.decode()
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect=dialect))
    assert [row[0] for row in rows] == ["id", "m", "n"], rows
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))], cells
    assert rows[1][1] == re.sub(r"(?<=\n|\r)(?=[=@])", "'", name)  # all there, guarded
    # A reader that knows no quoting splits at every line break and tab: no cell of it starts a
    # formula either, and no CR is left bare (outside quotes, it rewrites the line on `cat`).
    naive = [cell for line in re.split(r"\r\n|\r|\n", text) for cell in line.split("\t")]
    assert not [c.strip('"') for c in naive if c.strip('"').startswith(("=", "+", "@"))], naive
    assert _unquoted_crs(text) == (len(rows) if fmt == "csv" else 0)  # CSV's own CRLF line ends
    raw = invoke(
        "--data", path, "list", "-f", fmt, "--fields", "name", "--raw"
    ).stdout_bytes.decode()
    assert next(csv.reader(io.StringIO(raw, newline=""), dialect=dialect)) == ["name"]
    assert list(csv.reader(io.StringIO(raw, newline=""), dialect=dialect))[1] == [name]


def _unquoted_crs(text: str) -> int:
    """How many CRs `text` has outside quoted cells; each must end a CSV line (CRLF)."""
    quoted, count = False, 0
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "\r" and not quoted:
            assert text[index + 1] == "\n", text
            count += 1
    return count


@pytest.mark.parametrize(
    "text",
    [
        "see https://evil.example/x and http://e.example",
        "www.evil.example, WWW.EVIL.EXAMPLE and (www.e.example)",
        "write to someone@evil.example or mailto:a@b.example, xmpp:a@b.example",
        "ftp://files.example/a_b",
        "entities: a&#64;b.example http&#58;//e.example &#119;ww.e.example",
        "x_www.e.example and (www.e.example)",
    ],
)
def test_markdown_never_links_urls_or_addresses(
    invoke: Invoke, write_data: WriteData, text: str
) -> None:
    """Rendered as GitHub renders it (cmark-gfm with its extensions, autolink among them), the
    data is text: no link, and every word of it still shown."""
    import html

    import cmarkgfm

    data = minimal_dataset(record("m", name=text, description=text, aliases=[text]))
    path = str(write_data(data))
    for args in (("list", "-f", "markdown"), ("show", "m", "-f", "markdown"),
                 ("list", "-f", "markdown", "--fields", "id,aliases,description")):  # fmt: skip
        markdown = invoke("--data", path, *args).stdout
        rendered = cmarkgfm.github_flavored_markdown_to_html(markdown)
        assert "<a " not in rendered, (args, markdown, rendered)
        shown = html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u2060", "")
        assert text in shown, (args, shown)


def test_json_escapes_del_as_other_controls(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("d", name="a\x7fb"))))
    for args in (("show", "d", "--json"), ("list", "--json"), ("list", "-f", "jsonl"),
                 ("graph", "-f", "json")):  # fmt: skip
        text = invoke("--data", path, *args).stdout
        assert "\x7f" not in text, args
        assert "\\u007f" in text, args
    assert json.loads(invoke("--data", path, "show", "d", "--json").stdout)["name"] == "a\x7fb"


def test_open_prints_a_url_cleaned_for_the_terminal(invoke: Invoke, write_data: WriteData) -> None:
    website = "https://x.example/\u202egpj.exe"
    path = str(write_data(minimal_dataset(record("o", website=website))))
    result = invoke("--data", path, "open", "o")
    assert result.exit_code == 0, result.output
    assert result.stdout == "https://x.example/gpj.exe\n"
