"""The `partners` command: parse, call one domain function, render, turn errors into exit codes.

This is the only module that knows about Typer, exit codes and where output goes. It has no
`from __future__ import annotations`: Typer reads every command's annotations on every run, and
string annotations would make it `eval` each of them each time.
"""

import copy
import datetime
import os
import signal
import sys
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import typer
import typer.main
from typer._click.core import Context
from typer._click.exceptions import NoArgsIsHelpError  # Typer 0.28 vendors Click (pinned)
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperCommand, TyperGroup

from partnercli import __version__, catalogue, lookup, output, views
from partnercli import completion as shells
from partnercli.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    AmbiguousError,
    DataError,
    NotFoundError,
    PartnersError,
    UsageError,
)
from partnercli.lookup import EVERY, Filter
from partnercli.models import (
    Catalogue,
    CiteFormat,
    EdgeSet,
    GraphFormat,
    Partner,
    sort_partners,
)
from partnercli.options import (
    AroundOpt,
    CitedArg,
    Common,
    CountryOpt,
    Filters,
    Order,
    PartnerArg,
    Shape,
    TypeOpt,
    format_option,
    grouped,
)
from partnercli.terminal import Terminal, takes_any_character
from partnercli.text import for_display

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too), 1 not found, ambiguous, ICOM named as a "
    "partner, invalid or unreadable data, or output that cannot be written, 2 usage error, "
    "130 interrupted."
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


#: The commands, declared with Typer as usual, the shared options as typed groups (`Shape`,
#: `Order`…); the group below builds each into a `PartnersCommand` only when it is asked for
#: (Click's "lazy loading subcommands" pattern: `list_commands` and `get_command`), spreading
#: its groups' options into the signature Typer reads (`options.grouped`) then, so a run builds
#: its own command, not all 13 (~7 ms, a tenth of a start).
commands = typer.Typer()


class PartnersCommand(TyperCommand):
    """Typer's command, with plain metavars in its usage line (`NAME...`, not `{NAME...}`) and
    its whole first paragraph as its summary in `partners --help` (Click cuts it to fit, with '...')."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def get_short_help_str(self, limit: int = 45) -> str:
        return " ".join((self.help or "").strip().split("\n\n")[0].split())


class PartnersGroup(TyperGroup):
    """Typer's group, with its commands built on demand and every error in one shape: `error: …`
    on one line and an exit code."""

    def list_commands(self, ctx: Context) -> list[str]:
        return [info.name or "" for info in commands.registered_commands]

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        info = next((i for i in commands.registered_commands if i.name == cmd_name), None)
        if info is not None and cmd_name not in self.commands:  # built the first time asked for
            info = copy.copy(info)  # the registry keeps the commands as declared
            info.cls = PartnersCommand
            if info.callback is not None:  # its option groups' options join its signature
                info.callback = grouped(info.callback)
            self.commands[cmd_name] = typer.main.get_command_from_info(
                info, pretty_exceptions_short=False, rich_markup_mode=None
            )
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Context, args: list[str]) -> Any:
        if args and args[0] not in self.list_commands(ctx):  # no such command: Typer suggests
            for name in self.list_commands(ctx):  # the closest of those built, so build them all
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(EXIT_OK) from None
        except OSError as exc:  # writing the output failed: a full disk, a closed file
            output.message(f"error: cannot write output: {exc.strerror or exc}")
            _quiet_broken_pipe()  # and keep Python from failing again at exit
            raise typer.Exit(EXIT_FAILURE) from None

    def main(self, args: Sequence[str] | None = None, *pos: Any, **extra: Any) -> Any:
        extra["standalone_mode"] = False
        if "_PARTNERS_COMPLETE" in os.environ:  # the shell asks for completions
            shells.install()
        try:
            code = super().main(args, *pos, **extra)
        except PartnersError as exc:  # from a command, or from --version
            report(exc)
            code = exc.exit_code
        except NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except ClickUsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "partners"
            if command == "partners":  # an option's value missing: Click names the group
                named = [a for a in (sys.argv[1:] if args is None else args) if a in self.commands]
                command += f" {named[0]}" if named else ""
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


def data_path(ctx: typer.Context, common: Common) -> str | None:
    """The --data a run gave, after its command or before it (or PARTNERS_DATA), if any."""
    given = ctx.find_root().params.get("data")
    return common.data if common.data is not None else given if isinstance(given, str) else None


def load(ctx: typer.Context, common: Common) -> Catalogue:
    """The dataset the run asked for: --data or PARTNERS_DATA, else the bundled one."""
    return read(ctx, common)[0]


def read(ctx: typer.Context, common: Common) -> tuple[Catalogue, bytes]:
    """The dataset the run asked for, decoded and validated (its warnings said on stderr), and
    the exact bytes it was read from: `about` and `cite` name it by their SHA-256."""
    warnings: list[str] = []
    found = catalogue.read(data_path(ctx, common), warnings=warnings)
    for warning in warnings:
        output.message(f"warning: {warning}")
    return found


def find_partner(cat: Catalogue, name: str) -> Partner:
    """The partner NAME names; one found only by the start of a name is named on stderr, so
    that a surprise is visible."""
    partner, exact = lookup.find_partner(cat, name)
    if not exact:
        output.message(f"showing {partner.id} ({partner.name})")
    return partner


def writes(ctx: typer.Context, common: Common) -> output.Destination:
    """Where a command that writes text of its own sends it (-o, --no-pager); never into the
    dataset being read."""
    dataset = data_path(ctx, common)
    if common.output is not None and dataset is not None:
        try:
            same = os.path.samefile(common.output, dataset)
        except (OSError, ValueError):  # one is not there (yet), or cannot be a path
            same = False
        if same:
            raise UsageError(
                f"--output {common.output} is the dataset being read; choose another file"
            )
    given = ctx.find_root().obj  # the terminal `main()` found (tests give their own)
    term = given if isinstance(given, Terminal) else Terminal.detect()
    if term.pager_problem and not common.no_pager:
        output.message(f"warning: {term.pager_problem}")
    return output.destination(term, common.output, no_pager=common.no_pager)


def shaped(ctx: typer.Context, shape: Shape, *, sources: bool = False) -> output.Output:
    """The output the shared options ask for, with the fields of the command at hand."""
    where = writes(ctx, shape)
    available = views.fields_for(ctx.command.name or "", sources=sources)
    return output.Output(
        where=where,
        format=output.choose(where, shape.format_, json_=shape.json_),
        fields=output.parse_fields(shape.fields, available),
        wide=shape.wide,
        raw=shape.raw,
    )


def arrange(partners: list[Partner], order: Order) -> list[Partner]:
    """Partners in the order --sort and --reverse ask for (as they come without), --limit kept."""
    if order.sort is not None:
        descending = order.sort.startswith("-") != order.reverse
        partners = sort_partners(partners, order.sort.removeprefix("-"), reverse=descending)
    elif order.reverse:
        partners = partners[::-1]
    return partners[: order.limit]


def wanted(cat: Catalogue, filters: Filters) -> Filter:
    """What --type, --theme and --country ask for, each resolved against the data."""
    try:  # a theme it cannot name is a bad option value (exit 2), as for --type
        theme = None if filters.theme is None else lookup.resolve_theme(cat, filters.theme).id
    except (NotFoundError, AmbiguousError) as exc:
        raise UsageError(f"--theme: {exc.message}", hints=exc.hints) from None
    code = None if filters.country is None else lookup.parse_country(cat, filters.country)
    return Filter(filters.type_, theme, code)


# -- commands ----------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if not value:
        return
    info = catalogue.load().dataset  # a damaged bundled file: main reports it, as for a command
    data = f"dataset {info.version}, compiled {info.compiled}" if info else "dataset unversioned"
    typer.echo(f"partners {__version__} ({data})")
    raise typer.Exit()


@app.callback()
def main_options(
    # A plain string, not a Path: Typer's Path type stats the file while parsing, which raises
    # on a NUL byte; the loader gives every bad path a clear message of its own.
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="PARTNERS_DATA",
            metavar="PATH",
            help="Dataset file to read instead of the bundled one (same format).",
        ),
    ] = None,
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
      partners search illicit
      partners theme illicit-trafficking
      partners list --json | jq -r '.[].name'
    """


@commands.command("list")
def list_(
    ctx: typer.Context,
    shape: Shape,
    order: Order,
    filters: Filters,
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
    out = shaped(ctx, shape)
    cat = load(ctx, shape)
    partners = lookup.select(cat, wanted(cat, filters))
    output.emit(views.partners_view(arrange(partners, order), cat), out)


@commands.command("show")
def show(
    ctx: typer.Context,
    name: PartnerArg,
    shape: Shape,
    sources: Annotated[
        bool, typer.Option("--sources", help="Show each fact with where it comes from.")
    ] = False,
    web: Annotated[
        bool, typer.Option("--web", help="Open the partner's website in the browser instead.")
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
    out = shaped(ctx, shape, sources=sources)
    cat = load(ctx, shape)
    partner = find_partner(cat, " ".join(name))
    if web:
        open_website(partner, output.Destination(terminal=out.where.terminal))  # never to -o
    elif sources:
        output.emit(views.sources_view(partner, cat), out)
    else:
        output.emit(views.partner_view(partner, lambda: cat), out)


@commands.command("themes")
def themes(ctx: typer.Context, shape: Shape) -> None:
    """List every theme, with how many partners work on it, most first.

    Examples:

    \b
      partners themes
      partners themes --json | jq -r '.[] | "\\(.count)\\t\\(.id)"'
    """
    out = shaped(ctx, shape)
    output.emit(views.themes_view(load(ctx, shape)), out)


@commands.command("theme")
def theme(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="THEME...",
            autocompletion=shells.themes,
            help="A theme id, name, or its start; several words need no quotes.",
        ),
    ],
    shape: Shape,
    order: Order,
    type_: TypeOpt = None,
    country: CountryOpt = None,
) -> None:
    """List the partners working on a theme.

    Examples:

    \b
      partners theme illicit-trafficking
      partners theme illicit
      partners theme emergencies --type igo --json
    """
    out = shaped(ctx, shape)
    cat = load(ctx, shape)
    found = lookup.resolve_theme(cat, " ".join(name))
    partners = lookup.select(cat, wanted(cat, Filters(type_, found.id, country)))
    output.emit(views.partners_view(arrange(partners, order), cat, title=found.name), out)


@commands.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY...", help='Words to search for; "quoted words" as a phrase.'),
    ],
    shape: Shape,
    order: Order,
    filters: Filters,
) -> None:
    """Search every partner's names, themes, seat and texts, best match first.

    Questions and sentences work: words such as "who" or "how" are left out, a misspelled word
    is corrected (stderr says so), and words meet their other forms (`archivists` finds the
    International Council on Archives). Partners matching every word come first; partial
    matches follow, marked. Each result shows where it matched. How a query is read and
    ranked: docs/search.md.

    Examples:

    \b
      partners search illicit
      partners search "stolen objects" --type igo
      partners search musee --json | jq -r '.[] | "\\(.score)\\t\\(.id)\\t\\(.snippet)"'
    """
    from partnercli import search as search_mod  # the stemmer (~5 ms): only searches pay

    out = shaped(ctx, shape)
    text = " ".join(query)
    cat = load(ctx, shape)
    chosen = wanted(cat, filters)
    candidates = None if chosen == EVERY else lookup.select(cat, chosen)
    notes: list[str] = []
    # another order than relevance needs every hit
    limit = None if order.sort is not None or order.reverse else order.limit
    hits = search_mod.search(cat, text, candidates=candidates, limit=limit, notes=notes)
    for note in notes:  # a corrected word, words left out
        output.message(note)
    by_id = {hit.partner.id: hit for hit in hits}  # hits in the order of their partners
    hits = [by_id[partner.id] for partner in arrange([hit.partner for hit in hits], order)]
    output.emit(views.hits_view(hits, empty=f"no partners match '{text}'"), out)


@commands.command("fields")
def fields_(ctx: typer.Context, shape: Shape) -> None:
    """List the fields of a partner record, for --fields and for scripts.

    Search results also have score, matched_in and snippet. Themes have id, name, description
    and count.

    Examples:

    \b
      partners fields
      partners list --fields id,name,website
    """
    from partnercli import fields  # only fields and schema pay for it

    out = shaped(ctx, shape)
    output.emit(views.fields_view([*fields.partner_fields(), *fields.HIT_FIELD_INFO]), out)


@commands.command("related")
def related(ctx: typer.Context, name: PartnerArg, shape: Shape) -> None:
    """List the partners connected to one, strongest first.

    First its relations (with their label, from its side), then the rest of its group (the
    United Nations system), then the partners sharing its themes, most shared first.

    Examples:

    \b
      partners related blue-shield
      partners related interpol --json | jq -r '.[] | "\\(.id)\\t\\(.connection.label)"'
    """
    from partnercli import network  # only the network's commands pay for it

    out = shaped(ctx, shape)
    cat = load(ctx, shape)
    partner = find_partner(cat, " ".join(name))
    output.emit(views.related_view(partner, network.related(cat, partner)), out)


#: The graph format a file's extension asks for, with --output and no --format.
GRAPH_EXTENSIONS = {
    ".txt": GraphFormat.PLAIN, ".mmd": GraphFormat.MERMAID, ".dot": GraphFormat.DOT,
    ".gv": GraphFormat.DOT, ".graphml": GraphFormat.GRAPHML, ".json": GraphFormat.JSON,
}  # fmt: skip


@commands.command("graph")
def graph(
    ctx: typer.Context,
    common: Common,
    around: AroundOpt = None,
    depth: Annotated[
        int, typer.Option(min=1, metavar="N", help="How many links away from --around.")
    ] = 1,
    by: Annotated[
        EdgeSet, typer.Option(case_sensitive=False, help="Which links to draw.")
    ] = EdgeSet.RELATION,
    format_: Annotated[
        GraphFormat | None,
        format_option(
            "table (a tree), plain (one link per line), mermaid, dot, graphml or json "
            "[default: table on a terminal, plain on a pipe; with -o FILE, its extension: .txt, "
            ".mmd, .dot, .gv, .graphml, .json]."
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
      partners graph --by theme -o network.graphml
    """
    from partnercli import network  # only the network's commands pay for it

    where = writes(ctx, common)
    default = GraphFormat.TABLE if where.tty else GraphFormat.PLAIN
    chosen = output.format_for(where.path, format_, GRAPH_EXTENSIONS, default)
    cat = load(ctx, common)
    drawn = network.build(cat, by=by)
    if around is not None:
        drawn = network.around(drawn, find_partner(cat, around).id, depth)
    if chosen is GraphFormat.TABLE:
        from partnercli import render  # Rich (~27 ms): only a table pays for it

        text = output.render(render.network_tree(drawn, cat), where)
    else:
        text = network.render(drawn, chosen, ensure_ascii=where.ascii_only)
    output.deliver(text, where)


@commands.command("about")
def about(ctx: typer.Context, shape: Shape) -> None:
    """Describe the dataset: its source, version, date, SHA-256, contents, licences and how to
    cite it.

    Examples:

    \b
      partners about
      partners about --json | jq -r .sha256
    """
    from partnercli import citation  # only about and cite pay for it

    out = shaped(ctx, shape)
    cat, raw = read(ctx, shape)
    digest = citation.sha256(raw)
    refs = citation.references(cat, sha256=digest)
    lines = citation.text(refs, datetime.date.today()).splitlines()
    output.emit(views.about_view(cat, references=lines, sha256=digest), out)


#: The citation format a file's extension asks for, with --output and no --format.
CITE_EXTENSIONS = {".txt": CiteFormat.TEXT, ".bib": CiteFormat.BIBTEX, ".json": CiteFormat.CSL_JSON}


@commands.command("cite")
def cite(
    ctx: typer.Context,
    common: Common,
    name: CitedArg = None,
    format_: Annotated[
        CiteFormat | None,
        format_option(
            "How to write the citation [default: text; with -o FILE, its extension: .txt, "
            ".bib, .json]."
        ),
    ] = None,
    accessed: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="The access date to cite [default: today]."),
    ] = None,
    with_dataset: Annotated[
        bool, typer.Option("--with-dataset", help="With NAME: cite the dataset too.")
    ] = False,
) -> None:
    """Cite the dataset and ICOM's page, or one partner's entry alone.

    Text is an APA-style reference; BibTeX and CSL-JSON go into a reference manager
    (Zotero imports both). Each names the dataset's version, compile date and SHA-256.
    Entries have keys of their own, so citations appended to one file never repeat one.

    Examples:

    \b
      partners cite
      partners cite unesco
      partners cite --format bibtex >> references.bib
      partners cite unesco --format bibtex >> references.bib
      partners cite unesco --with-dataset --format csl-json > unesco.json
      partners cite -o partners.bib
    """
    from partnercli import citation  # only about and cite pay for it

    where = writes(ctx, common)
    chosen = output.format_for(where.path, format_, CITE_EXTENSIONS, CiteFormat.TEXT)
    try:
        day = datetime.date.today() if accessed is None else datetime.date.fromisoformat(accessed)
    except ValueError:
        raise UsageError(f"--accessed: '{accessed}' is not a date; give it as YYYY-MM-DD") from None
    cat, raw = read(ctx, common)
    digest = citation.sha256(raw)
    partner = None if name is None else find_partner(cat, name)
    refs = citation.references(cat, partner, sha256=digest, with_dataset=with_dataset)
    output.deliver(citation.render(refs, chosen, day), where)


@commands.command("open")
def open_(ctx: typer.Context, name: PartnerArg, common: Common) -> None:
    """Open a partner's website in the browser; on a pipe, or with no browser, print its URL.

    The browser is the system's default, or $BROWSER. With -o, the URL is written to a .txt
    file instead.

    Examples:

    \b
      partners open unesco
      partners open "world customs"
      partners open wipo | pbcopy
    """
    where = writes(ctx, common)
    output.format_for(where.path, None, {".txt": "text"}, "text")  # only a URL can be written
    open_website(find_partner(load(ctx, common), " ".join(name)), where)


def open_website(partner: Partner, where: output.Destination) -> None:
    """The partner's URL into the file -o names; else its website in a browser when stdout is a
    terminal and one can be started, else its URL on stdout (so `partners open x | pbcopy` works)."""
    if partner.website is None:
        raise PartnersError(f"{partner.id} has no website in the data")
    if where.path is not None:
        output.deliver(f"{partner.website}\n", where)
        return
    if where.tty:
        import webbrowser  # only a browser's run pays for it

        try:
            if webbrowser.get().open(partner.website):
                output.message(f"opening {partner.website}")
                return
        except webbrowser.Error:  # no browser here: print the URL instead
            pass
    typer.echo(for_display(partner.website))


@commands.command("completion")
def completion_(
    shell: Annotated[
        Literal["bash", "zsh", "fish", "powershell"],
        typer.Argument(
            case_sensitive=False, metavar="SHELL", help="The shell: bash, zsh, fish or powershell."
        ),
    ],
) -> None:
    """Print the shell completion script for SHELL, to load it or save it.

    It completes commands, options, partner ids, acronyms, aliases in any language (OMPI,
    故宫博物院) and the next word of a longer name, in any case; themes, types, fields, formats,
    sort keys and countries. A --data file larger than 2 MB completes no names (it would be
    read at every TAB). The README's Shell completion section has lines that install it.

    Examples:

    \b
      source <(partners completion bash)
      partners completion zsh > ~/.zfunc/_partners
      partners completion fish > ~/.config/fish/completions/partners.fish
      partners completion powershell >> $PROFILE
    """
    typer.echo(shells.script(shell), nl=False)


@commands.command("schema")
def schema(ctx: typer.Context, common: Common) -> None:
    """Print the JSON Schema of the dataset format, generated from the data model.

    Editors can check a dataset file of your own against it; the loader checks a few rules
    more (see docs/data-format.md). With -o, the file is a .json file.

    Examples:

    \b
      partners schema > partners.schema.json
      partners schema -o partners.schema.json
    """
    from partnercli import fields  # only fields and schema pay for it

    where = writes(ctx, common)
    output.format_for(where.path, None, {".json": "json"}, "json")  # refuses another extension
    output.deliver(fields.json_schema(), where)


def _prepare_streams() -> bool:
    """A stdout that cannot take every character gets `?` for those it cannot (JSON is escaped
    instead). A closed stdout (`>&-`) is replaced by the null device, so that a run writing a
    file (-o) works; whether it was closed is returned (writing to it is then an error)."""
    closed = sys.stdout is None
    if closed:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115  # open for the run
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and not takes_any_character(stream):  # not a None stderr
            stream.reconfigure(errors="replace")
    return closed


def main() -> None:
    """Entry point of the `partners` console script and of `python -m partnercli`."""
    # SIGTERM and SIGHUP end a run as Ctrl-C does (Python's own handler for it raises
    # KeyboardInterrupt): cleaning up (a half-written file) first.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)
    closed = _prepare_streams()
    app(obj=Terminal.detect(stdout_closed=closed))
