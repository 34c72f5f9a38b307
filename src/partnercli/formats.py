"""Text writers for scripts and reports: each returns a string, never prints, never imports Rich.

Plain output is one record per line, tab-separated, id first, with every data string made inert
for a terminal. JSON keeps the data exactly as it is, UTF-8, not ASCII-escaped. CSV and TSV follow
RFC 4180 (through the `csv` module); Markdown is a GitHub-flavoured table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from partnercli.models import Catalogue, Partner

if TYPE_CHECKING:  # search (and sqlite3) is imported only when searching
    from partnercli.search import Hit
from partnercli.text import for_cell, for_display


class Format(StrEnum):
    """How results are written. The default is `table` on a terminal and `plain` on a pipe."""

    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"


#: Search results carry these fields after the partner's own.
HIT_FIELDS: tuple[str, ...] = ("score", "matched_in", "snippet")
THEME_FIELDS: tuple[str, ...] = ("id", "name", "description", "count")
#: The columns of a Markdown table of partners when no --fields are given: what fits a report.
MARKDOWN_PARTNER_FIELDS: tuple[str, ...] = ("id", "name", "acronym", "type", "themes", "website")


def json_line(value: Any) -> str:
    """Compact JSON on one line: UTF-8 text, not ASCII-escaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


PartnerEncoder = Callable[[Partner], str]


def encode_partner(partner: Partner) -> str:
    return json_line(partner.to_dict())


def fast_partner_encoder() -> PartnerEncoder:
    """msgspec's encoder: the same text as `encode_partner` (a test holds it to that), several
    times faster; worth its import only for large outputs."""
    import msgspec

    encode = msgspec.json.Encoder().encode
    return lambda partner: encode(partner).decode()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character escaped: the same data, for an ASCII-only stdout.
    (Outside strings JSON has only ASCII, so every such character is inside a string.)"""
    return _NON_ASCII.sub(_escape, text)


def json_array(lines: Iterable[str]) -> str:
    """A JSON array of already-encoded values, one per line: valid JSON, and greppable."""
    body = ",\n".join(lines)
    return f"[\n{body}\n]\n" if body else "[]\n"


def partners_json(partners: Iterable[Partner], encode: PartnerEncoder = encode_partner) -> str:
    return json_array(encode(p) for p in partners)


def json_object(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def theme_dicts(catalogue: Catalogue) -> list[dict[str, Any]]:
    counts = catalogue.theme_counts()
    return [
        {"id": t.id, "name": t.name, "description": t.description, "count": counts.get(t.id, 0)}
        for t in catalogue.themes
    ]


def _row(values: Iterable[str | None]) -> str:
    return "\t".join(for_display(v or "") for v in values)


def _lines(rows: Iterable[str]) -> str:
    return "".join(f"{row}\n" for row in rows)


def partner_row(partner: Partner) -> list[str | None]:
    """The plain columns of a partner: id, type, acronym, name, theme ids."""
    return [partner.id, partner.type.value, partner.acronym, partner.name, ",".join(partner.themes)]


def partners_plain(partners: Sequence[Partner]) -> str:
    return _lines(_row(partner_row(p)) for p in partners)


def themes_plain(catalogue: Catalogue) -> str:
    counts = catalogue.theme_counts()
    return _lines(
        _row([t.id, str(counts.get(t.id, 0)), t.name, t.description]) for t in catalogue.themes
    )


def partner_plain(partner: Partner, catalogue: Catalogue) -> str:
    """`field:<TAB>value` lines, then the long texts as paragraphs."""
    related = "; ".join(f"{r.id} ({r.relation})" for r in partner.related)
    fields = [
        ("id", partner.id),
        ("type", partner.type.value),
        ("name", partner.name),
        ("acronym", partner.acronym),
        ("aliases", "; ".join(partner.aliases)),
        ("themes", ", ".join(partner.themes)),
        ("since", _str(partner.since)),
        ("headquarters", _str(partner.headquarters)),
        ("founded", _str(partner.founded)),
        ("website", partner.website),
        ("related", related),
    ]
    out = _lines(f"{name}:\t{for_display(value or '')}" for name, value in fields)
    for text in (partner.description, partner.partnership):
        if text:
            out += "\n" + for_display(text) + "\n"
    return out


def fields_plain(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """Chosen fields of one record as `field:<TAB>value` lines."""
    return _lines(f"{name}:\t{for_display(flatten(record.get(name)))}" for name in fields)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def theme_names(themes: Iterable[str], catalogue: Catalogue) -> list[str]:
    """Theme names for ids, falling back to the id for one the catalogue lacks."""
    return [t.name if (t := catalogue.theme(theme_id)) else theme_id for theme_id in themes]


def hits_json(hits: Iterable[Hit], encode: PartnerEncoder = encode_partner) -> str:
    """Partner objects, each followed by why it matched: `score`, `matched_in` and `snippet`."""

    def line(hit: Hit) -> str:
        why = {"score": hit.score, "matched_in": hit.field, "snippet": hit.marked_snippet()}
        return encode(hit.partner)[:-1] + "," + json_line(why)[1:]

    return json_array(line(h) for h in hits)


def hits_plain(hits: Sequence[Hit]) -> str:
    """A partner's plain columns, then the field it matched in and the snippet, last."""
    return _lines(_row([*partner_row(h.partner), h.field, h.marked_snippet()]) for h in hits)


# -- any format, for rows of fields -----------------------------------------------------------------


def flatten(value: Any, *, separator: str = "; ") -> str:
    """One cell of text for a JSON value: lists joined, a seat as "City, CC", a link as "id (relation)"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ", ".join(flatten(v) for v in value.values())
    if isinstance(value, list):
        return separator.join(_item(v) for v in value)
    return str(value)


def _item(value: Any) -> str:
    if isinstance(value, dict) and len(value) > 1:
        first, *rest = (flatten(v) for v in value.values())
        return f"{first} ({', '.join(rest)})"
    return flatten(value)


def pick(record: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {name: record.get(name) for name in fields}


def rows_text(fmt: Format, rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    """`rows` (full records) in `fmt`, with only `fields`, in that order. Not for tables."""
    chosen = [pick(row, fields) for row in rows]
    if fmt is Format.JSON:
        return json_array(json_line(row) for row in chosen)
    if fmt is Format.JSONL:
        return "".join(json_line(row) + "\n" for row in chosen)
    if fmt in (Format.CSV, Format.TSV):
        return delimited(chosen, fields, tsv=fmt is Format.TSV)
    if fmt is Format.MARKDOWN:
        return markdown_table(chosen, fields)
    if fmt is Format.PLAIN:
        return _lines(_row(flatten(row[f], separator=",") for f in fields) for row in chosen)
    raise ValueError(f"{fmt.value} is drawn by the renderer, not written as text")


def delimited(
    rows: Sequence[Mapping[str, Any]], fields: Sequence[str], *, tsv: bool = False
) -> str:
    """CSV (RFC 4180: CRLF, quoted as needed) or TSV, with a header row; lists joined with `; `."""
    import csv  # only CSV and TSV pay for it
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if tsv else ",", lineterminator="\n" if tsv else "\r\n")
    writer.writerow(fields)
    writer.writerows([for_cell(flatten(row[f])) for f in fields] for row in rows)
    return out.getvalue()


def _markdown_cell(value: Any) -> str:
    return for_display(flatten(value)).replace("\\", "\\\\").replace("|", "\\|")


def markdown_table(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    """A GitHub-flavoured Markdown table; pipes in the data are escaped."""
    lines = [
        "| " + " | ".join(fields) + " |",
        "|" + "|".join("---" for _ in fields) + "|",
        *("| " + " | ".join(_markdown_cell(row[f]) for f in fields) + " |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


def partner_markdown(partner: Partner, catalogue: Catalogue) -> str:
    """One partner as a short Markdown section, ready to paste into a report."""
    title = partner.name + (f" ({partner.acronym})" if partner.acronym else "")
    facts = [
        ("ID", f"`{partner.id}`"),
        ("Type", partner.type.label),
        ("Also known as", "; ".join(partner.aliases)),
        ("Themes", ", ".join(theme_names(partner.themes, catalogue))),
        ("Partner since", _str(partner.since)),
        ("Seat", _str(partner.headquarters)),
        ("Founded", _str(partner.founded)),
        ("Website", f"<{partner.website}>" if partner.website else None),
        ("Related", "; ".join(f"`{r.id}` ({r.relation})" for r in partner.related)),
    ]
    out = [f"## {for_display(title)}", ""]
    out += [f"- **{label}:** {for_display(value)}" for label, value in facts if value]
    for heading, body in (
        ("About", partner.description),
        ("Partnership with ICOM", partner.partnership),
    ):
        if body:
            out += ["", f"### {heading}", "", for_display(body)]
    return "\n".join(out) + "\n"


def hit_record(hit: Hit) -> dict[str, Any]:
    """A search result as one record: the partner's fields, then why it matched."""
    return {
        **hit.partner.to_dict(),
        "score": hit.score,
        "matched_in": hit.field,
        "snippet": hit.marked_snippet(),
    }
