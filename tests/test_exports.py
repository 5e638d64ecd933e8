"""Graph exports: every format reads back with the same nodes, edges and values; same graph, same
bytes; hostile text stays text and the XML stays well-formed; the SVG is a self-contained figure."""

from __future__ import annotations

import csv
import io
import json
import re

import defusedxml.ElementTree as SafeET
import networkx as nx
import pytest

from kg.errors import ProjectError
from kg.render.export_records import EDGE_FIELDS, NODE_FIELDS, clean_text, export_records
from kg.render.exports import FORMATS, export_graph
from kg.render.svg import LABEL_LIMIT

SVG = "{http://www.w3.org/2000/svg}"
BASE = "https://w3id.org/recovery-kg/id/"
HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single'\nnext\x0bline\x00\r\nend \u2028 Ærø 😀 مرحبا"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _node(kind: str, label: str, x: float, y: float, **extra) -> dict:
    data = {
        "kind": kind,
        "label": label,
        "hover": label,
        "role": None,
        "study": None,
        "themes": [],
        "size": 1.0,
        "group": None,
        "group_label": None,
        "x": x,
        "y": y,
        "flag": None,
        "key": None,
        "details": {"quotes": [{"text": "evidence is for the HTML map"}]},
    }
    data.update(extra)
    return data


def literature_nodes() -> list[tuple[str, dict]]:
    return [
        (
            BASE + "study/topor2018helpful",
            _node(
                "study",
                "Topor et al. 2018",
                0.0,
                0.0,
                size=30.0,
                group=0,
                group_label="Small things",
                key="topor2018helpful",
            ),
        ),
        (
            BASE + "study/borg2004",
            _node(
                "study",
                "Borg & Kristiansen 2004",
                220.5,
                -80.25,
                size=12.0,
                group=1,
                group_label="Relations",
                key="borg2004",
            ),
        ),
        (
            BASE + "theme/topor2018helpful/small-things",
            _node(
                "theme",
                "Small trivial things of great importance",
                120.0,
                60.0,
                size=20.0,
                group=0,
                group_label="Small things",
                study="topor2018helpful",
                themes=["small-things", "being-seen"],
            ),
        ),
        (BASE + "factor/being-seen", _node("factor", "Being seen", -150.0, 140.0, size=5.5, flag="factor")),
    ]


def literature_edges() -> list[tuple[str, str, dict]]:
    return [
        (
            BASE + "study/topor2018helpful",
            BASE + "theme/topor2018helpful/small-things",
            {"relation": "cited-about", "weight": 3, "quotes": [], "passages": [{"text": "p1"}, {"text": "p2"}]},
        ),
        (
            BASE + "study/borg2004",
            BASE + "theme/topor2018helpful/small-things",
            {"relation": "cited-about", "weight": 1, "quotes": [{"text": "q"}], "passages": [{"text": "p"}]},
        ),
        (
            BASE + "factor/being-seen",
            BASE + "theme/topor2018helpful/small-things",
            {"relation": "coded-with", "weight": 2, "quotes": [{"text": "q1"}, {"text": "q2"}], "passages": []},
        ),
    ]


def evidence_nodes() -> list[tuple[str, dict]]:
    return [
        (BASE + "theme/t/small", _node("theme", "Small things", 0.0, 0.0, size=8.0)),
        (BASE + "quote/t/q38", _node("quote", "They allowed me to fail", 100.0, 0.0, study="t", size=2.0)),
        (BASE + "participant/t/38", _node("participant", "38", 200.0, -50.0, role="user", study="t")),
        (BASE + "participant/t/XV", _node("participant", "XV", 200.0, 50.0, role="professional", study="t")),
        (BASE + "action/hand", _node("action", "A hand on the shoulder", 50.0, 120.0, size=4.0)),
    ]


def evidence_edges() -> list[tuple[str, str, dict]]:
    return [
        (BASE + "theme/t/small", BASE + "quote/t/q38", {"relation": "coded", "weight": 1}),
        (BASE + "quote/t/q38", BASE + "participant/t/38", {"relation": "spoken-by", "weight": 1}),
        (BASE + "participant/t/38", BASE + "quote/t/q38", {"relation": "says", "weight": 2}),
        (BASE + "action/hand", BASE + "participant/t/XV", {"relation": "named-by", "weight": 1}),
    ]


def hostile_nodes() -> list[tuple[str, dict]]:
    return [
        (BASE + "quote/<script>&\"'", _node("quote", HOSTILE, 0.0, 0.0, study="<b>s</b>", themes=[HOSTILE, "a"])),
        (BASE + "theme/formula", _node("theme", FORMULA, 10.0, 5.0, group=2, group_label="<img src=x onerror=y>")),
        (BASE + "theme/dash", _node("-dash", "@at +plus", -10.0, 5.0, role="user")),
        (BASE + "ctl\x0b\x01id", _node("theme", "", 3.0, -2.0)),
    ]


def hostile_edges() -> list[tuple[str, str, dict]]:
    return [
        (BASE + "quote/<script>&\"'", BASE + "theme/formula", {"relation": "</line><script>", "weight": 1}),
        (BASE + "ctl\x0b\x01id", BASE + "theme/dash", {"relation": HOSTILE, "weight": 4}),
    ]


FIXTURES = {
    "literature": (nx.Graph, literature_nodes, literature_edges),
    "evidence": (nx.DiGraph, evidence_nodes, evidence_edges),
    "hostile": (nx.Graph, hostile_nodes, hostile_edges),
}


def build(name: str, shuffled: bool = False) -> nx.Graph:
    """A fixture graph; shuffled: nodes, edges, edge ends (undirected) and theme lists in other orders."""
    graph_class, nodes, edges = FIXTURES[name]
    graph = graph_class()
    node_list, edge_list = nodes(), edges()
    if shuffled:
        node_list = [(n, {**d, "themes": d["themes"][::-1]}) for n, d in reversed(node_list)]
        edge_list = [(v, u, d) if not graph.is_directed() else (u, v, d) for u, v, d in reversed(edge_list)]
    graph.add_nodes_from(node_list)
    graph.add_edges_from(edge_list)
    return graph


# --- reading each format back into (directed, {id: fields}, {(source, target): fields}) ----------


def _typed(field: str, text: str | None) -> object:
    if text in (None, ""):
        return [] if field == "themes" else None
    if field in ("group", "weight", "quote_count", "passage_count"):
        return int(text)
    if field in ("size", "x", "y"):
        return float(text)
    return text


def _from_networkx(graph: nx.Graph) -> tuple:
    nodes = {}
    for node, data in graph.nodes(data=True):
        viz = data.get("viz", {})
        fields = {field: data.get(field) for field in NODE_FIELDS if field != "id"}
        fields["themes"] = json.loads(fields["themes"])
        if viz:  # GEXF: the layout lives in viz as well; both must agree
            assert (viz["position"]["x"], viz["position"]["y"], viz["size"]) == (data["x"], data["y"], data["size"])
        nodes[node] = fields
    edges = {
        (u, v): {
            field: _typed(field, str(data[field])) if field == "weight" else data.get(field)
            for field in EDGE_FIELDS[2:]
        }
        for u, v, data in graph.edges(data=True)
    }
    return graph.is_directed(), nodes, edges


def read_graphml(files: dict[str, bytes]) -> tuple:
    return _from_networkx(nx.read_graphml(io.BytesIO(files[".graphml"])))


def read_gexf(files: dict[str, bytes]) -> tuple:
    graph = nx.read_gexf(io.BytesIO(files[".gexf"]))
    for _, _, data in graph.edges(data=True):
        data["weight"] = int(data["weight"])  # GEXF's edge weight is a double
    return _from_networkx(graph)


def read_cytoscape(files: dict[str, bytes]) -> tuple:
    document = json.loads(files[".cyjs"])
    nodes = {}
    for element in document["elements"]["nodes"]:
        fields = {field: element["data"].get(field) for field in NODE_FIELDS if field not in ("id", "x", "y")}
        nodes[element["data"]["id"]] = {**fields, **element["position"]}
    edges = {
        (e["data"]["source"], e["data"]["target"]): {f: e["data"][f] for f in EDGE_FIELDS[2:]}
        for e in document["elements"]["edges"]
    }
    return document["data"]["directed"], nodes, edges


def read_csv(files: dict[str, bytes]) -> tuple:
    def rows(name: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(files[name].decode(), newline="")))

    nodes = {}
    for row in rows("nodes.csv"):
        fields = {field: _typed(field, row[field]) for field in NODE_FIELDS if field != "id"}
        fields["themes"] = row["themes"].split("; ") if row["themes"] else []
        nodes[row["id"]] = fields
    edges = {
        (row["source"], row["target"]): {f: _typed(f, row[f]) for f in EDGE_FIELDS[2:]} for row in rows("edges.csv")
    }
    return None, nodes, edges


READERS = {"graphml": read_graphml, "gexf": read_gexf, "cytoscape": read_cytoscape, "csv": read_csv}


def expected(graph: nx.Graph) -> tuple:
    export = export_records(graph)
    nodes = {n["id"]: {f: n[f] for f in NODE_FIELDS if f != "id"} for n in export.nodes}
    edges = {(e["source"], e["target"]): {f: e[f] for f in EDGE_FIELDS[2:]} for e in export.edges}
    return export.directed, nodes, edges


def _unguard_csv(nodes: dict) -> dict:
    # the CSV writer puts ' before text a spreadsheet would run; undo it to compare values
    return {
        node: {f: v[1:] if isinstance(v, str) and re.match(r"'[=+\-@\t]", v) else v for f, v in fields.items()}
        for node, fields in nodes.items()
    }


# --- tests --------------------------------------------------------------------------------------


def test_export_records_follow_the_contract():
    """kind → type, key → cite_key, themes sorted, evidence dropped and counted, edges (smaller, larger)."""
    export = export_records(build("literature"))
    theme = next(n for n in export.nodes if n["type"] == "theme")
    assert theme["themes"] == ["being-seen", "small-things"]
    assert set(theme) == set(NODE_FIELDS)
    study = next(n for n in export.nodes if n["id"].endswith("borg2004"))
    assert study["cite_key"] == "borg2004" and study["group"] == 1
    assert [n["id"] for n in export.nodes] == sorted(n["id"] for n in export.nodes)
    assert all(e["source"] < e["target"] for e in export.edges)
    edge = next(e for e in export.edges if e["source"].endswith("topor2018helpful"))
    assert (edge["weight"], edge["quote_count"], edge["passage_count"]) == (3, 0, 2)
    assert set(edge) == set(EDGE_FIELDS)


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("fmt", sorted(READERS))
def test_reads_back_with_same_nodes_edges_and_values(fixture, fmt):
    graph = build(fixture)
    directed, nodes, edges = READERS[fmt](export_graph(graph, fmt))
    want_directed, want_nodes, want_edges = expected(graph)
    if fmt == "csv":
        nodes = _unguard_csv(nodes)
        edges = {key: _unguard_csv({0: fields})[0] for key, fields in edges.items()}
    else:
        assert directed == want_directed
    assert nodes == want_nodes
    assert edges == want_edges
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_vosviewer_items_links_and_clusters(fixture):
    graph = build(fixture)
    document = json.loads(export_graph(graph, "vosviewer")[".json"])
    export = export_records(graph)
    items = document["network"]["items"]
    assert [item["id"] for item in items] == list(range(1, len(export.nodes) + 1))
    number_of = {node["id"]: number for number, node in enumerate(export.nodes, start=1)}
    for item, node in zip(items, export.nodes, strict=True):
        assert (item["label"], item["x"], item["y"]) == (node["label"], node["x"], node["y"])
        assert all(value >= 0 for value in item["weights"].values())
        assert "<script" not in item["description"] and "<img" not in item["description"]
    groups = sorted({n["group"] for n in export.nodes if n["group"] is not None})
    for item, node in zip(items, export.nodes, strict=True):
        assert item.get("cluster") == (groups.index(node["group"]) + 1 if node["group"] is not None else None)
    links = {(link["source_id"], link["target_id"]): link["strength"] for link in document["network"]["links"]}
    assert links == {(number_of[e["source"]], number_of[e["target"]]): e["weight"] for e in export.edges}
    assert set(document["config"]["terminology"]) >= {"item", "items", "link", "links"}


def test_vosviewer_keeps_the_string_id_and_escapes_html():
    items = json.loads(export_graph(build("hostile"), "vosviewer")[".json"])["network"]["items"]
    quote = next(item for item in items if "quote/" in item["description"])
    assert "id: " + BASE + "quote/&lt;script&gt;&amp;&quot;&#x27;" in quote["description"]
    assert "study: &lt;b&gt;s&lt;/b&gt;" in quote["description"]


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("fmt", FORMATS)
def test_same_graph_same_bytes_whatever_the_order(fixture, fmt):
    first = export_graph(build(fixture), fmt)
    assert export_graph(build(fixture), fmt) == first
    assert export_graph(build(fixture, shuffled=True), fmt) == first


def test_gexf_carries_no_date_or_networkx_version():
    text = export_graph(build("literature"), "gexf")[".gexf"].decode()
    meta = SafeET.fromstring(text.encode()).find("{http://www.gexf.net/1.2draft}meta")
    assert meta.attrib == {}
    assert [child.text for child in meta] == ["recovery-kg"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text) and nx.__version__ not in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "svg"])
def test_hostile_text_keeps_xml_well_formed(fmt):
    (data,) = export_graph(build("hostile"), fmt).values()
    root = SafeET.fromstring(data)  # raises on anything ill-formed
    assert not [element for element in root.iter() if element.tag.split("}")[-1] in ("script", "img", "foreignObject")]
    assert b"\x0b" not in data and b"\x00" not in data and b"\x01" not in data


def test_hostile_text_is_cleaned_the_same_in_every_format():
    """XML 1.0's forbidden controls go; \\x0b and \\r\\n become \\n; markup, quotes and Unicode stay as text."""
    cleaned = clean_text(HOSTILE)
    assert cleaned == HOSTILE.replace("\x0b", "\n").replace("\x00", "").replace("\r\n", "\n")
    assert "<script>" in cleaned and "😀" in cleaned and "مرحبا" in cleaned and "\u2028" in cleaned
    graph = build("hostile")
    for fmt, read in READERS.items():
        _, nodes, edges = read(export_graph(graph, fmt))
        quote = next(fields for node, fields in nodes.items() if "quote/" in node)
        assert quote["label"] == cleaned, fmt
        assert sorted(quote["themes"]) == sorted(["a", cleaned]) or fmt == "csv", fmt
        assert BASE + "ctl\nid" in nodes, fmt
        assert cleaned in [fields["relation"] for fields in edges.values()], fmt


def test_ids_that_clean_to_the_same_text_are_refused():
    graph = nx.Graph()
    graph.add_node("a\x00", **_node("theme", "a", 0, 0))
    graph.add_node("a", **_node("theme", "a", 1, 1))
    with pytest.raises(ValueError, match="differ only in characters"):
        export_records(graph)


def test_positions_must_be_finite():
    graph = nx.Graph()
    graph.add_node("a", **_node("theme", "a", float("nan"), 0))
    with pytest.raises(ValueError, match="finite"):
        export_graph(graph, "cytoscape")


def test_csv_shows_formulas_as_text():
    nodes = list(csv.DictReader(io.StringIO(export_graph(build("hostile"), "csv")["nodes.csv"].decode())))
    by_id = {row["id"]: row for row in nodes}
    assert by_id[BASE + "theme/formula"]["label"] == "'" + FORMULA
    assert by_id[BASE + "theme/dash"]["label"] == "'@at +plus"
    assert by_id[BASE + "theme/dash"]["type"] == "'-dash"
    assert by_id[BASE + "theme/formula"]["x"] == "10.0"  # numbers are left alone, minus signs too
    assert by_id[BASE + "theme/dash"]["x"] == "-10.0"


def test_csv_has_header_and_unix_line_ends():
    files = export_graph(build("literature"), "csv")
    assert sorted(files) == ["edges.csv", "nodes.csv"]
    assert files["nodes.csv"].startswith(",".join(NODE_FIELDS).encode() + b"\n")
    assert files["edges.csv"].startswith(",".join(EDGE_FIELDS).encode() + b"\n")
    assert b"\r" not in files["nodes.csv"] + files["edges.csv"]


def test_cytoscape_is_in_elements_form():
    document = json.loads(export_graph(build("evidence"), "cytoscape")[".cyjs"])
    assert sorted(document["elements"]) == ["edges", "nodes"]
    node = document["elements"]["nodes"][0]
    assert sorted(node) == ["data", "position"] and sorted(node["position"]) == ["x", "y"]
    edge_ids = [edge["data"]["id"] for edge in document["elements"]["edges"]]
    assert len(set(edge_ids)) == len(edge_ids)
    assert "details" not in json.dumps(document) and "evidence is for the HTML map" not in json.dumps(document)


def test_unknown_format_is_refused():
    with pytest.raises(ProjectError, match="unknown export format 'pdf'"):
        export_graph(build("literature"), "pdf")


# --- the SVG figure -----------------------------------------------------------------------------


def _svg(graph: nx.Graph):
    return SafeET.fromstring(export_graph(graph, "svg")[".svg"])


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_svg_draws_every_node_and_edge(fixture):
    graph = build(fixture)
    root = _svg(graph)
    export = export_records(graph)
    drawn = {g.get("data-id"): g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == "node"}
    assert drawn == {node["id"]: node["label"] for node in export.nodes}
    lines = sorted((line.get("data-source"), line.get("data-target")) for line in root.iter(SVG + "line"))
    assert lines == sorted((edge["source"], edge["target"]) for edge in export.edges)


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_svg_is_self_contained_with_generic_fonts(fixture):
    data = export_graph(build(fixture), "svg")[".svg"]
    root = SafeET.fromstring(data)
    for element in root.iter():
        assert not any(name.endswith("href") for name in element.attrib), element.tag
        for name, value in element.attrib.items():
            assert "url(" not in value or value == "url(#arrow)", (name, value)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"image", "use", "script", "style", "foreignObject", "a", "feImage"}
    fonts = {element.get("font-family") for element in root.iter() if element.get("font-family")}
    assert fonts <= {"sans-serif", "serif", "monospace"} and fonts


def test_svg_fits_its_view_box():
    root = _svg(build("literature"))
    _, _, width, height = (float(number) for number in root.get("viewBox").split())
    assert root.get("width") == "170mm"
    for circle in root.iter(SVG + "circle"):
        assert 0 <= float(circle.get("cx")) <= width and 0 <= float(circle.get("cy")) <= height
    for text in root.iter(SVG + "text"):
        assert 0 <= float(text.get("x")) <= width and 0 <= float(text.get("y")) <= height


def test_svg_shows_hostile_labels_as_text():
    root = _svg(build("hostile"))
    texts = [text.text for text in root.iter(SVG + "text")]
    assert any(text and text.startswith("<script>alert") for text in texts)
    assert all("\n" not in (text or "") for text in texts)  # one line per label


def test_svg_labels_only_the_largest_nodes_when_crowded():
    graph = nx.Graph()
    for number in range(120):
        graph.add_node(
            f"n{number:03}",
            **_node("theme", f"label {number:03}", number % 12 * 10.0, number // 12 * 10.0, size=float(number)),
        )
    labels = _labels(_svg(graph))
    assert 10 < len(labels) <= LABEL_LIMIT
    assert "label 119" in labels and "label 000" not in labels


def _labels(root) -> list[str]:
    return [text.text for g in root.iter(SVG + "g") if g.get("class") == "labels" for text in g]


def test_svg_labels_every_node_of_an_uncrowded_graph():
    graph = build("literature")
    shown = sorted(_labels(_svg(graph)))
    labels = sorted(data["label"] for _, data in graph.nodes(data=True))
    assert len(shown) == len(labels)
    for text, label in zip(shown, labels, strict=True):  # a long label is cut, with an ellipsis
        assert text == label or (text.endswith("…") and label.startswith(text[:-1]))


def test_svg_of_a_mixed_graph_with_hostile_text_parses():
    graph = build("evidence")
    graph.add_nodes_from(literature_nodes())
    graph.add_edges_from(literature_edges())
    graph.add_node(BASE + "hostile", **_node("quote", HOSTILE, 260.0, 160.0))
    assert _svg(graph).tag == SVG + "svg"


@pytest.mark.parametrize(
    ("fmt", "names"),
    [
        ("graphml", [".graphml"]),
        ("gexf", [".gexf"]),
        ("cytoscape", [".cyjs"]),
        ("vosviewer", [".json"]),
        ("csv", ["edges.csv", "nodes.csv"]),
        ("svg", [".svg"]),
    ],
)
def test_export_graph_names_its_files(fmt, names):
    assert sorted(export_graph(build("literature"), fmt)) == names


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_view_exports(fmt):
    assert all(export_graph(nx.DiGraph(), fmt).values())
