"""Benchmark: how long the offline map takes to make and to first draw, beside pyvis' defaults.

For generated evidence-like graphs of 500 and 5,000 nodes it times ``render_map`` (layout
included), then opens the page in headless Chromium with the network cut and times navigation
→ first ``afterDrawing`` (``performance.now()`` counts from navigation start). The same graph
as a plain pyvis page with pyvis' default physics is timed the same way, waiting at most
``--cap`` seconds. Prints a Markdown table for bench/RESULTS.md.

Then a generated real project (``bench/generate_map_project.py``, ``--project-quotes`` quotes in the
annotation format, references from cdl.bib re-keyed): ``kg map --view evidence`` on it, timed
as a command and step by step in-process (build and load the store, read the records, make the
view, of which the layout, write the page), and the page's first draw, ``--repeat`` times.

    .venv/bin/python bench/bench_map.py [--sizes 500 5000] [--project-quotes 3000] [--cap 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from kg.render.map_html import render_map
from kg.render.maps import map_graph
from kg.store import open_store
from kg.views.layout import layout_positions
from kg.views.maps import map_view
from kg.views.records import read_records

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).parent))
from browser import chromium, offline_page  # noqa: E402
from generate_map_project import write_project  # noqa: E402

# Set before any page script runs: whoever assigns window.network (our page and pyvis' both do)
# gets its first afterDrawing timed.
FIRST_DRAW_HOOK = """
(() => {
  let stored;
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return stored; },
    set(value) {
      stored = value;
      console.log("network-made-ms " + performance.now());
      value.once("afterDrawing", () => {
        for (const mark of performance.getEntriesByType("mark")) console.log(mark.name + "-ms " + mark.startTime);
        console.log("first-draw-ms " + performance.now());
      });
    },
  });
})();
"""
SHARES = {"study": 0.02, "theme": 0.04, "action": 0.02, "factor": 0.01, "participant": 0.2}


def evidence_like_graph(node_count: int, seed: int = 1) -> nx.Graph:
    """Studies, themes, actions, factors, participants and quotes tied as in the evidence view."""
    rng = random.Random(seed)
    graph = nx.Graph()
    by_kind = {
        kind: [f"{kind}:{number}" for number in range(max(2, int(node_count * share)))]
        for kind, share in SHARES.items()
    }
    by_kind["quote"] = [f"quote:{number}" for number in range(node_count - sum(map(len, by_kind.values())))]
    for kind, node_ids in by_kind.items():
        for node_id in node_ids:
            role = rng.choice(["user", "professional"]) if kind == "participant" else None
            example = {"text": f"what {node_id} said", "speaker": "7", "role": "user", "study": "s", "page": 1}
            graph.add_node(
                node_id,
                kind=kind,
                label=node_id,
                hover=node_id,
                role=role,
                study="s",
                themes=[],
                size=1.0,
                group=rng.randrange(8),
                group_label=None,
                details={"heading": node_id, "quotes": [example], "passages": []},
            )
    for quote in by_kind["quote"]:
        for target_kind in ("theme", "theme", "action", "participant"):
            graph.add_edge(quote, rng.choice(by_kind[target_kind]), relation="coded", weight=1)
    for action in by_kind["action"]:
        graph.add_edge(action, rng.choice(by_kind["factor"]), relation="supports", weight=rng.randint(1, 5))
    for study in by_kind["study"]:
        graph.add_edge(study, rng.choice(by_kind["theme"]), relation="cited about", weight=rng.randint(1, 5))
    return graph


def pyvis_default_page(graph: nx.Graph) -> str:
    """A plain pyvis page of the same nodes and edges, with pyvis' default options (physics on)."""
    network = Network(height="800px", width="100%", cdn_resources="in_line")
    for node in sorted(graph.nodes):
        network.add_node(node, label=node)
    for source, target in sorted(graph.edges):
        network.add_edge(source, target)
    return network.generate_html()


def first_draw_seconds(browser, path: Path, cap_seconds: float) -> float | None:
    """Navigation → first afterDrawing in seconds, or None when not drawn within the cap.

    The hook reports by console message, not by a polled expression: our page's CSP forbids
    eval, which playwright's string predicates need.
    """
    with offline_page(browser, path, init_script=FIRST_DRAW_HOOK, wait_until="commit") as opened:
        deadline = time.monotonic() + cap_seconds
        while time.monotonic() < deadline:
            for text in opened.console_logs:
                if text.startswith("first-draw-ms "):
                    return float(text.split()[1]) / 1000
            opened.page.wait_for_timeout(50)
        return None


#: The page's moments, in order (map.js marks the middle ones), each seconds from navigation start.
PHASES = ("kg-script-start", "kg-data-read", "kg-datasets-made", "network-made", "first-draw")
PHASE_NAMES = {
    "kg-script-start": "HTML read and parsed, vis-network's script run (navigation → our script starts)",
    "kg-data-read": "JSON.parse of the embedded data",
    "kg-datasets-made": "vis DataSets of nodes and edges made",
    "network-made": "vis.Network constructed",
    "first-draw": "first drawing (→ afterDrawing)",
}


def draw_phases(browser, path: Path, cap_seconds: float) -> dict[str, float] | None:
    """When each of :data:`PHASES` happened, in seconds from navigation start; None if not drawn."""
    with offline_page(browser, path, init_script=FIRST_DRAW_HOOK, wait_until="commit") as opened:
        deadline = time.monotonic() + cap_seconds
        while time.monotonic() < deadline:
            marks = dict(text.split() for text in opened.console_logs if text.endswith(tuple("0123456789")))
            if "first-draw-ms" in marks:
                return {phase: float(marks[phase + "-ms"]) / 1000 for phase in PHASES if phase + "-ms" in marks}
            opened.page.wait_for_timeout(50)
        return None


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    memory = f"{memory_kb / 1024**2:.0f} GiB RAM"
    return f"{model}, {os.cpu_count()} cores (nproc), {memory}; Python {platform.python_version()}"


def page_counts(page: Path) -> tuple[int, int]:
    """The nodes and edges the page draws, read from its embedded data."""
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page.read_text("utf-8"), re.S)
    data = json.loads(found.group(1))
    return len(data["nodes"]), len(data["edges"])


def timed(step: str, times: dict, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    times[step] = time.perf_counter() - started
    return result


def bench_project(browser, folder: Path, quotes: int, repeat: int, cap: float) -> None:
    """``kg map --view evidence`` on a generated project of ``quotes`` quotes, and its first draw."""
    root = folder / f"project-{quotes}"
    counts = write_project(root, quotes)
    page = folder / f"evidence-{quotes}.html"
    kg = Path(sys.executable).with_name("kg")
    command = [str(kg), "map", "--project", str(root), "--view", "evidence", "--out", str(page)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    command_seconds = time.perf_counter() - started
    steps: dict[str, float] = {}
    store = timed("build the graph and load the store", steps, open_store, project=root)
    records = timed("read the records", steps, read_records, store)
    graph = timed("make the evidence view (incl. layout)", steps, map_view, records, "evidence")
    timed("of which the layout", steps, layout_positions, graph)
    whole = timed("map_graph (records, view, references)", steps, map_graph, store, "evidence")
    timed("write the page (render_map)", steps, render_map, whole, "Evidence map")
    nodes, edges = page_counts(page)
    phases = [draw_phases(browser, page, cap) for _ in range(repeat)]
    draws = [phase["first-draw"] if phase else None for phase in phases]
    drawn = [draw for draw in draws if draw is not None]
    median = f"{statistics.median(drawn):.2f}" if len(drawn) == len(draws) else "not drawn"
    print(
        f"\nGenerated project: {counts['studies']} studies, {counts['quotes']:,} quotes, "
        f"{counts['references']} references; evidence view {nodes:,} nodes, {edges:,} edges, "
        f"page {page.stat().st_size / 1e6:.1f} MB\n"
    )
    print("| step | seconds |\n| --- | ---: |")
    print(f"| `kg map --project DIR --view evidence --out FILE` (the command, wall) | {command_seconds:.2f} |")
    for step, seconds in steps.items():
        print(f"| {step} | {seconds:.2f} |")
    each = ", ".join("—" if draw is None else f"{draw:.2f}" for draw in draws)
    print(f"| first draw in Chromium, median of {repeat} ({each}) | {median} |")
    print("| of which, in the page (the run of median first draw): | |")
    middle = sorted((phase for phase in phases if phase), key=lambda phase: phase["first-draw"])[len(drawn) // 2]
    before = 0.0
    for name in PHASES:
        if name in middle:
            print(f"| {PHASE_NAMES[name]} | {middle[name] - before:.2f} |")
            before = middle[name]
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 5000])
    parser.add_argument("--project-quotes", type=int, nargs="*", default=[3000], help="generated projects' quotes")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds to wait for pyvis' default page")
    parser.add_argument("--repeat", type=int, default=3, help="runs of our page (median reported)")
    options = parser.parse_args()
    print(f"Machine: {machine()}\n")
    print(
        "| nodes | edges | layout (s) | render_map incl. layout (s) | page MB | first draw (s), median "
        "| first draw (s), each | pyvis defaults: first draw (s) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    with tempfile.TemporaryDirectory() as folder, chromium() as browser:
        for size in options.sizes:
            graph = evidence_like_graph(size)
            started = time.perf_counter()
            layout_positions(graph)
            layout_seconds = time.perf_counter() - started
            started = time.perf_counter()
            page = render_map(graph, f"Generated map of {size} nodes")
            render_seconds = time.perf_counter() - started
            ours = Path(folder) / f"map-{size}.html"
            ours.write_text(page, encoding="utf-8")
            draws = [first_draw_seconds(browser, ours, options.cap) for _ in range(options.repeat)]
            theirs = Path(folder) / f"pyvis-{size}.html"
            theirs.write_text(pyvis_default_page(graph), encoding="utf-8")
            pyvis_draw = first_draw_seconds(browser, theirs, options.cap)
            drawn = [draw for draw in draws if draw is not None]
            median = f"{statistics.median(drawn):.2f}" if len(drawn) == len(draws) else "not drawn"
            each = ", ".join("—" if draw is None else f"{draw:.2f}" for draw in draws)
            pyvis_text = f"{pyvis_draw:.2f}" if pyvis_draw is not None else f"not drawn after {options.cap:.0f} s"
            print(
                f"| {size:,} | {graph.number_of_edges():,} | {layout_seconds:.2f} | {render_seconds:.2f} "
                f"| {len(page.encode()) / 1e6:.1f} | {median} | {each} | {pyvis_text} |",
                flush=True,
            )
        for quotes in options.project_quotes:
            bench_project(browser, Path(folder), quotes, options.repeat, options.cap)


if __name__ == "__main__":
    main()
