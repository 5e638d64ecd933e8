"""Creswell's literature map as a static SVG: the topic on top, a box per theme (its sub-themes
and the studies under each), and a "this study" box joined to the themes it adds to.

Sized to be pasted at A4 text width (680 units wide, three boxes a row, 11-13 unit type), text
as text (XML-escaped), generic fonts, no scripts; the same map gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import wrap
from xml.sax.saxutils import escape

from kg.views.litmap import Branch, LiteratureMap, literature_map
from kg.views.review import ReviewOutline

WIDTH, MARGIN, GAP, COLUMNS = 680, 22, 26, 3
BOX = (WIDTH - 2 * MARGIN - (COLUMNS - 1) * GAP) // COLUMNS
LINE = {"title": 17, "theme": 15, "sub": 14, "study": 13.5}
SIZE = {"title": 15, "theme": 12, "sub": 11.5, "study": 11}
CHARS = {size: int(BOX / (SIZE[size] * 0.56)) for size in SIZE}  # a generous average glyph width
JOINED = "#b03a2e"


@dataclass
class _Box:
    branch: Branch
    lines: list[tuple[str, str, int, str]]  # (kind, text, indent, colour)
    x: float = 0
    y: float = 0

    @property
    def height(self) -> float:
        return 12 + sum(LINE[kind] for kind, _, _, _ in self.lines)


def _lines(branch: Branch, depth: int = 0) -> list[tuple[str, str, int, str]]:
    kind = "theme" if depth == 0 else "sub"
    indent = 10 * max(depth - 1, 0) + (10 if depth else 0)
    width = CHARS[kind] - indent // 6
    colour = JOINED if branch.joined else "#111"
    lines = [(kind, text, indent, colour) for text in wrap(f"{branch.number} {branch.label}", width)]
    for study in branch.studies or ["(no study cited)"]:
        lines += [("study", text, indent + 8, "#111") for text in wrap(study, CHARS["study"] - (indent + 8) // 6)]
    for child in branch.children:
        lines += _lines(child, depth + 1)
    return lines


def _text(x: float, y: float, text: str, kind: str, anchor: str = "start", colour: str = "#111") -> str:
    weight = ' font-weight="bold"' if kind in ("title", "theme") else ""
    style = ' font-style="italic"' if kind == "sub" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{SIZE[kind]}" text-anchor="{anchor}" fill="{colour}"'
        f"{weight}{style}>{escape(text)}</text>"
    )


def _draw_box(box: _Box) -> list[str]:
    colour = JOINED if box.branch.walk() and any(b.joined for b in box.branch.walk()) else "#333"
    out = [
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{BOX}" height="{box.height:.1f}" rx="4" '
        f'fill="#fafafa" stroke="{colour}" stroke-width="1.2"/>'
    ]
    y = box.y + 6
    for kind, text, indent, text_colour in box.lines:
        y += LINE[kind]
        out.append(_text(box.x + 8 + indent, y - 4, text, kind, colour=text_colour))
    return out


def literature_map_svg(figure: LiteratureMap) -> str:
    """The map as one SVG document.

    Example::

        Path("literature-map.svg").write_text(literature_map_svg(literature_map(store, "Topic")))
    """
    title_lines = wrap(figure.title, int(WIDTH * 0.7 / (SIZE["title"] * 0.6)))
    top = MARGIN + 10 + LINE["title"] * len(title_lines)
    out = [
        _text(WIDTH / 2, MARGIN + 6 + LINE["title"] * (n + 1) - 4, t, "title", "middle")
        for n, t in enumerate(title_lines)
    ]
    out.insert(
        0,
        f'<rect x="{WIDTH * 0.15:.1f}" y="{MARGIN}" width="{WIDTH * 0.7:.1f}" height="{top - MARGIN:.1f}" rx="6" '
        'fill="#eef2f7" stroke="#333" stroke-width="1.5"/>',
    )
    boxes = [_Box(branch, _lines(branch)) for branch in figure.branches]
    y = top + 36
    trunk = MARGIN / 2
    if boxes:
        out.append(f'<path d="M{WIDTH / 2:.1f},{top:.1f} V{top + 18:.1f} H{trunk:.1f}" fill="none" stroke="#333"/>')
    for start in range(0, len(boxes), COLUMNS):
        row = boxes[start : start + COLUMNS]
        bus = y - 18
        last_x = 0.0
        for column, box in enumerate(row):
            box.x, box.y = MARGIN + column * (BOX + GAP), y
            last_x = box.x + BOX / 2
            out.append(f'<path d="M{last_x:.1f},{bus:.1f} V{y:.1f}" fill="none" stroke="#333"/>')
            out += _draw_box(box)
        out.append(f'<path d="M{trunk:.1f},{top + 18:.1f} V{bus:.1f} H{last_x:.1f}" fill="none" stroke="#333"/>')
        y += max(box.height for box in row) + 36
    out += _this_study(figure, boxes, y)
    height = y + 40 + 12 + LINE["study"] * (1 + len(figure.joined())) + MARGIN
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="sans-serif">\n'
        f"<title>{escape(figure.title)}: literature map</title>\n"
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#fff"/>\n'
    )
    return head + "\n".join(out) + "\n</svg>\n"


def _this_study(figure: LiteratureMap, boxes: list[_Box], y: float) -> list[str]:
    """The "this study" box under the rows, with a dashed line up the gutter to each theme it adds to."""
    joined = figure.joined()
    lines = ["This study"] + [f"adds to {b.number} {b.label}" for b in joined] if joined else ["This study"]
    lines = [piece for line in lines for piece in wrap(line, int(WIDTH / 2 / (SIZE["study"] * 0.56)))]
    x, top = WIDTH / 4, y + 10
    height = 12 + LINE["study"] * len(lines)
    out = [
        f'<rect x="{x:.1f}" y="{top:.1f}" width="{WIDTH / 2:.1f}" height="{height:.1f}" rx="6" '
        f'fill="#fdf2f0" stroke="{JOINED}" stroke-width="1.5" stroke-dasharray="5 3"/>'
    ]
    for n, line in enumerate(lines):
        out.append(_text(x + 10, top + 6 + LINE["study"] * (n + 1) - 4, line, "theme" if n == 0 else "study"))
    for offset, box in enumerate(b for b in boxes if any(x.joined for x in b.branch.walk())):
        gutter = box.x + BOX + GAP / 2 - 4 + 4 * (offset % 3)
        target = box.y + 12
        out.append(
            f'<path d="M{WIDTH / 2:.1f},{top:.1f} V{y - 6 + 2 * offset:.1f} H{gutter:.1f} V{target:.1f} '
            f'H{box.x + BOX:.1f}" fill="none" stroke="{JOINED}" stroke-width="1.2" stroke-dasharray="5 3"/>'
        )
    return out


def literature_map_html(figure: LiteratureMap) -> str:
    """The SVG in a minimal HTML page (no scripts, nothing fetched)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(figure.title)}: literature map</title>\n</head>\n<body>\n"
        + literature_map_svg(figure)
        + "</body>\n</html>\n"
    )


def render_literature_map(
    store, title: str, themes: list[str] | None = None, fmt: str = "svg", outline: ReviewOutline | None = None
) -> str:
    """The literature map of the store's themes (or of ``themes``, IRIs) as ``svg`` or ``html``.

    Example::

        svg = render_literature_map(open_store(project="."), "Small things in recovery")
    """
    figure = literature_map(store, title, themes, outline)
    return literature_map_html(figure) if fmt == "html" else literature_map_svg(figure)
