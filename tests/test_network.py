"""The network: `partners related` and `partners graph`, each export read back by a real consumer."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pydot
import pytest

from partnercli import network
from partnercli.models import Catalogue
from tests.conftest import Invoke, WriteData, minimal_dataset, record

ROOT = Path(__file__).parent.parent


def ids_of(invoke: Invoke, *args: str) -> list[str]:
    return [p["id"] for p in json.loads(invoke(*args, "--json").stdout)]


# -- the data ---------------------------------------------------------------------------------------


def test_relations_are_typed_and_symmetric_through_their_inverse(bundled: Catalogue) -> None:
    kinds = {k.id: k for k in bundled.relation_kinds}
    assert {k.inverse for k in kinds.values()} == set(kinds)
    typed = {(p.id, r.id, r.kind) for p in bundled.partners for r in p.related}
    assert typed, "the network has links"
    for a, b, kind in typed:
        assert kind in kinds
        assert (b, a, kinds[kind].inverse) in typed


def test_every_relation_stands_on_the_page(bundled: Catalogue) -> None:
    def text(partner_id: str) -> str:
        partner = bundled.partner(partner_id)
        assert partner is not None
        return f"{partner.description} {partner.partnership}"

    for partner in bundled.partners:
        for relation in partner.related:
            if relation.kind == "co-founder-of":
                assert re.search(r"founding members? of the Blue Shield", text(partner.id))
            elif relation.kind == "supplements":
                assert "supplementing them" in text(partner.id)
                assert "1970 UNESCO Convention" in text(partner.id)
            else:
                assert relation.kind in ("co-founded-by", "supplemented-by"), relation


def test_the_un_system_is_an_attribute_not_a_clique_of_links(bundled: Catalogue) -> None:
    assert not any(
        r.relation == "United Nations system" for p in bundled.partners for r in p.related
    )
    assert sum(1 for p in bundled.partners if p.un_system) == 4


def test_a_one_way_or_mistyped_link_is_invalid(invoke: Invoke, write_data: WriteData) -> None:
    data = minimal_dataset(
        record("a", related=[{"id": "b", "relation": "x", "kind": "parent-of"}]),
        record("b", related=[{"id": "a", "relation": "y", "kind": "parent-of"}]),
    )
    data["relation_kinds"] = [
        {"id": "parent-of", "label": "parent of", "inverse": "child-of"},
        {"id": "child-of", "label": "child of", "inverse": "parent-of"},
    ]
    result = invoke("--data", str(write_data(data)), "list")
    assert result.exit_code == 1
    assert "has no 'child-of' link back" in result.stderr


# -- related ------------------------------------------------------------------------------------------


def test_related_blue_shield_lists_its_co_founders_first(invoke: Invoke) -> None:
    rows = json.loads(invoke("related", "blue-shield", "--json").stdout)
    assert [r["id"] for r in rows[:3]] == ["ica", "icomos", "ifla"]
    assert {r["connection"]["kind"] for r in rows[:3]} == {"relation"}
    assert rows[0]["connection"]["label"] == "co-founded by"
    assert all(r["connection"]["kind"] == "themes" for r in rows[3:])


def test_related_reads_the_relation_from_the_partner_s_side(invoke: Invoke) -> None:
    assert invoke("related", "ica").stdout.splitlines()[0] == (
        "blue-shield\tngo\tBlue Shield\trelation\tco-founder of"
    )


def test_related_interpol_lists_the_partners_sharing_illicit_trafficking(
    invoke: Invoke, bundled: Catalogue
) -> None:
    rows = json.loads(invoke("related", "interpol", "--json").stdout)
    sharing = {p.id for p in bundled.partners if "illicit-trafficking" in p.themes} - {"interpol"}
    assert {r["id"] for r in rows} == sharing
    assert all(r["connection"]["themes"] == ["illicit-trafficking"] for r in rows)
    names = [r["name"].casefold() for r in rows]
    assert names == sorted(names), "ties broken by name"


def test_related_puts_the_un_group_before_shared_themes(invoke: Invoke) -> None:
    rows = json.loads(invoke("related", "wipo", "--json").stdout)
    group = [r["id"] for r in rows if r["connection"]["kind"] == "group"]
    assert sorted(group) == ["ecosoc", "unesco", "unodc"]
    kinds = [r["connection"]["kind"] for r in rows]
    assert kinds == sorted(kinds, key=["relation", "group", "themes"].index)


@pytest.mark.parametrize("fmt", ["table", "plain", "json", "jsonl", "csv", "tsv", "markdown"])
def test_related_in_every_format(invoke: Invoke, fmt: str) -> None:
    result = invoke("related", "unesco", "-f", fmt, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "unidroit" in result.stdout


def test_show_lists_the_partners_it_shares_most_themes_with(invoke: Invoke) -> None:
    plain = invoke("show", "interpol").stdout
    line = next(x for x in plain.splitlines() if x.startswith("shares_themes_with:"))
    assert line.count("(Illicit trafficking)") == 3
    table = invoke("show", "interpol", "-f", "table", env={"COLUMNS": "120"}).stdout
    assert "Shares themes with" in table


# -- graph ---------------------------------------------------------------------------------------------


def graph_json(invoke: Invoke, *args: str) -> Any:
    """The graph as networkx reads it."""
    data = json.loads(invoke("graph", *args, "-f", "json").stdout)
    return nx.node_link_graph(data, edges="edges")


def test_json_is_read_by_networkx_and_counts_match(invoke: Invoke, bundled: Catalogue) -> None:
    graph = graph_json(invoke)
    assert graph.number_of_nodes() == len(bundled.partners) + 1  # and ICOM
    pairs = {frozenset((p.id, r.id)) for p in bundled.partners for r in p.related}
    assert graph.number_of_edges() == len(bundled.partners) + len(pairs)
    assert graph.out_degree(network.HUB) == len(bundled.partners)
    assert graph.edges["ICOM", "unesco"]["label"] == "partner since 1946"
    assert graph.nodes["wipo"]["group"] == network.UN_GROUP


@pytest.mark.parametrize(("by", "extra"), [("theme", "theme:funding"), ("type", "type:igo")])
def test_other_edge_sets(invoke: Invoke, by: str, extra: str) -> None:
    graph = graph_json(invoke, "--by", by)
    assert extra in graph
    assert graph.degree(network.HUB) == 0


def test_around_unesco_at_depth_1_has_nothing_two_steps_away(invoke: Invoke) -> None:
    graph = graph_json(invoke, "--around", "unesco", "--depth", "1")
    assert set(graph.nodes) == {"unesco", "unidroit", network.HUB}
    deeper = graph_json(invoke, "--around", "blue-shield", "--depth", "2", "--by", "theme")
    assert "theme:emergencies" in deeper
    assert "iccrom" in deeper  # blue-shield -> emergencies -> iccrom


def test_graphml_is_read_by_networkx(invoke: Invoke, bundled: Catalogue) -> None:
    text = invoke("graph", "-f", "graphml").stdout
    graph = nx.read_graphml(io.BytesIO(text.encode()))
    assert graph.number_of_nodes() == len(bundled.partners) + 1
    assert graph.nodes["unesco"]["group"] == network.UN_GROUP


def test_dot_is_read_by_pydot(invoke: Invoke, bundled: Catalogue) -> None:
    graphs = pydot.graph_from_dot_data(invoke("graph", "-f", "dot").stdout)
    assert graphs is not None
    (graph,) = graphs
    edges = graph.get_edges()
    assert len(edges) == len(bundled.partners) + 3 + 1  # hub links, founders, conventions
    clusters = graph.get_subgraphs()
    assert [c.get_name() for c in clusters] == ["cluster_un"]
    assert len(clusters[0].get_nodes()) == 4


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz is not installed (.ci/run installs it)"
)
def test_dot_renders_with_graphviz(invoke: Invoke) -> None:
    svg = subprocess.run(
        ["dot", "-Tsvg"], input=invoke("graph", "-f", "dot").stdout, capture_output=True,
        text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert "<svg" in svg
    assert "Blue Shield" in svg


def test_mermaid_is_a_well_formed_flowchart(invoke: Invoke, bundled: Catalogue) -> None:
    lines = invoke("graph", "-f", "mermaid").stdout.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = [x for x in lines if re.fullmatch(r'\s+n\d+\["[^"]*"\]', x)]
    edges = [x for x in lines if re.fullmatch(r'\s+n\d+ -->\|"[^"]*"\| n\d+', x)]
    assert len(nodes) == len(bundled.partners) + 1
    assert len(edges) == len(bundled.partners) + 4
    assert lines.count("  end") == 1
    assert len(lines) == 1 + len(nodes) + len(edges) + 2  # and the subgraph's two lines


def test_the_docs_show_the_network_as_the_command_draws_it(invoke: Invoke) -> None:
    page = (ROOT / "docs" / "network.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", page, re.DOTALL)
    assert block is not None, "docs/network.md has a Mermaid picture"
    assert block[1] == invoke("graph", "-f", "mermaid").stdout


ATTACK = 'x"]; evil["pwned"] --> n0 %% \x1b]52;c;aGk=\x07 </data><node id="z"/> "; rankdir=RL; <b>'


def test_hostile_labels_cannot_break_out_of_any_format(
    invoke: Invoke, write_data: WriteData
) -> None:
    data = minimal_dataset(
        record("a", name=ATTACK, related=[{"id": "b", "relation": ATTACK}]),
        record("b", name="B\\", related=[{"id": "a", "relation": "back"}]),
    )
    data["themes"][0]["name"] = ATTACK
    data["partners"][0]["themes"] = ["alpha"]
    path = str(write_data(data))
    for args in ([], ["--by", "theme"]):
        mermaid = invoke("--data", path, "graph", *args, "-f", "mermaid").stdout
        assert "evil[" not in mermaid.replace("evil#91;", "")
        for line in mermaid.splitlines()[1:]:
            assert re.fullmatch(
                r'\s*(n\d+\["[^"]*"\]|n\d+ -->\|"[^"]*"\| n\d+|subgraph un\["[^"]*"\]|end)', line
            ), line
        dots = pydot.graph_from_dot_data(invoke("--data", path, "graph", *args, "-f", "dot").stdout)
        assert dots is not None
        (dot,) = dots
        assert {n.get_name().strip('"') for n in dot.get_nodes()} <= {
            "ICOM",
            "a",
            "b",
            "theme:alpha",
            "node",
        }
        assert dot.get("rankdir") == "LR"
        graphml = invoke("--data", path, "graph", *args, "-f", "graphml").stdout
        root = ET.fromstring(graphml.encode())
        assert {n.get("id") for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node")} <= {
            "ICOM",
            "a",
            "b",
            "theme:alpha",
        }
        for output in (mermaid, graphml, invoke("--data", path, "graph", *args).stdout):
            assert "\x1b" not in output
            assert "\x07" not in output
        tree = invoke("--data", path, "graph", *args, "-f", "table").stdout
        assert "\x1b]" not in tree


def test_a_link_between_two_instruments_says_so(invoke: Invoke, bundled: Catalogue) -> None:
    unesco, unidroit = bundled.partner("unesco"), bundled.partner("unidroit")
    assert unesco is not None
    assert unidroit is not None
    (forward,), (backward,) = unesco.related, unidroit.related
    assert forward.between == ("1970 UNESCO Convention", "1995 UNIDROIT Convention")
    assert backward.between == (forward.between[1], forward.between[0])
    page = f"{unidroit.description} {unidroit.partnership}"
    for instrument in forward.between:
        assert instrument in page  # as the page names them
    label = "1970 Convention — supplemented by the 1995 UNIDROIT Convention"
    assert f"unesco\tsupplemented-by\tunidroit\t{label}\n" in invoke("graph", "-f", "plain").stdout
    assert f"relation\t{label}\n" in invoke("related", "unesco").stdout
    assert "relation\t1995 Convention — supplements the 1970 UNESCO Convention\n" in (
        invoke("related", "unidroit").stdout
    )
    tree = invoke("graph", "--around", "unesco", "-f", "table", env={"COLUMNS": "300"}).stdout
    assert f"{label} — International Institute for the Unification of Private Law" in tree
    assert "is supplemented by" not in tree
    # Links between the organisations themselves keep their kind's label.
    assert "co-founded by" in invoke("related", "blue-shield").stdout


def test_show_sources_prints_each_url_whole(invoke: Invoke) -> None:
    table = invoke("show", "unesco", "--sources", "-f", "table", env={"COLUMNS": "80"}).stdout
    assert "…" not in "".join(line for line in table.splitlines() if "http" in line)
    lines = table.splitlines()
    assert "[1] https://icom.museum/en/network/partners/" in lines
    assert "[2] http://www.icom-croatia.hr/en/icom/icom-partneri/" in lines
    assert "ICOM partners page [1]" in table
