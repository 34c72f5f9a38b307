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
from typing import Any, Final

from msgspec import Struct

from partnercli.formats import inert_json
from partnercli.models import Catalogue, CiteFormat, Partner
from partnercli.text import for_display

AUTHOR: Final = "partnercli developers"
DATASET_KEY: Final = "partnercli-dataset"
PAGE_KEY: Final = "icom-partners"


def sha256(data: bytes) -> str:
    """The SHA-256 of a dataset file's exact bytes, in hex: the identifier of its edition."""
    import hashlib  # ~3 ms: only `about` and `cite` pay for it

    return hashlib.sha256(data).hexdigest()


class Edition(Struct, frozen=True):
    """Which dataset a reference was made from: its title, version, compile date and SHA-256."""

    title: str
    version: str | None
    compiled: str | None
    sha256: str

    def facts(self) -> str:
        """`version 3.1.0, compiled 2026-12-05, SHA-256 …` (what the data has of them)."""
        version = f"version {self.version}, " if self.version else ""
        compiled = f"compiled {self.compiled}, " if self.compiled else ""
        return f"{version}{compiled}SHA-256 {self.sha256}"


class Reference(Struct, frozen=True, kw_only=True):
    """One work to cite: the dataset, the page, or a partner's entry on the page."""

    key: str
    kind: str  # "dataset" or "webpage"
    author: str
    title: str
    url: str | None
    year: int | None = None
    within: str | None = None  # the page a partner's entry is part of
    # The dataset itself, or the one a partner's entry was cited from.
    edition: Edition | None = None

    @property
    def version(self) -> str | None:
        return self.edition.version if self.kind == "dataset" and self.edition else None

    def note(self) -> str | None:
        """What names the edition: the dataset's compile date and SHA-256, or, for an entry, the
        dataset it was cited from."""
        if self.edition is None:
            return None
        if self.kind == "dataset":
            compiled = f"Compiled {self.edition.compiled}, " if self.edition.compiled else ""
            return f"{compiled}SHA-256 {self.edition.sha256}"
        return f"Cited from {self.edition.title} ({self.edition.facts()})"


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
    edition = (
        Edition(info.title, info.version, info.compiled, sha256)
        if info
        else Edition("ICOM's partner network", None, None, sha256)
    )
    publisher = (cat.icom.name if cat.icom else None) or source.publisher or "ICOM"
    page_title = source.title or "Partners"
    dataset = Reference(
        key=DATASET_KEY,
        kind="dataset",
        author=AUTHOR,
        title=edition.title,
        url=source.url,
        year=int(edition.compiled[:4]) if edition.compiled else None,
        edition=edition,
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
        edition=edition,
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
    # `%B` is in English: Python leaves LC_TIME at "C", and nothing here calls `setlocale`.
    day = f"{accessed:%B} {accessed.day}, {accessed.year}"
    where = f" Retrieved {day}, from {ref.url}" if ref.url else ""
    note = f" {ref.note()}." if ref.note() else ""
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
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "_": r"\_",
}
_BIBTEX_SPECIAL = "([\\\\{}^~@%#&$_])"
#: A run of letters and digits (a word, or an acronym within "ICOM's").
_WORD = r"[^\W_]+"


def bibtex_escape(value: str) -> str:
    """A value that BibTeX and LaTeX read as the same text: control characters dropped, every
    special character replaced by what prints it; its braces are balanced whatever `value` holds."""
    return re.sub(_BIBTEX_SPECIAL, lambda m: _BIBTEX_TEXT[m[1]], for_display(value))


def bibtex_title(value: str) -> str:
    """`bibtex_escape`, with each word that holds a capital in braces (`{UNESCO}`, `{ICOM}'s`),
    so that styles which lower-case titles keep the capitals of names and acronyms."""

    def protect(word: str) -> str:
        return "{" + word + "}" if any(ch.isupper() for ch in word) else word

    escaped = re.split(_BIBTEX_SPECIAL, for_display(value))
    # Odd items are the special characters the pattern captured; only the text between is words.
    return "".join(
        _BIBTEX_TEXT[part] if index % 2 else re.sub(_WORD, lambda m: protect(m[0]), part)
        for index, part in enumerate(escaped)
    )


def bibtex_url(url: str) -> str:
    """A URL as biblatex and the `url` package read it, verbatim: only the characters that would
    unbalance the field (braces), a backslash and spaces are percent-encoded."""
    codes = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
    return "".join(codes.get(ch, ch) for ch in for_display(url))


def balanced(value: str) -> bool:
    """Whether BibTeX reads `value` as one field: its braces, counted as BibTeX counts them
    (a backslash escapes none), never close more than they opened, and end closed."""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex(refs: Sequence[Reference], accessed: datetime.date) -> str:
    """One `@misc` entry per reference, with the access date as `urldate`."""
    entries = []
    for ref in refs:
        note = ref.note()
        if ref.kind == "dataset":
            note = "Data set" + (f". {note}" if note else "")
        fields = {  # None: the reference has no such field
            "author": "{" + bibtex_escape(ref.author) + "}",  # a group, not a person's name
            "title": bibtex_title(ref.title),
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


def _date_parts(day: datetime.date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def _issued(ref: Reference) -> dict[str, Any] | None:
    """The dataset's compile date (or its year alone, if the date is not a real one)."""
    if ref.kind == "dataset" and ref.edition and ref.edition.compiled:
        try:
            return _date_parts(datetime.date.fromisoformat(ref.edition.compiled))
        except ValueError:  # the format's pattern allows 2026-13-45
            pass
    return {"date-parts": [[ref.year]]} if ref.year else None


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
            "accessed": _date_parts(accessed),
            "version": ref.version,
            "container-title": ref.within,
            "note": ref.note(),
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
