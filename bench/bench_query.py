"""Benchmark: load, check, build and query a large generated corpus.

    .venv/bin/python bench/bench_query.py [--studies 200] [--quotes 100]

Generates a project (seeded, so every run is the same) in a temporary folder: STUDIES annotated
studies, each with 40 participants, 8 themes (2 of them sub-themes), QUOTES quotes and 20 citing
passages, 60 factors and 150 actions shared by the corpus, and one BibTeX entry per study plus
as many cited-only works. Prints a Markdown table of seconds per step and peak memory; the
results are kept in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg import build_graph, load_project  # noqa: E402
from kg.queries import run_named  # noqa: E402
from kg.store import store_from_graph  # noqa: E402


def generate(root: Path, studies: int, quotes: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    (root / "quotes").mkdir(parents=True)
    (root / "references").mkdir()
    keys = [f"study{i:04d}" for i in range(studies)]
    cited = [f"work{i:04d}" for i in range(studies)]
    with (root / "references" / "corpus.bib").open("w", encoding="utf-8") as bib:
        for key in keys + cited:
            bib.write(
                f"@article{{{key},\n  author = {{Author{key}, Ann and Other, Bob}},\n"
                f"  title = {{A study called {key}}},\n  journal = {{Journal}},\n  year = {{2000}}\n}}\n"
            )
    factors = [f"factor-{i}" for i in range(60)]
    actions = [f"action-{i}" for i in range(150)]
    for n, key in enumerate(keys):
        lines = [f"study: {key}", "participants:"]
        people = [(str(i), "user") if i % 3 else (f"P{i}", "professional") for i in range(40)]
        lines += [f'  - {{id: "{pid}", role: {role}}}' for pid, role in people]
        lines.append("themes:")
        themes = [f"t{i}" for i in range(8)]
        for i, theme in enumerate(themes):
            lines.append(
                f"  - {{id: {theme}, label: Theme {i} of {key}"
                + (f", broader: t{i - 6}" if i >= 6 else "")
                + (f", matches: [{keys[n - 1]}/t{i}]" if n and i < 2 else "")
                + "}"
            )
        if n == 0:
            lines.append("factors:")
            lines += [f"  - {{id: {f}, label: Factor {f}}}" for f in factors]
            lines.append("actions:")
            lines += [
                f"  - {{id: {a}, label: Action {a}, kind: deed, by: professional, supports: [{rng.choice(factors)}]}}"
                for a in actions
            ]
        lines.append("quotes:")
        for q in range(quotes):
            pid, _ = rng.choice(people)
            lines += [
                f"  - id: q{q}",
                f'    speaker: "{pid}"',
                f"    text: Quote {q} of {key}, about small things that matter.",
                f"    themes: [{', '.join(rng.sample(themes, 2))}]",
                f"    actions: [{', '.join(rng.sample(actions, 2))}]",
                f"    factors: [{', '.join(rng.sample(factors, 2))}]",
            ]
        lines.append("citations:")
        for c in range(20):
            lines += [
                f"  - id: c{c}",
                f"    text: Passage {c} of {key} (et al.).",
                f"    cites: [{', '.join(rng.sample(cited, 3))}]",
                f"    themes: [{rng.choice(themes)}]",
            ]
        (root / "quotes" / f"{key}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--studies", type=int, default=200)
    parser.add_argument("--quotes", type=int, default=100)
    args = parser.parse_args()
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        generate(root, args.studies, args.quotes)
        timings.append(("generate the project", time.perf_counter() - start))
        start = time.perf_counter()
        corpus, warnings = load_project(root)
        timings.append(("load + check (YAML, BibTeX)", time.perf_counter() - start))
        start = time.perf_counter()
        graph = build_graph(corpus)
        timings.append((f"build the graph ({len(graph):,} triples)", time.perf_counter() - start))
        start = time.perf_counter()
        store = store_from_graph(graph)
        timings.append(("load into Oxigraph", time.perf_counter() - start))
        theme, study = "study0000/t0", "work0001"
        for name, params in (
            ("sources-for-theme", {"theme": theme}),
            ("themes-for-source", {"study": study}),
            ("quotes", {"theme": theme, "role": "user"}),
            ("actions", {}),
            ("theme-by-role", {}),
            ("cooccurrence", {"of": "factors"}),
            ("cocitation", {}),
            ("path", {"from": "factor-1", "to": study}),
        ):
            start = time.perf_counter()
            table = run_named(store, name, **params)
            timings.append((f"query {name} ({len(table.rows):,} rows)", time.perf_counter() - start))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    quotes = args.studies * args.quotes
    print(f"{args.studies} studies, {quotes:,} quotes, {args.studies * 20:,} passages; peak memory {peak:,.0f} MiB\n")
    print("| step | seconds |\n| --- | ---: |")
    for step, seconds in timings:
        print(f"| {step} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
