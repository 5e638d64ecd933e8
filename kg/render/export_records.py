"""A view flattened for export: the fields, values and order that every graph file shares.

The input is a networkx ``Graph`` or ``DiGraph`` from :mod:`kg.views`, with the node attributes
``kind label hover role study themes size group group_label x y flag key details`` and the edge
attributes ``relation weight quotes passages``. :func:`export_records` turns it into an
:class:`ExportGraph`, which every writer in :mod:`kg.render.exports` and :mod:`kg.render.svg` reads,
so all formats carry the same nodes, edges and values:

- the fields are :data:`NODE_FIELDS` and :data:`EDGE_FIELDS`; the view's ``kind`` is exported as
  ``type`` and its ``key`` as ``cite_key`` (networkx's GEXF writer renames an attribute ``key`` to
  ``networkx_key``, and reads it back as that); the evidence (``details``, ``quotes``,
  ``passages``) belongs to the HTML map and is dropped, edges keep its size as ``quote_count``
  and ``passage_count``;
- text is cleaned once, for every format alike (:func:`clean_text`): characters that XML 1.0
  forbids are removed, vertical tab and form feed (Word's manual line and page breaks) and carriage
  returns become ``\\n``, so a label reads the same in the GraphML as in the CSV;
- nodes are sorted by id and edges by (source, target) (an undirected edge as (smaller, larger)
  id), so the same graph gives the same bytes whatever order it was built in;
- positions are the view's as they are (``y`` grows downwards, as in the HTML map).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx


#: Columns of a node in every format, in this order.
NODE_FIELDS = (
    "id",
    "type",
    "label",
    "role",
    "study",
    "cite_key",
    "group",
    "group_label",
    "flag",
    "themes",
    "size",
    "x",
    "y",
)
#: Columns of an edge in every format, in this order.
EDGE_FIELDS = ("source", "target", "relation", "weight", "quote_count", "passage_count")

#: Colour (Okabe-Ito, safe for colour-blind readers) of each node type; participants by role.
KIND_COLOURS = {
    "study": "#0072B2",
    "theme": "#E69F00",
    "concept": "#F0E442",
    "factor": "#009E73",
    "action": "#D55E00",
    "quote": "#BBBBBB",
    "participant:user": "#56B4E9",
    "participant:professional": "#CC79A7",
    "participant": "#56B4E9",
}
OTHER_COLOUR = "#777777"

# XML 1.0 allows tab, newline and carriage return below U+0020, and no surrogates, U+FFFE or U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")


@dataclass(frozen=True)
class ExportGraph:
    """A view flattened for export: plain values only, nodes and edges in a fixed order."""

    directed: bool
    nodes: list[dict]
    edges: list[dict]


def clean_text(value: object) -> str:
    """``value`` as text any format can hold: no character XML 1.0 forbids, ``\\n`` for line breaks.

    >>> clean_text("a\\x0bb\\r\\nc\\x00")
    'a\\nb\\nc'
    """
    return _XML_FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", str(value)))


def _optional_text(value: object) -> str | None:
    # "" and None alike are a missing value: CSV cannot tell them apart, and no format should
    text = None if value is None else clean_text(value)
    return text or None


def _optional_int(value: object) -> int | None:
    # bool is an int in Python, but a group or a weight of True means nothing
    return None if value is None or isinstance(value, bool) else int(value)


def _finite(value: object, what: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} is {number}: a layout position or size must be a finite number")
    return number


def _node_record(node_id: str, data: dict) -> dict:
    return {
        "id": node_id,
        "type": clean_text(data.get("kind") or ""),
        "label": _optional_text(data.get("label")) or node_id,  # Gephi and VOSviewer show the label
        "role": _optional_text(data.get("role")),
        "study": _optional_text(data.get("study")),
        "cite_key": _optional_text(data.get("key")),
        "group": _optional_int(data.get("group")),
        "group_label": _optional_text(data.get("group_label")),
        "flag": _optional_text(data.get("flag")),
        "themes": sorted(clean_text(theme) for theme in data.get("themes") or ()),
        "size": _finite(data.get("size", 1.0), f"size of {node_id!r}"),
        "x": _finite(data.get("x", 0.0), f"x of {node_id!r}"),
        "y": _finite(data.get("y", 0.0), f"y of {node_id!r}"),
    }


def _edge_record(source: str, target: str, data: dict) -> dict:
    return {
        "source": source,
        "target": target,
        "relation": clean_text(data.get("relation") or ""),
        "weight": _optional_int(data.get("weight")) or 1,
        "quote_count": len(data.get("quotes") or ()),
        "passage_count": len(data.get("passages") or ()),
    }


def export_records(graph: nx.Graph) -> ExportGraph:
    """The nodes and edges of ``graph`` as plain, cleaned, sorted records (:data:`NODE_FIELDS`, ...).

    Raises ``ValueError`` when cleaning would merge two node ids, or a position is not finite.
    """
    ids: dict[object, str] = {}
    for node in graph.nodes:
        ids[node] = clean_text(node)
    if len(set(ids.values())) < len(ids):
        raise ValueError("two node ids differ only in characters that XML cannot hold")
    nodes = sorted((_node_record(ids[node], data) for node, data in graph.nodes(data=True)), key=lambda n: n["id"])
    edges = []
    for u, v, data in graph.edges(data=True):
        source, target = ids[u], ids[v]
        if not graph.is_directed() and target < source:
            source, target = target, source
        edges.append(_edge_record(source, target, data))
    edges.sort(key=lambda e: (e["source"], e["target"], e["relation"]))
    return ExportGraph(graph.is_directed(), nodes, edges)


def kind_colour(node: dict) -> str:
    """The fill colour of a node record: by type, and for participants by role."""
    if node["type"] == "participant" and node["role"]:
        return KIND_COLOURS.get(f"participant:{node['role']}", KIND_COLOURS["participant"])
    return KIND_COLOURS.get(node["type"], OTHER_COLOUR)
