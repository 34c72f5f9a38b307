"""Where results go and in what shape: stdout, in the format and with the fields a user chose.

The CLI layer's half of rendering: it picks the format (a table on a terminal, plain lines on a
pipe), checks --fields, and writes a command's `View` with the one writer of its format.
"""

import sys
from collections.abc import Sequence

from partnercli.errors import UsageError
from partnercli.formats import WRITERS, Format, View, default_fields, own_presentation
from partnercli.text import for_display


class Output:
    """How one command writes: a format, and the fields chosen (None: the format's default)."""

    __slots__ = ("fields", "format")

    def __init__(self, format_: Format, fields: tuple[str, ...] | None) -> None:
        self.format = format_
        self.fields = fields


def choose(
    format_: Format | None, json_: bool, fields: list[str] | None, *, available: Sequence[str]
) -> Output:
    """The output a command's --format, --json and --fields options ask for."""
    if json_ and format_ not in (None, Format.JSON):
        assert format_ is not None
        raise UsageError(
            f"--json means --format json; drop one of --json and --format {format_.value}"
        )
    if json_:
        chosen = Format.JSON
    elif format_ is not None:
        chosen = format_
    else:
        chosen = Format.TABLE if sys.stdout.isatty() else Format.PLAIN
    return Output(chosen, parse_fields(fields, available))


def parse_fields(values: list[str] | None, available: Sequence[str]) -> tuple[str, ...] | None:
    """`--fields id,name --fields website` as ("id", "name", "website"); unknown names are a usage error."""
    if values is None:
        return None
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    listing = ", ".join(available)
    if not names:
        raise UsageError(f"--fields needs at least one field name; available: {listing}")
    for name in names:
        if name not in available:
            import difflib

            close = difflib.get_close_matches(name, available, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise UsageError(f"--fields: unknown field '{name}'; {hint}available: {listing}")
    return tuple(dict.fromkeys(names))


def message(line: str) -> None:
    """A message for the person, on stderr, made inert like any text from the data."""
    sys.stderr.write(for_display(line) + "\n")


def takes_any_character(stream: object) -> bool:
    """Can `stream` take any character? Not under PYTHONIOENCODING=ascii, say."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def emit(view: View, out: Output) -> None:
    """Write `view` to stdout as `out` asks; an empty result also says so on stderr."""
    if not view.records:
        message(view.empty)
        if out.format is Format.TABLE:
            return
    if out.format is Format.TABLE:
        from rich.console import Console

        console = Console(highlight=False, markup=False, emoji=False)
        if out.fields is None and view.table is not None:
            console.print(view.table(console.width))
        else:
            from partnercli import render

            console.print(render.records_table(view, out.fields or view.fields))
        return
    own = own_presentation(view, out.format) if out.fields is None else None
    if own is not None:
        sys.stdout.write(own())
        return
    fields = out.fields or default_fields(view, out.format)
    ensure_ascii = not takes_any_character(sys.stdout)
    sys.stdout.write(WRITERS[out.format](view, fields, ensure_ascii))
