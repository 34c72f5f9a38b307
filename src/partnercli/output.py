"""Where results go and in what shape: stdout, a pager or a file, in the format and with the
fields a user chose.

The CLI layer's half of rendering: it picks the format (a table on a terminal, plain lines on a
pipe, or what a file name's extension says), checks --fields, writes a command's `View` with the
one writer of its format, and pages output taller than the terminal, as `gh` and `git` do.
"""

import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from msgspec import Struct

from partnercli.errors import PartnersError, UsageError
from partnercli.formats import EXTENSIONS, Format, View, write_text, write_xlsx
from partnercli.terminal import Terminal
from partnercli.text import did_you_mean, display_width, for_display

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

F = TypeVar("F")
#: What `-o`/`--output` takes to mean stdout.
STDOUT = "-"


class Destination(Struct, frozen=True, kw_only=True):
    """Where one command writes: a file (None: stdout), whether a pager may be used, and the
    terminal it runs in."""

    terminal: Terminal
    path: str | None = None
    pager: bool = True

    @property
    def tty(self) -> bool:
        """Is the text read on a terminal (stdout, not a file)?"""
        return self.path is None and self.terminal.stdout_tty

    @property
    def ascii_only(self) -> bool:
        """Must JSON escape what is not ASCII (stdout cannot take every character)?"""
        return self.path is None and not self.terminal.any_character


class Output(Struct, frozen=True, kw_only=True):
    """How one command writes a `View`: where, in which format, the fields chosen (None: the
    format's default), whether table cells may be cut, and whether CSV keeps formula-like cells."""

    where: Destination
    format: Format
    fields: tuple[str, ...] | None = None
    wide: bool = False
    raw: bool = False


def destination(terminal: Terminal, path: str | None, *, no_pager: bool) -> Destination:
    """Where `--output PATH` (`-`: stdout) and `--no-pager` send a command's text."""
    if path is not None and (not path or path.endswith(os.sep) or os.path.isdir(path)):
        raise UsageError(f"--output needs a file name, not '{path}'; '-' is stdout")
    return Destination(terminal=terminal, path=None if path == STDOUT else path, pager=not no_pager)


def format_for(path: str | None, given: F | None, by_extension: Mapping[str, F], default: F) -> F:
    """The format asked for: `given`, else the extension of the file written, else `default`.
    An extension the command cannot write is a usage error that lists those it can."""
    if given is not None:
        return given
    suffix = Path(path).suffix.lower() if path else ""  # `-` (stdout) has none either
    if not suffix:
        return default
    if suffix not in by_extension:
        known = ", ".join(by_extension)
        more = ", or give --format" if len(set(by_extension.values())) > 1 else ""
        raise UsageError(f"--output: this command cannot write '{suffix}' files; use {known}{more}")
    return by_extension[suffix]


def choose(where: Destination, format_: Format | None, *, json_: bool) -> Format:
    """The format a command's --format and --json ask for, written `where` --output says."""
    if json_ and format_ not in (None, Format.JSON):
        raise UsageError(f"--json means --format json; drop one of --json and --format {format_}")
    default = Format.TABLE if where.tty else Format.PLAIN
    chosen = format_for(where.path, Format.JSON if json_ else format_, EXTENSIONS, default)
    if chosen is Format.XLSX and where.tty:
        raise UsageError("xlsx is a binary format; give --output FILE.xlsx or redirect stdout")
    return chosen


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
            print(for_display(line), file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def console(where: Destination) -> "Console":
    """A Rich console for stdout (Rich reads NO_COLOR, FORCE_COLOR and TERM itself); a file
    gets 100 columns and no colour."""
    from rich.console import Console

    settings: dict[str, Any] = {}  # Rich's defaults: the terminal's size, colour if it has it
    if where.path is not None:
        settings = {"width": 100, "color_system": None, "force_terminal": False}
    elif where.terminal.dumb:
        # Rich assumes 80 columns under TERM=dumb; it takes the size given both.
        settings = {"width": where.terminal.width, "height": where.terminal.height}
    return Console(highlight=False, markup=False, emoji=False, **settings)


def render(renderable: "RenderableType", where: Destination) -> str:
    """A Rich renderable as the text (with colour codes where colour is on) it prints."""
    drawing = console(where)
    with drawing.capture() as captured:
        drawing.print(renderable)
    return captured.get()


def emit(view: View, out: Output) -> None:
    """Write `view` as `out` asks; an empty result also says so on stderr."""
    if not view.records:
        message(view.empty)
        if out.format is Format.TABLE and out.where.path is None:
            return
    if out.format is Format.XLSX:
        warnings: list[str] = []
        content: str | bytes = write_xlsx(view, out.fields or view.fields, warnings)
        for warning in warnings:
            message(f"warning: {warning}")
    elif out.format is Format.TABLE:
        from partnercli import render as draw  # Rich (~27 ms): only a table pays for it

        if out.fields is None and view.table is not None:
            table = view.table(console(out.where).width, out.wide)
        else:
            table = draw.records_table(view, out.fields or view.fields)
        content = render(table, out.where)
    else:
        content = write_text(
            view, out.format, out.fields, ensure_ascii=out.where.ascii_only, raw=out.raw
        )
    deliver(content, out.where)


def deliver(content: str | bytes, where: Destination) -> None:
    """To the file --output names, else through the pager when that is due, else to stdout."""
    if where.path is not None:
        write_file(where.path, content)
    elif where.terminal.stdout_closed:
        raise PartnersError(
            "standard output is closed; nothing can be written (give --output FILE)"
        )
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
    elif not (where.pager and page(content, where.terminal)):
        sys.stdout.write(content)


def write_file(path: str, content: str | bytes) -> None:
    """Write an output file whole or not at all: into a temporary file beside the real target
    (a symlink's), renamed into place with the old file's permissions. What is not a regular
    file (/dev/null, a FIFO, a process substitution) is written to as it is, never replaced.
    Never the package's own data (the CLI also refuses the dataset being read)."""
    import stat
    import tempfile  # ~3 ms: only --output pays for it

    target = Path(os.path.realpath(path))
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        # The package's own folder: an editable install makes it writable.
        if target.is_relative_to(Path(__file__).resolve().parent):
            raise UsageError(f"--output {path} is partners' own data; choose another file")
        existing = target.stat() if target.exists() else None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            target.write_bytes(data)
            return
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            mode = existing.st_mode if existing else 0o666 & ~_umask()
            os.chmod(temporary, stat.S_IMODE(mode))
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise PartnersError(f"cannot write {path}: {reason}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def rows(text: str, terminal: Terminal) -> int:
    """How many rows of the terminal `text` fills, long lines wrapped (colour codes take none;
    a wide character, two columns)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return sum(-(-max(display_width(line), 1) // terminal.width) for line in plain.splitlines())


def page(text: str, terminal: Terminal) -> bool:
    """Show `text` through the pager if stdout is a terminal and `text` is taller than it.
    False when it did not (not a terminal, short output, no pager, or the pager is missing)."""
    if not terminal.stdout_tty or not terminal.pager or rows(text, terminal) < terminal.height:
        return False
    import subprocess  # only a terminal that pages pays for it

    sys.stdout.flush()
    try:
        pager = subprocess.Popen(terminal.pager, stdin=subprocess.PIPE, env=terminal.pager_env)
    except OSError:  # the pager is not installed: print instead
        return False
    # `communicate` writes, closes and waits; a pager quit before reading it all is no error.
    pager.communicate(text.encode(sys.stdout.encoding or "utf-8", "replace"))
    return True
