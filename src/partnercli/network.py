"""How the partners connect: `related` answers and the graph of the network, in text formats.

ICOM is the hub (every partner is linked to it by its partnership); partners link to one another
by the relations the page states (typed by the dataset's relation kinds), belong to groups (the
United Nations system) and share themes. Writers return text and escape every label for their
format (DOT strings, Mermaid labels, XML), so a dataset cannot break out of one. No Typer, no Rich.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Final

import msgspec
from msgspec import Struct

from partnercli.formats import inert_json
from partnercli.models import Catalogue, EdgeSet, GraphFormat, Partner, PartnerType, Relation
from partnercli.text import for_display, shorten

HUB: Final = "ICOM"  # no partner id can be this: ids are lowercase slugs
UN_GROUP: Final = "United Nations system"
TYPE_NAMES: Final = {
    PartnerType.NGO: "Non-governmental organisations",
    PartnerType.IGO: "Intergovernmental organisations",
    PartnerType.MUSEUM: "Museum institutions",
}


def relation_label(cat: Catalogue, relation: Relation) -> str:
    """A relation in words, from its partner's side: its kind's label (`co-founded by`), or, for
    a link between two instruments, the record's own words, which name them (`1970 Convention —
    supplemented by the 1995 UNIDROIT Convention`): the organisations do not supplement each other."""
    kind = cat.relation_kind(relation.kind)
    if relation.between is None and kind is not None:
        return kind.label
    return relation.relation


# -- related ------------------------------------------------------------------------------------------


class Connection(Struct, frozen=True):
    """How a partner is connected to the one asked about."""

    partner: Partner
    kind: str  # "relation", "group" or "themes"
    label: str
    themes: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "themes": list(self.themes)}


def related(cat: Catalogue, partner: Partner) -> list[Connection]:
    """The partners connected to `partner`, strongest first: its relations (in the page's order),
    then the rest of its group (the UN system), then partners sharing themes (most shared first,
    ties by name)."""
    found: dict[str, Connection] = {}  # by id: a partner connected twice keeps the first
    links = [(cat.partner(r.id), "relation", relation_label(cat, r)) for r in partner.related]
    links += [(o, "group", UN_GROUP) for o in cat.partners if partner.un_system and o.un_system]
    for other, kind, label in links:
        if other is not None and other.id != partner.id:
            found.setdefault(other.id, Connection(other, kind, label))
    sharing = [
        (other, tuple(t for t in partner.themes if t in other.themes))
        for other in cat.partners
        if other.id not in found and other.id != partner.id
    ]
    sharing.sort(key=lambda item: (-len(item[1]), item[0].name.casefold(), item[0].id))
    for other, shared in sharing:
        if shared:
            names = "; ".join(t.name if (t := cat.theme(i)) else i for i in shared)
            found[other.id] = Connection(other, "themes", names, shared)
    return list(found.values())


# -- the graph ----------------------------------------------------------------------------------------


class Node(Struct, frozen=True, omit_defaults=True):  # JSON leaves out a type or group it lacks
    id: str
    label: str
    kind: str  # "organisation", "partner", "theme" or "type"
    type: str | None = None  # a partner's type
    group: str | None = None  # UN_GROUP for the UN bodies


class Edge(Struct, frozen=True):
    source: str
    target: str
    kind: str  # "partnership", a relation kind, "theme" or "type"
    label: str


class Graph(Struct):
    nodes: list[Node] = msgspec.field(default_factory=list)
    edges: list[Edge] = msgspec.field(default_factory=list)


def _partner_node(partner: Partner) -> Node:
    label = f"{partner.name} ({partner.acronym})" if partner.acronym else partner.name
    group = UN_GROUP if partner.un_system else None
    return Node(partner.id, label, "partner", partner.type.value, group)


def build(cat: Catalogue, *, by: EdgeSet = EdgeSet.RELATION) -> Graph:
    """The whole network with the links `by` chooses."""
    hub = cat.icom.name if cat.icom else "International Council of Museums"
    graph = Graph(nodes=[Node(HUB, f"{hub} (ICOM)", "organisation")])
    graph.nodes += [_partner_node(p) for p in cat.partners]
    if by is EdgeSet.RELATION:
        for partner in cat.partners:
            since = f"partner since {partner.since}" if partner.since else "partner"
            graph.edges.append(Edge(HUB, partner.id, "partnership", since))
        drawn: set[frozenset[str]] = set()
        for partner in cat.partners:  # one edge per pair, from the side that comes first
            for relation in partner.related:
                pair = frozenset((partner.id, relation.id))
                if pair not in drawn and cat.partner(relation.id):
                    drawn.add(pair)
                    kind, label = relation.kind or "related", relation_label(cat, relation)
                    graph.edges.append(Edge(partner.id, relation.id, kind, label))
    elif by is EdgeSet.THEME:
        used = {t for p in cat.partners for t in p.themes}
        graph.nodes += [Node(f"theme:{t.id}", t.name, "theme") for t in cat.themes if t.id in used]
        graph.edges += [
            Edge(p.id, f"theme:{t}", "theme", "works on") for p in cat.partners for t in p.themes
        ]
    else:
        graph.nodes += [Node(f"type:{t.value}", TYPE_NAMES[t], "type") for t in PartnerType]
        graph.edges += [
            Edge(p.id, f"type:{p.type.value}", "type", "is one of") for p in cat.partners
        ]
    return graph


def around(graph: Graph, start: str, depth: int) -> Graph:
    """The part of `graph` within `depth` links of `start` (links followed either way)."""
    neighbours: dict[str, set[str]] = {}
    for edge in graph.edges:
        neighbours.setdefault(edge.source, set()).add(edge.target)
        neighbours.setdefault(edge.target, set()).add(edge.source)
    reached, frontier = {start}, {start}
    for _ in range(depth):  # one more link away each time
        frontier = {other for node in frontier for other in neighbours.get(node, ())} - reached
        reached |= frontier
    return Graph(
        nodes=[n for n in graph.nodes if n.id in reached],
        edges=[e for e in graph.edges if e.source in reached and e.target in reached],
    )


# -- writers: each label is escaped for its format -----------------------------------------------------


def plain(graph: Graph) -> str:
    """One link per line: source, kind, target, label (tab-separated)."""
    return "".join(
        "\t".join(for_display(v) for v in (e.source, e.kind, e.target, e.label)) + "\n"
        for e in graph.edges
    )


def _drawing(
    graph: Graph,
    *,
    head: list[str],
    opened: list[str],
    closed: str,
    node: Callable[[Node], str],
    edge: Callable[[Edge], str],
) -> list[str]:
    """The lines DOT and Mermaid share: `head`, the nodes, the UN bodies in a cluster of their
    own (between the lines `opened` and `closed`), then the edges."""
    grouped = [n for n in graph.nodes if n.group]
    lines = [*head, *(f"  {node(n)}" for n in graph.nodes if not n.group)]
    if grouped:
        lines += [*opened, *(f"    {node(n)}" for n in grouped), closed]
    return lines + [f"  {edge(e)}" for e in graph.edges]


#: Graphviz refuses a quoted string of 16,384 bytes or more ("longer than 16384?"): a longer
#: one is cut with "…" to this many bytes.
DOT_STRING_BYTES: Final = 16_000


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_size(text: str) -> int:
    return len(_dot_escape(text).encode("utf-8"))


def _dot_string(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, nothing that ends it early, short
    enough for Graphviz to read."""
    return '"' + _dot_escape(shorten(for_display(text), DOT_STRING_BYTES, size=_dot_size)) + '"'


def dot(graph: Graph) -> str:
    """Graphviz DOT; the UN bodies in a cluster of their own."""
    quote = _dot_string
    lines = _drawing(
        graph,
        head=["digraph partners {", "  rankdir=LR;", "  node [shape=box, style=rounded];"],
        opened=["  subgraph cluster_un {", f"    label={quote(UN_GROUP)};"],
        closed="  }",
        node=lambda n: f"{quote(n.id)} [label={quote(n.label)}];",
        edge=lambda e: f"{quote(e.source)} -> {quote(e.target)} [label={quote(e.label)}];",
    )
    return "\n".join([*lines, "}"]) + "\n"


def _mermaid_label(text: str) -> str:
    """A Mermaid label in double quotes: quotes and markup characters as entity codes."""
    codes = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#amp;", "`": "#96;",
             "|": "#124;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;", "\\": "#92;"}  # fmt: skip
    return '"' + "".join(codes.get(ch, ch) for ch in for_display(text)) + '"'


def mermaid(graph: Graph) -> str:
    """A Mermaid flowchart (GitHub renders it); node ids are generated, labels are quoted."""
    ids = {node.id: f"n{index}" for index, node in enumerate(graph.nodes)}
    lines = _drawing(
        graph,
        head=["flowchart LR"],
        opened=[f"  subgraph un[{_mermaid_label(UN_GROUP)}]"],
        closed="  end",
        node=lambda n: f"{ids[n.id]}[{_mermaid_label(n.label)}]",
        edge=lambda e: f"{ids[e.source]} -->|{_mermaid_label(e.label)}| {ids[e.target]}",
    )
    return "\n".join(lines) + "\n"


#: What XML 1.0 cannot hold past the controls `for_display` drops (surrogates, U+FFFE and U+FFFF:
#: a parser refuses the file), and the other noncharacters it discourages (U+FDD0 to U+FDEF and
#: the last two code points of every plane).
_NOT_XML = (
    r"[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(rf"\U{plane:04x}fffe\U{plane:04x}ffff" for plane in range(0x1, 0x11))
    + "]"
)


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold (no control characters, surrogates or noncharacters); ElementTree
    escapes the rest."""
    return re.sub(_NOT_XML, "", for_display(text))


#: The GraphML attributes of nodes and of edges, in the order each element holds them.
_GRAPHML_KEYS: Final = {"node": ("label", "kind", "type", "group"), "edge": ("label", "kind")}


def graphml(graph: Graph) -> str:
    """GraphML, as Gephi, yEd and Cytoscape import it."""
    import xml.etree.ElementTree as ET  # ~4 ms: only GraphML pays for it

    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for owner, names in _GRAPHML_KEYS.items():
        for name in names:
            attributes = {"for": owner, "attr.name": name, "attr.type": "string"}
            ET.SubElement(root, "key", {"id": f"{owner[0]}_{name}", **attributes})
    body = ET.SubElement(root, "graph", id="partners", edgedefault="directed")

    def add(item: Node | Edge, tag: str, **ids: str) -> None:
        element = ET.SubElement(body, tag, {k: _xml_text(v) for k, v in ids.items()})
        for name in _GRAPHML_KEYS[tag]:
            if (value := getattr(item, name)) is not None:
                ET.SubElement(element, "data", key=f"{tag[0]}_{name}").text = _xml_text(value)

    for node in graph.nodes:
        add(node, "node", id=node.id)
    for index, edge in enumerate(graph.edges):
        add(edge, "edge", id=f"e{index}", source=edge.source, target=edge.target)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(graph: Graph, fmt: GraphFormat, *, ensure_ascii: bool = False) -> str:
    """`graph` in a text format (`render` draws the table). JSON is networkx's node-link form:
    `networkx.node_link_graph(data, edges="edges")` reads it."""
    if fmt is not GraphFormat.JSON:  # a StrEnum: its members are the strings they name
        return {"plain": plain, "mermaid": mermaid, "dot": dot, "graphml": graphml}[fmt](graph)
    data = {
        "directed": True,
        "multigraph": False,
        "graph": {"name": "ICOM partner network"},
        **msgspec.to_builtins(graph),  # its nodes, then its edges
    }
    return inert_json(json.dumps(data, ensure_ascii=ensure_ascii, indent=2)) + "\n"
