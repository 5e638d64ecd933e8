"""Benchmark: an incremental rebuild after one of 100 annotation files changes, beside a full build.

    .venv/bin/python bench/bench_incremental.py [--studies 100] [--quotes 100] [--library ../shared/data/bibtex/cdl.bib]

Generates a seeded project in a temporary folder (STUDIES annotation files of QUOTES quotes and
20 citing passages each, 60 factors and 150 actions shared, one BibTeX entry per study and per
cited work; with --library, a real bibliography beside it, as a whole Zotero library would be),
then times ``kg build`` (every default output; N-Triples, whose writer is not this benchmark's
subject): the first build of a new process, a full build with no ``out/.cache`` (in the same,
warm, process), again with nothing changed, and after one annotation file gains a quote. Also
times reading + checking alone in each case. Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The corpus of bench_query.py: the same shape, one annotation file per study.
from bench_query import generate  # noqa: E402

from kg import build_project, load_project  # noqa: E402
from kg.build import CACHE_DIR  # noqa: E402
from kg.ingest.cache import InputCache  # noqa: E402


def timed(step) -> float:
    start = time.perf_counter()
    step()
    seconds = time.perf_counter() - start
    print(f"{step.__name__}: {seconds:.2f} s", file=sys.stderr, flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--studies", type=int, default=100)
    parser.add_argument("--quotes", type=int, default=100)
    parser.add_argument("--library", type=Path, help="A real .bib to add as a library nothing cites.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.studies, args.quotes)
        if args.library:
            shutil.copy(args.library, root / "references" / args.library.name)
        out = root / "out"
        cache = out / CACHE_DIR

        def build():
            build_project(root, out=out, formats=("ntriples",))

        def read():
            inputs = InputCache(cache)
            load_project(root, cache=inputs)
            inputs.save()

        rows = [("first build in a new process (no cache)", timed(build))]
        shutil.rmtree(cache)
        rows.append(("full build (no cache)", timed(build)))
        rows.append(("rebuild, nothing changed", timed(build)))
        changed = root / "quotes" / f"study{args.studies // 2:04d}.yaml"
        extra = '  - id: q-new\n    speaker: "1"\n    text: One more quote.\n'
        changed.write_text(changed.read_text().replace("citations:\n", f"{extra}citations:\n"))
        rows.append(("rebuild after one file changed", timed(build)))
        shutil.rmtree(cache)
        rows.append(("read + check, no cache", timed(read)))
        rows.append(("read + check, all cached", timed(read)))
        changed.write_text(changed.read_text().replace("One more quote.", "One more quote, changed."))
        rows.append(("read + check, one file changed", timed(read)))
    library = f" + {args.library.name}" if args.library else ""
    print(f"{args.studies} files x {args.quotes} quotes{library}\n")
    print("| step | seconds |\n| --- | ---: |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} |")
    print(f"\nincremental / full build: {rows[3][1] / rows[1][1]:.0%}")


if __name__ == "__main__":
    main()
