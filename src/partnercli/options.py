"""Options shared by several commands, each declared once (sqlite-utils' `@output_options`).

No `from __future__ import annotations` here or in `cli`: see the note there.
"""

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from msgspec import Struct

from partnercli import completion
from partnercli.errors import UsageError
from partnercli.formats import Format
from partnercli.lookup import parse_type
from partnercli.models import SORT_KEYS, PartnerType
from partnercli.text import did_you_mean


def _type_option(value: str | PartnerType | None) -> PartnerType | None:
    if value is None or isinstance(value, PartnerType):
        return value
    try:
        return parse_type(value)
    except UsageError as exc:
        raise typer.BadParameter(exc.message) from None


# A plain string, not a Path: Typer's Path type stats the file while parsing, which raises on a
# NUL byte; the loader gives every bad path a clear message of its own.
DataOpt = Annotated[
    str | None,
    typer.Option(
        "--data",
        envvar="PARTNERS_DATA",
        metavar="PATH",
        help="Dataset file to read instead of the bundled one (same format).",
    ),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format [default: table on a terminal, plain on a pipe; with -o FILE, its "
        "extension: .json, .jsonl, .csv, .tsv, .md, .xlsx, .txt].",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
TypeOpt = Annotated[
    PartnerType | None,
    typer.Option(
        "--type",
        "-t",
        parser=_type_option,
        metavar="TYPE",
        autocompletion=completion.types,
        help="Only partners of this type: ngo, igo or museum "
        "(or non-governmental, intergovernmental, museum-institution).",
    ),
]
ThemeOpt = Annotated[
    str | None,
    typer.Option(
        "--theme",
        metavar="THEME",
        autocompletion=completion.themes,
        help="Only partners working on this theme: an id, a name or its start (see 'partners themes').",
    ),
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N results (best first)."),
]
FieldsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fields",
        metavar="FIELDS",
        autocompletion=completion.fields,
        help="Fields to show, in order: a comma list, repeatable (see 'partners fields').",
    ),
]
PartnerArg = Annotated[
    list[str],
    typer.Argument(
        metavar="NAME...",
        autocompletion=completion.partners,
        help="An id, acronym, alias or name, or its start; several words need no quotes.",
    ),
]
ThemeArg = Annotated[
    list[str],
    typer.Argument(
        metavar="THEME...",
        autocompletion=completion.themes,
        help="A theme id, name, or its start; several words need no quotes.",
    ),
]
AroundOpt = Annotated[
    str | None,
    typer.Option(
        metavar="NAME",
        autocompletion=completion.partners,
        help="Only the neighbourhood of this partner.",
    ),
]
CitedArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[NAME]",
        autocompletion=completion.partners,
        help="A partner, to cite its entry rather than the whole dataset.",
    ),
]


def _sort_option(value: str | None) -> str | None:
    if value is not None and value.removeprefix("-") not in SORT_KEYS:
        descending = "-" if value.startswith("-") else ""
        hint = did_you_mean(value, [descending + k for k in SORT_KEYS])
        raise typer.BadParameter(
            f"unknown sort key '{value}'; {hint}expected one of {', '.join(SORT_KEYS)} "
            "(a leading - sorts in descending order)"
        )
    return value


SortOpt = Annotated[
    str | None,
    typer.Option(
        "--sort",
        metavar="FIELD",
        callback=_sort_option,
        autocompletion=completion.sort_keys,
        help="Sort by name, id, type, founded, since or country; -FIELD (or --reverse) for "
        "descending. Partners without the value come last.",
    ),
]
ReverseOpt = Annotated[bool, typer.Option("--reverse", help="Sort in descending order.")]
CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        metavar="CODE",
        autocompletion=completion.countries,
        help="Only partners seated in this country: an ISO 3166 code (FR, any case) or its name.",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE instead of stdout ('-' is stdout); without --format, its extension "
        "chooses the format (the command's --help lists them).",
    ),
]
NoPagerOpt = Annotated[
    bool, typer.Option("--no-pager", help="Never page output taller than the terminal.")
]
WideOpt = Annotated[
    bool, typer.Option("--wide", help="Show table cells whole, wrapped, instead of cut with '…'.")
]

#: --data after the command (`partners list --data mine.json`), as `gh` takes --repo anywhere;
#: PARTNERS_DATA is read by the global option alone, so that this one, when given, wins.
CommandDataOpt = Annotated[
    str | None,
    typer.Option(
        "--data",
        metavar="PATH",
        help="Dataset file to read instead of the bundled one (as the global --data).",
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV and TSV as the data has them: no leading ' on cells a spreadsheet would run "
        "as formulas (=, +, -, @), for data pipelines.",
    ),
]


class Common(Struct, frozen=True):
    """What every command that prints a result takes: --data after the command, -o and
    --no-pager."""

    data: CommandDataOpt = None
    output: OutputOpt = None
    no_pager: NoPagerOpt = False


class Shape(Common, frozen=True):
    """How a command's records are written: format, fields, whole cells, the CSV guard."""

    format_: FormatOpt = None
    json_: JsonOpt = False
    fields: FieldsOpt = None
    raw: RawOpt = False
    wide: WideOpt = False


class Order(Struct, frozen=True):
    """The order and count of a listing."""

    sort: SortOpt = None
    reverse: ReverseOpt = False
    limit: LimitOpt = None


class Filters(Struct, frozen=True):
    """Which partners a listing keeps: of a type, on a theme, seated in a country."""

    type_: TypeOpt = None
    theme: ThemeOpt = None
    country: CountryOpt = None


_GROUPS = (Common, Shape, Order, Filters)
Command = TypeVar("Command", bound=Callable[..., None])


@functools.cache  # several commands take each group
def _parameters(group: type[Struct]) -> list[inspect.Parameter]:
    """A group's options as keyword-only parameters, declared as the group declares them."""
    declared = typing.get_type_hints(group, include_extras=True)  # the options, Annotated
    return [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=declared[name])
        for name, default in zip(group.__struct_fields__, group.__struct_defaults__, strict=True)
    ]  # fmt: skip


def grouped(command: Command) -> Command:
    """Give a command the options of each group its parameters are typed with (`Shape`,
    `Order`…), as sqlite-utils' `@output_options` does: the group's options join the signature
    Typer reads, and reach the command gathered in one typed value."""
    signature = inspect.signature(command)
    own = signature.parameters.values()
    groups = {param.name: param.annotation for param in own if param.annotation in _GROUPS}
    params = [param for param in own if param.name not in groups]
    added = [option for group in groups.values() for option in _parameters(group)]

    @functools.wraps(command)
    def gathered(*args: Any, **kwargs: Any) -> None:
        for name, group in groups.items():
            kwargs[name] = group(**{field: kwargs.pop(field) for field in group.__struct_fields__})
        command(*args, **kwargs)

    gathered.__signature__ = signature.replace(parameters=[*params, *added])  # type: ignore[attr-defined]  # read by inspect.signature
    return gathered  # type: ignore[return-value]  # the same call, with the groups gathered
