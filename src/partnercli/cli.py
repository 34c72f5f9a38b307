"""The `partners` command: parse, call one domain function, render, turn errors into exit codes.

This is the only module that knows about Typer, exit codes and where output goes. It has no
`from __future__ import annotations`: Typer reads every command's annotations on every run, and
string annotations would make it `eval` each of them each time.
"""

import datetime
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
import typer.main
from typer._click.core import Context
from typer._click.exceptions import NoArgsIsHelpError  # Typer 0.28 vendors Click (pinned)
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from partnercli import __version__, catalogue, lookup, output, views
from partnercli.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    DataError,
    PartnersError,
    UsageError,
)
from partnercli.formats import Format, json_array
from partnercli.models import (
    PARTNER_FIELDS,
    Catalogue,
    CiteFormat,
    EdgeSet,
    GraphFormat,
    Partner,
    PartnerType,
    sort_partners,
)
from partnercli.options import (
    LISTING,
    OUTPUT,
    AroundOpt,
    CitedArg,
    CommandDataOpt,
    CountryOpt,
    DataOpt,
    PartnerArg,
    ThemeArg,
    ThemeOpt,
    TypeOpt,
    shared,
)
from partnercli.records import EVERY, Filter, InMemory, Records, open_file


class Shell(StrEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"
    POWERSHELL = "powershell"


T = TypeVar("T")

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


#: The commands, declared with Typer as usual; the group below builds each into a Click command
#: only when it is needed (Click's "lazy subcommands"): a run builds its own command, not all 14.
commands = typer.Typer()


class LazyCommands(dict[str, Any]):
    """The group's commands by name; each is built from its Typer declaration on first use."""

    def __init__(self, registry: typer.Typer) -> None:
        super().__init__()
        self._infos = {info.name or info.callback.__name__: info for info in registry.registered_commands if info.callback}  # fmt: skip

    def _build(self, name: str) -> Any:
        if not super().__contains__(name):
            command = typer.main.get_command_from_info(
                self._infos[name], pretty_exceptions_short=False, rich_markup_mode=None
            )
            super().__setitem__(name, command)
        return super().__getitem__(name)

    def __getitem__(self, name: str) -> Any:
        return self._build(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._build(name) if name in self._infos else default

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def keys(self) -> Any:
        return self._infos.keys()

    def items(self) -> Any:
        return [(name, self._build(name)) for name in self._infos]

    def values(self) -> Any:
        return [self._build(name) for name in self._infos]


class PartnersGroup(TyperGroup):
    """Typer's group, with its commands built on demand and every error in one shape: `error: …`
    on one line and an exit code."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.commands = LazyCommands(commands)

    def invoke(self, ctx: Context) -> Any:
        # A run makes records, not garbage cycles: the cyclic collector would only walk them,
        # again and again, as they are made (a third of a large file's loading, a tenth of a
        # cached answer). It is off while a command runs, and back on after it.
        gc.disable()
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
        except OSError as exc:  # writing the output failed: a full disk, a closed file
            output.message(f"error: cannot write output: {exc.strerror or exc}")
            _quiet_broken_pipe()  # and keep Python from failing again at exit
            raise typer.Exit(EXIT_FAILURE) from None
        finally:
            gc.enable()

    def main(self, args: Sequence[str] | None = None, *pos: Any, **extra: Any) -> Any:
        extra["standalone_mode"] = False
        if "_PARTNERS_COMPLETE" in os.environ:  # the shell asks for completions
            from typer._completion_classes import completion_init  # Typer 0.28 (pinned)

            completion_init()
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
    add_completion=False,  # `partners completion SHELL` prints the script for the shell named
    pretty_exceptions_enable=False,
    # Plain Click help: no Rich import for --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def data_path(ctx: typer.Context) -> str | None:
    """The --data a run gave, before or after its command (or PARTNERS_DATA), if any."""
    given = ctx.params.get("data")
    return given if isinstance(given, str) else ctx.meta.get("partners.data")


def records(ctx: typer.Context) -> Records:
    """The dataset the run asked for (--data or PARTNERS_DATA, else the bundled one); a large
    file seen before comes from the cache, which decodes only the records a command shows."""
    path = data_path(ctx)
    if path is None:
        return InMemory(catalogue.load())
    from partnercli import cache

    warnings: list[str] = []
    found = open_file(
        path,
        cache_dir=cache.default_dir(os.environ),
        warnings=warnings,
        notice=output.message if output.stderr_is_terminal() else None,  # a pause explained
    )
    for warning in warnings:
        output.message(f"warning: {warning}")
    return found


def load(ctx: typer.Context) -> Catalogue:
    """The whole dataset the run asked for, for commands that use every record."""
    return records(ctx).everything()


def find_partner(cat: Catalogue | Records, name: str) -> Partner:
    """The partner NAME names; one found only by the start of a name is named on stderr, so
    that a surprise is visible."""
    partner, exact = lookup.find_partner(cat, name)
    if not exact:
        output.message(f"showing {partner.id} ({partner.name})")
    return partner


def choose(
    ctx: typer.Context,
    *,
    available: Sequence[str],
    format_: Format | None = None,
    json_: bool = False,
    fields: list[str] | None = None,
    output_: str | None = None,
    no_pager: bool = False,
    wide: bool = False,
    raw: bool = False,
    **_: object,  # the other shared options: data (read by `load`), sort, reverse, limit
) -> output.Output:
    """The output the shared options ask for; --output may never name the dataset being read."""
    read = data_path(ctx)
    if output_ is not None and read is not None and _same_file(output_, read):
        raise UsageError(f"--output {output_} is the dataset being read; choose another file")
    return output.choose(
        format_, json_, fields, available=available, path=output_, pager=not no_pager, wide=wide,
        raw=raw,
    )  # fmt: skip


def _same_file(one: str, other: str) -> bool:
    try:
        return os.path.samefile(one, other)
    except (OSError, ValueError):  # one does not exist (yet), or cannot be a path
        return False


def arrange(partners: list[Partner], options: dict[str, Any]) -> list[Partner]:
    """Partners in the order --sort and --reverse ask for (by name without them), --limit kept."""
    sort = options["sort"]
    if sort is None:
        return in_name_order(partners, options)
    descending = sort.startswith("-") != options["reverse"]
    return sort_partners(partners, sort.removeprefix("-"), reverse=descending)[: options["limit"]]


def in_name_order(items: list[T], options: dict[str, Any]) -> list[T]:
    """Items already by name, as --reverse and --limit ask."""
    return (items[::-1] if options["reverse"] else items)[: options["limit"]]


def wanted(
    data: Records, type_: PartnerType | None, theme: str | None, country: str | None
) -> Filter:
    """What --type, --theme and --country ask for, each resolved against the data."""
    theme_id = None if theme is None else lookup.resolve_theme(data.header, theme).id
    code = None if country is None else lookup.parse_country(data, country)
    return Filter(type_, theme_id, code)


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


@commands.command("list")
@shared(*LISTING)
def list_(
    ctx: typer.Context,
    type_: TypeOpt = None,
    theme: ThemeOpt = None,
    country: CountryOpt = None,
    **options: Any,
) -> None:
    """List partners, sorted by name; filters combine.

    Examples:

    \b
      partners list
      partners list --type ngo --theme emergencies
      partners list --country FR --sort -founded
      partners list --fields id,name,website --format csv > partners.csv
      partners list -o partners.xlsx
      partners list --json | jq -r '.[] | select(.since) | "\\(.id) \\(.since)"'
    """
    out = choose(ctx, available=PARTNER_FIELDS, **options)
    data = records(ctx)
    chosen = wanted(data, type_, theme, country)
    # A large file seen before keeps each record as the line --json writes for it.
    kept = (
        data.select_lines(chosen) if options["sort"] is None and output.takes_lines(out) else None
    )
    if kept:
        output.deliver(json_array(in_name_order(kept, options)), out)
    else:
        partners = arrange(data.select(chosen), options)
        output.emit(views.partners_view(partners, data.header), out)


@commands.command()
@shared(*OUTPUT)
def show(
    ctx: typer.Context,
    name: PartnerArg,
    sources: Annotated[
        bool, typer.Option("--sources", help="Show each fact with where it comes from.")
    ] = False,
    web: Annotated[
        bool, typer.Option("--web", help="Open the partner's website in the browser instead.")
    ] = False,
    **options: Any,
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
    out = choose(ctx, available=available, **options)
    data = records(ctx)
    partner = find_partner(data, " ".join(name))
    if web:
        open_website(partner)
        return
    if sources:
        output.emit(views.sources_view(partner, data.header), out)
    else:  # the other partners are read only if the format shows what they share with it
        output.emit(views.partner_view(partner, data.everything), out)


@commands.command()
@shared("format_", "json_", "fields", "output_", "raw", "data")
def themes(
    ctx: typer.Context,
    **options: Any,
) -> None:
    """List every theme, with how many partners work on it, most first.

    Examples:

    \b
      partners themes
      partners themes --json | jq -r '.[] | "\\(.count)\\t\\(.id)"'
    """
    out = choose(ctx, available=views.THEME_FIELDS, **options)
    output.emit(views.themes_view(load(ctx)), out)


@commands.command()
@shared(*LISTING)
def theme(
    ctx: typer.Context,
    name: ThemeArg,
    type_: TypeOpt = None,
    country: CountryOpt = None,
    **options: Any,
) -> None:
    """List the partners working on a theme.

    Examples:

    \b
      partners theme illicit-trafficking
      partners theme illicit
      partners theme emergencies --type igo --json
    """
    out = choose(ctx, available=PARTNER_FIELDS, **options)
    data = records(ctx)
    chosen = wanted(data, type_, name, country)
    found = data.header.theme(chosen.theme or "")
    assert found is not None  # wanted() resolved NAME to one of the data's themes
    partners = arrange(data.select(chosen), options)
    output.emit(views.partners_view(partners, data.header, title=found.name), out)


@commands.command()
@shared(*LISTING)
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY...", help='Words to search for; "quoted words" as a phrase.'),
    ],
    type_: TypeOpt = None,
    theme: ThemeOpt = None,
    country: CountryOpt = None,
    **options: Any,
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

    out = choose(ctx, available=views.HIT_RECORD_FIELDS, **options)
    text = " ".join(query)
    data = records(ctx)
    filters = wanted(data, type_, theme, country)
    candidates = None if filters == EVERY else data.select(filters)
    reordered = options["sort"] is not None or options["reverse"]
    limit = None if reordered else options["limit"]
    notes: list[str] = []
    hits = search_mod.search(
        data.everything(), text, candidates=candidates, limit=limit, notes=notes
    )
    for note in notes:  # a corrected word, words left out
        output.message(note)
    if reordered:  # relevance order, unless another is asked for
        order = arrange([h.partner for h in hits], options)
        by_id = {h.partner.id: h for h in hits}
        hits = [by_id[p.id] for p in order]
    empty = f"no partners match '{text}'"
    output.emit(views.hits_view(hits, empty=empty), out)


@commands.command("fields")
@shared("format_", "json_")
def fields_(ctx: typer.Context, **options: Any) -> None:
    """List the fields of a partner record, for --fields and for scripts.

    Search results also have score, matched_in and snippet. Themes have id, name, description
    and count.

    Examples:

    \b
      partners fields
      partners list --fields id,name,website
    """
    from partnercli.fields import HIT_FIELD_INFO, partner_fields

    out = choose(ctx, available=views.FIELD_FIELDS, **options)
    output.emit(views.fields_view([*partner_fields(), *HIT_FIELD_INFO]), out)


@commands.command()
@shared(*OUTPUT, "wide")
def related(
    ctx: typer.Context,
    name: PartnerArg,
    **options: Any,
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

    out = choose(ctx, available=views.CONNECTION_FIELDS, **options)
    cat = load(ctx)
    partner = find_partner(cat, " ".join(name))
    output.emit(views.related_view(partner, network.related(cat, partner)), out)


@commands.command()
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


@commands.command()
@shared("format_", "json_", "data")
def about(
    ctx: typer.Context,
    **options: Any,
) -> None:
    """Describe the dataset: its source, version, date, contents, licence and how to cite it.

    Examples:

    \b
      partners about
      partners about --json | jq -r .version
    """
    from partnercli import citation

    out = choose(ctx, available=(), **options)
    cat = load(ctx)
    refs = citation.references(cat)
    text = citation.text(refs, datetime.date.today())
    output.emit(views.about_view(cat, citation=text), out)


@commands.command()
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


@commands.command("open")
def open_(ctx: typer.Context, name: PartnerArg, data: CommandDataOpt = None) -> None:
    """Open a partner's website in the browser; on a pipe, or with no browser, print its URL.

    The browser is the system's default, or $BROWSER.

    Examples:

    \b
      partners open unesco
      partners open "world customs"
      partners open wipo | pbcopy
    """
    open_website(find_partner(load(ctx), " ".join(name)))


def open_website(partner: Partner) -> None:
    """The partner's website in a browser when stdout is a terminal and one can be started,
    else its URL on stdout (so `partners open x | pbcopy` works)."""
    if partner.website is None:
        raise PartnersError(f"{partner.id} has no website in the data")
    if sys.stdout.isatty():
        import webbrowser

        try:
            if webbrowser.get().open(partner.website):
                output.message(f"opening {partner.website}")
                return
        except webbrowser.Error:  # no browser here: print the URL instead
            pass
    typer.echo(partner.website)


@commands.command()
def completion(
    shell: Annotated[
        Shell,
        typer.Argument(case_sensitive=False, help="The shell: bash, zsh, fish or powershell."),
    ],
) -> None:
    """Print the shell completion script for SHELL, to load it or save it.

    It completes commands, options, partner ids, acronyms and one-word aliases (OMPI, 故宫博物院),
    themes, types, fields, formats, sort keys and countries. A dataset file of 1 MB or more
    completes those once the cache keeps it (from its second reading by a command).

    Examples:

    \b
      partners completion bash >> ~/.bashrc
      partners completion zsh > "${fpath[1]}/_partners"
      partners completion fish > ~/.config/fish/completions/partners.fish
      partners completion powershell >> $PROFILE
    """
    from typer._completion_classes import completion_init  # Typer 0.28 (pinned)
    from typer._completion_shared import get_completion_script

    completion_init()

    script = get_completion_script(
        prog_name="partners", complete_var="_PARTNERS_COMPLETE", shell=shell.value
    )
    typer.echo(script)


class CacheAction(StrEnum):
    CLEAR = "clear"


@commands.command("cache")
def cache_(
    action: Annotated[
        CacheAction | None, typer.Argument(help="clear: empty the cache.", show_default=False)
    ] = None,
) -> None:
    """Show where the cache of large datasets is and its size, or empty it.

    A --data file of 1 MB or more (some 500 partners), read a second time, keeps its
    validated records there (one database per content), so that later runs answer without
    reading the file; at most $PARTNERS_CACHE_MAX_MB (512 MB), the least recently used first.

    Examples:

    \b
      partners cache
      partners cache clear
    """
    from partnercli import cache

    where = cache.default_dir(os.environ)
    if where is None:
        typer.echo("cache: off (PARTNERS_CACHE_DIR is empty, or there is no home folder)")
        return
    if action is CacheAction.CLEAR:
        output.message(f"removed {cache.clear(where)} file(s) from {where}")
        return
    found = cache.entries(where)
    megabytes = cache.size(where) / 2**20
    limit = cache.budget(os.environ) / 2**20
    typer.echo(
        f"cache:\t{where}\nentries:\t{len(found)}\nsize:\t{megabytes:.1f} MB of {limit:.0f} MB"
    )


@commands.command()
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


def _stop(signum: int, frame: object) -> None:
    """SIGTERM and SIGHUP end a run as Ctrl-C does: cleaning up (a half-built cache entry) first."""
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `partners` console script and of `python -m partnercli`."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    _prepare_streams()
    app()
