"""The offline map in real headless Chromium: it draws, shows its evidence, and runs no input text.

Every page opens with the network cut (tests/browser.py); with CI set, a missing browser fails
these tests instead of skipping them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.render.map_html import map_data, render_map, script_json
from kg.render.maps import map_graph
from kg.store import open_store
from kg.views.layout import layout_positions

sys.path.insert(0, str(Path(__file__).parent))
from browser import browser_missing_reason, chromium, offline_page, running_in_ci  # noqa: E402

SCRIPT_PAYLOAD = "<script>window.pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.pwned=1">'
LINK_PAYLOAD = '<a href="javascript:window.pwned=1">x</a>'
DRAW_TIMEOUT_MS = 15_000


def quote(text, speaker="38", role="user", study="topor2018", page=6):
    return {"text": text, "speaker": speaker, "role": role, "study": study, "page": page}


def passage(passage_id, text, cites, study="topor2018", page=3):
    return {"id": passage_id, "text": text, "study": study, "page": page, "cites": cites}


def evidence_graph() -> nx.Graph:
    """A small map of every node kind, users and professionals, two communities, edge evidence."""
    graph = nx.Graph()
    study_details = {
        "heading": "Topor, Ljungqvist & Strandberg 2018",
        "reference": "Topor, A., Ljungqvist, I., & Strandberg, E.-L. (2018). The costs of friendship. Journal X.",
        "doi": "10.1000/small things(1)",
        "quotes": [],
        "passages": [passage("c-beyond", "Beyond what was expected of them", ["Borg 2004", "Ware 2004"])],
    }
    nodes = {
        "https://w3id.org/recovery-kg/id/topor2018": dict(
            kind="study",
            label="Topor 2018",
            study="topor2018",
            group=0,
            group_label="Everyday acts",
            details=study_details,
        ),
        "https://w3id.org/recovery-kg/id/borg2004": dict(
            kind="study", label="Borg 2004", study="borg2004", group=1, group_label="Professional help"
        ),
        "theme:small": dict(
            kind="theme",
            label="Small things of great importance",
            themes=["Small things"],
            group=0,
            group_label="Everyday acts",
            size=4,
        ),
        "concept:micro": dict(
            kind="concept",
            label="Micro-affirmations",
            themes=["Small things"],
            group=1,
            group_label="Professional help",
        ),
        "factor:seen": dict(kind="factor", label="Being seen", flag="factor", themes=["Small things"]),
        "action:shoulder": dict(kind="action", label="A hand on the shoulder", themes=["Small things"]),
        "quote:q38": dict(kind="quote", label="q38-shoulder", study="topor2018", themes=["Small things"]),
        "participant:38": dict(kind="participant", label="38", role="user", study="topor2018"),
        "participant:XV": dict(kind="participant", label="XV", role="professional", study="topor2018"),
    }
    for node_id, attributes in nodes.items():
        attributes.setdefault("hover", f"hover of {attributes['label']}")
        attributes.setdefault("details", {})
        attributes["details"].setdefault("heading", attributes["label"])
        attributes["details"].setdefault("quotes", [quote(f"I said something about {attributes['label']}")])
        graph.add_node(node_id, **attributes)
    edges = [
        ("https://w3id.org/recovery-kg/id/topor2018", "theme:small", "cited about", 2),
        ("https://w3id.org/recovery-kg/id/borg2004", "concept:micro", "cited about", 1),
        ("theme:small", "concept:micro", "matches", 1),
        ("theme:small", "quote:q38", "illustrated by", 1),
        ("action:shoulder", "factor:seen", "supports", 3),
        ("quote:q38", "action:shoulder", "describes", 1),
        ("quote:q38", "participant:38", "spoken by", 1),
        ("action:shoulder", "participant:XV", "named by", 1),
    ]
    for source, target, relation, weight in edges:
        graph.add_edge(
            source,
            target,
            relation=relation,
            weight=weight,
            quotes=[quote(f"evidence for {relation} {weight}")],
            passages=[passage(f"c-{relation}", f"passage for {relation}", ["Ware 2004"])],
        )
    return graph


def payload_graph() -> nx.Graph:
    """Labels, ids, studies, quotes and passages that would run script if read as HTML."""
    graph = nx.Graph()
    hostile_details = {
        "heading": SCRIPT_PAYLOAD,
        "reference": IMG_PAYLOAD,
        "doi": 'x"><script>window.pwned=1</script>',
        "url": "javascript:window.pwned=1",
        "quotes": [quote(SCRIPT_PAYLOAD, speaker=IMG_PAYLOAD, role="user", study=SCRIPT_PAYLOAD, page=IMG_PAYLOAD)],
        "passages": [passage(IMG_PAYLOAD, LINK_PAYLOAD, [SCRIPT_PAYLOAD, LINK_PAYLOAD], study=IMG_PAYLOAD)],
    }
    graph.add_node(
        IMG_PAYLOAD,
        kind="study",
        label=SCRIPT_PAYLOAD,
        hover=LINK_PAYLOAD,
        study=SCRIPT_PAYLOAD,
        themes=[IMG_PAYLOAD],
        group=0,
        group_label=IMG_PAYLOAD,
        details=hostile_details,
    )
    graph.add_node(
        SCRIPT_PAYLOAD,
        kind="theme",
        label=IMG_PAYLOAD,
        hover=SCRIPT_PAYLOAD,
        themes=[LINK_PAYLOAD],
        details={"heading": LINK_PAYLOAD, "quotes": [quote(LINK_PAYLOAD)], "passages": []},
    )
    graph.add_node(
        "javascript:window.pwned=1",
        kind="participant",
        label=LINK_PAYLOAD,
        role="user",
        hover=IMG_PAYLOAD,
        study=IMG_PAYLOAD,
    )
    graph.add_edge(
        IMG_PAYLOAD,
        SCRIPT_PAYLOAD,
        relation=SCRIPT_PAYLOAD,
        weight=2,
        quotes=[quote(IMG_PAYLOAD)],
        passages=[passage(SCRIPT_PAYLOAD, LINK_PAYLOAD, [IMG_PAYLOAD])],
    )
    graph.add_edge(SCRIPT_PAYLOAD, "javascript:window.pwned=1", relation=LINK_PAYLOAD, weight=1)
    return graph


@pytest.fixture(scope="module")
def browser():
    reason = browser_missing_reason()
    if reason:
        if running_in_ci():
            pytest.fail(f"CI is set and the browser tests cannot run: {reason}")
        pytest.skip(reason)
    with chromium() as launched:
        yield launched


def write_map(folder: Path, graph: nx.Graph, title: str = "Recovery map") -> Path:
    path = folder / "map.html"
    path.write_text(render_map(graph, title, legend_title="Communities"), encoding="utf-8")
    return path


def open_drawn(browser, path: Path):
    """An offline_page context whose map has drawn once."""
    context = offline_page(browser, path)
    opened = context.__enter__()
    opened.page.wait_for_function("window.kgMapFirstDrawMs !== undefined", timeout=DRAW_TIMEOUT_MS)
    return context, opened


@pytest.fixture
def evidence_page(browser, tmp_path):
    graph = evidence_graph()
    context, opened = open_drawn(browser, write_map(tmp_path, graph))
    yield graph, opened
    context.__exit__(None, None, None)


def node_screen_position(page, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page pixels (canvas coordinates plus the canvas' offset)."""
    point = page.evaluate("id => { const p = network.getPositions([id])[id]; return network.canvasToDOM(p); }", node_id)
    box = page.locator("#kg-network").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def test_page_draws_offline_with_every_node(evidence_page):
    graph, opened = evidence_page
    assert opened.page.evaluate("network.body.data.nodes.length") == graph.number_of_nodes()
    assert opened.page.evaluate("network.body.data.edges.length") == graph.number_of_edges()
    assert opened.page.title() == "Recovery map"
    assert opened.blocked_requests == []
    assert opened.console_errors == []


def test_every_node_panel_shows_its_evidence(evidence_page):
    graph, opened = evidence_page
    for node_id, attributes in graph.nodes(data=True):
        assert opened.page.evaluate("id => kgMap.show(id)", node_id) is True
        text = opened.page.evaluate("kgMap.panelText()")
        details = attributes["details"]
        assert details["heading"] in text
        for each in details["quotes"]:
            assert each["text"] in text and f"participant {each['speaker']}" in text and "service user" in text
        for each in details.get("passages", []):
            assert each["text"] in text and all(cited in text for cited in each["cites"])
    assert opened.console_errors == []


def test_study_panel_links_its_doi(evidence_page):
    _, opened = evidence_page
    opened.page.evaluate("kgMap.show('https://w3id.org/recovery-kg/id/topor2018')")
    assert "The costs of friendship" in opened.page.evaluate("kgMap.panelText()")
    links = opened.page.eval_on_selector_all("#kg-panel-body a", "links => links.map(link => link.href)")
    assert links == ["https://doi.org/10.1000/small%20things(1)"]


def test_a_mouse_click_on_a_node_opens_its_panel(evidence_page):
    _, opened = evidence_page
    opened.page.mouse.click(*node_screen_position(opened.page, "action:shoulder"))
    assert opened.page.locator("#kg-panel").is_visible()
    assert "I said something about A hand on the shoulder" in opened.page.evaluate("kgMap.panelText()")


def test_edge_panel_shows_its_quotes_and_passages(evidence_page):
    _, opened = evidence_page
    edge_id = opened.page.evaluate(
        "network.body.data.edges.get({filter: e => e.from === 'action:shoulder' && e.to === 'factor:seen'})[0].id"
    )
    assert opened.page.evaluate("id => kgMap.showEdge(id)", edge_id) is True
    text = opened.page.evaluate("kgMap.panelText()")
    assert "A hand on the shoulder — Being seen" in text
    assert "evidence for supports 3" in text and "passage for supports" in text and "Ware 2004" in text


def test_hover_shows_the_short_text(evidence_page):
    _, opened = evidence_page
    opened.page.mouse.move(*node_screen_position(opened.page, "factor:seen"))
    tooltip = opened.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.text_content() == "hover of Being seen"


@pytest.mark.parametrize("typed", ["being seen", "factor:seen"])
def test_search_finds_a_node_by_label_or_id(evidence_page, typed):
    _, opened = evidence_page
    opened.page.fill("#kg-search", typed)
    opened.page.press("#kg-search", "Enter")
    assert opened.page.evaluate("network.getSelectedNodes()") == ["factor:seen"]
    assert opened.page.locator("#kg-panel h2").text_content() == "Being seen"


def test_filters_hide_nodes_and_reset_restores(evidence_page):
    graph, opened = evidence_page
    opened.page.select_option("#kg-filter-role", "professional")
    assert opened.page.evaluate("kgMap.visibleNodeIds()") == ["participant:XV"]
    opened.page.select_option("#kg-filter-role", "")
    opened.page.select_option("#kg-filter-theme", "Small things")
    themed = sorted(node for node, themes in graph.nodes(data="themes", default=[]) if "Small things" in themes)
    assert sorted(opened.page.evaluate("kgMap.visibleNodeIds()")) == themed
    opened.page.evaluate("kgMap.show('theme:small')")
    opened.page.click("#kg-reset")
    assert len(opened.page.evaluate("kgMap.visibleNodeIds()")) == graph.number_of_nodes()
    assert opened.page.input_value("#kg-filter-theme") == ""
    assert opened.page.locator("#kg-panel").is_hidden()


def test_payloads_run_nothing_and_show_as_text(browser, tmp_path):
    graph = payload_graph()
    context, opened = open_drawn(browser, write_map(tmp_path, graph, title=SCRIPT_PAYLOAD))
    try:
        page = opened.page
        assert page.title() == SCRIPT_PAYLOAD
        assert page.locator("#kg-title").text_content() == SCRIPT_PAYLOAD
        for node_id in graph.nodes:
            page.evaluate("id => kgMap.show(id)", node_id)
            page.mouse.move(*node_screen_position(page, node_id))
            page.wait_for_timeout(300)  # the tooltip appears after its delay
        panel_texts = []
        for edge_id in page.evaluate("kgMap.edgeIds()"):
            page.evaluate("id => kgMap.showEdge(id)", edge_id)
            panel_texts.append(page.evaluate("kgMap.panelText()"))
        page.evaluate("id => kgMap.show(id)", IMG_PAYLOAD)  # the study whose heading is SCRIPT_PAYLOAD
        panel_texts.append(page.evaluate("kgMap.panelText()"))
        page.fill("#kg-search", "pwned")
        page.press("#kg-search", "Enter")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert SCRIPT_PAYLOAD in panel_texts[-1] and LINK_PAYLOAD in panel_texts[0] and IMG_PAYLOAD in panel_texts[0]
        assert page.evaluate("document.querySelectorAll('body img, #kg-panel script, #kg-legend script').length") == 0
        assert IMG_PAYLOAD in page.locator("#kg-legend").text_content()
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        assert all(href.startswith(("https://", "http://")) for href in hrefs)
        assert opened.blocked_requests == []
        assert opened.console_errors == []
    finally:
        context.__exit__(None, None, None)


def test_embedded_json_cannot_end_its_script_element():
    page = render_map(payload_graph(), "x")
    data_start = page.index('<script type="application/json" id="kg-data">')
    data_text = page[data_start:].split("</script>", 1)[0]
    assert "<script>" not in data_text.split(">", 1)[1] and "<img" not in data_text
    assert script_json("\u2028<&>\u2029") == '"\\u2028\\u003c\\u0026\\u003e\\u2029"'


def test_same_graph_same_bytes_whatever_the_insertion_order():
    graph = evidence_graph()
    reversed_graph = nx.Graph()
    reversed_graph.add_nodes_from(reversed(list(graph.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(graph.edges(data=True))))
    first = render_map(graph, "Recovery map")
    assert first == render_map(graph, "Recovery map") == render_map(reversed_graph, "Recovery map")


def test_directed_graphs_and_given_positions_are_kept():
    graph = nx.DiGraph()
    graph.add_node("a", kind="theme", label="A", x=10.04, y=-3.0)
    graph.add_node("b", kind="factor", label="B", x=0, y=0)
    graph.add_edge("b", "a", relation="supports", weight=0)
    data = map_data(graph, "t")
    assert data["directed"] is True
    assert [(node["id"], node["x"], node["y"]) for node in data["nodes"]] == [("a", 10.0, -3.0), ("b", 0.0, 0.0)]
    assert data["edges"][0] | {"quotes": [], "passages": []} == {
        "id": "e0",
        "from": "b",
        "to": "a",
        "relation": "supports",
        "weight": 1,
        "quotes": [],
        "passages": [],
        "intent": None,
    }


def test_layout_is_seeded_and_spreads_the_nodes():
    graph = nx.barabasi_albert_graph(300, 2, seed=3)
    positions = layout_positions(graph, seed=1)
    assert positions == layout_positions(graph, seed=1) != layout_positions(graph, seed=2)
    assert len({position for position in positions.values()}) == graph.number_of_nodes()
    assert all(value == round(value, 1) for position in positions.values() for value in position)


def test_edges_are_coloured_by_citation_intent_with_a_legend(browser, tmp_path):
    graph = evidence_graph()
    study, borg = "https://w3id.org/recovery-kg/id/topor2018", "https://w3id.org/recovery-kg/id/borg2004"
    graph.edges[study, "theme:small"]["intent"] = "supports"
    graph.edges[borg, "concept:micro"]["intent"] = "disputes"
    graph.edges["theme:small", "concept:micro"]["intent"] = SCRIPT_PAYLOAD  # not a family: drawn grey
    context, opened = open_drawn(browser, write_map(tmp_path, graph))
    try:
        page = opened.page
        colours = page.evaluate(
            "() => Object.fromEntries(network.body.data.edges.get().map(e => "
            "[[e.from, e.to].sort().join(' '), e.color ? e.color.color : null]))"
        )
        assert colours[f"{study} theme:small"] == "#1a9850"
        assert colours[f"concept:micro {borg}"] == "#d73027"
        assert colours["concept:micro theme:small"] is None  # the network's default grey
        legend = page.locator("#kg-legend").text_content()
        assert "Citation intentSupported byDisputed byCites (no intent given)" in legend.replace("\u2014", "")
        edge_id = next(
            edge["id"]
            for edge in map_data(graph, "t")["edges"]
            if {edge["from"], edge["to"]} == {borg, "concept:micro"}
        )
        page.evaluate("id => kgMap.showEdge(id)", edge_id)
        assert "cited about · weight 1 · Disputed by" in page.evaluate("kgMap.panelText()")
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert opened.console_errors == []
    finally:
        context.__exit__(None, None, None)


def test_each_quote_and_passage_is_held_once_in_the_page():
    data = map_data(evidence_graph(), "t")
    quotes, passages = data["evidence"]["quotes"], data["evidence"]["passages"]
    # Two "cited about" edges show the same passage; the study's own passage is another.
    assert sorted(passage["id"] for passage in passages) == sorted(
        ["c-beyond", "c-cited about", "c-matches", "c-illustrated by", "c-supports", "c-describes"]
        + ["c-spoken by", "c-named by"]
    )
    holders = [node["details"] for node in data["nodes"]] + data["edges"]
    cited_about = [edge["passages"] for edge in data["edges"] if edge["relation"] == "cited about"]
    assert len(cited_about) == 2 and cited_about[0] == cited_about[1]
    assert sorted({n for holder in holders for n in holder["quotes"]}) == list(range(len(quotes)))
    assert len({quote["text"] for quote in quotes}) == len(quotes)


@pytest.mark.parametrize("view", ["literature", "evidence", "actions", "full"])
def test_every_view_of_a_project_draws_with_every_panel(browser, tmp_path, view):
    """The pages `kg map` writes for a real project (tests/data/mini), not a hand-made graph."""
    store = open_store(project=Path(__file__).parent / "data" / "mini")
    graph = map_graph(store, view)
    path = tmp_path / "map.html"
    path.write_text(render_map(graph, f"{view} map"), encoding="utf-8")
    context, opened = open_drawn(browser, path)
    try:
        assert opened.page.evaluate("network.body.data.nodes.length") == graph.number_of_nodes()
        for node_id, attributes in graph.nodes(data=True):
            assert opened.page.evaluate("id => kgMap.show(id)", node_id) is True
            text = opened.page.evaluate("kgMap.panelText()")
            assert attributes["details"]["heading"] in text
            for each in attributes["details"]["quotes"] + attributes["details"]["passages"]:
                assert each["text"] in text
        assert opened.blocked_requests == [] and opened.console_errors == []
    finally:
        context.__exit__(None, None, None)
