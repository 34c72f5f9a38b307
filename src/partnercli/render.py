"""Rich renderables for people at a terminal. Functions return objects; they never print.

Text from the dataset always goes into `Text(...)` (never into a markup string) after
`for_display`, so `[bold]` in a name prints as written and escape sequences never reach the screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from partnercli.facts import SourcedFact, long_texts, partner_facts, shares_themes, theme_names
from partnercli.formats import View
from partnercli.models import Catalogue, Partner, PartnerType, Relation, Theme
from partnercli.network import TYPE_NAMES, UN_GROUP, Connection, Graph, relation_label
from partnercli.text import MARK_END, MARK_START, for_display, shorten

if TYPE_CHECKING:
    from partnercli.search import Hit

#: No plain ANSI blue: it is hard to read on a dark background.
TYPE_STYLES = {PartnerType.NGO: "green", PartnerType.IGO: "yellow", PartnerType.MUSEUM: "magenta"}
TYPE_SHORT = {PartnerType.NGO: "NGO", PartnerType.IGO: "IGO", PartnerType.MUSEUM: "Museum"}
#: Below this width a search table drops the name: the match is the point.
NARROW = 80
#: Below this width a partner table drops the themes (a search table the type), so that names
#: keep room on one line.
THEMES_FROM = 100
#: How many lines a search result's match fills at most: 3 from `NARROW` columns, 4 below.
MATCH_LINES, MATCH_LINES_NARROW = 3, 4

#: A table shows at most this many rows (the network's tree, this many lines); a last line
#: counts the rest: "… and K more; use -f json". The README states the number.
TABLE_ROWS = 1_000
#: A cell shows at most this many characters of a text (the longest of ICOM's page has 671):
#: Rich measures and wraps all it is given, and a 100 MB name took it minutes.
CELL_CHARS = 10_000

#: How the Connection column introduces each kind of connection.
CONNECTION_KINDS = {"relation": "", "group": "group: ", "themes": "shares: "}

R = TypeVar("R")


def _text(value: str | None, style: str | Style = "") -> Text:
    return Text(for_display(shorten(value or "", CELL_CHARS)), style=style)


def _more(count: int) -> Text:
    """What a table or tree does not show: one line, as wide as a narrow table's caption needs."""
    return Text(f"… and {count:,} more; use -f json", style="dim", no_wrap=True, overflow="ignore")


def _rows(table: Table, items: Sequence[R]) -> Sequence[R]:
    """The items a table has a row for: the first `TABLE_ROWS`, the rest counted under it."""
    if len(items) > TABLE_ROWS:
        table.caption = _more(len(items) - TABLE_ROWS)
        table.caption_justify = "left"
    return items[:TABLE_ROWS]


def _table(*, title: str | None, expand: bool = False) -> Table:
    """A table in the house style; `expand` spreads it over the terminal's width, so that
    the columns with a ratio share what the others leave (and cut with "…" past that)."""
    return Table(
        title=None if title is None else _text(title),
        box=box.SIMPLE_HEAD,
        header_style="bold",
        title_style="bold",
        expand=expand,
    )


def type_text(type_: PartnerType) -> Text:
    return Text(TYPE_SHORT[type_], style=TYPE_STYLES[type_])


def _ids(table: Table, partners: Sequence[Partner], *, width: int, wide: bool) -> list[str]:
    """Add the ID column and give its cells. Ids are what scripts and `show` take: every id is
    whole when the widest fits in a quarter of the terminal (or with --wide); else a longer id
    gives way to its acronym, or is cut with "…"."""
    column = 0 if wide else min(max((len(p.id) for p in partners), default=2), max(width // 4, 8))
    table.add_column("ID", style="cyan", min_width=column, **_cell(wide))
    return [
        p.id if wide or len(p.id) <= column
        else p.acronym if p.acronym and len(p.acronym) <= column
        else p.id[: column - 1] + "…"
        for p in partners
    ]  # fmt: skip


def _name(partner: Partner) -> Text:
    """A partner's name in bold, after its acronym: what a cut name keeps in view ("UNESCO
    United Nations Educ…")."""
    name = _text(f"{partner.acronym} ", "bold") if partner.acronym else Text()
    name.append_text(_text(partner.name, "bold"))
    return name


def _cell(wide: bool) -> dict[str, Any]:
    """A column's settings: one line, cut with "…", or (--wide) the whole text, wrapped."""
    return {"overflow": "fold"} if wide else {"no_wrap": True, "overflow": "ellipsis"}


def partners_table(
    partners: Sequence[Partner], catalogue: Catalogue, *, width: int, title: str | None, wide: bool
) -> Table:
    """One line per partner: id, name (and acronym), type, the year it became a partner (when
    any has one) and themes; a long cell is cut with "…" unless `wide`."""
    table = _table(title=title, expand=True)
    roomy = width >= THEMES_FROM
    since = any(p.since for p in partners)
    ids = _ids(table, partners, width=width, wide=wide)
    table.add_column("Name", ratio=3, min_width=10, **_cell(wide))
    table.add_column("Type", no_wrap=True, min_width=6)
    if since:
        table.add_column("Since", no_wrap=True, justify="right", min_width=5)
    if roomy:
        table.add_column("Themes", style="dim", ratio=2, min_width=8, **_cell(wide))
    for partner, shown_id in _rows(table, list(zip(partners, ids, strict=True))):
        row: list[RenderableType] = [_text(shown_id), _name(partner), type_text(partner.type)]
        if since:
            row.append(_text(str(partner.since) if partner.since else ""))
        if roomy:
            row.append(_text("; ".join(theme_names(partner.themes, catalogue))))
        table.add_row(*row)
    return table


def snippet_text(hit: Hit) -> Text:
    """The field a hit matched in, then its snippet with the matched words in bold and in
    `[ ]`, so that they stay visible where a terminal shows no style (TERM=dumb)."""
    text = Text()
    text.append(f"{hit.field}: " + ("partial match, " if hit.partial else ""), style="dim")
    parts = re.split(f"{MARK_START}(.*?){MARK_END}", for_display(hit.snippet))
    for index, part in enumerate(parts):  # a matched word is every second part
        text.append(f"[{part}]" if index % 2 else part, style="bold yellow" if index % 2 else "")
    return text


def hits_table(hits: Sequence[Hit], *, width: int, wide: bool) -> Table:
    """One row per hit, best first: id, name, type, and where the query matched. The match
    gets the room, in a few lines at most (`MATCH_LINES`; --wide: whole); the name comes at 80
    columns, the type at 100."""
    table = _table(title=None, expand=True)
    ids = _ids(table, [h.partner for h in hits], width=width, wide=wide)
    id_width = table.columns[0].min_width or 0
    named, typed = wide or width >= NARROW, wide or width >= THEMES_FROM
    if named:
        table.add_column("Name", ratio=1, min_width=12, **_cell(wide))
    if typed:
        table.add_column("Type", no_wrap=True, min_width=6)
    table.add_column("Match", ratio=3, min_width=20)
    # The match column's width: what the others and the padding leave, three quarters of it
    # beside a name; its text is cut to fill a few lines, short of them as words wrap.
    left = width - id_width - (6 if typed else 0) - 2 * len(table.columns) - 2
    lines = MATCH_LINES if width >= NARROW else MATCH_LINES_NARROW
    room = max(left * 3 // 4 if named else left, 20) * lines
    for hit, shown_id in _rows(table, list(zip(hits, ids, strict=True))):
        row: list[RenderableType] = [_text(shown_id)]
        if named:
            row.append(_name(hit.partner))
        if typed:
            row.append(type_text(hit.partner.type))
        match = snippet_text(hit)
        limit = room - room // 4  # words wrap short of the room
        if not wide and len(match) > limit:
            cut = match.plain.rfind(" ", 0, limit)  # at a word's end, not inside a word
            match.truncate(cut if cut > limit // 2 else limit)
            match.append("…")
        row.append(match)
        table.add_row(*row)
    return table


def themes_table(themes: Sequence[tuple[Theme, int]]) -> Table:
    """Themes with their partner counts: name over its id, how many partners, description."""
    table = _table(title=None)
    table.add_column("Theme", min_width=12, overflow="fold")
    table.add_column("Partners", justify="right", no_wrap=True)
    table.add_column("Description", style="dim", ratio=1)
    for theme, count in _rows(table, themes):
        label = Text.assemble(_text(theme.name), "\n", _text(theme.id, "cyan"), style="bold")
        table.add_row(label, str(count), _text(theme.description))
    return table


def _panel(title: str, rows: Iterable[tuple[str | Text, Text]], *after: RenderableType) -> Panel:
    """A titled panel: a grid of the labelled values that have any text, then `after`."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in rows:
        if value.plain:
            grid.add_row(label, value)
    body = Padding(Group(grid, *after), (0, 1))
    return Panel(body, title=_text(title, "bold"), title_align="left")


def partner_panel(partner: Partner, catalogue: Catalogue) -> Panel:
    """Everything known about one partner: a field grid, then About and Partnership."""
    related = Text("\n").join(
        Text.assemble(
            _text(relation.id, "cyan"),
            _text(f" {other.name}" if (other := catalogue.partner(relation.id)) else ""),
            _text(f" ({relation.relation})", "dim"),
        )
        for relation in partner.related
    )
    rows = [
        ("ID", _text(partner.id, "cyan")),
        ("Name", _text(partner.name)),
        ("Acronym", _text(partner.acronym)),
        *(
            (label, _text(value, TYPE_STYLES[partner.type] if label == "Type" else ""))
            for label, value in partner_facts(partner, catalogue)
        ),
        ("Website", _text(partner.website, Style(link=partner.website, underline=True))),
        ("Related", related),
        ("Shares themes with", _text(shares_themes(partner, catalogue))),
    ]
    texts: list[RenderableType] = []
    for heading, body in long_texts(partner):
        texts += [Text(""), Text(heading, style="bold underline"), _text(body)]
    return _panel(partner.name, rows, *texts)


def records_table(view: View, fields: Sequence[str]) -> Table:
    """Records as a table of the chosen fields (for --fields), each cell flattened to text;
    one record (`show`) as a table of fields and values."""
    table = _table(title=view.title)
    if view.single:
        table.add_column("field")
        table.add_column("value")
        for name in fields:
            table.add_row(_text(name), _text(view.cell(view.records[0], name)))
        return table
    for index, name in enumerate(fields):
        table.add_column(name, style="bold cyan" if index == 0 and name == "id" else "")
    for row in _rows(table, view.records):
        table.add_row(*(_text(view.cell(row, name)) for name in fields))
    return table


def sources_table(partner: Partner, facts: Sequence[SourcedFact]) -> Group:
    """Each fact of a partner, its value and where it comes from (with any caveat); each source's
    URL is numbered in the rows and written whole once, under the table, so that it can be
    copied."""
    table = _table(title=partner.name)
    table.add_column("Fact", style="bold", no_wrap=True)
    table.add_column("Value", ratio=3)
    table.add_column("Source", style="dim", ratio=2)
    urls: dict[str, int] = {}
    for fact in _rows(table, facts):
        source = _text(fact.cited.source)
        if fact.cited.url:
            number = urls.setdefault(fact.cited.url, len(urls) + 1)
            source.append_text(_text(f" [{number}]"))
        if fact.detail:
            source.append_text(_text(f": {fact.detail}"))
        if fact.cited.caveat:
            source.append_text(_text(f" ({fact.cited.caveat})", "italic"))
        table.add_row(_text(fact.field), _text(fact.value), source)
    # On a line of its own, a URL is never cut with "…": one wider than the terminal is folded.
    notes = [
        Text.assemble(f"[{number}] ", _text(url), overflow="fold") for url, number in urls.items()
    ]
    return Group(table, *notes)


def about_panel(lines: str, *, title: str | None) -> Panel:
    """The dataset's description: its `field:<TAB>value` lines as a two-column grid, under its
    title (or "partners", for a dataset without one)."""
    rows = (line.split(":\t", 1) for line in lines.splitlines())
    return _panel(title or "partners", [(_text(label), _text(value)) for label, value in rows])


def related_table(partner: Partner, connections: Sequence[Connection]) -> Table:
    """The partners connected to one, strongest first, with how each is connected."""
    table = _table(title=f"Connected to {partner.name}")
    table.add_column("ID", style="bold cyan", no_wrap=True)
    table.add_column("Name", ratio=2)
    table.add_column("Connection", ratio=2)
    for connection in _rows(table, connections):
        partner, kind = connection.partner, CONNECTION_KINDS[connection.kind]
        table.add_row(_text(partner.id), _text(partner.name), _text(kind + connection.label))
    return table


def network_tree(graph: Graph, catalogue: Catalogue) -> Tree:
    """ICOM, then each group of the page, its partners, and under each partner its links; at
    most `TABLE_ROWS` lines, the rest counted."""
    labels = {node.id: node.label for node in graph.nodes}
    hub = next((n.label for n in graph.nodes if n.kind == "organisation"), "ICOM")
    tree = Tree(_text(hub, "bold"))
    linked: dict[str, set[str]] = {}
    for edge in graph.edges:
        linked.setdefault(edge.source, set()).add(edge.target)
        linked.setdefault(edge.target, set()).add(edge.source)
    partners = [p for p in catalogue.partners if p.id in labels]
    room, drawn = TABLE_ROWS, 0
    for type_ in PartnerType:
        members = [p for p in partners if p.type is type_]
        if not members or room <= 1:
            continue
        branch = tree.add(Text(TYPE_NAMES[type_], style=f"bold {TYPE_STYLES[type_]}"))
        room -= 1
        for partner in members:
            if room <= 0:
                break
            label = _text(labels[partner.id])
            if partner.un_system:
                label.append_text(_text(f" · {UN_GROUP}", "dim"))
            node = branch.add(label)
            room, drawn = room - 1, drawn + 1
            mine = linked.get(partner.id, set())
            links: list[Relation | str] = [r for r in partner.related if r.id in mine]
            links += sorted(other for other in mine if other.startswith(("theme:", "type:")))
            for link in links[:room]:  # a line is made only when it is drawn
                node.add(_link(link, labels, catalogue))
            if len(links) > room:
                node.add(_more(len(links) - room))
            room -= min(len(links), room)
    if drawn < len(partners):
        tree.add(_more(len(partners) - drawn))
    return tree


def _link(link: Relation | str, labels: dict[str, str], catalogue: Catalogue) -> Text:
    """A partner's line in the tree: a relation, read from its side, or a theme or group."""
    if isinstance(link, str):
        return _text(labels[link], "dim")
    words = relation_label(catalogue, link)
    line = _text(f"{words} — " if link.between else f"{words} ", "dim")
    line.append_text(_text(labels.get(link.id, link.id)))
    return line
