"""Each command's result as a `View`: its records, default fields and own presentations.

No Typer here, and Rich only inside the `table` callables, when a table is drawn: they reach
`render` through a stand-in that imports it on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from partnercli.facts import SourcedFact, long_texts, partner_facts, shares_themes
from partnercli.formats import View, flatten, join, markdown_text
from partnercli.models import MAP_FIELDS, PARTNER_FIELDS, Catalogue, FactSource, Partner, Theme
from partnercli.text import for_display


class _Render:
    """`partnercli.render`, imported on first use: Rich (~27 ms) is paid for only by a table."""

    def __getattr__(self, name: str) -> Any:
        from partnercli import render

        return getattr(render, name)


if TYPE_CHECKING:
    from partnercli import render
    from partnercli.fields import FieldInfo
    from partnercli.network import Connection
    from partnercli.search import Hit
else:
    render = _Render()

#: Search results carry these fields after the partner's own.
HIT_FIELDS: tuple[str, ...] = (
    "score", "matched_in", "snippet", "matches", "partial", "contributions", "correction",
)  # fmt: skip
HIT_RECORD_FIELDS: tuple[str, ...] = (*PARTNER_FIELDS, *HIT_FIELDS)
THEME_FIELDS: tuple[str, ...] = ("id", "name", "description", "vocabulary", "count")
FIELD_FIELDS: tuple[str, ...] = ("name", "type", "description")
#: The plain columns of a partner: id, type, acronym, name, theme ids.
PLAIN_PARTNER_FIELDS: tuple[str, ...] = ("id", "type", "acronym", "name", "themes")


def record(partner: Partner) -> dict[str, Any]:
    """A partner as its JSON object: the dataset's own field names and order."""
    result: dict[str, Any] = msgspec.to_builtins(partner)
    return result


def partners_view(partners: list[Partner], cat: Catalogue, *, title: str | None = None) -> View:
    return View(
        records=[record(p) for p in partners],
        fields=PARTNER_FIELDS,
        plain_fields=PLAIN_PARTNER_FIELDS,
        markdown_fields=("id", "name", "acronym", "type", "themes", "website"),  # fit a report
        title=title,
        table=lambda width, wide: render.partners_table(
            partners, cat, width=width, title=title, wide=wide
        ),
        maps=MAP_FIELDS,
    )


def hit_record(hit: Hit) -> dict[str, Any]:
    """A search result as one record: the partner's fields, then why it matched."""
    why = {
        "score": hit.score,
        "matched_in": hit.field,
        "snippet": hit.marked_snippet(),
        "matches": list(hit.matches),
        "partial": hit.partial,
        "contributions": dict(hit.contributions),
        "correction": hit.correction,
    }
    return record(hit.partner) | why


def hits_view(hits: list[Hit], *, empty: str) -> View:
    return View(
        records=[hit_record(h) for h in hits],
        fields=HIT_RECORD_FIELDS,
        plain_fields=(*PLAIN_PARTNER_FIELDS, "matched_in", "snippet"),
        markdown_fields=("id", "name", "type", "score", "matched_in", "snippet"),
        empty=empty,
        table=lambda width, wide: render.hits_table(hits, width=width, wide=wide),
        maps=MAP_FIELDS | {"contributions"},
    )


def themes_by_count(cat: Catalogue) -> list[tuple[Theme, int]]:
    """Every theme with how many partners work on it, most first (ties by name, then id)."""
    counts = cat.theme_counts()
    ordered = sorted(cat.themes, key=lambda t: (-counts[t.id], t.name.casefold(), t.id))
    return [(t, counts[t.id]) for t in ordered]


def themes_view(cat: Catalogue) -> View:
    counted = themes_by_count(cat)
    return View(
        records=[msgspec.to_builtins(t) | {"count": count} for t, count in counted],
        fields=THEME_FIELDS,
        plain_fields=("id", "count", "name", "description"),
        markdown_fields=("id", "name", "description", "count"),
        empty="no themes in this dataset",
        table=lambda width, wide: render.themes_table(counted),
    )


def fields_view(infos: Sequence[FieldInfo]) -> View:
    return View(records=msgspec.to_builtins(infos), fields=FIELD_FIELDS)  # name, type, description


def partner_plain(partner: Partner, cat: Catalogue) -> str:
    """`field:<TAB>value` lines, then the long texts as paragraphs."""
    fields = [
        ("id", partner.id),
        ("type", partner.type.value),
        ("name", partner.name),
        ("acronym", partner.acronym),
        ("aliases", join(partner.aliases)),
        ("former_names", join(partner.former_names)),
        ("themes", join(partner.themes)),
        ("since", flatten(partner.since)),
        ("headquarters", flatten(partner.headquarters)),
        ("founded", flatten(partner.founded)),
        ("un_system", partner.un_system.place if partner.un_system else None),
        ("website", partner.website),
        ("related", join(f"{r.id} ({r.relation})" for r in partner.related)),
        ("shares_themes_with", shares_themes(partner, cat, more=False)),  # for scripts
    ]
    out = "".join(f"{name}:\t{for_display(value or '')}\n" for name, value in fields)
    for _, text in long_texts(partner):
        out += "\n" + for_display(text) + "\n"
    return out


def partner_markdown(partner: Partner, cat: Catalogue) -> str:
    """One partner as a short Markdown section, ready to paste into a report; text from the data
    is escaped, so it never becomes HTML, a link or an image."""
    title = partner.name + (f" ({partner.acronym})" if partner.acronym else "")
    facts = [
        ("ID", partner.id),
        *partner_facts(partner, cat),
        ("Website", partner.website),
        ("Related", join(f"{r.id} ({r.relation})" for r in partner.related)),
        ("Shares themes with", shares_themes(partner, cat)),
    ]
    out = [f"## {markdown_text(title)}", ""]
    out += [f"- **{label}:** {markdown_text(value)}" for label, value in facts if value]
    for heading, body in long_texts(partner):
        out += ["", f"### {heading}", "", markdown_text(body)]
    return "\n".join(out) + "\n"


def partner_view(partner: Partner, context: Callable[[], Catalogue]) -> View:
    """One partner; `context()` gives the catalogue around it (for what it shares with others),
    asked for only by the formats that show that."""

    return View(
        records=[record(partner)],
        fields=PARTNER_FIELDS,
        single=True,
        table=lambda width, wide: render.partner_panel(partner, context()),
        plain=lambda: partner_plain(partner, context()),
        markdown=lambda: partner_markdown(partner, context()),
        maps=MAP_FIELDS,
    )


# -- provenance ------------------------------------------------------------------------------------

SOURCE_FIELDS: tuple[str, ...] = ("field", "value", "source", "caveat")
PAGE = "ICOM partners page"
#: A partner's fields that are no fact with a source: its identity, and what says where its
#: facts come from (the theme evidence and the typos fixed are shown beside the facts).
UNSOURCED = frozenset({"id", "type", "evidence", "corrections", "sources"})


def sourced_facts(partner: Partner, cat: Catalogue) -> list[SourcedFact]:
    """Each fact of a partner with where it comes from: the page, or the source the record names."""
    un = partner.un_system
    # Each value flattened as a table cell is, but the milestones and the UN place in words
    values = record(partner) | {
        "milestones": join(f"{m.date}: {m.event}" for m in partner.milestones),
        "un_system": f"{un.place} ('{un.page}')" if un else None,
    }
    evidence = join(f"{t}: '{p}'" for t, p in partner.evidence.items())
    typos = join(f"'{c.page}' -> '{c.dataset}'" for c in partner.corrections)
    page = FactSource(PAGE, cat.source.url)  # a fact's source unless the record names another
    facts = []
    for name in PARTNER_FIELDS:
        if name in UNSOURCED or not (value := flatten(values[name])):
            continue
        cited = page if name == "themes" else partner.sources.get(name, page)
        if typos and name in ("description", "partnership"):
            cited = msgspec.structs.replace(cited, caveat=f"typos fixed: {typos}")
        detail = evidence if name == "themes" else None
        facts.append(SourcedFact(field=name, value=value, cited=cited, detail=detail))
    return facts


def sources_view(partner: Partner, cat: Catalogue) -> View:
    return View(
        records=[fact.record() for fact in sourced_facts(partner, cat)],
        fields=SOURCE_FIELDS,
        title=partner.name,
        table=lambda width, wide: render.sources_table(partner, sourced_facts(partner, cat)),
    )


ABOUT_FIELDS: tuple[str, ...] = (
    "title", "version", "compiled", "sha256", "as_of", "as_of_note", "source", "icom",
    "licence", "partners", "by_type", "by_theme", "cite",
)  # fmt: skip


def about_record(cat: Catalogue, *, references: Sequence[str], sha256: str) -> dict[str, Any]:
    """What the dataset is, which file exactly (`sha256`), where it comes from, how current,
    under what terms and how to cite it (`references`, one per item): `ABOUT_FIELDS`."""
    types = [partner.type.value for partner in cat.partners]
    info = msgspec.to_builtins(cat.dataset) if cat.dataset else {}
    return {
        "title": info.get("title"),
        "version": info.get("version"),
        "compiled": info.get("compiled"),
        "sha256": sha256,
        "as_of": cat.source.as_of,
        "as_of_note": cat.source.as_of_note,
        "source": msgspec.to_builtins(cat.source),
        "icom": msgspec.to_builtins(cat.icom),
        "licence": info.get("licence"),
        "partners": len(cat.partners),
        # Each type's count, in the order the types first appear
        "by_type": {type_: types.count(type_) for type_ in dict.fromkeys(types)},
        "by_theme": {theme.id: count for theme, count in themes_by_count(cat)},
        "cite": list(references),
    }


def about_plain(about: dict[str, Any]) -> str:
    """`field:<TAB>value` lines; each reference on a `cite:` line of its own."""
    source = about["source"]
    licence = about["licence"] or {}
    licences = [f"{licence['code']} (code)"] if licence else []
    if licence.get("data"):
        licences.append(f"{licence['data']} (compilation and structured fields)")
    by_type = join(f"{k} {v}" for k, v in about["by_type"].items())
    lines = [
        ("title", about["title"]),
        ("version", about["version"]),
        ("compiled", about["compiled"]),
        ("sha256", about["sha256"]),
        ("source", f'{source.get("publisher")}, "{source.get("title")}"'),
        ("url", source.get("url")),
        *((f"url ({t['language']})", t["url"]) for t in source.get("translations") or []),
        ("as of", about["as_of"]),
        ("as of note", about["as_of_note"]),
        ("partners", f"{about['partners']} ({by_type})"),
        ("themes", join(f"{k} {v}" for k, v in about["by_theme"].items())),
        ("licence", join(licences)),
        ("licence note", licence.get("text")),
        *(("cite", reference) for reference in about["cite"]),
    ]
    return "".join(f"{name}:\t{for_display(str(value))}\n" for name, value in lines if value)


def about_view(cat: Catalogue, *, references: Sequence[str], sha256: str) -> View:
    """`partners about`: one record; its maps (counts, the licence) keep their keys in flat
    formats."""
    about = about_record(cat, references=references, sha256=sha256)

    return View(
        records=[about],
        fields=ABOUT_FIELDS,
        single=True,
        table=lambda width, wide: render.about_panel(about_plain(about), title=about["title"]),
        plain=lambda: about_plain(about),
        maps=frozenset({"by_type", "by_theme", "licence"}),
    )


# -- the network -------------------------------------------------------------------------------------

CONNECTION_FIELDS: tuple[str, ...] = (*PARTNER_FIELDS, "connection")


def related_view(partner: Partner, connections: Sequence[Connection]) -> View:
    """The partners connected to one: each partner's record and how it is connected."""

    return View(
        records=[record(c.partner) | {"connection": c.record()} for c in connections],
        fields=CONNECTION_FIELDS,
        plain_fields=("id", "type", "name", "connection"),
        markdown_fields=("id", "name", "type", "connection"),
        empty=f"no partner is connected to {partner.id}",
        table=lambda width, wide: render.related_table(partner, connections),
        maps=MAP_FIELDS | {"connection"},
        plain=lambda: "".join(
            "\t".join(
                for_display(v)
                for v in (c.partner.id, c.partner.type.value, c.partner.name, c.kind, c.label)
            )
            + "\n"
            for c in connections
        ),
    )


#: The fields each command's records have: what its --fields takes, and completes.
COMMAND_FIELDS: dict[str, tuple[str, ...]] = {
    "list": PARTNER_FIELDS,
    "show": PARTNER_FIELDS,
    "theme": PARTNER_FIELDS,
    "search": HIT_RECORD_FIELDS,
    "themes": THEME_FIELDS,
    "fields": FIELD_FIELDS,
    "related": CONNECTION_FIELDS,
    "about": ABOUT_FIELDS,
}


def fields_for(command: str, *, sources: bool = False) -> tuple[str, ...]:
    """The fields of `command`'s records (`show --sources` has the fields of its sources)."""
    return SOURCE_FIELDS if command == "show" and sources else COMMAND_FIELDS.get(command, ())
