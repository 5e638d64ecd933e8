"""Benchmark: load each real BibTeX file with kg.bibtex.load_bibtex.

    .venv/bin/python bench/bench_bibtex.py [FOLDER]

FOLDER defaults to ../shared/data/bibtex beside the repository. For each file it prints the
entries read, the errors and warnings, the best wall time of three cold loads (the decoding
cache is emptied before each) and the peak memory Python allocated during one more load,
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

from kg.bibdecode import latex_to_unicode  # noqa: E402
from kg.bibtex import load_bibtex  # noqa: E402

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
    latex_to_unicode.cache_clear()  # each load decodes from scratch
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
    print("| file | size (KB) | entries | errors | warnings | seconds (best of 3) | peak MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in FILES:
        path = folder / name
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            refs, problems = cold_load(path)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        cold_load(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        errors = sum(p.is_error for p in problems)
        print(
            f"| {name} | {path.stat().st_size / 1024:,.0f} | {len(refs):,} | {errors} "
            f"| {len(problems) - errors} | {min(times):.2f} | {peak / 2**20:.1f} |"
        )


if __name__ == "__main__":
    main()
