"""Property tests over the whole command, in-process (hypothesis).

Arbitrary argument strings and arbitrary valid datasets never raise; every --json output parses;
every id that `list` gives can be shown; search results are a subset of the list; and every way of
corrupting a dataset ends in exit 1 with a message, never an exception.

Quick by default; `HYPOTHESIS_PROFILE=thorough` runs 2,000 examples per property (see conftest).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from partnercli.cli import app
from partnercli.text import fold
from tests.conftest import minimal_dataset

RUNNER = CliRunner()
COMMANDS = ["list", "show", "themes", "theme", "search", "fields"]
OPTIONS = [
    "--type",
    "--theme",
    "--format",
    "--json",
    "--fields",
    "--limit",
    "--data",
    "--",
    "-f",
    "-n",
    "-t",
]

slug = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
words = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40).filter(
    lambda s: bool(s.strip())
)
year = st.integers(1000, 2100)


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid dataset: unique ids, aliases unique across partners, links and themes that exist."""
    ids = draw(st.lists(slug, min_size=0, max_size=8, unique=True))
    themes = ["alpha", "beta"]
    partners = []
    used_names: set[str] = set()
    for partner_id in ids:
        # Aliases compare as the loader compares them: folded (case, accents, compatibility forms).
        aliases = list({fold(a.strip()): a for a in draw(st.lists(words, max_size=2))}.values())
        aliases = [a for a in aliases if fold(a.strip()) not in used_names]
        used_names.update(fold(a.strip()) for a in aliases)
        partners.append(
            {
                "id": partner_id,
                "type": draw(st.sampled_from(["ngo", "igo", "museum"])),
                "name": draw(words),
                "acronym": None,
                "aliases": aliases,
                "description": draw(words),
                "partnership": draw(st.none() | words),
                "themes": draw(st.lists(st.sampled_from(themes), unique=True, max_size=2)),
                "since": draw(st.none() | year),
                "website": draw(
                    st.none()
                    | st.sampled_from(["https://example.org", "https://a.b.example/x?y=1"])
                ),
                "headquarters": draw(
                    st.none() | st.builds(lambda c: {"city": c, "country": "FR"}, words)
                ),
                "founded": draw(st.none() | year),
                "related": [{"id": draw(st.sampled_from(ids)), "relation": "linked"}]
                if draw(st.booleans())
                else [],
            }
        )
    # Links go both ways: give each target the inverse of every link to it.
    links: dict[str, list[dict[str, str]]] = {p["id"]: p["related"] for p in partners}  # type: ignore[misc]  # each record's "related" is the list built above
    for partner_id, related in links.items():
        for link in list(related):
            back = {"id": partner_id, "relation": "linked"}
            if back not in links[link["id"]]:
                links[link["id"]].append(back)
    return minimal_dataset(*partners)


def write(tmp: Path, data: object) -> str:
    path = tmp / "data.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@given(
    st.lists(
        st.sampled_from(COMMANDS) | st.sampled_from(OPTIONS) | st.text(max_size=30), max_size=6
    )
)
def test_any_arguments_never_raise(args: list[str]) -> None:
    result = RUNNER.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 1, 2), (args, result.output)
    assert "Traceback" not in result.stderr


@given(datasets(), st.text(max_size=20))
def test_valid_datasets_answer_every_command(
    tmp_path_factory: Any, data: dict[str, Any], query: str
) -> None:
    path = write(tmp_path_factory.mktemp("p"), data)

    def run(*args: str) -> Any:
        result = RUNNER.invoke(app, ["--data", path, *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        return result

    listed = run("list", "--json")
    assert listed.exit_code == 0, listed.output
    partners = json.loads(listed.stdout)
    assert sorted(p["id"] for p in partners) == sorted(p["id"] for p in data["partners"])
    for partner in partners:
        shown = run("show", partner["id"], "--json")
        assert shown.exit_code == 0, shown.output
        assert json.loads(shown.stdout) == partner
    for fmt in ("plain", "table", "csv", "tsv", "jsonl", "markdown"):
        assert run("list", "-f", fmt).exit_code == 0
    themes = json.loads(run("themes", "--json").stdout)
    assert {t["id"] for t in themes} == {"alpha", "beta"}
    assert [t["count"] for t in themes] == sorted((t["count"] for t in themes), reverse=True)
    if query.strip():
        found = run("search", "--json", "--", query)  # a query may look like an option: -h
        assert found.exit_code in (0, 2), found.output  # 2: more distinct words than allowed
        if found.exit_code == 0:
            hits = json.loads(found.stdout)
            assert {h["id"] for h in hits} <= {p["id"] for p in partners}


CORRUPTIONS = {
    "drop a required field": lambda p: p.pop("name"),
    "wrong type": lambda p: p.__setitem__("since", "1990"),
    "unknown type": lambda p: p.__setitem__("type", "club"),
    "bad slug": lambda p: p.__setitem__("id", "Not A Slug"),
    "dangling theme": lambda p: p.__setitem__("themes", ["gamma"]),
    "dangling link": lambda p: p.__setitem__("related", [{"id": "nobody-here", "relation": "x"}]),
    "bad url": lambda p: p.__setitem__("website", "ftp://x"),
    "bad year": lambda p: p.__setitem__("founded", 3),
    "bad country": lambda p: p.__setitem__("headquarters", {"city": "X", "country": "xx"}),
    "everything wrong at once": lambda p: p.clear() or p.__setitem__("id", ["list"]),
}


@given(
    datasets().filter(lambda d: len(d["partners"]) > 0),
    st.sampled_from(sorted(CORRUPTIONS)),
    st.data(),
)
def test_every_corruption_is_exit_1_with_a_message(
    tmp_path_factory: Any, data: dict[str, Any], corruption: str, pick: st.DataObject
) -> None:
    victim = pick.draw(st.sampled_from(data["partners"]))
    CORRUPTIONS[corruption](victim)
    path = write(tmp_path_factory.mktemp("c"), data)
    result = RUNNER.invoke(app, ["--data", path, "list"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, (corruption, result.output)
    assert result.stderr.startswith(f"error: invalid data in {path}")
    assert result.stdout == ""


@given(st.binary(max_size=200))
def test_arbitrary_bytes_as_a_dataset(tmp_path_factory: Any, content: bytes) -> None:
    path = tmp_path_factory.mktemp("b") / "data.json"
    path.write_bytes(content)
    result = RUNNER.invoke(app, ["--data", str(path), "list", "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)
    else:
        assert result.stderr.startswith("error: ")


#: Characters a terminal acts on: escape, C1 controls, bidirectional overrides.
TERMINAL_ACTIVE = "[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069\x07]"
#: Strings that once crossed into another program's syntax (issue 26): a formula after a CR, links
#: GitHub would make, DEL, what XML cannot hold.
HOSTILE_PIECES = [
    "\rcmd|' /C calc'!A0", "\r\n=1+1", "\n@SUM(A1)", "\t-2", "https://evil.example/x",
    "www.evil.example", "someone@evil.example", "&#64;", "\x7f", "\ufffe", "\uffff", "\U0010ffff",
]  # fmt: skip
hostile_text = (
    st.lists(
        st.text(
            alphabet=st.characters(codec="utf-8")
            | st.sampled_from(["\x1b", "\x9b", "\u202e", "\x07", "[", "]", "<", "=", "|", "\r"]),
            max_size=30,
        )
        | st.sampled_from(HOSTILE_PIECES),
        min_size=1,
        max_size=4,
    )
    .map("".join)
    .filter(lambda s: bool(s.strip()))
)


@st.composite
def hostile_datasets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid dataset whose every free text (names, texts, themes, relations) is anything."""
    data = draw(datasets())
    for theme in data["themes"]:
        theme["name"] = draw(hostile_text)
        theme["description"] = draw(hostile_text)
    for partner in data["partners"]:
        partner["name"] = draw(hostile_text)
        partner["description"] = draw(hostile_text)
        for link in partner["related"]:
            link["relation"] = draw(hostile_text)
    return data


TERMINAL_FORMATS = ["table", "plain", "csv", "tsv", "markdown", "json", "jsonl"]
FORMULA = ("=", "+", "-", "@")


def assert_no_reader_runs_it(fmt: str, text: str) -> None:
    """What each format's reader makes of `text` holds no code: no CSV/TSV cell (as the `csv`
    module reads it, or a reader that splits at every line break and tab) starts a formula, no
    Markdown becomes a link or HTML on GitHub, no JSON holds DEL raw."""
    import csv
    import io

    import cmarkgfm

    if fmt in ("csv", "tsv"):
        dialect = "excel-tab" if fmt == "tsv" else "excel"
        cells = [
            c for row in csv.reader(io.StringIO(text, newline=""), dialect=dialect) for c in row
        ]
        naive = [c.strip('"') for c in re.split(r"[\r\n\t]", text)]
        assert not [c for c in cells if c.startswith(FORMULA)], cells
        assert not [c for c in naive if c.startswith(("=", "+", "@"))], naive
    elif fmt == "markdown":
        rendered = cmarkgfm.github_flavored_markdown_to_html(text)
        assert "<a " not in rendered, (text, rendered)
    elif fmt in ("json", "jsonl"):
        assert "\x7f" not in text


@given(hostile_datasets(), st.sampled_from(TERMINAL_FORMATS))
def test_hostile_datasets_stay_inert_in_every_command_and_format(
    tmp_path_factory: Any, data: dict[str, Any], fmt: str
) -> None:

    path = write(tmp_path_factory.mktemp("h"), data)
    first = data["partners"][0]["id"] if data["partners"] else "x"
    for args in (
        ["list"], ["show", first], ["themes"], ["theme", "alpha"], ["search", "a"],
        ["related", first], ["about"],
    ):  # fmt: skip
        result = RUNNER.invoke(app, ["--data", path, *args, "-f", fmt], env={"FORCE_COLOR": "0"})
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args, result.exception,
        )  # fmt: skip
        assert result.exit_code in (0, 1, 2), (args, result.output)
        shown = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", result.stdout + result.stderr)
        assert not re.search(TERMINAL_ACTIVE, shown), (args, fmt, shown[:200])
        assert_no_reader_runs_it(fmt, result.stdout_bytes.decode())
    for graph_format in ("table", "plain", "mermaid", "dot", "graphml", "json"):
        result = RUNNER.invoke(app, ["--data", path, "graph", "-f", graph_format])
        assert result.exit_code == 0, result.output
        assert not re.search(TERMINAL_ACTIVE, result.stdout)
        if graph_format == "graphml":
            import xml.etree.ElementTree as ET

            ET.fromstring(result.stdout_bytes)  # XML, whatever the names hold
        if graph_format == "json":
            assert "\x7f" not in result.stdout


def test_search_is_linear_in_the_text(tmp_path_factory: Any) -> None:
    """A field of 20,000 copies of one word, and 20 partners of 10,000 aliases each (n² work
    in FTS5's snippet() took 10 s and 88 s): snippets are cut from sentences in Python now. How
    long it takes is for benchmarks/bench.py; this holds the answers."""
    long = minimal_dataset()
    long["partners"] = [{"id": "w", "type": "ngo", "name": "W", "description": "word " * 20_000}]
    many = minimal_dataset()
    many["partners"] = [
        {"id": f"p{i}", "type": "ngo", "name": f"P {i}", "description": "x",
         "aliases": [f"alias{i} number {j}" for j in range(10_000)]}
        for i in range(20)
    ]  # fmt: skip
    for data, query in ((long, "word"), (many, "number")):
        path = write(tmp_path_factory.mktemp("l"), data)
        result = RUNNER.invoke(app, ["--data", path, "search", query, "--json"])
        assert result.exit_code == 0, result.output
        hits = json.loads(result.stdout)
        assert len(hits) == len(data["partners"])
        assert all(len(h["snippet"]) < 400 for h in hits), "a snippet is a window, not the field"
