"""How to cite the dataset, ICOM's page, or one partner's entry: APA-style text, BibTeX, CSL-JSON.

Pure functions of the catalogue's metadata: no I/O, no Typer, no Rich. Text from the data is
escaped for each format (BibTeX's special characters; JSON by `json.dumps`).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from typing import Any, Final

from partnercli.formats import inert_json
from partnercli.models import Catalogue, CiteFormat, Partner
from partnercli.text import for_display

AUTHOR: Final = "partnercli developers"
MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class Reference:
    """One work to cite: the dataset, the page, or a partner's entry on the page."""

    __slots__ = ("author", "key", "kind", "title", "url", "version", "within", "year")

    def __init__(
        self,
        *,
        key: str,
        kind: str,
        author: str,
        title: str,
        url: str | None,
        year: int | None = None,
        version: str | None = None,
        within: str | None = None,
    ) -> None:
        self.key = key
        self.kind = kind  # "dataset" or "webpage"
        self.author = author
        self.title = title
        self.url = url
        self.year = year
        self.version = version
        self.within = within  # the page a partner's entry is part of


def references(cat: Catalogue, partner: Partner | None = None) -> list[Reference]:
    """The works to cite: the dataset and ICOM's page, or a partner's entry and the dataset."""
    info, source = cat.dataset, cat.source
    publisher = (cat.icom.name if cat.icom else None) or source.publisher or "ICOM"
    page_title = source.title or "Partners"
    dataset = Reference(
        key="partnercli-dataset",
        kind="dataset",
        author=AUTHOR,
        title=info.title if info else "ICOM's partner network",
        url=source.url,
        year=int(info.compiled[:4]) if info else None,
        version=info.version if info else None,
    )
    if partner is None:
        page = Reference(
            key="icom-partners", kind="webpage", author=publisher, title=page_title, url=source.url
        )
        return [dataset, page]
    entry = Reference(
        key=f"icom-partners-{partner.id}",
        kind="webpage",
        author=publisher,
        title=partner.heading or partner.name,
        url=source.url,
        within=page_title,
    )
    return [entry, dataset]


def _long_date(day: datetime.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _apa(ref: Reference, accessed: datetime.date) -> str:
    year = f"({ref.year})" if ref.year else "(n.d.)"
    if ref.kind == "dataset":
        version = f" (Version {ref.version})" if ref.version else ""
        work = f"{ref.title}{version} [Data set]"
    elif ref.within:
        work = f"{ref.title}. In {ref.within}"
    else:
        work = ref.title
    where = f" Retrieved {_long_date(accessed)}, from {ref.url}" if ref.url else ""
    return for_display(f"{ref.author}. {year}. {work}.{where}")


def text(refs: Sequence[Reference], accessed: datetime.date) -> str:
    """APA-style references, one per line."""
    return "".join(_apa(ref, accessed) + "\n" for ref in refs)


_BIBTEX_SPECIAL = re.compile(r"([\\{}%#&$_^~])")
_BIBTEX_REPLACE = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(value: str) -> str:
    """A value that BibTeX reads as the same text: special characters escaped, braces balanced."""
    clean = for_display(value)
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m[1], "\\" + m[1]), clean)


def bibtex(refs: Sequence[Reference], accessed: datetime.date) -> str:
    """One `@misc` entry per reference, with the access date as `urldate`."""
    entries = []
    for ref in refs:
        fields: list[tuple[str, str]] = [
            ("author", "{" + bibtex_escape(ref.author) + "}"),  # a group, not a person's name
            ("title", bibtex_escape(ref.title)),
        ]
        if ref.within:
            fields.append(("howpublished", bibtex_escape(f"In: {ref.within}")))
        if ref.version:
            fields.append(("version", bibtex_escape(ref.version)))
        if ref.year:
            fields.append(("year", str(ref.year)))
        if ref.url:
            fields.append(("url", bibtex_escape(ref.url)))
        fields.append(("urldate", accessed.isoformat()))
        if ref.kind == "dataset":
            fields.append(("note", "Data set"))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{ref.key},\n{body}\n}}\n")
    return "\n".join(entries)


def _date_parts(day: datetime.date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_items(refs: Sequence[Reference], accessed: datetime.date) -> list[dict[str, Any]]:
    """CSL-JSON items, as Zotero and citeproc read them."""
    items = []
    for ref in refs:
        item: dict[str, Any] = {
            "id": ref.key,
            "type": ref.kind,
            "title": ref.title,
            "author": [{"literal": ref.author}],
            "URL": ref.url,
            "issued": {"date-parts": [[ref.year]]} if ref.year else {"literal": "n.d."},
            "accessed": _date_parts(accessed),
        }
        if ref.version:
            item["version"] = ref.version
        if ref.within:
            item["container-title"] = ref.within
        items.append(item)
    return items


def render(refs: Sequence[Reference], fmt: CiteFormat, accessed: datetime.date) -> str:
    if fmt is CiteFormat.BIBTEX:
        return bibtex(refs, accessed)
    if fmt is CiteFormat.CSL_JSON:
        return (
            inert_json(json.dumps(csl_items(refs, accessed), ensure_ascii=False, indent=2)) + "\n"
        )
    return text(refs, accessed)
