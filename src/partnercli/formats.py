"""Plain-text and JSON writers for scripts: each returns a string, never prints, never imports Rich.

Plain output is one record per line, tab-separated, id first, with every data string made inert
for a terminal. JSON keeps the data exactly as it is, UTF-8, not ASCII-escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from partnercli.models import Catalogue, Partner

if TYPE_CHECKING:  # search (and sqlite3) is imported only when searching
    from partnercli.search import Hit
from partnercli.text import for_display


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
