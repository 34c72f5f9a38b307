"""Where results go and in what shape: stdout, in the format and with the fields a user chose.

The CLI layer's half of rendering: it picks the format (a table on a terminal, plain lines on a
pipe), parses --fields, decides on colour, and hands the data to `formats` (text) or `render`
(Rich, imported only when a table is drawn).
"""

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import typer

from partnercli import formats
from partnercli.errors import UsageError
from partnercli.formats import HIT_FIELDS, MARKDOWN_PARTNER_FIELDS, THEME_FIELDS, Format
from partnercli.models import PARTNER_FIELDS, Catalogue, Partner

if TYPE_CHECKING:  # Rich is imported only when a table is drawn: scripts never pay for it.
    from rich.console import Console, RenderableType

    from partnercli.fields import FieldInfo
    from partnercli.search import Hit

#: The fields --fields accepts for partners and for search results.
HIT_RECORD_FIELDS = (*PARTNER_FIELDS, *HIT_FIELDS)
MARKDOWN_HIT_FIELDS = ("id", "name", "type", "score", "matched_in", "snippet")


class Output:
    """How one command writes: a format, and the fields chosen (None: the format's default)."""

    __slots__ = ("fields", "format")

    def __init__(self, format_: Format, fields: tuple[str, ...] | None) -> None:
        self.format = format_
        self.fields = fields


def choose(
    format_: Format | None,
    json_: bool,
    fields: list[str] | None,
    *,
    available: Sequence[str] = PARTNER_FIELDS,
) -> Output:
    """The output a command's --format, --json and --fields options ask for."""
    if json_ and format_ not in (None, Format.JSON):
        assert format_ is not None
        raise typer.BadParameter(
            f"--json means --format json; drop one of --json and --format {format_.value}",
            param_hint="'--json'",
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


# -- the terminal -------------------------------------------------------------------------------


def wants_colour(env: Mapping[str, str], *, is_terminal: bool) -> bool:
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


def message(line: str) -> None:
    """A message for the person, on stderr, made inert like any text from the data."""
    from partnercli.text import for_display

    sys.stderr.write(for_display(line) + "\n")


def takes_any_character(stream: object) -> bool:
    """Can `stream` take any character? Not under PYTHONIOENCODING=ascii, say."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def write(text: str) -> None:
    sys.stdout.write(text)


def write_json(text: str) -> None:
    """JSON as UTF-8; on a stdout that cannot take it, as ASCII escapes, which lose nothing."""
    sys.stdout.write(text if takes_any_character(sys.stdout) else formats.ascii_json(text))


def draw(make: Callable[[int], "RenderableType"]) -> None:
    """Render a Rich object made for the console's width."""
    console = stdout_console()
    console.print(make(console.width))


def _rows(
    rows: Sequence[Mapping[str, Any]], fields: Sequence[str], out: Output, title: str | None = None
) -> None:
    if out.format is Format.TABLE:
        from partnercli import render

        draw(lambda _: render.records_table(rows, fields, title=title, ascii_only=ascii_only()))
    elif out.format in (Format.JSON, Format.JSONL):
        write_json(formats.rows_text(out.format, rows, fields))
    else:
        write(formats.rows_text(out.format, rows, fields))


# -- one writer per kind of result ------------------------------------------------------------------


def partner_encoder(cat: Catalogue) -> formats.PartnerEncoder:
    """The fast encoder for a large dataset (already paid msgspec's import), else the standard one."""
    return formats.encode_partner if cat.content_key is None else formats.fast_partner_encoder()


def partners(
    partners: list[Partner], cat: Catalogue, out: Output, *, title: str | None = None
) -> None:
    fmt, fields = out.format, out.fields
    if not partners and fmt is Format.TABLE:  # an empty table says so on stderr; stdout stays empty
        message("no partners match")
        return
    if fields is None:
        if fmt is Format.JSON:
            write_json(formats.partners_json(partners, partner_encoder(cat)))
            return
        if fmt is Format.JSONL:
            encode = partner_encoder(cat)
            write_json("".join(encode(p) + "\n" for p in partners))
            return
        if fmt is Format.PLAIN:
            write(formats.partners_plain(partners))
            return
        if fmt is Format.TABLE:
            from partnercli import render

            draw(
                lambda width: render.partners_table(
                    partners, cat, width=width, title=title, ascii_only=ascii_only()
                )
            )
            return
        fields = MARKDOWN_PARTNER_FIELDS if fmt is Format.MARKDOWN else PARTNER_FIELDS
    _rows([p.to_dict() for p in partners], fields, out, title)


def hits(found: "list[Hit]", cat: Catalogue, out: Output) -> None:
    fmt, fields = out.format, out.fields
    if not found and fmt is Format.TABLE:
        return
    if fields is None:
        if fmt is Format.JSON:
            write_json(formats.hits_json(found, partner_encoder(cat)))
            return
        if fmt is Format.PLAIN:
            write(formats.hits_plain(found))
            return
        if fmt is Format.TABLE:
            from partnercli import render

            draw(lambda width: render.hits_table(found, width=width, ascii_only=ascii_only()))
            return
        fields = MARKDOWN_HIT_FIELDS if fmt is Format.MARKDOWN else HIT_RECORD_FIELDS
    _rows([formats.hit_record(h) for h in found], fields, out)


def themes(cat: Catalogue, out: Output) -> None:
    fmt, fields = out.format, out.fields
    if fields is None:
        if fmt is Format.PLAIN:
            write(formats.themes_plain(cat))
            return
        if fmt is Format.TABLE:
            from partnercli import render

            draw(lambda _: render.themes_table(cat, ascii_only=ascii_only()))
            return
        fields = THEME_FIELDS
    _rows(formats.theme_dicts(cat), fields, out)


def partner(found: Partner, cat: Catalogue, out: Output) -> None:
    fmt, fields = out.format, out.fields
    record = found.to_dict()
    if fields is None:
        if fmt is Format.JSON:
            write_json(formats.json_object(record))
        elif fmt is Format.PLAIN:
            write(formats.partner_plain(found, cat))
        elif fmt is Format.MARKDOWN:
            write(formats.partner_markdown(found, cat))
        elif fmt is Format.TABLE:
            from partnercli import render

            draw(lambda _: render.partner_view(found, cat, ascii_only=ascii_only()))
        else:
            _rows([record], PARTNER_FIELDS, out)
        return
    if fmt is Format.JSON:
        write_json(formats.json_object(formats.pick(record, fields)))
    elif fmt is Format.PLAIN:
        write(formats.fields_plain(record, fields))
    elif fmt is Format.TABLE:
        rows = [{"field": name, "value": record[name]} for name in fields]
        _rows(rows, ("field", "value"), out)
    else:
        _rows([record], fields, out)


def field_list(infos: "Sequence[FieldInfo]", out: Output) -> None:
    rows = [{"name": f.name, "type": f.type, "description": f.description} for f in infos]
    _rows(rows, out.fields or ("name", "type", "description"), out)
