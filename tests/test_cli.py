"""The `partners` command end to end, in-process: the output contract scripts and people rely on."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from partnercli import __version__
from partnercli.cli import commands
from partnercli.models import Catalogue
from tests.conftest import Invoke, WriteData, minimal_dataset, record

#: Every command, from the live registry: a new command is covered without editing a list.
COMMANDS = sorted(info.name or "" for info in commands.registered_commands)

ANSI = re.compile(r"\x1b\[")
BOX = re.compile(r"[─│╭╮╰╯━┃]")


def ids_of(output: str) -> list[str]:
    return [line.split("\t")[0] for line in output.splitlines() if line]


# -- list -----------------------------------------------------------------------------------------


def test_list_is_sorted_by_name_one_tab_separated_line_each(
    invoke: Invoke, bundled: Catalogue
) -> None:
    result = invoke("list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 21
    names = [line.split("\t")[3] for line in lines]
    assert names == sorted(names, key=str.casefold)
    assert lines[0] == (
        "alecso\tigo\tALECSO\tArab League Educational, Cultural and Scientific Organization"
        "\teducation-and-research"
    )
    assert result.stderr == ""


@pytest.mark.parametrize("type_", ["ngo", "NGO", "non-governmental", "Non-Governmental"])
def test_list_type_accepts_ids_and_long_words(invoke: Invoke, type_: str) -> None:
    result = invoke("list", "--type", type_)
    assert result.exit_code == 0, result.output
    assert sorted(ids_of(result.stdout)) == [
        "aliph",
        "blue-shield",
        "ica",
        "icomos",
        "ifla",
        "wffm",
    ]


def test_list_bad_type_is_a_usage_error_listing_valid_values(invoke: Invoke) -> None:
    result = invoke("list", "--type", "charity")
    assert result.exit_code == 2
    assert "unknown type 'charity'; expected one of: ngo, igo, museum" in result.stderr
    assert result.stdout == ""


def test_a_misspelled_type_is_suggested(invoke: Invoke) -> None:
    result = invoke("list", "--type", "NGI")
    assert result.exit_code == 2
    assert "unknown type 'NGI'; did you mean ngo? expected one of: ngo," in result.stderr


def test_list_filters_combine(invoke: Invoke) -> None:
    result = invoke("list", "--type", "museum", "--theme", "funding")
    assert ids_of(result.stdout) == ["french-ministry-of-culture", "getty-foundation"]


def test_list_theme_resolves_like_theme(invoke: Invoke) -> None:
    assert (
        invoke("list", "--theme", "illicit").stdout == invoke("theme", "illicit-trafficking").stdout
    )


def test_an_unknown_theme_option_is_a_usage_error_and_an_unknown_theme_argument_not_found(
    invoke: Invoke,
) -> None:
    option = invoke("list", "--theme", "nope")
    assert option.exit_code == 2  # a bad option value, as --type nope
    assert option.stderr.startswith("error: --theme: no theme 'nope'; themes: illicit-trafficking")
    assert invoke("list", "--type", "nope").exit_code == 2
    argument = invoke("theme", "nope")
    assert argument.exit_code == 1  # a command argument that names nothing
    assert argument.stderr.startswith("error: no theme 'nope'; themes: illicit-trafficking")


def test_a_theme_of_several_words_needs_no_quotes(invoke: Invoke) -> None:
    words = invoke("theme", "illicit", "trafficking", "--fields", "id")
    quoted = invoke("theme", "illicit trafficking", "--fields", "id")
    assert words.exit_code == 0, words.output
    assert words.stdout == quoted.stdout
    assert "interpol" in words.stdout.split()


@pytest.mark.parametrize(
    ("value", "first"),
    [
        ("USA", "getty-foundation"), ("us", "getty-foundation"), ("U.S.", "getty-foundation"),
        ("United States", "getty-foundation"), ("fra", "french-ministry-of-culture"),
        ("suisse", "aliph"), ("CHE", "aliph"), ("Holland", "blue-shield"),
    ],
)  # fmt: skip
def test_countries_as_people_write_them(invoke: Invoke, value: str, first: str) -> None:
    result = invoke("list", "--country", value, "--fields", "id")
    assert result.exit_code == 0, result.output
    assert result.stdout.split()[0] == first
    if first == "getty-foundation":
        assert "smithsonian" in result.stdout.split()


@pytest.mark.parametrize("value", ["DE", "Germany", "uk", "JPN"])
def test_a_country_with_no_partner_is_an_empty_result(invoke: Invoke, value: str) -> None:
    result = invoke("list", "--country", value, "--json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


def test_an_unknown_country_is_a_usage_error_with_a_suggestion(invoke: Invoke) -> None:
    result = invoke("list", "--country", "frnce")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --country: unknown country 'frnce'; did you mean FR (France)?"
    )


def test_fields_suggest_across_case(invoke: Invoke) -> None:
    result = invoke("list", "--fields", "ID,Name")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --fields: unknown field 'ID'; did you mean id?")


def test_a_chinese_name_of_two_characters_is_a_whole_word(invoke: Invoke) -> None:
    result = invoke("show", "故宫", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "palace-museum"
    assert invoke("show", "故").exit_code == 1  # one character says too little


def test_command_summaries_are_whole_and_usage_metavars_plain(invoke: Invoke) -> None:
    summaries = invoke("--help").stdout.split("Commands:")[1]
    assert "..." not in summaries
    assert "List every theme, with how many partners work on it, most first." in " ".join(
        summaries.split()
    )
    assert invoke("show", "--help").stdout.startswith("Usage: partners show [OPTIONS] NAME...\n")
    assert invoke("completion", "--help").stdout.startswith(
        "Usage: partners completion [OPTIONS] SHELL\n"
    )


def test_empty_result_is_success(invoke: Invoke) -> None:
    for fmt in ("plain", "json"):
        result = invoke("list", "--type", "museum", "--theme", "sustainable-development", "-f", fmt)
        assert result.exit_code == 0
        assert result.stdout == ("[]\n" if fmt == "json" else "")
    table = invoke("list", "--type", "museum", "--theme", "sustainable", "-f", "table")
    assert (table.exit_code, table.stdout, table.stderr) == (0, "", "no partners match\n")


# -- show -----------------------------------------------------------------------------------------


def test_show_plain_is_field_lines_then_the_long_texts(invoke: Invoke, bundled: Catalogue) -> None:
    result = invoke("show", "OMPI")
    assert result.exit_code == 0, result.output
    head, *paragraphs = result.stdout.split("\n\n")
    fields = dict(line.split(":\t", 1) for line in head.splitlines())
    assert fields["id"] == "wipo"
    assert fields["aliases"] == "Organisation mondiale de la propriété intellectuelle; OMPI"
    assert fields["headquarters"] == "Geneva, CH"
    assert fields["since"] == ""
    wipo = bundled.partner("wipo")
    assert wipo is not None
    assert wipo.description is None, "its one sentence is about the partnership"
    assert paragraphs == [f"{wipo.partnership}\n"]
    assert fields["un_system"] == "specialized agency"


def test_show_table_has_everything(invoke: Invoke) -> None:
    result = invoke("show", "aliph", "--format", "table", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in (
        "International Alliance for the Protection of Heritage in Conflict Areas",
        "ALIPH",
        "Aliph Foundation",
        "Non-governmental organisation",
        "Capacity building; Emergencies; Funding; Illicit trafficking",
        "Partner since",
        "2022",
        "Geneva, CH",
        "2017",
        "https://www.aliph-foundation.org",
        "About",
        "Partnership with ICOM",
        "Memorandum of Understanding",
    ):
        assert expected in out, expected


def test_show_related_partners_with_their_relation(invoke: Invoke) -> None:
    out = invoke("show", "blue-shield", "-f", "table", env={"COLUMNS": "120"}).stdout
    assert "ica International Council on Archives (co-founded by)" in out
    plain = invoke("show", "blue-shield").stdout
    assert "related:\tica (co-founded by); icomos (co-founded by); ifla (co-founded by)\n" in plain


def test_show_ambiguous_and_not_found_exit_1(invoke: Invoke) -> None:
    ambiguous = invoke("show", "int")
    assert ambiguous.exit_code == 1
    assert ambiguous.stderr.startswith("error: 'int' is ambiguous: aliph, blue-shield, ica, iccrom")
    missing = invoke("show", "intrepol")
    assert (missing.exit_code, missing.stderr) == (
        1,
        "error: no partner 'intrepol'; did you mean interpol?\n",
    )
    assert missing.stdout == ambiguous.stdout == ""


def test_show_empty_name_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("show", "")
    assert result.exit_code == 2
    assert "empty partner name" in result.stderr


# -- themes and theme -----------------------------------------------------------------------------


def test_themes_json_shape(invoke: Invoke, bundled: Catalogue) -> None:
    result = invoke("themes", "--json")
    themes = json.loads(result.stdout)
    assert {t["id"] for t in themes} == {t.id for t in bundled.themes}
    order = [(-t["count"], t["name"].casefold()) for t in themes]
    assert order == sorted(order), "most partners first, then by name"
    assert all(set(t) == {"id", "name", "description", "vocabulary", "count"} for t in themes)
    counts = {t["id"]: t["count"] for t in themes}
    assert counts["illicit-trafficking"] == len(
        json.loads(invoke("theme", "illicit", "--json").stdout)
    )


def test_themes_plain_and_table(invoke: Invoke) -> None:
    plain = invoke("themes").stdout.splitlines()
    assert plain[0].split("\t")[:3] == ["illicit-trafficking", "8", "Illicit trafficking"]
    table = invoke("themes", "-f", "table").stdout
    assert "Illicit trafficking" in table
    assert "illicit-trafficking" in table


def test_theme_by_prefix_and_type(invoke: Invoke) -> None:
    result = invoke("theme", "emerg", "--type", "museum")
    assert ids_of(result.stdout) == ["smithsonian"]


def test_theme_unknown_lists_themes(invoke: Invoke) -> None:
    result = invoke("theme", "ilicit")
    assert result.exit_code == 1
    assert (
        "no theme 'ilicit'; did you mean illicit-trafficking? themes: illicit-trafficking"
        in result.stderr
    )


# -- JSON -----------------------------------------------------------------------------------------


def test_list_json_is_the_dataset_records(invoke: Invoke, bundled_raw: dict[str, Any]) -> None:
    result = invoke("list", "--json")
    partners = json.loads(result.stdout)
    by_id = {p["id"]: p for p in bundled_raw["partners"]}
    assert len(partners) == 21
    assert all(p == by_id[p["id"]] for p in partners)


def test_json_is_utf8_not_escaped(invoke: Invoke) -> None:
    out = invoke("show", "palace-museum", "--json").stdout
    assert "故宫博物院" in out
    assert "\\u" not in out
    assert json.loads(out)["id"] == "palace-museum"


def test_json_shorthand_equals_format_json(invoke: Invoke) -> None:
    assert invoke("list", "--json").stdout == invoke("list", "--format", "json").stdout


def test_json_conflicting_with_another_format_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("list", "--json", "--format", "table")
    assert result.exit_code == 2
    assert "drop one of --json and --format table" in result.stderr


@pytest.mark.parametrize(
    "env", [{"FORCE_COLOR": "1"}, {"NO_COLOR": "1"}, {"TERM": "dumb"}, {"COLUMNS": "20"}]
)
def test_colour_settings_never_change_json(invoke: Invoke, env: dict[str, str]) -> None:
    for args in (("list", "--json"), ("show", "unesco", "--json"), ("themes", "--json")):
        assert invoke(*args, env=env).stdout == invoke(*args).stdout


# -- colour, tables and inert data ---------------------------------------------------------------


def test_pipe_output_has_no_colour_and_no_boxes(invoke: Invoke) -> None:
    for args in (("list",), ("show", "unesco"), ("themes",), ("theme", "funding")):
        out = invoke(*args).stdout
        assert not ANSI.search(out), args
        assert not BOX.search(out), args


def test_format_table_draws_on_a_pipe_without_colour(invoke: Invoke) -> None:
    out = invoke("list", "--format", "table").stdout
    assert "─" in out
    assert "UNESCO" in out
    assert not ANSI.search(out)


def test_force_colour_colours_tables_only(invoke: Invoke) -> None:
    assert ANSI.search(invoke("list", "-f", "table", env={"FORCE_COLOR": "1"}).stdout)
    assert not ANSI.search(invoke("list", env={"FORCE_COLOR": "1"}).stdout)


def test_no_color_beats_force_color(invoke: Invoke) -> None:
    out = invoke("list", "-f", "table", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", out)  # no foreground colour codes


@pytest.mark.parametrize("columns", ["40", "80"])
def test_tables_fit_the_terminal(invoke: Invoke, columns: str) -> None:
    for args in (
        ("list", "-f", "table"),
        ("show", "unesco", "-f", "table"),
        ("themes", "-f", "table"),
    ):
        out = invoke(*args, env={"COLUMNS": columns}).stdout
        assert max(len(line) for line in out.splitlines()) <= int(columns), args
        assert "unesco" in out or "Illicit" in out


HOSTILE = {
    "name": "[bold red]Evil[/] \x1b[31mred\x1b[0m \x07bell [link=https://x.invalid]click[/link]",
    "aliases": ["\x1b]8;;https://x.invalid\x1b\\hidden\x1b]8;;\x1b\\"],
}


def test_data_is_never_markup_nor_control_codes(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("evil", **HOSTILE))))
    for args in (
        ("list",),
        ("list", "-f", "table"),
        ("show", "evil"),
        ("show", "evil", "-f", "table"),
    ):
        out = invoke("--data", path, *args, env={"COLUMNS": "200"}).stdout
        assert "[bold red]Evil[/]" in out, args
        assert "[link=https://x.invalid]click[/link]" in out, args
        assert "\x1b" not in out, args
        assert "\x07" not in out, args


def test_json_keeps_hostile_data_exactly(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("evil", **HOSTILE))))
    partner = json.loads(invoke("--data", path, "show", "evil", "--json").stdout)
    assert partner["name"] == HOSTILE["name"]
    assert partner["aliases"] == HOSTILE["aliases"]


# -- data option, version, help ------------------------------------------------------------------


def test_data_option_and_environment(invoke: Invoke, write_data: WriteData) -> None:
    one = str(write_data(minimal_dataset(record("from-env"))))
    two = str(write_data(minimal_dataset(record("from-option"))))
    assert ids_of(invoke("list", env={"PARTNERS_DATA": one}).stdout) == ["from-env"]
    assert ids_of(invoke("--data", two, "list", env={"PARTNERS_DATA": one}).stdout) == [
        "from-option"
    ]


def test_invalid_data_exits_1_with_every_problem(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("a", type="x"), record("B"))))
    result = invoke("--data", path, "list")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: invalid data in {path}: 2 problems"
    assert lines[1] == "  - partners[0] (id 'a').type: 'x' is not one of igo, museum, ngo"
    assert lines[2].startswith("  - partners[1].id: 'B' is not a lowercase slug")


def test_unknown_fields_warn_on_stderr(invoke: Invoke, write_data: WriteData) -> None:
    path = str(write_data(minimal_dataset(record("a", colour="blue"))))
    result = invoke("--data", path, "list")
    assert result.exit_code == 0
    assert ids_of(result.stdout) == ["a"]
    assert "warning:" in result.stderr
    assert "unknown field 'colour' ignored" in result.stderr


def test_version(invoke: Invoke, bundled: Catalogue) -> None:
    result = invoke("--version")
    assert bundled.dataset is not None
    info = bundled.dataset
    expected = f"partners {__version__} (dataset {info.version}, compiled {info.compiled})\n"
    assert result.stdout == expected


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"partners {command}" in result.stdout


def test_main_help_documents_exit_codes(invoke: Invoke) -> None:
    out = invoke("--help").stdout
    assert "Exit codes: 0 success" in out
    assert "2 usage error" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "--colour"), "error: No such option: --colour (Possible options: --country)"),
        (("lst",), "error: No such command 'lst'. Did you mean 'list'? (see 'partners --help')"),
        (("list", "--type", "x"), "error: Invalid value for '--type' / '-t': unknown type 'x'"),
        (("themes", "--limit", "1"), "error: No such option: --limit"),
        (("search", "x", "--limit", "0"), "error: Invalid value for '--limit' / '-n': 0 is not"),
        (("show",), "error: Missing argument 'NAME...'. (see 'partners show --help')"),
        (("list", "--json", "-f", "csv"), "error: --json means --format json; drop one of"),
        (("list", "--fields", "nope"), "error: --fields: unknown field 'nope'"),
        (("show", ""), "error: an empty partner name"),
        (
            ("show", "unesco", "--fields"),
            "error: Option '--fields' requires an argument. (see 'partners show --help')",
        ),
    ],
)
def test_usage_errors_have_one_shape(invoke: Invoke, args: tuple[str, ...], message: str) -> None:
    """Typer's own and the tool's usage errors alike: one `error:` line on stderr, exit 2."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_show_names_a_partner_picked_by_the_start_of_its_name(invoke: Invoke) -> None:
    picked = invoke("show", "smith", "--fields", "id")
    assert picked.exit_code == 0, picked.output
    assert picked.stderr == "showing smithsonian (Smithsonian Institution)\n"
    assert picked.stdout == "id:\tsmithsonian\n"
    assert invoke("show", "smithsonian", "--fields", "id").stderr == ""


def test_show_takes_several_words_unquoted(invoke: Invoke) -> None:
    assert invoke("show", "blue", "shield", "--fields", "id").stdout == "id:\tblue-shield\n"
    assert invoke("show", "The", "Palace", "Museum", "--json").exit_code == 0


def test_show_icom_says_whose_partners_these_are(invoke: Invoke) -> None:
    result = invoke("show", "icom")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 'icom' is ICOM itself, the organisation these are partners of, not a partner; "
        "run 'partners about' for ICOM and its network; or did you mean icomos?\n"
    )
    assert result.stdout == ""
