"""The interactive map: one offline HTML file drawn by vis-network, with the evidence behind it.

The page inlines vis-network 9.1.2 from the pyvis wheel, our own CSS and JS, and the graph as
JSON data (never as code). Positions are computed here (physics stays off in the browser), so
thousands of nodes draw in a few seconds, and the same graph always gives the same bytes.

Example::

    >>> import networkx as nx
    >>> graph = nx.Graph()
    >>> graph.add_node("s1", kind="study", label="Topor 2018")
    >>> page = render_map(graph, "Recovery map")
    >>> page.startswith("<!DOCTYPE html>")
    True
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ProjectError
from kg.views.layout import layout_positions
from kg.vocab import INTENT_FAMILIES

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx

VIS_FOLDER = "templates/lib/vis-9.1.2"
NODE_KINDS = ("study", "theme", "concept", "factor", "action", "quote", "participant")
#: What the legend calls each family of citation intents an edge may carry (``intent``).
INTENT_NAMES = {family: heading for family, (heading, _) in INTENT_FAMILIES.items()} | {"mixed": "Mixed intents"}

# What the JSON may hold inside a <script> element without ending it or being read as markup,
# plus the two line separators that old JS parsers take for line ends.
_SCRIPT_UNSAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _pyvis_folder() -> Path:
    """Where the pyvis package is installed, found without importing it (0.8 s of imports: Jinja,
    IPython's display hooks) since only its copy of vis-network is read."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ProjectError("the pyvis package is not installed; run `make install` (or pip install pyvis)")
    return Path(spec.submodule_search_locations[0])


_PLACEHOLDER = re.compile(r"/\*KG:([A-Z_]+)\*/")


def render_map(
    graph: nx.Graph, title: str, legend_title: str | None = None, *, seed: int = 1, description: str | None = None
) -> str:
    """The map of ``graph`` as one self-contained HTML page (a str), ready to write to a file.

    Node and edge attributes follow the views' contract (``kind``, ``label``, ``hover``,
    ``details`` ...; see ``node_record``). Nodes without ``x``/``y`` are placed by
    ``layout_positions(graph, seed)``. ``legend_title`` heads the community legend
    ("Communities" when None); ``description`` is an optional line under the title.
    """
    data = map_data(graph, title, legend_title, seed=seed, description=description)
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": _asset_text(_pyvis_folder() / VIS_FOLDER / "vis-network.css"),
        "MAP_CSS": _asset_text(files("kg.render") / "assets" / "map.css"),
        "DATA": script_json(data),
        "VIS_JS": _asset_text(_pyvis_folder() / VIS_FOLDER / "vis-network.min.js"),
        "MAP_JS": _asset_text(files("kg.render") / "assets" / "map.js"),
    }
    template = _asset_text(files("kg.render") / "assets" / "map.html")
    # One pass, so a placeholder-like text inside an inserted asset is never expanded again.
    return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], template)


def map_data(
    graph: nx.Graph, title: str, legend_title: str | None = None, *, seed: int = 1, description: str | None = None
) -> dict[str, Any]:
    """What the page's script reads: title, nodes and edges in a fixed order, plain JSON types."""
    positions = None
    if any("x" not in attributes or "y" not in attributes for _, attributes in graph.nodes(data=True)):
        positions = layout_positions(graph, seed=seed)
    nodes = [
        node_record(node, attributes, positions) for node, attributes in sorted(graph.nodes(data=True), key=_node_key)
    ]
    edge_rows = sorted(
        (_endpoints(graph, source, target) + (attributes,) for source, target, attributes in graph.edges(data=True)),
        key=lambda row: (row[0], row[1], str(row[2].get("relation") or ""), _canonical(row[2])),
    )
    edges = [edge_record(f"e{number}", *row) for number, row in enumerate(edge_rows)]
    return {
        "title": str(title),
        "description": description,
        "legendTitle": legend_title,
        "directed": graph.is_directed(),
        "intentNames": INTENT_NAMES,
        "nodes": nodes,
        "edges": edges,
        "evidence": shared_evidence([node["details"] for node in nodes] + edges),
    }


def shared_evidence(holders: list[dict[str, Any]]) -> dict[str, list]:
    """Each quote and passage once: the holders' ``quotes`` and ``passages`` become numbers
    into the lists returned (the page looks them up), in the order first met.

    A quote is shown on its node, its speaker's, each code's and each edge between them: held
    once, the evidence view of 3,000 quotes is half the bytes, and the page reads it faster.

    >>> holders = [{"quotes": [{"text": "a"}], "passages": []}, {"quotes": [{"text": "a"}], "passages": []}]
    >>> shared_evidence(holders), holders[1]
    ({'quotes': [{'text': 'a'}], 'passages': []}, {'quotes': [0], 'passages': []})
    """
    tables: dict[str, list] = {"quotes": [], "passages": []}
    for kind, table in tables.items():
        numbers: dict[str, int] = {}
        for holder in holders:
            found = []
            for record in holder[kind]:
                key = json.dumps(record, sort_keys=True, ensure_ascii=False)
                if key not in numbers:
                    numbers[key] = len(table)
                    table.append(record)
                found.append(numbers[key])
            holder[kind] = found
    return tables


def node_record(node: Any, attributes: Mapping[str, Any], positions: Mapping[Any, tuple] | None) -> dict[str, Any]:
    """One node for the page, every field present (None where the view gave nothing)."""
    if "x" in attributes and "y" in attributes:
        x, y = float(attributes["x"]), float(attributes["y"])
    else:
        x, y = positions[node]
    kind = attributes.get("kind")
    return {
        "id": str(node),
        "kind": kind if kind in NODE_KINDS else "concept",
        "label": str(attributes.get("label") or node),
        "hover": _text_or_none(attributes.get("hover")),
        "role": attributes.get("role") if attributes.get("role") in ("user", "professional") else None,
        "study": _text_or_none(attributes.get("study")),
        "themes": sorted(str(theme) for theme in attributes.get("themes") or ()),
        "size": float(attributes.get("size") or 1.0),
        "group": int(attributes["group"]) if attributes.get("group") is not None else None,
        "groupLabel": _text_or_none(attributes.get("group_label")),
        "flag": _text_or_none(attributes.get("flag")),
        "x": round(x, 1),
        "y": round(y, 1),
        "details": details_record(attributes.get("details") or {}, str(attributes.get("label") or node)),
    }


def edge_record(edge_id: str, source: str, target: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    """One edge for the page; ``weight`` is at least 1 so the line width stays visible."""
    return {
        "id": edge_id,
        "from": source,
        "to": target,
        "relation": str(attributes.get("relation") or ""),
        "weight": max(int(attributes.get("weight") or 1), 1),
        "quotes": [_quote_record(quote) for quote in attributes.get("quotes") or ()],
        "passages": [_passage_record(passage) for passage in attributes.get("passages") or ()],
        "intent": attributes.get("intent") if attributes.get("intent") in INTENT_NAMES else None,
    }


def details_record(details: Mapping[str, Any], fallback_heading: str) -> dict[str, Any]:
    """The side panel's content for one node."""
    return {
        "heading": str(details.get("heading") or fallback_heading),
        "reference": _text_or_none(details.get("reference")),
        "doi": _text_or_none(details.get("doi")),
        "url": _text_or_none(details.get("url")),
        "quotes": [_quote_record(quote) for quote in details.get("quotes") or ()],
        "passages": [_passage_record(passage) for passage in details.get("passages") or ()],
    }


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside ``<script type="application/json">``.

    >>> script_json({"q": "</script><b>"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return text.translate(_SCRIPT_UNSAFE)  # one pass in C: a generator per character took seconds


def _quote_record(quote: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "text": str(quote.get("text") or ""),
        "speaker": _text_or_none(quote.get("speaker")),
        "role": _text_or_none(quote.get("role")),
        "study": _text_or_none(quote.get("study")),
        "page": _text_or_none(quote.get("page")),
    }


def _passage_record(passage: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": _text_or_none(passage.get("id")),
        "text": str(passage.get("text") or ""),
        "study": _text_or_none(passage.get("study")),
        "page": _text_or_none(passage.get("page")),
        "cites": [str(label) for label in passage.get("cites") or ()],
    }


def _endpoints(graph: nx.Graph, source: Any, target: Any) -> tuple[str, str]:
    """An undirected edge's ends in sorted order, so insertion order does not change the page."""
    ends = (str(source), str(target))
    return ends if graph.is_directed() else tuple(sorted(ends))


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _node_key(item: tuple[Any, Mapping]) -> str:
    return str(item[0])


def _canonical(attributes: Mapping[str, Any]) -> str:
    """A stable tie-breaker for two edges between the same nodes (multigraphs)."""
    return json.dumps(attributes, sort_keys=True, default=str)


def _asset_text(resource) -> str:
    return resource.read_text(encoding="utf-8")
