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


def _type_option(value: str | None) -> PartnerType | None:
    try:  # a PartnerType (a default) is a string parse_type reads too
        return None if value is None else parse_type(value)
    except UsageError as exc:
        raise typer.BadParameter(exc.message) from None


def format_option(help_: str) -> Any:
    """--format (-f, in any case): a command that writes in several formats takes it."""
    return typer.Option("--format", "-f", case_sensitive=False, help=help_)


def _partner(declare: Callable[..., Any], metavar: str, help_: str) -> Any:
    """An option or argument naming one partner, completed by the shell."""
    return declare(metavar=metavar, autocompletion=completion.partners, help=help_)


def _sort_option(value: str | None) -> str | None:
    if value is not None and value.removeprefix("-") not in SORT_KEYS:
        descending = "-" if value.startswith("-") else ""
        hint = did_you_mean(value, [descending + k for k in SORT_KEYS])
        raise typer.BadParameter(
            f"unknown sort key '{value}'; {hint}expected one of {', '.join(SORT_KEYS)} "
            "(a leading - sorts in descending order)"
        )
    return value


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
CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        metavar="CODE",
        autocompletion=completion.countries,
        help="Only partners seated in this country: an ISO 3166 code (FR, any case) or its name.",
    ),
]
PartnerArg = Annotated[
    list[str],
    _partner(
        typer.Argument,
        "NAME...",
        "An id, acronym, alias or name, or its start; several words need no quotes.",
    ),
]
AroundOpt = Annotated[
    str | None, _partner(typer.Option, "NAME", "Only the neighbourhood of this partner.")
]
CitedArg = Annotated[
    str | None,
    _partner(
        typer.Argument, "[NAME]", "A partner, to cite its entry rather than the whole dataset."
    ),
]


class Common(Struct, frozen=True):
    """What every command that prints a result takes: --data after the command, -o and
    --no-pager."""

    #: --data after the command (`partners list --data mine.json`), as `gh` takes --repo
    #: anywhere; PARTNERS_DATA is read by the global option alone, so that this one, when given,
    #: wins. A plain string, as the global one (see there), not a Path.
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            metavar="PATH",
            help="Dataset file to read instead of the bundled one (as the global --data).",
        ),
    ] = None
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of stdout ('-' is stdout); without --format, its "
            "extension chooses the format (the command's --help lists them).",
        ),
    ] = None
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page output taller than the terminal.")
    ] = False


class Shape(Common, frozen=True):
    """How a command's records are written: format, fields, whole cells, the CSV guard."""

    format_: Annotated[
        Format | None,
        format_option(
            "Output format [default: table on a terminal, plain on a pipe; with -o FILE, its "
            "extension: .json, .jsonl, .csv, .tsv, .md, .xlsx, .txt]."
        ),
    ] = None
    json_: Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")] = False
    fields: Annotated[
        list[str] | None,
        typer.Option(
            "--fields",
            metavar="FIELDS",
            autocompletion=completion.fields,
            help="Fields to show, in order: a comma list, repeatable (see 'partners fields').",
        ),
    ] = None
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV and TSV as the data has them: no leading ' on cells a spreadsheet would run "
            "as formulas (=, +, -, @), for data pipelines.",
        ),
    ] = False
    wide: Annotated[
        bool,
        typer.Option("--wide", help="Show table cells whole, wrapped, instead of cut with '…'."),
    ] = False


class Order(Struct, frozen=True):
    """The order and count of a listing."""

    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            metavar="FIELD",
            callback=_sort_option,
            autocompletion=completion.sort_keys,
            help="Sort by name, id, type, founded, since or country; -FIELD (or --reverse) for "
            "descending. Partners without the value come last.",
        ),
    ] = None
    reverse: Annotated[bool, typer.Option("--reverse", help="Sort in descending order.")] = False
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", min=1, metavar="N", help="Show at most N results (best first)."
        ),
    ] = None


class Filters(Struct, frozen=True):
    """Which partners a listing keeps: of a type, on a theme, seated in a country."""

    type_: TypeOpt = None
    theme: Annotated[
        str | None,
        typer.Option(
            "--theme",
            metavar="THEME",
            autocompletion=completion.themes,
            help="Only partners working on this theme: an id, a name or its start (see 'partners themes').",
        ),
    ] = None
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
