"""A static SVG picture of a view's layout, for a paper.

The same positions as the HTML map, scaled into a figure 170 mm wide (the text width of an A4
page), nodes coloured and shaped by type (participants by role), edges as lines (with arrows in a
directed view), a legend below. Every text is written by ElementTree, so a label such as
``<script>`` shows as text; fonts are generic families only; nothing outside the file is referred
to. Labels go on the largest nodes first, at most :data:`LABEL_LIMIT`, and never over another
label: where the picture is crowded, small nodes go unlabelled (their <title> names them on screen).
"""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TYPE_CHECKING

from kg.render.export_records import KIND_COLOURS, OTHER_COLOUR, ExportGraph, export_records, kind_colour

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
#: Width in user units; the figure is PAPER_WIDTH_MM wide, so one unit is 0.17 mm and 8 pt is ~16 units.
WIDTH = 1000.0
PAPER_WIDTH_MM = 170
MAX_HEIGHT = 1400.0  # no taller than an A4 page is, for its width
MIN_HEIGHT = 200.0
MARGIN = 40.0
RADIUS_SMALLEST, RADIUS_LARGEST = 5.0, 16.0
LABEL_LIMIT = 40
LABEL_LENGTHS = (48, 28)  # a label is tried whole up to 48 characters, then cut shorter
LABEL_FONT_SIZE = 16
LEGEND_FONT_SIZE = 17
LEGEND_ROW = 28.0
LEGEND_COLUMN = 190.0

#: Legend names, in legend order; other types show their own name.
LEGEND_NAMES = {
    "study": "Study",
    "theme": "Theme",
    "concept": "Concept",
    "factor": "Recovery factor",
    "action": "Action",
    "quote": "Quote",
    "participant:user": "Service user",
    "participant:professional": "Professional",
    "participant": "Participant",
}


def _number(value: float) -> str:
    return f"{value:.1f}"


def _style_key(node: dict) -> str:
    if node["type"] == "participant" and node["role"]:
        return f"participant:{node['role']}"
    return node["type"]


def _shape(node: dict) -> str:
    """Shape by type, so types are told apart in black and white too (and users from professionals)."""
    key = _style_key(node)
    if key in ("study", "participant:professional"):
        return "square"
    return {"factor": "diamond", "action": "triangle"}.get(key, "circle")


def _shape_element(shape: str, x: float, y: float, radius: float, colour: str) -> ET.Element:
    style = {"fill": colour, "stroke": "#333333", "stroke-width": "1"}
    if shape == "circle":
        return ET.Element("circle", {"cx": _number(x), "cy": _number(y), "r": _number(radius), **style})
    if shape == "square":
        side = radius * 1.8
        return ET.Element(
            "rect",
            {
                "x": _number(x - side / 2),
                "y": _number(y - side / 2),
                "width": _number(side),
                "height": _number(side),
                **style,
            },
        )
    if shape == "diamond":
        r = radius * 1.3
        corners = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:  # triangle, pointing up
        r = radius * 1.35
        corners = [(x, y - r), (x + r * 0.87, y + r * 0.5), (x - r * 0.87, y + r * 0.5)]
    points = " ".join(f"{_number(px)},{_number(py)}" for px, py in corners)
    return ET.Element("polygon", {"points": points, **style})


def _placement(export: ExportGraph) -> tuple[Callable[[dict], tuple[float, float]], float]:
    """A function from a node to its place in the figure, and the height of the drawing."""
    xs = [node["x"] for node in export.nodes] or [0.0]
    ys = [node["y"] for node in export.nodes] or [0.0]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    inner_width, inner_height = WIDTH - 2 * MARGIN, MAX_HEIGHT - 2 * MARGIN
    scale = min(inner_width / span_x if span_x else math.inf, inner_height / span_y if span_y else math.inf)
    if math.isinf(scale):  # one node, or all on one spot
        scale = 1.0
    height = max(span_y * scale + 2 * MARGIN, MIN_HEIGHT)
    left = MARGIN + (inner_width - span_x * scale) / 2
    top = (height - span_y * scale) / 2

    def place(node: dict) -> tuple[float, float]:
        return left + (node["x"] - min(xs)) * scale, top + (node["y"] - min(ys)) * scale

    return place, height


def _radii(export: ExportGraph) -> dict[str, float]:
    sizes = [node["size"] for node in export.nodes]
    smallest, largest = (min(sizes), max(sizes)) if sizes else (0.0, 0.0)
    if largest <= smallest:
        return {node["id"]: (RADIUS_SMALLEST + RADIUS_LARGEST) / 2 for node in export.nodes}
    # area, not radius, grows with size, as readers judge circles by area
    return {
        node["id"]: RADIUS_SMALLEST
        + (RADIUS_LARGEST - RADIUS_SMALLEST) * math.sqrt((node["size"] - smallest) / (largest - smallest))
        for node in export.nodes
    }


def _edge_group(export: ExportGraph, places: dict, radii: dict) -> ET.Element:
    group = ET.Element("g", {"class": "edges", "stroke": "#8a8a8a", "stroke-opacity": "0.7", "fill": "none"})
    for edge in export.edges:
        (x1, y1), (x2, y2) = places[edge["source"]], places[edge["target"]]
        if export.directed:  # stop at the target's rim, so the arrowhead shows
            length = math.hypot(x2 - x1, y2 - y1)
            if length > radii[edge["target"]] + 2:
                shorten = (radii[edge["target"]] + 2) / length
                x2, y2 = x2 - (x2 - x1) * shorten, y2 - (y2 - y1) * shorten
        line = ET.SubElement(
            group,
            "line",
            {
                "x1": _number(x1),
                "y1": _number(y1),
                "x2": _number(x2),
                "y2": _number(y2),
                "stroke-width": _number(min(1.0 + 1.2 * math.log2(max(edge["weight"], 1)), 6.0)),
                "data-source": edge["source"],
                "data-target": edge["target"],
                "data-relation": edge["relation"],
            },
        )
        if export.directed:
            line.set("marker-end", "url(#arrow)")
    return group


def _node_group(export: ExportGraph, places: dict, radii: dict) -> ET.Element:
    group = ET.Element("g", {"class": "nodes"})
    for node in export.nodes:
        item = ET.SubElement(group, "g", {"class": "node", "data-id": node["id"], "data-type": node["type"]})
        ET.SubElement(item, "title").text = node["label"]  # the whole label, as a tooltip on screen
        x, y = places[node["id"]]
        item.append(_shape_element(_shape(node), x, y, radii[node["id"]], kind_colour(node)))
    return group


def _short_label(label: str, length: int = LABEL_LENGTHS[0]) -> str:
    one_line = " ".join(label.split())
    return one_line if len(one_line) <= length else one_line[: length - 1].rstrip() + "…"


def _text_width(text: str) -> float:
    """A generous guess at the width of ``text``: fonts differ, and a guess too small lets labels collide."""
    return sum(LABEL_FONT_SIZE * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6) for c in text)


def _overlaps(box: tuple, boxes: list[tuple]) -> bool:
    left, top, right, bottom = box
    return any(
        left < other_right and other_left < right and top < other_bottom and other_top < bottom
        for other_left, other_top, other_right, other_bottom in boxes
    )


def _label_places(export: ExportGraph, places: dict, radii: dict, height: float) -> list[tuple[dict, str, tuple]]:
    """Labels that fit, largest nodes first: (node, text, place), at most LABEL_LIMIT, none over another.

    A label goes beside its node where there is room (:func:`_label_candidates`); a label that fits
    nowhere (off the page, over a label or over another node) is left out; the node's <title> still
    names it on screen.
    """
    # a label may cross edges (its white halo keeps it legible) but never hides another node
    node_boxes = {}
    for node in export.nodes:
        (x, y), radius = places[node["id"]], radii[node["id"]]
        node_boxes[node["id"]] = (x - radius, y - radius, x + radius, y + radius)
    chosen, boxes = [], []
    for node in sorted(export.nodes, key=lambda node: (-node["size"], node["id"])):
        if len(chosen) == LABEL_LIMIT:
            break
        others = [other for other_id, other in node_boxes.items() if other_id != node["id"]]
        for text, place in _label_options(node["label"], places[node["id"]], radii[node["id"]]):
            box = place[2]
            inside = 0 <= box[0] and box[2] <= WIDTH and 0 <= box[1] and box[3] <= height
            if inside and not _overlaps(box, boxes) and not _overlaps(box, others):
                chosen.append((node, text, place))
                boxes.append(box)
                break
    return sorted(chosen, key=lambda choice: choice[0]["id"])


def _label_options(label: str, centre: tuple[float, float], radius: float) -> list[tuple[str, tuple]]:
    texts = list(dict.fromkeys(_short_label(label, length) for length in LABEL_LENGTHS))
    return [(text, place) for text in texts for place in _label_candidates(centre, radius, _text_width(text))]


def _label_candidates(centre: tuple[float, float], radius: float, width: float) -> list[tuple]:
    """Where a label may go, in order of preference: right, left, above, below its node.

    Each is (text-anchor, (x, y) of the text, (left, top, right, bottom) of its box).
    """
    x, y = centre
    gap, ascent, descent = radius + 4, LABEL_FONT_SIZE * 0.75, LABEL_FONT_SIZE * 0.25
    baseline = y + LABEL_FONT_SIZE * 0.35
    above, below = y - gap - descent, y + gap + ascent
    middle = min(max(x, width / 2), WIDTH - width / 2)  # a label over a node near the edge moves inwards
    return [
        ("start", (x + gap, baseline), (x + gap, baseline - ascent, x + gap + width, baseline + descent)),
        ("end", (x - gap, baseline), (x - gap - width, baseline - ascent, x - gap, baseline + descent)),
        ("middle", (middle, above), (middle - width / 2, above - ascent, middle + width / 2, above + descent)),
        ("middle", (middle, below), (middle - width / 2, below - ascent, middle + width / 2, below + descent)),
    ]


def _label_group(export: ExportGraph, places: dict, radii: dict, height: float) -> ET.Element:
    group = ET.Element(
        "g",
        {
            "class": "labels",
            "font-family": "sans-serif",
            "font-size": str(LABEL_FONT_SIZE),
            "fill": "#222222",
            "stroke": "#ffffff",
            "stroke-width": "3",
            "stroke-linejoin": "round",
            "paint-order": "stroke",
        },
    )
    for _node, label, (anchor, (x, y), _box) in _label_places(export, places, radii, height):
        text = ET.SubElement(group, "text", {"x": _number(x), "y": _number(y), "text-anchor": anchor})
        text.text = label
    return group


def _legend_group(export: ExportGraph, top: float) -> tuple[ET.Element, float]:
    present = {_style_key(node): node for node in export.nodes}
    keys = [key for key in LEGEND_NAMES if key in present] + sorted(set(present) - set(LEGEND_NAMES))
    group = ET.Element(
        "g", {"class": "legend", "font-family": "sans-serif", "font-size": str(LEGEND_FONT_SIZE), "fill": "#222222"}
    )
    per_row = max(int((WIDTH - 2 * MARGIN) // LEGEND_COLUMN), 1)
    for number, key in enumerate(keys):
        x = MARGIN + (number % per_row) * LEGEND_COLUMN
        y = top + (number // per_row) * LEGEND_ROW
        node = present[key]
        colour = KIND_COLOURS.get(key, OTHER_COLOUR)
        group.append(_shape_element(_shape(node), x + 8, y, 7.0, colour))
        label = ET.SubElement(group, "text", {"x": _number(x + 22), "y": _number(y + LEGEND_FONT_SIZE * 0.35)})
        label.text = LEGEND_NAMES.get(key, _short_label(key) or "(no type)")
    rows = math.ceil(len(keys) / per_row)
    return group, rows * LEGEND_ROW


def _arrow_marker() -> ET.Element:
    defs = ET.Element("defs")
    marker = ET.SubElement(
        defs,
        "marker",
        {
            "id": "arrow",
            "viewBox": "0 0 10 10",
            "refX": "9",
            "refY": "5",
            "markerWidth": "11",
            "markerHeight": "11",
            "markerUnits": "userSpaceOnUse",
            "orient": "auto-start-reverse",
        },
    )
    ET.SubElement(marker, "path", {"d": "M0,0 L10,5 L0,10 z", "fill": "#8a8a8a"})
    return defs


def svg_bytes(graph: nx.Graph) -> bytes:
    """The view's layout as an SVG figure (UTF-8), 170 mm wide, with a legend of the node types."""
    export = export_records(graph)
    place, drawing_height = _placement(export)
    places = {node["id"]: place(node) for node in export.nodes}
    radii = _radii(export)
    legend, legend_height = _legend_group(export, drawing_height + LEGEND_ROW / 2)
    height = drawing_height + legend_height + LEGEND_ROW / 2
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,  # no version="1.1": the data-* attributes are SVG 2
            "width": f"{PAPER_WIDTH_MM}mm",
            "height": f"{_number(PAPER_WIDTH_MM * height / WIDTH)}mm",
            "viewBox": f"0 0 {_number(WIDTH)} {_number(height)}",
        },
    )
    if export.directed:
        root.append(_arrow_marker())
    ET.SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})
    for part in (
        _edge_group(export, places, radii),
        _node_group(export, places, radii),
        _label_group(export, places, radii, drawing_height),
        legend,
    ):
        root.append(part)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + (ET.tostring(root, encoding="unicode") + "\n").encode()
