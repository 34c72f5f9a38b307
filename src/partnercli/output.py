"""Where results go and in what shape: stdout, a pager or a file, in the format and with the
fields a user chose.

The CLI layer's half of rendering: it picks the format (a table on a terminal, plain lines on a
pipe, or what a file name's extension says), checks --fields, writes a command's `View` with the
one writer of its format, and pages output taller than the terminal, as `gh` and `git` do.
"""

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from partnercli.errors import PartnersError, UsageError
from partnercli.formats import (
    EXTENSIONS,
    RAW_WRITERS,
    WRITERS,
    Format,
    View,
    default_fields,
    own_presentation,
    write_xlsx,
)
from partnercli.text import did_you_mean, for_display

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

DEFAULT_PAGER = "less -FRX"


class Output:
    """How one command writes: a format, the fields chosen (None: the format's default), a file
    instead of stdout, whether a pager may be used, and whether table cells may be cut."""

    __slots__ = ("fields", "format", "pager", "path", "raw", "wide")

    def __init__(
        self,
        format_: Format,
        fields: tuple[str, ...] | None,
        *,
        path: str | None = None,
        pager: bool = True,
        wide: bool = False,
        raw: bool = False,
    ) -> None:
        self.raw = raw
        self.format = format_
        self.fields = fields
        self.path = path
        self.pager = pager
        self.wide = wide


def choose(
    format_: Format | None,
    json_: bool,
    fields: list[str] | None,
    *,
    available: Sequence[str],
    path: str | None = None,
    pager: bool = True,
    wide: bool = False,
    raw: bool = False,
) -> Output:
    """The output a command's --format, --json, --fields and --output options ask for."""
    if json_ and format_ not in (None, Format.JSON):
        assert format_ is not None
        raise UsageError(
            f"--json means --format json; drop one of --json and --format {format_.value}"
        )
    if json_:
        chosen = Format.JSON
    elif format_ is not None:
        chosen = format_
    elif path is not None:
        chosen = EXTENSIONS.get(Path(path).suffix.lower(), Format.PLAIN)
    else:
        chosen = Format.TABLE if sys.stdout.isatty() else Format.PLAIN
    if chosen is Format.XLSX and path is None and sys.stdout.isatty():
        raise UsageError("xlsx is a binary format; give --output FILE.xlsx or redirect stdout")
    return Output(
        chosen, parse_fields(fields, available), path=path, pager=pager, wide=wide, raw=raw
    )


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
            hint = did_you_mean(name, available)
            raise UsageError(f"--fields: unknown field '{name}'; {hint}available: {listing}")
    return tuple(dict.fromkeys(names))


def message(line: str) -> None:
    """A message for the person, on stderr, made inert like any text from the data. A closed
    or full stderr loses the message, never the output or the exit code."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(for_display(line) + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def stderr_is_terminal() -> bool:
    """Does a person read stderr? (Scripts get no progress notices.)"""
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (OSError, ValueError):  # closed
        return False


def takes_any_character(stream: object) -> bool:
    """Can `stream` take any character? Not under PYTHONIOENCODING=ascii, say."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def console(*, to_file: bool = False) -> "Console":
    """A Rich console for stdout (Rich reads NO_COLOR, FORCE_COLOR and TERM itself). Under
    TERM=dumb Rich assumes 80 columns: the terminal's real width (or COLUMNS) is used instead."""
    from rich.console import Console

    width = height = None
    if to_file:
        width = 100
    elif os.environ.get("TERM") == "dumb":  # Rich takes the size only when given both
        width, height = shutil.get_terminal_size()
    return Console(
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
        height=height,
        color_system=None if to_file else "auto",
        force_terminal=False if to_file else None,
    )


def render(renderable: "RenderableType", *, to_file: bool = False) -> str:
    """A Rich renderable as the text (with colour codes where colour is on) it prints."""
    drawing = console(to_file=to_file)
    with drawing.capture() as captured:
        drawing.print(renderable)
    return captured.get()


def emit(view: View, out: Output) -> None:
    """Write `view` as `out` asks; an empty result also says so on stderr."""
    if not view.records:
        message(view.empty)
        if out.format is Format.TABLE and out.path is None:
            return
    if out.format is Format.XLSX:
        deliver(write_xlsx(view, out.fields or view.fields), out)
        return
    if out.format is Format.TABLE:
        from partnercli import render as draw

        width = console(to_file=out.path is not None).width
        if out.fields is None and view.table is not None:
            table = view.table(width, out.wide)
        else:
            table = draw.records_table(view, out.fields or view.fields)
        deliver(render(table, to_file=out.path is not None), out)
        return
    own = own_presentation(view, out.format) if out.fields is None else None
    if own is not None:
        deliver(own(), out)
        return
    fields = out.fields or default_fields(view, out.format)
    ensure_ascii = out.path is None and not takes_any_character(sys.stdout)
    writer = RAW_WRITERS.get(out.format) if out.raw else None
    deliver((writer or WRITERS[out.format])(view, fields, ensure_ascii), out)


def takes_lines(out: Output) -> bool:
    """Does `out` ask for every field as JSON, to a file or a stream that takes any character:
    what `formats.json_lines` wrote of each record (`Records.select_lines` keeps them)?"""
    return (
        out.format is Format.JSON
        and out.fields is None
        and (out.path is not None or takes_any_character(sys.stdout))
    )


def deliver(content: str | bytes, out: Output) -> None:
    """To the file --output names, else through the pager when that is due, else to stdout."""
    if out.path is not None:
        write_file(out.path, content)
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
    elif not (out.pager and page(content)):
        sys.stdout.write(content)


def write_file(path: str, content: str | bytes) -> None:
    """Write an output file (never the dataset: the CLI checks), or say why it cannot be."""
    try:
        if isinstance(content, bytes):
            Path(path).write_bytes(content)
        else:
            with open(path, "w", encoding="utf-8", newline="") as file:
                file.write(content)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise PartnersError(f"cannot write {path}: {reason}") from None


def pager_command() -> list[str] | None:
    """$PARTNERS_PAGER, else $PAGER, else `less -FRX`; None when paging is turned off."""
    import shlex  # only a terminal that may page pays for it

    command = os.environ.get("PARTNERS_PAGER") or os.environ.get("PAGER") or DEFAULT_PAGER
    words = shlex.split(command)
    return None if not words or words == ["cat"] else words


def page(text: str) -> bool:
    """Show `text` through the pager if stdout is a terminal and `text` is taller than it.
    False when it did not (not a terminal, short output, no pager, or the pager is missing)."""
    if not sys.stdout.isatty() or text.count("\n") < shutil.get_terminal_size().lines:
        return False
    command = pager_command()
    if command is None:
        return False
    import subprocess

    sys.stdout.flush()
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE)
    except OSError:  # the pager is not installed: print instead
        return False
    assert pager.stdin is not None
    try:
        pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        pager.stdin.close()
    except BrokenPipeError:  # quit before reading it all
        pass
    pager.wait()
    return True
