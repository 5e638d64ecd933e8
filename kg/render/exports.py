"""Graph files from a view: GraphML and GEXF (Gephi), Cytoscape JSON, VOSviewer JSON, CSV and SVG.

Every writer reads the view through :func:`kg.render.export_records.export_records`, so all
formats carry the same nodes, edges and values (its docstring says which and how they are cleaned).

Example::

    files = export_graph(view, "csv")   # {"nodes.csv": b"...", "edges.csv": b"..."}
    files = export_graph(view, "gexf")  # {".gexf": b"<?xml ..."}
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import TYPE_CHECKING

from kg.errors import ProjectError
from kg.render.export_records import EDGE_FIELDS, NODE_FIELDS, ExportGraph, export_records, kind_colour
from kg.render.svg import svg_bytes

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx

#: The export formats, in the order the CLI lists them.
FORMATS = ("graphml", "gexf", "cytoscape", "vosviewer", "csv", "svg")

_CREATOR = "recovery-kg"
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t")


# --- GraphML and GEXF (Gephi, networkx) ---------------------------------------------------------


def _flat_graph(export: ExportGraph) -> nx.Graph:
    """A fresh graph whose attributes GraphML and GEXF can hold: no None, lists as JSON text.

    A missing value is left out rather than written as "": GraphML and GEXF give each attribute one
    type, and a group of "" beside groups of 3 would turn the column into text.
    """
    import networkx as nx

    flat = nx.DiGraph() if export.directed else nx.Graph()
    for node in export.nodes:
        attributes = {
            name: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            for name, value in node.items()
            if name != "id" and value is not None
        }
        flat.add_node(node["id"], **attributes)
    for edge in export.edges:
        attributes = {name: value for name, value in edge.items() if name not in ("source", "target")}
        flat.add_edge(edge["source"], edge["target"], **attributes)
    return flat


def graphml_bytes(graph: nx.Graph) -> bytes:
    """GraphML (Gephi, yEd, networkx.read_graphml); key ids are the attribute names.

    Gephi reads the ``x``, ``y``, ``size`` and ``label`` attributes as position, size and label.
    """
    from networkx.readwrite.graphml import GraphMLWriter

    # GraphMLWriter (stdlib ElementTree) rather than write_graphml, which picks lxml when it is
    # installed and so writes other bytes on another machine.
    writer = GraphMLWriter(graph=_flat_graph(export_records(graph)), encoding="utf-8", named_key_ids=True)
    out = io.BytesIO()
    writer.dump(out)
    return out.getvalue()


def _hex_to_rgb(colour: str) -> dict:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def gexf_bytes(graph: nx.Graph) -> bytes:
    """GEXF 1.2 (Gephi's own format) with the layout, size and type colour as ``viz`` data."""
    from networkx.readwrite.gexf import GEXFWriter

    export = export_records(graph)
    flat = _flat_graph(export)
    for node in export.nodes:
        flat.nodes[node["id"]]["viz"] = {
            "position": {"x": node["x"], "y": node["y"], "z": 0.0},
            "size": node["size"],
            "color": _hex_to_rgb(kind_colour(node)),
        }
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(flat)
    # networkx stamps today's date and its own version into <meta>: same graph, same bytes instead.
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)
    meta.find("creator").text = _CREATOR
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- JSON: Cytoscape and VOSviewer --------------------------------------------------------------


def _json_bytes(document: dict) -> bytes:
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def cytoscape_bytes(graph: nx.Graph) -> bytes:
    """Cytoscape JSON in cytoscape.js's ``elements`` form (``cy.json()``; Cytoscape desktop's .cyjs).

    Nodes keep every field in ``data`` but ``x`` and ``y``, which are the ``position``; an edge's id
    is ``e`` and its place in the sorted edge list.
    """
    export = export_records(graph)
    nodes = [
        {"data": {k: v for k, v in node.items() if k not in ("x", "y")}, "position": {"x": node["x"], "y": node["y"]}}
        for node in export.nodes
    ]
    edges = [{"data": {"id": f"e{number}", **edge}} for number, edge in enumerate(export.edges)]
    return _json_bytes({"data": {"directed": export.directed}, "elements": {"nodes": nodes, "edges": edges}})


def _vosviewer_description(node: dict) -> str:
    # VOSviewer shows an item's description as HTML: every value is escaped, the markup is ours.
    rows = [
        ("type", node["type"]),
        ("id", node["id"]),
        ("study", node["study"]),
        ("role", node["role"]),
        ("group", node["group_label"]),
        ("themes", "; ".join(node["themes"]) or None),
    ]
    return "<br>".join(f"{name}: {html.escape(value)}" for name, value in rows if value)


def _vosviewer_clusters(nodes: list[dict]) -> dict[int, int]:
    # VOSviewer numbers clusters 1..1000; ours are any ints (communities count from 0).
    groups = sorted({node["group"] for node in nodes if node["group"] is not None})
    return {group: number for number, group in enumerate(groups[:1000], start=1)}


def vosviewer_bytes(graph: nx.Graph) -> bytes:
    """VOSviewer's JSON map file (VOSviewer 1.6.16+ and VOSviewer Online).

    Follows https://app.vosviewer.com/docs/file-types/json-file-type/ : ``network.items`` (id,
    label, description as HTML, x, y, cluster 1..1000, non-negative ``weights``), ``network.links``
    (source_id, target_id, strength), ``network.clusters`` (cluster, label), ``config.terminology``
    (item, items, link, links, link_strength, total_link_strength) and ``config.parameters``. Item
    ids are the integers 1..N in the order of our sorted string ids (VOSviewer's map files take only
    integers); the string id is in the description. Links are undirected in VOSviewer.
    """
    export = export_records(graph)
    numbers = {node["id"]: number for number, node in enumerate(export.nodes, start=1)}
    clusters = _vosviewer_clusters(export.nodes)
    links_of = {node["id"]: 0 for node in export.nodes}
    strength_of = {node["id"]: 0 for node in export.nodes}
    for edge in export.edges:
        for end in (edge["source"], edge["target"]):
            links_of[end] += 1
            strength_of[end] += edge["weight"]
    items = []
    for node in export.nodes:
        item = {
            "id": numbers[node["id"]],
            "label": node["label"],
            "description": _vosviewer_description(node),
            "x": node["x"],
            "y": node["y"],
            "weights": {
                "Links": links_of[node["id"]],
                "Total link strength": strength_of[node["id"]],
                "Size": max(node["size"], 0.0),
            },
        }
        if node["group"] in clusters:
            item["cluster"] = clusters[node["group"]]
        items.append(item)
    links = [
        {"source_id": numbers[e["source"]], "target_id": numbers[e["target"]], "strength": e["weight"]}
        for e in export.edges
    ]
    cluster_labels = {
        clusters[n["group"]]: n["group_label"] for n in export.nodes if n["group"] in clusters and n["group_label"]
    }
    network = {
        "items": items,
        "links": links,
        "clusters": [{"cluster": c, "label": label} for c, label in sorted(cluster_labels.items())],
    }
    terminology = {
        "item": "node",
        "items": "nodes",
        "link": "edge",
        "links": "edges",
        "link_strength": "weight",
        "total_link_strength": "total weight",
    }
    # largest_component off: a literature map's small islands (a study cited about one theme) matter
    config = {"terminology": terminology, "parameters": {"largest_component": False}}
    return _json_bytes({"network": network, "config": config})


# --- CSV ----------------------------------------------------------------------------------------


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value  # shown as text, not run, when the file is opened in a spreadsheet
    return value


def _csv_table(fields: tuple[str, ...], records: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([_csv_cell(record[field]) for field in fields])
    return out.getvalue().encode()


def csv_files(graph: nx.Graph) -> dict[str, bytes]:
    """``nodes.csv`` and ``edges.csv``: a header row, one row per node or edge, UTF-8, ``\\n`` line ends.

    Lists are joined with "; "; empty cells are missing values; a text that starts with = + - @ or a
    tab gets a leading ' so that a spreadsheet shows it instead of running it as a formula.
    """
    export = export_records(graph)
    return {"nodes.csv": _csv_table(NODE_FIELDS, export.nodes), "edges.csv": _csv_table(EDGE_FIELDS, export.edges)}


# --- all formats --------------------------------------------------------------------------------

_WRITERS = {
    "graphml": (".graphml", graphml_bytes),
    "gexf": (".gexf", gexf_bytes),
    "cytoscape": (".cyjs", cytoscape_bytes),
    "vosviewer": (".json", vosviewer_bytes),
    "svg": (".svg", svg_bytes),
}


def export_graph(graph: nx.Graph, fmt: str) -> dict[str, bytes]:
    """The view in one of :data:`FORMATS`: file name suffix (or, for csv, file name) → bytes.

    >>> import networkx as nx
    >>> export_graph(nx.Graph([("a", "b")]), "graphml").keys()
    dict_keys(['.graphml'])
    """
    if fmt == "csv":
        return csv_files(graph)
    if fmt not in _WRITERS:
        raise ProjectError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    suffix, write = _WRITERS[fmt]
    return {suffix: write(graph)}
