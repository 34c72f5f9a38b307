"""The `partners` command: parse, call one domain function, render, turn errors into exit codes.

This is the only module that knows about Typer, exit codes and where output goes. It has no
`from __future__ import annotations`: Typer reads every command's annotations on every run, and
string annotations would make it `eval` each of them each time (~1 ms a run).
"""

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec

import typer
from typer.models import CommandInfo

from partnercli import __version__, catalogue, formats, lookup, output
from partnercli.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    DataError,
    PartnersError,
)
from partnercli.models import Catalogue
from partnercli.options import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    JsonOpt,
    LimitOpt,
    ThemeOpt,
    TypeOpt,
    completer,
)
from partnercli.text import for_display

P = ParamSpec("P")

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too), 1 not found, ambiguous or invalid data, "
    "2 usage error, 130 interrupted."
)

app = typer.Typer(
    name="partners",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain Click help and one-line usage errors: no box around a message that scripts may read,
    # and no Rich import for --help or a usage error.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Settings:
    """What the top-level options decided, handed to every command through the context."""

    __slots__ = ("data",)

    def __init__(self, *, data: str | None) -> None:
        self.data = data

    def cache_dir(self) -> Path | None:
        """Where large datasets are remembered; the bundled one never needs it."""
        if self.data is None:
            return None
        from partnercli import cache  # hashing and temporary files: only --data files need them

        return cache.default_dir(os.environ)


# -- errors and output -----------------------------------------------------------------------


def report(exc: PartnersError) -> None:
    """One clear line on stderr (the problems of a data file follow, one per line)."""
    output.message("error: " + "; ".join([exc.message, *exc.hints]))
    if isinstance(exc, DataError) and exc.total > 1:
        for problem in exc.problems:
            sys.stderr.write(f"  - {for_display(problem)}\n")
        if exc.total > len(exc.problems):
            sys.stderr.write(f"  …and {exc.total - len(exc.problems)} more\n")


def _quiet_broken_pipe() -> None:
    """The reader went away (`| head -1`): stop quietly, and keep Python from complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout has no file descriptor (tests) or is gone
        pass


def handled(fn: Callable[P, None]) -> Callable[P, None]:
    """Run a command, turning the domain's errors, Ctrl-C and a closed pipe into exit codes."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            fn(*args, **kwargs)
            sys.stdout.flush()
        except PartnersError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            output.message("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(EXIT_OK) from None

    return run


def theme_filter(cat: Catalogue, theme: str | None) -> str | None:
    """The theme id a --theme option names (resolved like `partners theme`), or None."""
    return None if theme is None else lookup.resolve_theme(cat, theme).id


def load(ctx: typer.Context) -> Catalogue:
    settings: Settings = ctx.obj
    result = catalogue.load(settings.data, cache_dir=settings.cache_dir())
    for warning in result.warnings:
        output.message(f"warning: {warning}")
    return result


# -- commands ----------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        compiled = catalogue.load().source.compiled
        typer.echo(f"partners {__version__} (data compiled {compiled})")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: DataOpt = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and the bundled dataset's compile date, then exit.",
        ),
    ] = False,
) -> None:
    """ICOM's international partner network, at your terminal.

    Examples:

    \b
      partners list --type ngo
      partners show unesco
      partners theme illicit-trafficking
      partners list --json | jq -r '.[].name'
    """
    ctx.obj = Settings(data=data)


@app.command("list")
@handled
def list_(
    ctx: typer.Context,
    type_: TypeOpt = None,
    theme: ThemeOpt = None,
    format_: FormatOpt = None,
    json_: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """List partners, sorted by name; filters combine.

    Examples:

    \b
      partners list
      partners list --type ngo --theme emergencies
      partners list --fields id,name,website --format csv > partners.csv
      partners list --json | jq -r '.[] | select(.since) | "\\(.id) \\(.since)"'
    """
    out = output.choose(format_, json_, fields)
    cat = load(ctx)
    output.partners(cat.select(type_=type_, theme=theme_filter(cat, theme)), cat, out)


@app.command()
@handled
def show(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="An id, acronym, alias or name, or its start.",
            autocompletion=completer("partners"),
        ),
    ],
    format_: FormatOpt = None,
    json_: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Show everything known about one partner.

    NAME is an id, an acronym or alias (in any language), a name, or the unique start of one;
    case and accents do not matter.

    Examples:

    \b
      partners show unesco
      partners show OMPI
      partners show "world customs"
      partners show unesco --format markdown >> report.md
    """
    out = output.choose(format_, json_, fields)
    cat = load(ctx)
    output.partner(lookup.resolve_partner(cat, name), cat, out)


@app.command()
@handled
def themes(
    ctx: typer.Context, format_: FormatOpt = None, json_: JsonOpt = False, fields: FieldsOpt = None
) -> None:
    """List every theme, with how many partners work on it.

    Examples:

    \b
      partners themes
      partners themes --json | jq -r '.[] | "\\(.count)\\t\\(.id)"'
    """
    out = output.choose(format_, json_, fields, available=formats.THEME_FIELDS)
    output.themes(load(ctx), out)


@app.command()
@handled
def theme(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="THEME",
            help="A theme id, name, or its start.",
            autocompletion=completer("themes"),
        ),
    ],
    type_: TypeOpt = None,
    format_: FormatOpt = None,
    json_: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """List the partners working on a theme.

    Examples:

    \b
      partners theme illicit-trafficking
      partners theme illicit
      partners theme emergencies --type igo --json
    """
    out = output.choose(format_, json_, fields)
    cat = load(ctx)
    found = lookup.resolve_theme(cat, name)
    output.partners(cat.select(type_=type_, theme=found.id), cat, out, title=found.name)


@app.command()
@handled
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY...", help='Words to search for; "quoted words" as a phrase.'),
    ],
    type_: TypeOpt = None,
    theme: ThemeOpt = None,
    limit: LimitOpt = None,
    format_: FormatOpt = None,
    json_: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Search every partner's names, themes, seat and texts, best match first.

    All words must match, in any field; case and accents do not matter, and words match their
    other forms (`libraries` finds "Library", `traffic` finds "trafficking"). Each result shows
    where it matched.

    Examples:

    \b
      partners search illicit
      partners search "stolen objects" --type igo
      partners search musee --json | jq -r '.[] | "\\(.score)\\t\\(.id)\\t\\(.snippet)"'
    """
    from partnercli import search as search_mod  # FTS5 and sqlite3: only searches pay for them

    out = output.choose(format_, json_, fields, available=output.HIT_RECORD_FIELDS)
    text = " ".join(query)
    cat = load(ctx)
    candidates = None
    if type_ is not None or theme is not None:
        candidates = cat.select(type_=type_, theme=theme_filter(cat, theme))
    settings: Settings = ctx.obj
    hits = search_mod.search(
        cat, text, candidates=candidates, limit=limit, cache_dir=settings.cache_dir()
    )
    if not hits:
        suggestion = search_mod.did_you_mean(cat, text)
        hint = f"; did you mean: partners search {suggestion}" if suggestion else ""
        output.message(f"no partners match '{text}'{hint}")
    output.hits(hits, cat, out)


@app.command("fields")
@handled
def fields_(format_: FormatOpt = None, json_: JsonOpt = False) -> None:
    """List the fields of a partner record, for --fields and for scripts.

    Search results also have score, matched_in and snippet. Themes have id, name, description
    and count.

    Examples:

    \b
      partners fields
      partners list --fields id,name,website
    """
    from partnercli.fields import HIT_FIELD_INFO, partner_fields

    out = output.choose(format_, json_, None)
    output.field_list([*partner_fields(), *HIT_FIELD_INFO], out)


def _prepare_streams() -> None:
    """A stdout that cannot take every character gets `?` for those it cannot (JSON is escaped
    instead, see `output.write_json`); a closed stdout is an error, not a traceback."""
    if sys.stdout is None:
        if sys.stderr is not None:
            sys.stderr.write("error: standard output is closed; nothing can be written\n")
        sys.exit(EXIT_FAILURE)
    for stream in (sys.stdout, sys.stderr):
        if (
            stream is not None
            and not output.takes_any_character(stream)
            and hasattr(stream, "reconfigure")
        ):
            stream.reconfigure(errors="replace")


def _name(info: CommandInfo) -> str:
    return info.name or (info.callback.__name__ if info.callback else "")


def command_named(args: list[str]) -> str | None:
    """The command `args` run, if it is certain: the first word after the global options.

    None for anything else (no command, --help, --version, an unknown word), which keeps every
    command, so help, suggestions and errors are exactly Typer's own.
    """
    names = {
        info.name or info.callback.__name__ for info in app.registered_commands if info.callback
    }
    rest = iter(args)
    for arg in rest:
        if arg == "--data":
            next(rest, None)
        elif arg.startswith("--data="):
            continue
        else:
            return arg if arg in names else None
    return None


def main() -> None:
    """Entry point of the `partners` console script and of `python -m partnercli`."""
    _prepare_streams()
    # Typer builds every command's parameters on every run (~0.25 ms a command); a run that names
    # its command needs only that one, the way Click's lazily loaded subcommands work. Shell
    # completion always gets every command.
    wanted = None if "_PARTNERS_COMPLETE" in os.environ else command_named(sys.argv[1:])
    if wanted is not None:
        app.registered_commands = [
            info for info in app.registered_commands if _name(info) == wanted
        ]
    try:
        app()
    except KeyboardInterrupt:  # Ctrl-C outside a command (while parsing arguments)
        output.message("interrupted")
        sys.exit(EXIT_INTERRUPTED)
