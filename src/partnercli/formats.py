"""What a command shows (a `View`) and the text formats it can be written in. Never prints, never
imports Rich (tables are drawn by `render`).

Plain output is one record per line, tab-separated, id first, with every data string made inert
for a terminal. JSON keeps the data exactly as it is. CSV and TSV follow RFC 4180 (through the
`csv` module); Markdown is a GitHub-flavoured table.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from partnercli.errors import PartnersError
from partnercli.text import for_cell, for_display, shorten

if TYPE_CHECKING:  # Rich is imported only when a table is drawn
    from rich.console import RenderableType


class Format(StrEnum):
    """How results are written. The default is `table` on a terminal and `plain` on a pipe."""

    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


Record = Mapping[str, Any]


class View(Struct, frozen=True, kw_only=True):
    """What one command shows, ready for any format.

    `records` are the JSON objects; `fields` name all of their fields, in order. Without
    --fields, each format shows its own default: every field in JSON, CSV and TSV,
    `plain_fields` and `markdown_fields` (when given; else every field too) in those, and a
    command may give a presentation of its own for people (`table`, `plain`, `markdown`).
    """

    records: Sequence[Record]
    fields: tuple[str, ...]
    plain_fields: tuple[str, ...] = ()
    markdown_fields: tuple[str, ...] = ()
    #: One object rather than a list (`show`).
    single: bool = False
    title: str | None = None
    #: What stderr says when there are no records.
    empty: str = "no partners match"
    table: Callable[[int, bool], RenderableType] | None = None  # (width, wide)
    plain: Callable[[], str] | None = None
    markdown: Callable[[], str] | None = None
    #: The fields whose value is a map keyed by the data (`evidence`, `sources`): flat formats
    #: write each entry as `key: value`, not the values alone.
    maps: frozenset[str] = frozenset()

    def cell(self, record: Record, name: str) -> str:
        """The field `name` of `record` as one flat cell of text."""
        return flatten(record.get(name), keyed=name in self.maps)


def join(items: Iterable[str]) -> str:
    """Items joined with `; `, as every flat format joins a list's items and a map's entries, each
    item's own `\\` and `;` escaped (`\\\\`, `\\;`): whatever the data holds, a `; ` outside an
    escape separates two items, and nothing else does."""
    return "; ".join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


def flatten(value: Any, *, keyed: bool = False) -> str:
    """One cell of text for a JSON value: a list's items joined (`join`), a seat as "City, CC",
    a link as "id (relation)"; a map (`keyed`) as `key: value` entries, joined the same way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if keyed:
            return join(f"{key}: {_described(entry)}" for key, entry in value.items())
        return ", ".join(text for v in value.values() if (text := flatten(v)))
    if isinstance(value, list | tuple):
        return join(_item(v) for v in value)
    return str(value)


def _item(value: Any) -> str:
    """An object in a list as its first two values: `ica (co-founded by)`, `2022-01 (event)`."""
    if isinstance(value, dict) and len(value) > 1:
        first, second = (flatten(v) for v in list(value.values())[:2])
        return f"{first} ({second})"
    return flatten(value)


def _described(value: Any) -> str:
    """A map's entry: a text as it is; an object as its first value, then the others that it
    has in parentheses (a source, then its URL and caveat)."""
    if not isinstance(value, dict):
        return flatten(value)
    first, *rest = [text for v in value.values() if (text := flatten(v))] or [""]
    return f"{first} ({', '.join(rest)})" if rest else first


def pick(record: Record, fields: Sequence[str]) -> Record:
    if tuple(fields) == tuple(record):  # every field, in order: the record itself
        return record
    return {name: record.get(name) for name in fields}


# -- the text formats ---------------------------------------------------------------------------


#: Characters JSON may hold raw but a terminal would act on (DEL, C1 controls, bidirectional
#: overrides, line and paragraph separators). Patterns are text, compiled by `re` on first use
#: (and cached there): not every run needs them.
_JSON_ACTIVE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def inert_json(text: str) -> str:
    """JSON text with those characters written as \\u escapes, the same data (outside strings
    JSON has none of them)."""
    return re.sub(_JSON_ACTIVE, lambda found: f"\\u{ord(found[0]):04x}", text)


def write_text(
    view: View, fmt: Format, fields: Sequence[str] | None, *, ensure_ascii: bool, raw: bool
) -> str:
    """`view` in a text format (not `table` or `xlsx`): with no `fields` chosen, the command's own
    presentation for `fmt` if it has one, else the format's default fields. JSON is an indented
    object for one record, else an array with one compact record per line (valid JSON, and
    greppable); `raw` CSV and TSV keep formula-like cells (--raw, for pipelines)."""
    own = {Format.PLAIN: view.plain, Format.MARKDOWN: view.markdown}.get(fmt)
    if fields is None and own is not None:
        return own()
    if fmt is Format.PLAIN:
        return write_plain(view, fields or view.plain_fields or view.fields)
    if fmt is Format.MARKDOWN:
        return write_markdown(view, fields or view.markdown_fields or view.fields)
    if fmt is Format.CSV or fmt is Format.TSV:
        return _delimited(view, fields or view.fields, tsv=fmt is Format.TSV, raw=raw)
    rows = [pick(r, fields or view.fields) for r in view.records]
    if view.single and fmt is Format.JSON:
        return inert_json(json.dumps(rows[0], ensure_ascii=ensure_ascii, indent=2)) + "\n"
    # One encoder for all rows: `json.dumps` with options makes one per call.
    encode = json.JSONEncoder(ensure_ascii=ensure_ascii, separators=(",", ":")).encode
    lines = [inert_json(encode(row)) for row in rows]
    if fmt is Format.JSONL:
        return _lines(lines)
    body = ",\n".join(lines)  # no line is empty: `{}` at least
    return f"[\n{body}\n]\n" if body else "[]\n"


def _lines(rows: Iterable[str]) -> str:
    return "".join(f"{row}\n" for row in rows)


#: What plain output shows for an empty value, so that no field is empty: two tabs in a row
#: are one separator to the shell's `read`, which would shift every later column.
EMPTY = "-"


def write_plain(view: View, fields: Sequence[str]) -> str:
    """Tab-separated columns, lists joined with `; `, `-` for an empty value; one record as
    `field:<TAB>value` lines."""
    if view.single:
        record = view.records[0]
        return _lines(f"{name}:\t{for_display(view.cell(record, name))}" for name in fields)
    return _lines(
        "\t".join(for_display(view.cell(r, f)) or EMPTY for f in fields) for r in view.records
    )


def _delimited(view: View, fields: Sequence[str], *, tsv: bool, raw: bool) -> str:
    """CSV (RFC 4180: CRLF, quoted as needed) or TSV (`\n` line ends, quoted the same way), with
    a header row; lists joined with `; `.

    The `csv` writer quotes a cell that holds a character of its line end, so it is given CRLF
    for both: a lone CR is then quoted in TSV too, where Python before 3.13 leaves it bare (and
    readers start a new row there). Each TSV row is written on its own and ends in `\n`."""
    import csv  # only CSV and TSV pay for it
    from types import SimpleNamespace

    lines: list[str] = []  # a "file" that keeps each row it is written (one `write` per row)
    rows = SimpleNamespace(write=lines.append)
    writer = csv.writer(rows, delimiter="\t" if tsv else ",", lineterminator="\r\n")
    cell = for_cell if raw else spreadsheet_safe
    writer.writerow(fields)
    writer.writerows([cell(view.cell(record, f)) for f in fields] for record in view.records)
    return "".join(line[:-2] + "\n" if tsv else line for line in lines)


#: What a spreadsheet runs as a formula when a cell starts with it (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Where a reader that ignores quotes splits a row or a cell (a line break, a tab): the text after
#: one is the start of a cell to it, and is guarded as one.
_FORMULA_AFTER_BREAK = "(?<=[\t\r\n])(?=[=+\\-@])"


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading `'`, and
    so does any text after a line break or a tab inside it that would."""
    cleaned = for_cell(text)
    if "\n" in cleaned or "\r" in cleaned or "\t" in cleaned:
        cleaned = re.sub(_FORMULA_AFTER_BREAK, "'", cleaned)
    return "'" + cleaned if cleaned.startswith(FORMULA_STARTS) else cleaned


_MARKDOWN_SPECIAL = r"([\\`\[\]|])"
#: What GitHub's autolink extension (cmark-gfm) would make a link of, and how each is broken:
#: the `:` of `scheme://` and the `.` of `www.` backslash-escaped (the extension looks for them
#: while reading inlines, after escapes are taken); a word joiner (U+2060, invisible) before an
#: `@`, as an e-mail address is found in the text afterwards, where escapes are gone; and an `&`
#: that would start an entity (`&#64;`) escaped, so that none of these can be spelled as one.
_MARKDOWN_AUTOLINKS = (
    (r"&(?=#?[0-9A-Za-z]+;)", r"\\&"),
    (r":(?=//)", r"\\:"),
    (r"(?i)(www)\.", r"\1\\."),
    (r"@", "&#8288;@"),
)


def markdown_text(text: str) -> str:
    """Data text for Markdown: inert. Brackets are escaped (no link or image), `<` is an entity
    (no HTML), backslashes, backticks and pipes are escaped, URLs, `www.` names and e-mail
    addresses are written so that they stay text (`_MARKDOWN_AUTOLINKS`), and a line cannot
    start a heading, a quote or a list."""
    escaped = re.sub(_MARKDOWN_SPECIAL, r"\\\1", for_display(text)).replace("<", "&lt;")
    for pattern, replacement in _MARKDOWN_AUTOLINKS:
        escaped = re.sub(pattern, replacement, escaped)
    return "\\" + escaped if escaped.startswith(("#", ">", "-", "+", "*")) else escaped


def write_markdown(view: View, fields: Sequence[str]) -> str:
    """A GitHub-flavoured Markdown table; pipes in the data are escaped."""

    def row(cells: Iterable[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    body = (row(markdown_text(view.cell(r, f)) for f in fields) for r in view.records)
    return _lines([row(fields), "|" + "|".join("---" for _ in fields) + "|", *body])


#: Excel's limits: rows in a sheet (the header is one), characters in a cell (UTF-16 units).
XLSX_ROWS: Final = 1_048_576
XLSX_CELL_CHARS: Final = 32_767


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def write_xlsx(view: View, fields: Sequence[str], warnings: list[str] | None = None) -> bytes:
    """An Excel workbook: a header row, frozen and filtered, sensible widths, and every value a
    text or number cell, never a formula (XlsxWriter is imported only for this format).

    More records than a sheet has rows is an error (nothing is written); a value longer than a
    cell holds is cut with "…", and `warnings` says which."""
    if len(view.records) >= XLSX_ROWS:
        raise PartnersError(
            f"xlsx: {len(view.records):,} records do not fit a sheet of {XLSX_ROWS:,} rows "
            "(one is the header); nothing written",
            hints=["use -f csv or -f jsonl"],
        )
    import xlsxwriter  # type: ignore[import-untyped]  # ships no type information; ~33 ms, only xlsx pays

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("partners")
    bold = book.add_format({"bold": True})
    widths = [len(name) for name in fields]
    cut: list[tuple[int, str]] = []
    sheet.write_row(0, 0, fields, bold)  # field names: plain strings, never a URL or a blank
    for row, record in enumerate(view.records, start=1):
        for column, name in enumerate(fields):
            value = record.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(row, column, value)
                text = str(value)
            else:
                whole = for_cell(view.cell(record, name))
                text = shorten(whole, XLSX_CELL_CHARS, size=_utf16_units)
                if text is not whole:
                    cut.append((row + 1, name))
                sheet.write_string(row, column, text)
            widths[column] = max(widths[column], min(len(text), 60))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(view.records), max(len(fields) - 1, 0))
    book.close()
    if cut and warnings is not None:
        (row, name), count = cut[0], len(cut)
        values = "a value" if count == 1 else f"{count:,} values"
        warnings.append(
            f"xlsx: {values} longer than a cell's {XLSX_CELL_CHARS:,} characters cut with "
            f'"…" (first: row {row}, {name}); -f csv or -f json keeps them whole'
        )
    return buffer.getvalue()


#: The format a file name's extension asks for, with --output and no --format.
EXTENSIONS = {
    ".json": Format.JSON, ".jsonl": Format.JSONL, ".csv": Format.CSV, ".tsv": Format.TSV,
    ".md": Format.MARKDOWN, ".xlsx": Format.XLSX, ".txt": Format.PLAIN,
}  # fmt: skip
