"""Benchmark: load each real BibTeX file with kg.bibtex.load_bibtex.

    .venv/bin/python bench/bench_bibtex.py [FOLDER]

FOLDER defaults to ../shared/data/bibtex beside the repository. For each file it prints the
entries read, the errors and warnings, the best CPU time of three cold loads (the decoding
caches are emptied before each), entries per CPU second, and the peak memory Python allocated during one more load,
measured with tracemalloc (which slows that load down, so it is not timed).
"""

from __future__ import annotations

import os
import platform
import sys
import time
import tracemalloc
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout, installed or not

from kg.ingest import bibtex, latex  # noqa: E402
from kg.ingest.bibtex import load_bibtex  # noqa: E402

#: The caches of values a load fills: emptied before each load, so each load decodes from scratch.
CACHES = (latex.latex_to_unicode, latex._split_name, latex._split_names, bibtex._pieces)

FILES = [
    "xampl.bib",
    "biblatex-examples.bib",
    "archaeologie-examples.bib",
    "abbrev3.bib",
    "cdl.bib",
    "tugboat.bib",
]
RUNS = 3


def cold_load(path: Path):
    for cache in CACHES:
        cache.cache_clear()
    return load_bibtex([path], path.parent)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "bibtex"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    print(
        f"# {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"bibtexparser {version('bibtexparser')}, pylatexenc {version('pylatexenc')}"
    )
    print("| file | size (KB) | entries | errors | warnings | CPU s (best of 3) | entries/s | peak MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in FILES:
        path = folder / name
        times = []
        for _ in range(RUNS):
            start = time.process_time()
            refs, problems = cold_load(path)
            times.append(time.process_time() - start)
        tracemalloc.start()
        cold_load(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        errors = sum(p.is_error for p in problems)
        print(
            f"| {name} | {path.stat().st_size / 1024:,.0f} | {len(refs):,} | {errors} "
            f"| {len(problems) - errors} | {min(times):.2f} | {len(refs) / max(min(times), 1e-9):,.0f} "
            f"| {peak / 2**20:.1f} |"
        )


if __name__ == "__main__":
    main()
