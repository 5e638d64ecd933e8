"""The maps' views and what `kg map` / `kg export` write, with hand-worked answers on tests/data/mini."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from cli import cli
from kg.render.maps import map_graph, map_page
from kg.store import open_store
from kg.views.maps import map_view
from kg.views.records import read_records
from tests.fixtures import DATA, REPO

MINI = DATA / "mini"


@pytest.fixture(scope="module")
def records():
    return read_records(open_store(project=MINI))


def labelled(graph: nx.Graph) -> tuple[set[str], set[frozenset[str]]]:
    label = {node: data["label"] for node, data in graph.nodes(data=True)}
    return set(label.values()), {frozenset((label[a], label[b])) for a, b in graph.edges}


def test_literature_view(records):
    graph = map_view(records, "literature")
    nodes, edges = labelled(graph)
    assert nodes == {
        "Gamma et al. 2021",
        "Knuth 1974",
        "Zeta 1999",
        "Alpha & Beta 2020",
        "Small things",
        "Talk over coffee",
        "Little things",
    }
    assert edges == {
        frozenset(pair)
        for pair in [
            ("Gamma et al. 2021", "Small things"),
            ("Knuth 1974", "Small things"),
            ("Knuth 1974", "Talk over coffee"),
            ("Zeta 1999", "Talk over coffee"),
            ("Zeta 1999", "Little things"),
            ("Alpha & Beta 2020", "Little things"),
            ("Talk over coffee", "Small things"),  # sub-theme
            ("Little things", "Small things"),  # matched across papers
        ]
    }
    knuth = next(n for n, d in graph.nodes(data=True) if d["label"] == "Knuth 1974")
    assert graph.nodes[knuth]["key"] == "DBLP:journals/cacm/Knuth74"
    assert [p["id"] for p in graph.nodes[knuth]["details"]["passages"]] == ["c1", "c2"]
    assert {d["relation"] for _, _, d in graph.edges(data=True)} == {"is cited about", "is a sub-theme of", "matches"}


def test_evidence_view_tells_users_and_professionals_apart(records):
    graph = map_view(records, "evidence")
    kinds = [d["kind"] for _, d in graph.nodes(data=True)]
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "quote": 5,
        "theme": 3,
        "action": 2,
        "factor": 2,
        "participant": 4,  # 1, II, A and alpha2020's unidentified user
    }
    roles = {d["label"]: d["role"] for _, d in graph.nodes(data=True) if d["kind"] == "participant"}
    assert sorted(roles.values()) == ["professional", "user", "user", "user"]
    assert graph.number_of_edges() == 5 + 17  # each quote to its speaker, and to each of its codes
    q4 = next(n for n, d in graph.nodes(data=True) if d["label"] == "q4")
    assert graph.nodes[q4]["details"]["quotes"] == [
        {
            "id": "q4",
            "text": "Coffee and a greeting by name, every morning.",
            "speaker": "II",
            "role": "professional",
            "study": "alpha2020",
            "page": "",
        }
    ]


def test_actions_view_shows_who_describes_each_action(records):
    graph = map_view(records, "actions")
    labels = sorted(d["label"] for _, d in graph.nodes(data=True) if d["kind"] == "action")
    assert labels == [
        "Greeting by name (users 1 · professionals 2)",
        "Offering coffee (users 2 · professionals 1)",
    ]
    weights = {
        frozenset((graph.nodes[a]["label"].split(" (")[0], graph.nodes[b]["label"])): d["weight"]
        for a, b, d in graph.edges(data=True)
    }
    assert weights == {
        frozenset(("Offering coffee", "Trust")): 3,
        frozenset(("Greeting by name", "Being seen")): 2,
        frozenset(("Greeting by name", "Trust")): 1,
    }


def test_full_view_holds_every_other_view(records):
    full = map_view(records, "full")
    for view in ("literature", "evidence", "actions"):
        part = map_view(records, view)
        assert set(part) <= set(full)
        assert all(full.has_edge(a, b) for a, b in part.edges)


def test_every_node_has_a_position_a_community_and_evidence_fields(records):
    graph = map_view(records, "full")
    for node, data in graph.nodes(data=True):
        assert isinstance(data["x"], float) and isinstance(data["y"], float)
        if data["group"] is None:  # a node alone is no community
            assert data["group_label"] is None and graph.degree(node) == 0
        else:
            assert data["group"] >= 1 and data["group_label"].startswith(f"{data['group']}: ")
        assert set(data["details"]) >= {"heading", "reference", "doi", "quotes", "passages"}


def test_focus_narrows_to_a_neighbourhood_named_as_in_queries():
    store = open_store(project=MINI)
    graph = map_graph(store, "literature", focus_on="zeta1999", depth=1)
    nodes, _ = labelled(graph)
    assert nodes == {"Zeta 1999", "Talk over coffee", "Little things"}
    with pytest.raises(Exception, match="is not in the literature view"):
        map_graph(store, "literature", focus_on="trust")


def test_studies_carry_their_reference_formatted_by_a_csl_style():
    graph = map_graph(open_store(project=REPO), "literature", focus_on="borg2004", depth=0)
    (details,) = [d["details"] for _, d in graph.nodes(data=True)]
    assert details["doi"] == "10.1080/09638230400006809"
    assert details["reference"] == (
        "Borg, M., & Kristiansen, K. (2004). Recovery-oriented professionals: Helping relationships in mental "
        "health services. Journal of Mental Health, 13(5), 493–505. https://doi.org/10.1080/09638230400006809"
    )


def test_two_maps_of_the_same_graph_are_the_same_bytes():
    first = map_page(open_store(project=MINI), "full")
    second = map_page(open_store(project=MINI), "full")
    assert first == second


def test_map_from_a_graph_file_equals_map_from_the_project(tmp_path: Path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(project), "--format", "trig"]).exit_code == 0
    from_file = runner.invoke(cli, ["map", "--graph", str(project / "out" / "graph.trig"), "--out", "-"])
    from_project = runner.invoke(cli, ["map", "--project", str(project), "--out", "-"])
    assert from_file.exit_code == 0, from_file.output
    assert from_file.output == from_project.output


def test_kg_map_writes_the_page_in_out(tmp_path: Path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    result = CliRunner().invoke(cli, ["map", "--project", str(project), "--view", "evidence"])
    assert result.exit_code == 0, result.output
    page = project / "out" / "map-evidence.html"
    assert page.is_file() and "<html" in page.read_text(encoding="utf-8").lower()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape", "vosviewer", "svg"])
def test_kg_export_writes_one_file_with_every_node(tmp_path: Path, fmt: str):
    out = tmp_path / f"literature.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--project", str(MINI), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "graphml":
        assert nx.read_graphml(out).number_of_nodes() == 7
    elif fmt == "gexf":
        assert nx.read_gexf(out).number_of_nodes() == 7
    elif fmt == "cytoscape":
        assert len(json.loads(data)["elements"]["nodes"]) == 7
    elif fmt == "vosviewer":
        assert len(json.loads(data)["network"]["items"]) == 7
    else:
        assert data.count(b'class="node"') == 7


def test_kg_export_csv_writes_nodes_and_edges_in_a_folder(tmp_path: Path):
    out = tmp_path / "tables"
    result = CliRunner().invoke(
        cli, ["export", "--project", str(MINI), "--format", "csv", "--view", "actions", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert len((out / "edges.csv").read_text(encoding="utf-8").splitlines()) == 1 + 3


def test_full_view_shows_who_cites_whom(records):
    graph = map_view(records, "full")
    cites = {
        (graph.nodes[a]["label"], graph.nodes[b]["label"])
        for a, b, d in graph.edges(data=True)
        if "cites" in d["relation"].split("; ")
    }
    assert {frozenset(pair) for pair in cites} == {
        frozenset(pair)
        for pair in [
            ("Alpha & Beta 2020", "Gamma et al. 2021"),
            ("Alpha & Beta 2020", "Knuth 1974"),
            ("Alpha & Beta 2020", "Zeta 1999"),
            ("Gamma et al. 2021", "Zeta 1999"),
            ("Gamma et al. 2021", "Alpha & Beta 2020"),
        ]
    }


def test_literature_view_leaves_out_studies_cited_about_no_theme():
    graph = map_graph(open_store(project=REPO), "literature")
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    assert "Anthony 1993" not in labels  # cited only in c-personal-social, a passage with no theme
    assert "Borg & Kristiansen 2004" in labels
    assert all(graph.degree(node) > 0 for node in graph)
