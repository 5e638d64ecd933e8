"""The score of the last mutmut runs, one row per module, as Markdown (``make mutate`` prints it).

mutmut keeps each mutant's exit code in ``mutants/<module>.py.meta``; this reads them and counts
what mutmut's own ``results`` shows one by one. A mutant never run is "not run", never a kill.

    python -m tests.mutation_score            # every module with a mutant run
    python -m tests.mutation_score kg.check   # modules whose name starts so
    python -m tests.mutation_score --sample 25 kg.check kg.queries.named   # 25 mutant names of each, for
                                              # `mutmut run NAME...` when a whole module costs too long
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

#: mutmut 3's exit codes (mutmut/stats.py): 1 and 3 are kills, 0 a survivor, None not run.
KILLED, SURVIVED, TIMEOUT = {1, 3}, {0}, {24, -24, 36, 152, 255}
NO_TESTS = {5, 33}


def status(code: int | None) -> str:
    """One mutant's exit code as a column of the table.

    >>> [status(c) for c in (1, 0, None, 33, 24, -15)]
    ['killed', 'survived', 'not run', 'no tests', 'timeout', 'other']
    """
    if code is None:
        return "not run"
    for name, codes in (("killed", KILLED), ("survived", SURVIVED), ("timeout", TIMEOUT), ("no tests", NO_TESTS)):
        if code in codes:
            return name
    return "other"


def exit_codes(mutants: Path) -> dict[str, dict[str, int | None]]:
    """Module name -> its mutants' names -> their exit codes (None: not run)."""
    table = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            table[".".join(meta.relative_to(mutants).with_suffix("").with_suffix("").parts)] = codes
    return table


def counts(mutants: Path) -> dict[str, Counter]:
    """Module name -> how many of its mutants ended each way."""
    return {module: Counter(status(c) for c in codes.values()) for module, codes in exit_codes(mutants).items()}


def sample(mutants: Path, size: int, modules: list[str], seed: int = 13) -> list[str]:
    """``size`` mutant names of each module named, drawn at random with a fixed seed (the same
    draw for the same mutants), sorted."""
    table = exit_codes(mutants)
    names = []
    for module in modules:
        names += random.Random(f"{seed}:{module}").sample(sorted(table[module]), min(size, len(table[module])))
    return sorted(names)


def markdown(table: dict[str, Counter], prefixes: list[str]) -> str:
    """The rows of the modules that had a mutant run (and match a prefix); score = (killed + timeout)
    / run: a mutant that makes the tests hang is caught, as mutmut counts it."""
    columns = ["killed", "survived", "timeout", "no tests", "other", "not run"]
    lines = ["| module | mutants | " + " | ".join(columns) + " | score |", "| --- " * (len(columns) + 3) + "|"]
    for module, count in table.items():
        ran = sum(count.values()) - count["not run"]
        if not ran or (prefixes and not module.startswith(tuple(prefixes))):
            continue
        score = f"{100 * (count['killed'] + count['timeout']) / ran:.1f} %"
        cells = [str(count[c]) for c in columns]
        lines.append(f"| `{module}` | {sum(count.values())} | " + " | ".join(cells) + f" | {score} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sample"]:
        print(" ".join(sample(Path("mutants"), int(sys.argv[2]), sys.argv[3:])))
    else:
        print(markdown(counts(Path("mutants")), sys.argv[1:]))
