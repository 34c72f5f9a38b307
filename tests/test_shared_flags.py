"""The flags every command that prints a result shares (--data after it, -o, --no-pager), the
terminal as a value, and one data path with nothing written outside the output asked for."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks.datasets import write_scaled
from partnercli import completion, output
from partnercli.cli import app
from partnercli.terminal import LESS_DEFAULT, Terminal, pager_command
from tests.conftest import DATA_DIR, Invoke, WriteData, minimal_dataset, record

PARTNERS = str(Path(sys.executable).with_name("partners"))
MINE = str(DATA_DIR / "mine.json")

#: Each command that prints a result, with what it needs, a file it can write, and the
#: --format that file's extension stands for.
PRINTING = {
    "list": ([], "out.json", ["-f", "json"]),
    "show": (["unesco"], "out.json", ["-f", "json"]),
    "themes": ([], "out.csv", ["-f", "csv"]),
    "theme": (["funding"], "out.md", ["-f", "markdown"]),
    "search": (["illicit"], "out.jsonl", ["-f", "jsonl"]),
    "fields": ([], "out.tsv", ["-f", "tsv"]),
    "related": (["unesco"], "out.json", ["-f", "json"]),
    "graph": ([], "out.dot", ["-f", "dot"]),
    "about": ([], "out.json", ["-f", "json"]),
    "cite": ([], "out.bib", ["-f", "bibtex"]),
    "schema": ([], "out.json", []),
}


#: The commands that read a dataset, with what each needs from `mine`'s one partner.
READING = {
    "list": [], "show": ["mine"], "themes": [], "theme": ["alpha"], "search": ["mine"],
    "related": ["mine"], "graph": [], "about": [], "cite": ["mine"],
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(READING))
def test_data_goes_after_every_command_that_reads_it(
    invoke: Invoke, write_data: WriteData, command: str
) -> None:
    mine = str(write_data(minimal_dataset(record("mine", name="Only Mine", themes=["alpha"]))))
    args = [*READING[command], "-f", "csl-json" if command == "cite" else "json"]
    after = invoke(command, *args, "--data", mine, "--no-pager")
    before = invoke("--data", mine, command, *args, "--no-pager")
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    bundled = invoke(command, *args, "--no-pager")
    assert after.stdout != bundled.stdout  # the file was read, not the bundled data


@pytest.mark.parametrize("command", sorted(PRINTING))
def test_output_writes_the_file_every_command_prints(
    invoke: Invoke, tmp_path: Path, command: str
) -> None:
    args, name, format_ = PRINTING[command]
    target = tmp_path / name
    result = invoke(command, *args, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    to_stdout = invoke(command, *args, *format_, "-o", "-", "--no-pager")
    assert to_stdout.exit_code == 0, to_stdout.output
    assert to_stdout.stdout == written  # the extension chose the format
    assert not (tmp_path / "-").exists()
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind


@pytest.mark.parametrize(
    ("command", "name", "starts"),
    [
        ("graph", "g.mmd", "flowchart"),
        ("graph", "g.graphml", "<?xml"),
        ("graph", "g.json", "{"),
        ("cite", "c.json", "["),
        ("cite", "c.txt", "partnercli developers"),
        ("list", "l.csv", "id,type,name"),
    ],
)
def test_the_extension_chooses_the_format(
    invoke: Invoke, tmp_path: Path, command: str, name: str, starts: str
) -> None:
    assert invoke(command, "-o", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts)


@pytest.mark.parametrize(
    ("command", "name"),
    [("list", "x.pdf"), ("graph", "x.csv"), ("cite", "x.md"), ("schema", "x.yaml")],
)
def test_an_extension_the_command_cannot_write_is_a_usage_error(
    invoke: Invoke, tmp_path: Path, command: str, name: str
) -> None:
    result = invoke(command, "-o", str(tmp_path / name))
    assert result.exit_code == 2
    suffix = name.rpartition(".")[2]
    assert f"cannot write '.{suffix}' files; use " in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / name).exists()


def test_format_wins_over_the_extension(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "anything.pdf"
    assert invoke("list", "-f", "json", "-o", str(target)).exit_code == 0
    assert isinstance(json.loads(target.read_text(encoding="utf-8")), list)


def test_output_replaces_a_file_whole(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "partners.json"
    target.write_text("old and much longer than what replaces it " * 1000, encoding="utf-8")
    assert invoke("show", "unesco", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == "unesco"


def test_output_never_writes_the_packages_own_data(invoke: Invoke) -> None:
    own = Path(output.__file__).parent / "data" / "partners.json"
    before = own.read_bytes()
    result = invoke("list", "--json", "-o", str(own))
    assert result.exit_code == 2
    assert result.stderr == f"error: --output {own} is partners' own data; choose another file\n"
    assert own.read_bytes() == before


def test_output_never_writes_the_dataset_being_read(invoke: Invoke, tmp_path: Path) -> None:
    mine = tmp_path / "mine.json"
    mine.write_bytes(Path(MINE).read_bytes())
    result = invoke("graph", "--data", str(mine), "-o", str(mine), "-f", "json")
    assert result.exit_code == 2
    assert "is the dataset being read" in result.stderr
    assert mine.read_bytes() == Path(MINE).read_bytes()


@pytest.mark.parametrize("command", sorted(PRINTING))
def test_no_pager_is_taken_by_every_command_that_prints(invoke: Invoke, command: str) -> None:
    args, _, _ = PRINTING[command]
    assert invoke(command, *args, "--no-pager").exit_code == 0


# -- the terminal as a value --------------------------------------------------------------------


def test_a_terminal_given_to_the_run_chooses_the_table() -> None:
    runner = CliRunner()
    on_pipe = runner.invoke(app, ["list", "--type", "ngo"])
    at_terminal = runner.invoke(
        app, ["list", "--type", "ngo", "--no-pager"], obj=Terminal(stdout_tty=True, width=100)
    )
    assert on_pipe.stdout.startswith("blue-shield\tngo")
    assert "Blue Shield" in at_terminal.stdout
    assert "─" in at_terminal.stdout  # a table's rule


def test_the_pager_is_less_told_to_keep_colours_when_nothing_is_set() -> None:
    assert pager_command({}) == (("less",), None)
    assert pager_command({"PAGER": "more -s"}) == (("more", "-s"), None)
    assert pager_command({"PAGER": "most", "PARTNERS_PAGER": "less -S"}) == (("less", "-S"), None)
    assert pager_command({"PAGER": "cat"}) == ((), None)
    assert pager_command({"PAGER": ""}) == ((), None)  # empty: no pager, as for git and gh
    assert pager_command({"PAGER": "most", "PARTNERS_PAGER": ""}) == ((), None)


class _Tty:
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_less_is_told_frx_only_when_less_is_unset() -> None:
    unset = Terminal.detect({}, stdout=_Tty())  # type: ignore[arg-type]  # a stand-in stream
    assert unset.pager_env["LESS"] == LESS_DEFAULT == "FRX"
    chosen = Terminal.detect({"LESS": "S"}, stdout=_Tty())  # type: ignore[arg-type]  # a stand-in stream
    assert chosen.pager_env["LESS"] == "S"


@pytest.mark.parametrize("setting", ['less "-R', "less -R\\"])
def test_a_pager_setting_that_cannot_be_read_is_a_warning(setting: str) -> None:
    words, problem = pager_command({"PAGER": setting})
    assert words == ()
    assert problem is not None
    assert problem.startswith("PAGER cannot be read (")
    runner = CliRunner()
    term = Terminal.detect({"PAGER": setting}, stdout=_Tty())  # type: ignore[arg-type]  # a stand-in stream
    result = runner.invoke(app, ["themes", "-f", "plain"], obj=term)
    assert result.exit_code == 0
    assert result.stderr == f"warning: {problem}\n"
    assert result.stdout.startswith("illicit-trafficking")


# -- one path for the data: nothing is written but the output asked for ------------------------


def test_repeated_runs_on_a_large_file_write_nothing_and_answer_the_same(tmp_path: Path) -> None:
    big = write_scaled(3_000, tmp_path / "big.json")
    past = 1_700_000_000
    os.utime(big, (past, past))  # left untouched for a long time
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DATA"} | {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    answers = [
        subprocess.run(
            [PARTNERS, "--data", str(big), "search", "illicit", "--json"],
            capture_output=True, text=True, env=env, timeout=120, check=True,
        ).stdout
        for _ in range(3)
    ]  # fmt: skip
    assert answers[0] == answers[1] == answers[2]
    assert len(json.loads(answers[0])) > 100
    assert list(home.rglob("*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json", "home"]


# -- one list of fields per command: completion offers what the command takes ------------------


@pytest.mark.parametrize(
    ("command", "sources", "typed", "offered"),
    [
        ("show", True, "sour", ["source"]),
        ("show", False, "sour", ["sources"]),
        ("related", False, "conn", ["connection"]),
        ("search", False, "sco", ["score"]),
        ("themes", False, "co", ["count"]),
        ("about", False, "lic", ["licence"]),
    ],
)
def test_fields_completion_offers_what_the_command_takes(
    invoke: Invoke, command: str, sources: bool, typed: str, offered: list[str]
) -> None:
    import typer
    import typer.main

    from partnercli.cli import PartnersGroup

    group = typer.main.get_command(app)
    assert isinstance(group, PartnersGroup)
    ctx = typer.Context(group.get_command(typer.Context(group), command))
    ctx.params["sources"] = sources
    assert completion.fields(ctx, typed) == offered
    args = {"show": ["unesco"], "related": ["unesco"], "search": ["illicit"]}.get(command, [])
    extra = ["--sources"] if sources else []
    result = invoke(command, *args, *extra, "--fields", offered[0], "--json")
    assert result.exit_code == 0, result.output


# -- what --output writes to -------------------------------------------------------------------


def test_output_to_a_fifo_writes_into_it_never_replaces_it(invoke: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert invoke("list", "--json", "-o", str(fifo)).exit_code == 0
    written, _ = reader.communicate(timeout=30)
    assert len(json.loads(written)) == 21
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_through_a_symlink_writes_its_target_and_keeps_its_mode(
    invoke: Invoke, tmp_path: Path
) -> None:
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert invoke("list", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 21
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("path", ["", ".", "/tmp/"])
def test_output_needs_a_file_name(invoke: Invoke, path: str) -> None:
    result = invoke("list", "-o", path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --output needs a file name")


def test_a_closed_stdout_still_writes_the_file_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    written = subprocess.run(
        ["bash", "-c", f'"{PARTNERS}" list -o "{target}" >&-'], capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 21
    closed = subprocess.run(
        ["bash", "-c", f'"{PARTNERS}" list --json >&-'], capture_output=True, text=True, check=False
    )
    assert closed.returncode == 1
    assert closed.stderr.startswith("error: standard output is closed")


def test_open_writes_the_url_to_a_file_and_nothing_else(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "url.txt"
    result = invoke("open", "unesco", "-o", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8") == "https://www.unesco.org\n"
    assert invoke("open", "unesco", "-o", str(tmp_path / "url.xlsx")).exit_code == 2


def test_version_with_a_damaged_bundled_file_is_one_line(tmp_path: Path) -> None:
    package = tmp_path / "partnercli"
    shutil.copytree(Path(output.__file__).parent, package)
    (package / "data" / "partners.json").write_text("{broken", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DATA"} | {
        "PYTHONPATH": str(tmp_path)
    }
    for args in (["--version"], ["list"]):
        result = subprocess.run(
            [sys.executable, "-m", "partnercli", *args], capture_output=True, text=True, env=env,
            check=False,
        )  # fmt: skip
        assert result.returncode == 1, args
        assert result.stderr.startswith("error: invalid data in the bundled partners.json"), args
        assert result.stderr.count("\n") == 1
