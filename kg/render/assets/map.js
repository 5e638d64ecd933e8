/* recovery-kg map: draws the embedded graph with vis-network and shows the evidence behind it.
 *
 * Everything from the graph is data: it is read with JSON.parse and put on the page with
 * textContent / createElement only, never as HTML. vis-network 9.1.2 shows a string tooltip with
 * innerText (Popup.setText), and labels are drawn on the canvas, so strings are safe there too.
 */
(function () {
  "use strict";

  // Shape and colour per kind; participants by role, so users and professionals differ in both.
  const KIND_STYLES = {
    study: { shape: "square", color: "#1f77b4", glyph: "\u25A0", name: "Study" },
    theme: { shape: "dot", color: "#2ca02c", glyph: "\u25CF", name: "Theme" },
    concept: { shape: "diamond", color: "#17becf", glyph: "\u25C6", name: "Concept" },
    factor: { shape: "star", color: "#d62728", glyph: "\u2605", name: "Recovery factor" },
    action: { shape: "hexagon", color: "#9467bd", glyph: "\u2B22", name: "Action" },
    quote: { shape: "dot", color: "#8c8c8c", glyph: "\u2022", name: "Quote" },
    participant: { shape: "ellipse", color: "#7f7f7f", glyph: "\u25CF", name: "Participant" },
  };
  const ROLE_STYLES = {
    user: { shape: "triangle", color: "#ff7f0e", glyph: "\u25B2", name: "Service user" },
    professional: { shape: "triangleDown", color: "#0b5394", glyph: "\u25BC", name: "Professional" },
  };
  const GROUP_COLORS = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
  ];
  // Edges of citing passages by the family of their CiTO intents (plain "cites" keeps the grey).
  // Keys are looked up, never inserted: an intent the table lacks draws grey.
  const INTENT_COLORS = {
    supports: "#1a9850",
    disputes: "#d73027",
    method: "#4575b4",
    extends: "#984ea3",
    quotes: "#e08214",
    information: "#8c6d31",
    mixed: "#000000",
  };
  const EDGE_COLOR = "#b0b7bf";
  const ALL = "";  // the filter value that keeps every node
  const SEARCH_RESULTS_SHOWN = 20;
  const SEARCH_SUGGESTIONS = 5000;  // a longer <datalist> slows typing more than it helps

  // Marks for bench/bench_map.py, which reads where the time to the first draw goes.
  performance.mark("kg-script-start");
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  performance.mark("kg-data-read");
  const nodesById = new Map(data.nodes.map((node) => [node.id, node]));
  const edgesById = new Map(data.edges.map((edge) => [edge.id, edge]));
  const groupLabels = collectGroups(data.nodes);
  const filters = { kind: ALL, role: ALL, study: ALL, theme: ALL };

  function collectGroups(nodes) {
    const groups = new Map();
    for (const node of nodes) {
      if (node.group !== null && !groups.has(node.group)) groups.set(node.group, node.groupLabel);
    }
    return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
  }

  function styleOf(node) {
    return (node.kind === "participant" && ROLE_STYLES[node.role]) || KIND_STYLES[node.kind] || KIND_STYLES.concept;
  }

  function groupColor(group) {
    return GROUP_COLORS[[...groupLabels.keys()].indexOf(group) % GROUP_COLORS.length];
  }

  function visNode(node) {
    const style = styleOf(node);
    // A community colours the fill; the border keeps the kind's colour so both stay readable.
    const fill = node.group === null || node.kind === "participant" ? style.color : groupColor(node.group);
    return {
      id: node.id,
      label: node.label,
      title: node.hover || node.label,
      shape: style.shape,
      size: 8 + 4 * Math.sqrt(Math.max(node.size, 0)),
      x: node.x,
      y: node.y,
      borderWidth: node.flag ? 3 : 1.5,
      color: { background: fill, border: style.color, highlight: { background: fill, border: "#000" } },
    };
  }

  function intentOf(edge) {
    return Object.prototype.hasOwnProperty.call(INTENT_COLORS, edge.intent) ? edge.intent : null;
  }

  function intentName(intent) {
    return (data.intentNames && data.intentNames[intent]) || intent;
  }

  function visEdge(edge) {
    const relation = edge.relation ? edge.relation + " (" + edge.weight + ")" : String(edge.weight);
    const intent = intentOf(edge);
    const made = {
      id: edge.id,
      from: edge.from,
      to: edge.to,
      title: intent ? relation + " · " + intentName(intent) : relation,
      width: Math.min(1 + 1.5 * Math.log2(edge.weight), 10),
      arrows: data.directed ? "to" : undefined,
    };
    if (intent) made.color = { color: INTENT_COLORS[intent], highlight: "#24292f", hover: "#57606a" };
    return made;
  }

  function networkOptions() {
    const large = data.nodes.length > 1000;
    return {
      physics: false,
      layout: { improvedLayout: false },
      edges: { smooth: false, color: { color: EDGE_COLOR, highlight: "#24292f", hover: "#57606a" } },
      nodes: {
        font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
        // Labels of a large map would be an unreadable carpet until one zooms in.
        scaling: { label: { enabled: false, drawThreshold: large ? 9 : 5 } },
      },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large },
    };
  }

  // ---- the side panel -------------------------------------------------------------------

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined && text !== null) made.textContent = String(text);
    if (className) made.className = className;
    return made;
  }

  function safeLink(href, text) {
    // Only http(s) links are ever made; anything else (javascript:, data:) stays plain text.
    let url;
    try {
      url = new URL(href);
    } catch (error) {
      return element("span", text);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return element("span", text);
    const link = element("a", text);
    link.href = url.href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  function doiLink(doi) {
    const path = doi.split("/").map(encodeURIComponent).join("/");
    return safeLink("https://doi.org/" + path, "https://doi.org/" + doi);
  }

  function labelled(prefix, child) {
    const line = element("p", prefix, "kg-meta");
    line.append(child);
    return line;
  }

  function joinMeta(parts) {
    return parts.filter((part) => part !== null && part !== undefined && part !== "").join(" · ");
  }

  function roleName(role) {
    return role === "user" ? "service user" : role;
  }

  function quoteBlock(quote) {
    const block = element("blockquote", null, "kg-quote");
    block.append(element("p", quote.text));
    const speaker = quote.speaker !== null ? "participant " + quote.speaker : null;
    const page = quote.page ? "p. " + quote.page : null;  // no page: say nothing, not "p."
    block.append(element("div", joinMeta([speaker, roleName(quote.role), quote.study, page]), "kg-meta"));
    return block;
  }

  function passageBlock(passage) {
    const block = element("blockquote", null, "kg-passage");
    block.append(element("p", passage.text));
    const page = passage.page ? "p. " + passage.page : null;
    block.append(element("div", joinMeta([passage.id, passage.study, page]), "kg-meta"));
    if (passage.cites.length) block.append(element("div", "cites: " + passage.cites.join("; "), "kg-meta"));
    return block;
  }

  // Each quote and passage is held once, in data.evidence; nodes and edges hold their numbers.
  function shared(kind, numbers) {
    const table = (data.evidence && data.evidence[kind]) || [];
    return numbers.map((number) => table[number]).filter((record) => record !== undefined);
  }

  function evidenceSections(body, holder) {
    const quotes = shared("quotes", holder.quotes), passages = shared("passages", holder.passages);
    if (quotes.length) {
      body.append(element("h3", "Quotes (" + quotes.length + ")"));
      quotes.forEach((quote) => body.append(quoteBlock(quote)));
    }
    if (passages.length) {
      body.append(element("h3", "Citing passages (" + passages.length + ")"));
      passages.forEach((passage) => body.append(passageBlock(passage)));
    }
    if (!quotes.length && !passages.length) body.append(element("p", "No quotes or passages behind this.", "kg-meta"));
  }

  function openPanel(fill) {
    const body = document.getElementById("kg-panel-body");
    body.replaceChildren();
    fill(body);
    document.getElementById("kg-panel").hidden = false;
    fitCanvas(true);
  }

  function fitCanvas(panelOpen) {
    // The panel sits beside the canvas, not over it, so a focused node is never hidden behind it.
    const main = document.querySelector(".kg-main");
    if (main.classList.contains("kg-with-panel") === panelOpen) return;
    main.classList.toggle("kg-with-panel", panelOpen);
    network.setSize("100%", "100%");
    network.redraw();
  }

  function showNode(nodeId) {
    const node = nodesById.get(String(nodeId));
    if (!node) return false;
    openPanel((body) => {
      const details = node.details;
      body.append(element("h2", details.heading));
      const kindName = styleOf(node).name;
      body.append(element("div", joinMeta([kindName, node.study, node.flag, node.groupLabel]), "kg-meta"));
      if (node.themes.length) body.append(element("div", "themes: " + node.themes.join("; "), "kg-meta"));
      if (details.reference !== null) body.append(element("p", details.reference, "kg-reference"));
      if (details.doi !== null) body.append(labelled("DOI: ", doiLink(details.doi)));
      if (details.url !== null) body.append(labelled("Link: ", safeLink(details.url, details.url)));
      evidenceSections(body, details);
    });
    return true;
  }

  function showEdge(edgeId) {
    const edge = edgesById.get(String(edgeId));
    if (!edge) return false;
    openPanel((body) => {
      const from = nodesById.get(edge.from), to = nodesById.get(edge.to);
      body.append(element("h2", from.label + " \u2014 " + to.label));
      const intent = intentOf(edge);
      body.append(element("div", joinMeta([edge.relation, "weight " + edge.weight, intent && intentName(intent)]), "kg-meta"));
      evidenceSections(body, edge);
    });
    return true;
  }

  function closePanel() {
    document.getElementById("kg-panel").hidden = true;
    document.getElementById("kg-panel-body").replaceChildren();
    fitCanvas(false);
  }

  // ---- search, filters, legend, reset ---------------------------------------------------

  function searchNodes(text) {
    const wanted = String(text).trim().toLowerCase();
    if (!wanted) return [];
    const exact = data.nodes.filter((node) => node.id.toLowerCase() === wanted || node.label.toLowerCase() === wanted);
    const partial = data.nodes.filter(
      (node) =>
        !exact.includes(node) &&
        (node.label.toLowerCase().includes(wanted) || node.id.toLowerCase().includes(wanted)),
    );
    return exact.concat(partial).map((node) => node.id);
  }

  function focusNode(nodeId) {
    if (!nodesById.has(nodeId)) return false;
    network.selectNodes([nodeId]);
    const shown = showNode(nodeId);
    network.focus(nodeId, { scale: Math.max(network.getScale(), 1), animation: false });
    return shown;
  }

  function showSearchResults(text, found) {
    openPanel((body) => {
      const quoted = "\u201C" + text + "\u201D";
      body.append(element("h2", found.length ? "Nodes matching " + quoted : "No node matches " + quoted));
      const list = element("ol", null, "kg-results");
      for (const nodeId of found.slice(0, SEARCH_RESULTS_SHOWN)) {
        const button = element("button", nodesById.get(nodeId).label);
        button.type = "button";
        button.addEventListener("click", () => focusNode(nodeId));
        const item = element("li");
        item.append(button);
        list.append(item);
      }
      body.append(list);
      const more = found.length - SEARCH_RESULTS_SHOWN;
      if (more > 0) body.append(element("p", more + " more", "kg-meta"));
    });
  }

  function search(text) {
    const found = searchNodes(text);
    const wanted = String(text).trim().toLowerCase();
    const first = found.length ? nodesById.get(found[0]) : null;
    const exactFirst = first && (first.id.toLowerCase() === wanted || first.label.toLowerCase() === wanted);
    if (found.length === 1 || exactFirst) {
      focusNode(found[0]);
    } else {
      showSearchResults(String(text), found);
    }
    return found;
  }

  function matchesFilters(node) {
    return (
      (filters.kind === ALL || node.kind === filters.kind) &&
      (filters.role === ALL || node.role === filters.role) &&
      (filters.study === ALL || node.study === filters.study) &&
      (filters.theme === ALL || node.themes.includes(filters.theme))
    );
  }

  function applyFilters() {
    const updates = data.nodes.map((node) => ({ id: node.id, hidden: !matchesFilters(node) }));
    network.body.data.nodes.update(updates);
    return updates.filter((update) => !update.hidden).length;
  }

  function setFilter(name, value) {
    if (!(name in filters)) throw new Error("no filter named " + name);
    filters[name] = value === null || value === undefined ? ALL : String(value);
    document.getElementById("kg-filter-" + name).value = filters[name];
    return applyFilters();
  }

  function fillSelect(select, values, allText, nameOf) {
    select.append(new Option(allText, ALL));
    for (const value of values) select.append(new Option(nameOf ? nameOf(value) : value, value));
    select.addEventListener("change", () => setFilter(select.dataset.filter, select.value));
  }

  function sortedUnique(values) {
    return [...new Set(values.filter((value) => value !== null && value !== undefined))].sort();
  }

  function buildControls() {
    const kinds = sortedUnique(data.nodes.map((node) => node.kind));
    fillSelect(document.getElementById("kg-filter-kind"), kinds, "all kinds", (kind) => KIND_STYLES[kind].name);
    const roles = sortedUnique(data.nodes.map((node) => node.role));
    fillSelect(document.getElementById("kg-filter-role"), roles, "all roles", (role) => ROLE_STYLES[role].name);
    const studies = sortedUnique(data.nodes.map((node) => node.study));
    fillSelect(document.getElementById("kg-filter-study"), studies, "all studies");
    const themes = sortedUnique(data.nodes.flatMap((node) => node.themes));
    fillSelect(document.getElementById("kg-filter-theme"), themes, "all themes");
    const options = document.getElementById("kg-search-list");
    const labels = sortedUnique(data.nodes.map((node) => node.label)).slice(0, SEARCH_SUGGESTIONS);
    for (const label of labels) options.append(new Option(label));
    document.getElementById("kg-search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      search(document.getElementById("kg-search").value);
    });
    document.getElementById("kg-reset").addEventListener("click", reset);
    document.getElementById("kg-panel-close").addEventListener("click", closePanel);
  }

  function legendItem(list, glyphText, color, name, swatch) {
    const item = element("li");
    const glyph = element("span", swatch ? null : glyphText, swatch ? "kg-swatch" : "kg-glyph");
    if (swatch) glyph.style.background = color;
    else glyph.style.color = color;
    item.append(glyph, element("span", name));
    list.append(item);
  }

  function buildLegend() {
    const legend = document.getElementById("kg-legend");
    const legendKey = (node) => (node.kind === "participant" && node.role ? "role:" + node.role : node.kind);
    const shown = sortedUnique(data.nodes.map(legendKey));
    legend.append(element("h2", "Nodes"));
    const kinds = legend.appendChild(element("ul"));
    for (const key of shown) {
      const style = key.startsWith("role:") ? ROLE_STYLES[key.slice(5)] : KIND_STYLES[key];
      legendItem(kinds, style.glyph, style.color, style.name, false);
    }
    const intents = sortedUnique(data.edges.map(intentOf).filter((intent) => intent !== null));
    if (intents.length) {
      legend.append(element("h2", "Citation intent"));
      const list = legend.appendChild(element("ul"));
      for (const intent of Object.keys(INTENT_COLORS).filter((key) => intents.includes(key))) {
        legendItem(list, "\u2014", INTENT_COLORS[intent], intentName(intent), false);
      }
      legendItem(list, "\u2014", EDGE_COLOR, "Cites (no intent given)", false);
    }
    if (groupLabels.size) {
      legend.append(element("h2", data.legendTitle || "Communities"));
      const groups = legend.appendChild(element("ul"));
      for (const [group, label] of groupLabels) {
        legendItem(groups, null, groupColor(group), label || "community " + group, true);
      }
    }
  }

  function reset() {
    for (const name of Object.keys(filters)) setFilter(name, ALL);
    document.getElementById("kg-search").value = "";
    network.unselectAll();
    closePanel();
    network.fit({ animation: false });
  }

  // ---- start ----------------------------------------------------------------------------

  const nodes = new vis.DataSet(data.nodes.map(visNode));
  const edges = new vis.DataSet(data.edges.map(visEdge));
  performance.mark("kg-datasets-made");
  const network = new vis.Network(document.getElementById("kg-network"), { nodes, edges }, networkOptions());
  window.network = network;
  network.once("afterDrawing", () => {
    window.kgMapFirstDrawMs = performance.now();
    document.getElementById("kg-status").hidden = true;
  });
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  buildControls();
  buildLegend();
  window.kgMap = {
    show: focusNode,
    showNode,
    showEdge,
    search,
    searchNodes,
    setFilter,
    reset,
    closePanel,
    nodeIds: () => data.nodes.map((node) => node.id),
    edgeIds: () => data.edges.map((edge) => edge.id),
    visibleNodeIds: () => nodes.get({ filter: (node) => !node.hidden }).map((node) => node.id),
    panelText: () => {
      const panel = document.getElementById("kg-panel");
      return panel.hidden ? "" : document.getElementById("kg-panel-body").textContent;
    },
  };
})();
