"""Plain-text and JSON writers for scripts: each returns a string, never prints, never imports Rich.

Plain output is one record per line, tab-separated, id first, with every data string made inert
for a terminal. JSON keeps the data exactly as it is, UTF-8, not ASCII-escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from partnercli.models import Catalogue, Partner
from partnercli.search import Hit
from partnercli.text import for_display


def _json_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def json_array(objects: Iterable[Mapping[str, Any]]) -> str:
    """A JSON array with one object per line: valid JSON, greppable, and fast to write."""
    lines = [_json_line(obj) for obj in objects]
    if not lines:
        return "[]\n"
    return "[\n" + ",\n".join(lines) + "\n]\n"


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


def hit_dict(hit: Hit) -> dict[str, Any]:
    """A partner object, plus why it matched: score, field and snippet with `[matched]` words."""
    return {
        **hit.partner.to_dict(),
        "score": hit.score,
        "matched_in": hit.field,
        "snippet": hit.marked_snippet(),
    }


def hits_plain(hits: Sequence[Hit]) -> str:
    """A partner's plain columns, then the field it matched in and the snippet, last."""
    return _lines(_row([*partner_row(h.partner), h.field, h.marked_snippet()]) for h in hits)
