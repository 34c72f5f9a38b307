"""The `partners` command: parse, call one domain function, render, turn errors into exit codes.

This is the only module that knows about Typer, exit codes and where output goes. It has no
`from __future__ import annotations`: Typer reads every command's annotations on every run, and
string annotations would make it `eval` each of them each time.
"""

import datetime
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer._click.core import Context
from typer._click.exceptions import NoArgsIsHelpError  # Typer 0.28 vendors Click (pinned)
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from partnercli import __version__, catalogue, lookup, output, views
from partnercli.citation import CiteFormat
from partnercli.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    DataError,
    PartnersError,
    UsageError,
)
from partnercli.models import PARTNER_FIELDS, Catalogue, Partner
from partnercli.network import EdgeSet, GraphFormat
from partnercli.options import (
    AroundOpt,
    CitedArg,
    DataOpt,
    FieldsOpt,
    FormatOpt,
    JsonOpt,
    LimitOpt,
    PartnerArg,
    ThemeArg,
    ThemeOpt,
    TypeOpt,
)

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too), 1 not found, ambiguous or invalid data, "
    "2 usage error, 130 interrupted."
)


def report(exc: PartnersError) -> None:
    """One clear line on stderr (the problems of a data file follow, one per line)."""
    output.message("error: " + "; ".join([exc.message, *exc.hints]))
    if isinstance(exc, DataError) and exc.total > 1:
        for problem in exc.problems:
            output.message(f"  - {problem}")
        if exc.total > len(exc.problems):
            output.message(f"  …and {exc.total - len(exc.problems)} more")


def _quiet_broken_pipe() -> None:
    """The reader went away (`| head -1`): stop quietly, and keep Python from complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout has no file descriptor (tests) or is gone
        pass


class PartnersGroup(TyperGroup):
    """Typer's group, with every error in one shape: `error: …` on one line and an exit code."""

    def invoke(self, ctx: Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except PartnersError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(EXIT_OK) from None

    def main(self, args: Sequence[str] | None = None, *pos: Any, **extra: Any) -> Any:
        extra["standalone_mode"] = False
        try:
            code = super().main(args, *pos, **extra)
        except NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except ClickUsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "partners"
            output.message(f"error: {exc.format_message()} (see '{command} --help')")
            code = EXIT_USAGE
        except typer.Abort:  # end of input at a prompt; partners asks for none, but Click may
            code = EXIT_INTERRUPTED
        if code == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into exit 130, silently
            output.message("interrupted")
        sys.exit(code if isinstance(code, int) else EXIT_OK)


app = typer.Typer(
    name="partners",
    cls=PartnersGroup,
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain Click help: no Rich import for --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def load(ctx: typer.Context) -> Catalogue:
    """The dataset the run asked for (--data or PARTNERS_DATA, else the bundled one)."""
    warnings: list[str] = []
    result = catalogue.load(ctx.meta.get("partners.data"), warnings=warnings)
    for warning in warnings:
        output.message(f"warning: {warning}")
    return result


def find_partner(cat: Catalogue, name: str) -> Partner:
    """The partner NAME names; one found only by the start of a name is named on stderr, so
    that a surprise is visible."""
    partner, exact = lookup.find_partner(cat, name)
    if not exact:
        output.message(f"showing {partner.id} ({partner.name})")
    return partner


def theme_filter(cat: Catalogue, theme: str | None) -> str | None:
    """The theme id a --theme option names (resolved like `partners theme`), or None."""
    return None if theme is None else lookup.resolve_theme(cat, theme).id


# -- commands ----------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        info = catalogue.load().dataset
        data = (
            f"dataset {info.version}, compiled {info.compiled}" if info else "dataset unversioned"
        )
        typer.echo(f"partners {__version__} ({data})")
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
            help="Show the version, and the bundled dataset's version and compile date, then exit.",
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
    ctx.meta["partners.data"] = data


@app.command("list")
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
    out = output.choose(format_, json_, fields, available=PARTNER_FIELDS)
    cat = load(ctx)
    chosen = cat.select(type_=type_, theme=theme_filter(cat, theme))
    output.emit(views.partners_view(chosen, cat), out)


@app.command()
def show(
    ctx: typer.Context,
    name: PartnerArg,
    format_: FormatOpt = None,
    json_: JsonOpt = False,
    fields: FieldsOpt = None,
    sources: Annotated[
        bool, typer.Option("--sources", help="Show each fact with where it comes from.")
    ] = False,
) -> None:
    """Show everything known about one partner.

    NAME is an id, an acronym or alias (in any language), a name, or the unique start of one
    (3 letters or more); case, accents and a leading "The" do not matter. A partner found by
    the start of its name is named on stderr.

    Examples:

    \b
      partners show unesco
      partners show OMPI
      partners show "world customs"
      partners show unesco --sources
      partners show unesco --format markdown >> report.md
    """
    available = views.SOURCE_FIELDS if sources else PARTNER_FIELDS
    out = output.choose(format_, json_, fields, available=available)
    cat = load(ctx)
    partner = find_partner(cat, " ".join(name))
    view = views.sources_view if sources else views.partner_view
    output.emit(view(partner, cat), out)


@app.command()
def themes(
    ctx: typer.Context, format_: FormatOpt = None, json_: JsonOpt = False, fields: FieldsOpt = None
) -> None:
    """List every theme, with how many partners work on it.

    Examples:

    \b
      partners themes
      partners themes --json | jq -r '.[] | "\\(.count)\\t\\(.id)"'
    """
    out = output.choose(format_, json_, fields, available=views.THEME_FIELDS)
    output.emit(views.themes_view(load(ctx)), out)


@app.command()
def theme(
    ctx: typer.Context,
    name: ThemeArg,
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
    out = output.choose(format_, json_, fields, available=PARTNER_FIELDS)
    cat = load(ctx)
    found = lookup.resolve_theme(cat, name)
    chosen = cat.select(type_=type_, theme=found.id)
    output.emit(views.partners_view(chosen, cat, title=found.name), out)


@app.command()
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

    out = output.choose(format_, json_, fields, available=views.HIT_RECORD_FIELDS)
    text = " ".join(query)
    cat = load(ctx)
    candidates = None
    if type_ is not None or theme is not None:
        candidates = cat.select(type_=type_, theme=theme_filter(cat, theme))
    cache_dir = None  # the bundled dataset is indexed in memory in a millisecond
    if ctx.meta.get("partners.data") is not None:
        from partnercli import cache

        cache_dir = cache.default_dir(os.environ)
    hits = search_mod.search(cat, text, candidates=candidates, limit=limit, cache_dir=cache_dir)
    empty = f"no partners match '{text}'"
    if not hits:
        suggestion = search_mod.did_you_mean(cat, text)
        empty += f"; did you mean: partners search {suggestion}" if suggestion else ""
    output.emit(views.hits_view(hits, empty=empty), out)


@app.command("fields")
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

    out = output.choose(format_, json_, None, available=views.FIELD_FIELDS)
    output.emit(views.fields_view([*partner_fields(), *HIT_FIELD_INFO]), out)


@app.command()
def related(
    ctx: typer.Context,
    name: PartnerArg,
    format_: FormatOpt = None,
    json_: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """List the partners connected to one, strongest first.

    First its relations (with their label, from its side), then the rest of its group (the
    United Nations system), then the partners sharing its themes, most shared first.

    Examples:

    \b
      partners related blue-shield
      partners related interpol --json | jq -r '.[] | "\\(.id)\\t\\(.connection.label)"'
    """
    from partnercli import network

    out = output.choose(format_, json_, fields, available=views.CONNECTION_FIELDS)
    cat = load(ctx)
    partner = find_partner(cat, " ".join(name))
    output.emit(views.related_view(partner, network.related(cat, partner)), out)


@app.command()
def graph(
    ctx: typer.Context,
    around: AroundOpt = None,
    depth: Annotated[
        int, typer.Option(min=1, metavar="N", help="How many links away from --around.")
    ] = 1,
    by: Annotated[
        EdgeSet,
        typer.Option(case_sensitive=False, help="Which links to draw."),
    ] = EdgeSet.RELATION,
    format_: Annotated[
        GraphFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table (a tree), plain (one link per line), mermaid, dot, graphml or json "
            "[default: table on a terminal, plain on a pipe].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Draw the network: ICOM, its partners and how they connect.

    By default the links are ICOM's partnerships and the relations the page states; --by theme
    links partners to their themes, --by type to their group on the page.

    Examples:

    \b
      partners graph
      partners graph --around unesco --depth 1
      partners graph -f mermaid > network.mmd
      partners graph -f dot | dot -Tsvg > network.svg
      partners graph --by theme -f graphml > network.graphml
    """
    from partnercli import network

    cat = load(ctx)
    drawn = network.build(cat, by=by)
    if around is not None:
        drawn = network.around(drawn, find_partner(cat, around).id, depth)
    chosen = format_ or (GraphFormat.TABLE if sys.stdout.isatty() else GraphFormat.PLAIN)
    if chosen is GraphFormat.TABLE:
        from rich.console import Console

        from partnercli import render

        Console(highlight=False, markup=False, emoji=False).print(render.network_tree(drawn, cat))
        return
    if chosen is GraphFormat.JSON:
        ascii_only = not output.takes_any_character(sys.stdout)
        sys.stdout.write(network.to_json(drawn, ensure_ascii=ascii_only))
        return
    writers = {
        GraphFormat.PLAIN: network.plain,
        GraphFormat.MERMAID: network.mermaid,
        GraphFormat.DOT: network.dot,
        GraphFormat.GRAPHML: network.graphml,
    }
    sys.stdout.write(writers[chosen](drawn))


@app.command()
def about(ctx: typer.Context, format_: FormatOpt = None, json_: JsonOpt = False) -> None:
    """Describe the dataset: its source, version, date, contents, licence and how to cite it.

    Examples:

    \b
      partners about
      partners about --json | jq -r .version
    """
    from partnercli import citation

    out = output.choose(format_, json_, None, available=())
    cat = load(ctx)
    refs = citation.references(cat)
    text = citation.text(refs, datetime.date.today())
    output.emit(views.about_view(cat, citation=text), out)


@app.command()
def cite(
    ctx: typer.Context,
    name: CitedArg = None,
    format_: Annotated[
        CiteFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="How to write the citation."),
    ] = CiteFormat.TEXT,
    accessed: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD",
            help="The access date to cite [default: today].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Cite the dataset and ICOM's page, or one partner's entry.

    Text is an APA-style reference; BibTeX and CSL-JSON go into a reference manager
    (Zotero imports both).

    Examples:

    \b
      partners cite
      partners cite unesco
      partners cite --format bibtex >> references.bib
      partners cite --format csl-json > partners.json
    """
    from partnercli import citation

    day = _access_date(accessed)
    cat = load(ctx)
    partner = None if name is None else find_partner(cat, name)
    sys.stdout.write(
        citation.render(citation.references(cat, partner), format_, day),
    )


def _access_date(value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--accessed: '{value}' is not a date; give it as YYYY-MM-DD") from None


@app.command()
def schema() -> None:
    """Print the JSON Schema of the dataset format, generated from the data model.

    Editors can check a dataset file of your own against it; the loader checks a few rules
    more (see 'partners --help' on --data).

    Examples:

    \b
      partners schema > partners.schema.json
    """
    from partnercli.fields import json_schema

    sys.stdout.write(json_schema())


def _prepare_streams() -> None:
    """A stdout that cannot take every character gets `?` for those it cannot (JSON is escaped
    instead); a closed stdout is an error, not a traceback."""
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


def main() -> None:
    """Entry point of the `partners` console script and of `python -m partnercli`."""
    _prepare_streams()
    app()
