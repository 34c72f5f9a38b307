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
from typing import TYPE_CHECKING, Annotated, ParamSpec

import typer

from partnercli import __version__, catalogue, formats, lookup
from partnercli.errors import EXIT_INTERRUPTED, EXIT_OK, DataError, PartnersError
from partnercli.models import Catalogue, Partner
from partnercli.options import DataOpt, Format, FormatOpt, JsonOpt, LimitOpt, ThemeOpt, TypeOpt
from partnercli.text import for_display

if TYPE_CHECKING:  # Rich is imported only when a table is drawn: scripts never pay for it.
    from rich.console import Console, RenderableType

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

    def __init__(self, *, data: Path | None) -> None:
        self.data = data

    def cache_dir(self) -> Path | None:
        """Where large datasets are remembered; the bundled one never needs it."""
        if self.data is None:
            return None
        from partnercli import cache  # hashing and temporary files: only --data files need them

        return cache.default_dir(os.environ)


# -- errors and output -----------------------------------------------------------------------


def _stderr(line: str) -> None:
    sys.stderr.write(for_display(line) + "\n")


def report(exc: PartnersError) -> None:
    """One clear line on stderr (the problems of a data file follow, one per line)."""
    _stderr("error: " + "; ".join([exc.message, *exc.hints]))
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
            _stderr("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(EXIT_OK) from None

    return run


def wants_colour(env: os._Environ[str] | dict[str, str], *, is_terminal: bool) -> bool:
    """No colour on pipes, under NO_COLOR or TERM=dumb; FORCE_COLOR turns it on (tables only)."""
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    return is_terminal and env.get("TERM") != "dumb"


def stdout_console() -> "Console":
    from rich.console import Console

    colour = wants_colour(os.environ, is_terminal=sys.stdout.isatty())
    return Console(
        file=sys.stdout,
        color_system="auto" if colour else None,
        force_terminal=colour or None,
        no_color=not colour,
        highlight=False,
        markup=False,
        emoji=False,
    )


def ascii_only() -> bool:
    return os.environ.get("TERM") == "dumb"


def write(text: str) -> None:
    sys.stdout.write(text)


def draw(make: Callable[[int], "RenderableType"]) -> None:
    """Render a Rich object made for the console's width."""
    console = stdout_console()
    console.print(make(console.width))


def output_format(format_: Format | None, json_: bool) -> Format:
    if json_ and format_ not in (None, Format.JSON):
        raise typer.BadParameter(
            f"--json means --format json; drop one of --json and --format {format_.value}"
            if format_
            else "",
            param_hint="'--json'",
        )
    if json_:
        return Format.JSON
    if format_ is not None:
        return format_
    return Format.TABLE if sys.stdout.isatty() else Format.PLAIN


def load(ctx: typer.Context) -> Catalogue:
    settings: Settings = ctx.obj
    result = catalogue.load(settings.data, cache_dir=settings.cache_dir())
    for warning in result.warnings:
        _stderr(f"warning: {warning}")
    return result


def partner_encoder(cat: Catalogue) -> formats.PartnerEncoder:
    """The fast encoder for a large dataset (already paid msgspec's import), else the standard one."""
    return formats.encode_partner if cat.content_key is None else formats.fast_partner_encoder()


def write_partners(
    partners: list[Partner], cat: Catalogue, fmt: Format, *, title: str | None = None
) -> None:
    if fmt is Format.JSON:
        write(formats.partners_json(partners, partner_encoder(cat)))
    elif not partners:  # an empty table says so, on stderr: stdout stays empty for scripts
        if fmt is Format.TABLE:
            _stderr("no partners match")
    elif fmt is Format.PLAIN:
        write(formats.partners_plain(partners))
    else:
        from partnercli import render

        draw(
            lambda width: render.partners_table(
                partners, cat, width=width, title=title, ascii_only=ascii_only()
            )
        )


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
) -> None:
    """List partners, sorted by name; filters combine.

    Examples:

    \b
      partners list
      partners list --type ngo --theme emergencies
      partners list --json | jq -r '.[] | select(.since) | "\\(.id) \\(.since)"'
    """
    fmt = output_format(format_, json_)
    cat = load(ctx)
    theme_id = lookup.resolve_theme(cat, theme).id if theme is not None else None
    write_partners(cat.select(type_=type_, theme=theme_id), cat, fmt)


@app.command()
@handled
def show(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="An id, acronym, alias or name, or its start.")
    ],
    format_: FormatOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Show everything known about one partner.

    NAME is an id, an acronym or alias (in any language), a name, or the unique start of one;
    case and accents do not matter.

    Examples:

    \b
      partners show unesco
      partners show OMPI
      partners show "world customs"
    """
    fmt = output_format(format_, json_)
    cat = load(ctx)
    partner = lookup.resolve_partner(cat, name)
    if fmt is Format.JSON:
        write(formats.json_object(partner.to_dict()))
    elif fmt is Format.PLAIN:
        write(formats.partner_plain(partner, cat))
    else:
        from partnercli import render

        draw(lambda _: render.partner_view(partner, cat, ascii_only=ascii_only()))


@app.command()
@handled
def themes(ctx: typer.Context, format_: FormatOpt = None, json_: JsonOpt = False) -> None:
    """List every theme, with how many partners work on it.

    Examples:

    \b
      partners themes
      partners themes --json | jq -r '.[] | "\\(.count)\\t\\(.id)"'
    """
    fmt = output_format(format_, json_)
    cat = load(ctx)
    if fmt is Format.JSON:
        write(formats.json_array(formats.json_line(t) for t in formats.theme_dicts(cat)))
    elif fmt is Format.PLAIN:
        write(formats.themes_plain(cat))
    else:
        from partnercli import render

        draw(lambda _: render.themes_table(cat, ascii_only=ascii_only()))


@app.command()
@handled
def theme(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="THEME", help="A theme id, name, or its start.")],
    type_: TypeOpt = None,
    format_: FormatOpt = None,
    json_: JsonOpt = False,
) -> None:
    """List the partners working on a theme.

    Examples:

    \b
      partners theme illicit-trafficking
      partners theme illicit
      partners theme emergencies --type igo --json
    """
    fmt = output_format(format_, json_)
    cat = load(ctx)
    found = lookup.resolve_theme(cat, name)
    write_partners(cat.select(type_=type_, theme=found.id), cat, fmt, title=found.name)


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

    fmt = output_format(format_, json_)
    text = " ".join(query)
    cat = load(ctx)
    candidates = None
    if type_ is not None or theme is not None:
        theme_id = lookup.resolve_theme(cat, theme).id if theme is not None else None
        candidates = cat.select(type_=type_, theme=theme_id)
    settings: Settings = ctx.obj
    hits = search_mod.search(
        cat, text, candidates=candidates, limit=limit, cache_dir=settings.cache_dir()
    )
    if not hits:
        suggestion = search_mod.did_you_mean(cat, text)
        hint = f"; did you mean: partners search {suggestion}" if suggestion else ""
        _stderr(f"no partners match '{text}'{hint}")
    if fmt is Format.JSON:
        write(formats.hits_json(hits, partner_encoder(cat)))
    elif fmt is Format.PLAIN:
        write(formats.hits_plain(hits))
    elif hits:
        from partnercli import render

        draw(lambda width: render.hits_table(hits, width=width, ascii_only=ascii_only()))


def main() -> None:
    """Entry point of the `partners` console script and of `python -m partnercli`."""
    try:
        app()
    except KeyboardInterrupt:  # Ctrl-C outside a command (while parsing arguments)
        _stderr("interrupted")
        sys.exit(EXIT_INTERRUPTED)
