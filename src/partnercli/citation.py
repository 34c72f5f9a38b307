"""How to cite the dataset, ICOM's page, or one partner's entry: APA-style text, BibTeX, CSL-JSON.

Pure functions of the catalogue's metadata and the dataset file's SHA-256: no I/O, no Typer, no
Rich. Every reference to the data names the edition used (version, compile date and SHA-256), so
that two versions of the dataset can be told apart in a bibliography. Text from the data is
hostile: BibTeX gets it with every brace and special character replaced by a command that prints
it (BibTeX counts braces before TeX reads a backslash, so `\\}` would still close a field), and
JSON by `json.dumps`.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from itertools import accumulate
from typing import Any, Final

from msgspec import Struct

from partnercli.formats import inert_json
from partnercli.models import Catalogue, CiteFormat, Partner
from partnercli.text import for_display

AUTHOR: Final = "partnercli developers"
DATASET_KEY: Final = "partnercli-dataset"
PAGE_KEY: Final = "icom-partners"

#: A citation's month in English whatever the locale (`%B` follows LC_TIME, which a program
#: embedding this module may set).
MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def sha256(data: bytes) -> str:
    """The SHA-256 of a dataset file's exact bytes, in hex: the identifier of its edition."""
    import hashlib  # ~3 ms: only `about` and `cite` pay for it

    return hashlib.sha256(data).hexdigest()


class Reference(Struct, frozen=True, kw_only=True):
    """One work to cite: the dataset, the page, or a partner's entry on the page."""

    key: str
    kind: str  # "dataset" or "webpage"
    author: str
    title: str
    url: str | None
    # The dataset's own: when it was compiled (YYYY-MM-DD) and its version.
    year: int | None = None
    compiled: str | None = None
    version: str | None = None
    within: str | None = None  # the page a partner's entry is part of
    #: What names the edition: the dataset's compile date and SHA-256, or, for an entry, the
    #: dataset it was cited from.
    note: str | None = None


def references(
    cat: Catalogue,
    partner: Partner | None = None,
    *,
    sha256: str,
    with_dataset: bool = False,
) -> list[Reference]:
    """The works to cite: the dataset and ICOM's page; or a partner's entry alone (and the
    dataset, `with_dataset`), so that citations appended to one file never repeat a key.
    `sha256` is the dataset file's (`sha256(bytes)`)."""
    source, info = cat.source, cat.dataset
    publisher = (cat.icom.name if cat.icom else None) or source.publisher or "ICOM"
    page_title = source.title or "Partners"
    # A dataset's version and compile date are both given, or neither is (no `dataset` at all).
    versioned, compiled = (
        (f"version {info.version}, ", f"compiled {info.compiled}, ") if info else ("", "")
    )
    dataset = Reference(
        key=DATASET_KEY,
        kind="dataset",
        author=AUTHOR,
        title=info.title if info else "ICOM's partner network",
        url=source.url,
        year=int(info.compiled[:4]) if info else None,
        compiled=info.compiled if info else None,
        version=info.version if info else None,
        note=f"{compiled.capitalize()}SHA-256 {sha256}",
    )
    if partner is None:
        page = Reference(
            key=PAGE_KEY, kind="webpage", author=publisher, title=page_title, url=source.url
        )
        return [dataset, page]
    entry = Reference(
        key=f"{PAGE_KEY}-{partner.id}",  # ids are slugs, stable across versions
        kind="webpage",
        author=publisher,
        title=partner.heading or partner.name,
        url=source.url,
        within=page_title,
        note=f"Cited from {dataset.title} ({versioned}{compiled}SHA-256 {sha256})",
    )
    return [entry, dataset] if with_dataset else [entry]


def _apa(ref: Reference, accessed: datetime.date) -> str:
    year = f"({ref.year})" if ref.year else "(n.d.)"
    if ref.kind == "dataset":
        version = f" (Version {ref.version})" if ref.version else ""
        work = f"{ref.title}{version} [Data set]"
    elif ref.within:
        work = f"{ref.title}. In {ref.within}"
    else:
        work = ref.title
    day = f"{MONTHS[accessed.month - 1]} {accessed.day}, {accessed.year}"
    where = f" Retrieved {day}, from {ref.url}" if ref.url else ""
    note = f" {ref.note}." if ref.note else ""
    return for_display(f"{ref.author}. {year}. {work}.{note}{where}")


def text(refs: Sequence[Reference], accessed: datetime.date) -> str:
    """APA-style references, one per line."""
    return "".join(_apa(ref, accessed) + "\n" for ref in refs)


# -- BibTeX ------------------------------------------------------------------------------------

#: Each character BibTeX or LaTeX would act on, as text that prints it. Braces and backslashes
#: become commands in a group of their own: BibTeX counts every brace, escaped or not, so a data
#: brace must never reach it. `@` is grouped too, so no reader that scans for entries sees one.
_BIBTEX_TEXT: Final = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "^": r"{\textasciicircum}",
    "~": r"{\textasciitilde}",
    "@": r"{\char64}",
    **{ch: "\\" + ch for ch in "%#&$_"},  # `\%` and the like: no brace for BibTeX to count
}
#: A special character, or (in a title) a run of letters and digits: a word, or an acronym
#: within "ICOM's". Each is one match: a word holds no special character.
_BIBTEX_SPECIAL = "[" + re.escape("".join(_BIBTEX_TEXT)) + "]"
_BIBTEX_WORD = r"[^\W_]+"


def bibtex_escape(value: str, *, title: bool = False) -> str:
    """A value that BibTeX and LaTeX read as the same text: control characters dropped, every
    special character replaced by what prints it; its braces are balanced whatever `value` holds.
    In a `title`, each word that holds a capital is in braces too (`{UNESCO}`, `{ICOM}'s`), so
    that styles which lower-case titles keep the capitals of names and acronyms."""

    def replace(found: re.Match[str]) -> str:
        text = found[0]
        if text in _BIBTEX_TEXT:
            return _BIBTEX_TEXT[text]
        return "{" + text + "}" if any(ch.isupper() for ch in text) else text

    pattern = f"{_BIBTEX_SPECIAL}|{_BIBTEX_WORD}" if title else _BIBTEX_SPECIAL
    return re.sub(pattern, replace, for_display(value))


def bibtex_url(url: str) -> str:
    """A URL as biblatex and the `url` package read it, verbatim: only the characters that would
    unbalance the field (braces), a backslash and spaces are percent-encoded."""
    codes = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
    return "".join(codes.get(ch, ch) for ch in for_display(url))


def balanced(value: str) -> bool:
    """Whether BibTeX reads `value` as one field: its braces, counted as BibTeX counts them
    (a backslash escapes none), never close more than they opened, and end closed."""
    depths = list(accumulate(({"{": 1, "}": -1}.get(ch, 0) for ch in value), initial=0))
    return min(depths) == depths[-1] == 0


def bibtex(refs: Sequence[Reference], accessed: datetime.date) -> str:
    """One `@misc` entry per reference, with the access date as `urldate`."""
    entries = []
    for ref in refs:
        note = f"Data set. {ref.note}" if ref.kind == "dataset" else ref.note
        fields = {  # None: the reference has no such field
            "author": "{" + bibtex_escape(ref.author) + "}",  # a group, not a person's name
            "title": bibtex_escape(ref.title, title=True),
            "howpublished": bibtex_escape(f"In: {ref.within}") if ref.within else None,
            "version": bibtex_escape(ref.version) if ref.version else None,
            "year": str(ref.year) if ref.year else None,
            "url": bibtex_url(ref.url) if ref.url else None,
            "urldate": accessed.isoformat(),
            "note": bibtex_escape(note) if note else None,
        }
        given = {name: value for name, value in fields.items() if value is not None}
        for name, value in given.items():  # what the escaping promises, checked on every field
            if not balanced(value):
                raise ValueError(f"unbalanced braces in the {name} of {ref.key}")
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in given.items())
        entries.append(f"@misc{{{ref.key},\n{body}\n}}\n")
    return "\n".join(entries)


# -- CSL-JSON ----------------------------------------------------------------------------------


def _date_parts(*parts: int) -> dict[str, Any]:
    return {"date-parts": [list(parts)]}


def _issued(ref: Reference) -> dict[str, Any] | None:
    """The dataset's compile date (or its year alone, if the date is not a real one)."""
    try:
        day = datetime.date.fromisoformat(ref.compiled or "")
    except ValueError:  # none, or 2026-13-45, which the format's pattern allows
        return _date_parts(ref.year) if ref.year else None
    return _date_parts(day.year, day.month, day.day)


def csl_items(refs: Sequence[Reference], accessed: datetime.date) -> list[dict[str, Any]]:
    """CSL-JSON items, as Zotero and citeproc read them; a date the data does not have is left
    out (citeproc prints a missing date as "n.d." itself, once)."""
    items = []
    for ref in refs:
        item: dict[str, Any] = {
            "id": ref.key,
            "type": ref.kind,
            "title": ref.title,
            "author": [{"literal": ref.author}],
            "URL": ref.url,
            "issued": _issued(ref),
            "accessed": _date_parts(accessed.year, accessed.month, accessed.day),
            "version": ref.version,
            "container-title": ref.within,
            "note": ref.note,
        }
        items.append({name: value for name, value in item.items() if value})
    return items


def render(refs: Sequence[Reference], fmt: CiteFormat, accessed: datetime.date) -> str:
    if fmt is CiteFormat.BIBTEX:
        return bibtex(refs, accessed)
    if fmt is CiteFormat.CSL_JSON:
        items = csl_items(refs, accessed)
        return inert_json(json.dumps(items, ensure_ascii=False, indent=2)) + "\n"
    return text(refs, accessed)
