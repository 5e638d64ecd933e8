"""Write a generated project in the documented annotation format, for the benchmarks.

    .venv/bin/python bench/generate_project.py DIR [--quotes 3000] [--bib ../shared/data/bibtex/cdl.bib]

The project is seeded (every run writes the same files): ``quotes/`` holds one annotation file
per study (``--quotes`` split over studies of 100 quotes), each with 50 participants (every third
a professional), 12 themes (two of them sub-themes, the first two matched to the previous study),
its quotes (a speaker, two themes, an action, a factor) and 10 citing passages (three works each,
some with an ``intent:``); the first file declares 40 factors and 120 actions for the corpus.
``references/`` holds real entries of a BibTeX file (cdl.bib, from ../shared/data/bibtex) re-keyed
``gen0000``, ``gen0001`` ...: the first one per study is the annotated paper, the rest are cited.
The BibTeX file is read where it lies and copied only into DIR, never into the repository.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

QUOTES_PER_STUDY = 100
PARTICIPANTS = 50
THEMES = 12
CITATIONS = 10
FACTORS = 40
ACTIONS = 120
CITED_WORKS = 170
INTENTS = ("supports", "citesAsEvidence", "disputes", "usesMethodIn", "extends")
DEFAULT_BIB = Path(__file__).resolve().parents[2] / "shared" / "data" / "bibtex" / "cdl.bib"
_ENTRY_START = re.compile(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def bibtex_entries(bib: Path, count: int) -> list[str]:
    """The first ``count`` regular entries of a BibTeX file (no @string, @comment, @preamble)."""
    text = bib.read_text(encoding="utf-8")
    starts = list(_ENTRY_START.finditer(text))
    entries = []
    for match, following in zip(starts, starts[1:] + [None]):
        if match.group(1).lower() in ("string", "comment", "preamble"):
            continue
        entries.append(text[match.start() : following.start() if following else len(text)].rstrip() + "\n")
        if len(entries) == count:
            break
    if len(entries) < count:
        raise SystemExit(f"{bib} holds {len(entries)} entries; {count} are needed")
    return entries


def rekeyed(entry: str, key: str) -> str:
    return _ENTRY_START.sub(lambda m: f"@{m.group(1)}{{{key},", entry, count=1)


def write_project(
    root: Path, quotes: int = 3000, bib: Path = DEFAULT_BIB, seed: int = 7, intents: bool = True
) -> dict[str, int]:
    """Write the project into ``root`` (made if missing); return what it holds, by kind.

    ``intents=False`` leaves out every ``intent:`` (for versions of kg that do not read it).
    """
    rng = random.Random(seed)
    studies = max(1, -(-quotes // QUOTES_PER_STUDY))
    keys = [f"gen{n:04d}" for n in range(studies + CITED_WORKS)]
    (root / "quotes").mkdir(parents=True, exist_ok=True)
    (root / "references").mkdir(exist_ok=True)
    entries = bibtex_entries(bib, len(keys))
    (root / "references" / "generated.bib").write_text(
        "".join(rekeyed(entry, key) + "\n" for entry, key in zip(entries, keys)), encoding="utf-8"
    )
    cited = keys[studies:]
    factors = [f"factor-{n}" for n in range(FACTORS)]
    actions = [f"action-{n}" for n in range(ACTIONS)]
    written = 0
    for n, key in enumerate(keys[:studies]):
        count = min(QUOTES_PER_STUDY, quotes - written)
        written += count
        lines = _study_lines(rng, n, key, keys, count, factors, actions, cited, intents)
        (root / "quotes" / f"{key}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"studies": studies, "quotes": written, "references": len(keys)}


def _study_lines(rng, n, key, keys, count, factors, actions, cited, intents) -> list[str]:
    people = [(f"P{i}", "professional") if i % 3 == 0 else (str(i), "user") for i in range(PARTICIPANTS)]
    lines = [f"study: {key}", "participants:"]
    lines += [f'  - {{id: "{pid}", role: {role}}}' for pid, role in people]
    themes = [f"t{i}" for i in range(THEMES)]
    lines.append("themes:")
    for i, theme in enumerate(themes):
        extra = f", broader: t{i - (THEMES - 2)}" if i >= THEMES - 2 else ""
        extra += f", matches: [{keys[n - 1]}/t{i}]" if n and i < 2 else ""
        lines.append(f"  - {{id: {theme}, label: Theme {i} of {key}{extra}}}")
    if n == 0:
        lines.append("factors:")
        lines += [f"  - {{id: {f}, label: Factor {f[7:]}}}" for f in factors]
        lines.append("actions:")
        lines += [
            f"  - {{id: {a}, label: Action {a[7:]}, kind: deed, by: professional, supports: [{rng.choice(factors)}]}}"
            for a in actions
        ]
    lines.append("quotes:")
    for q in range(count):
        pid, _ = rng.choice(people)
        lines += [
            f"  - id: q{q}",
            f'    speaker: "{pid}"',
            f"    text: Quote {q} of {key}, about the small things that mattered.",
            f"    themes: [{', '.join(rng.sample(themes, 2))}]",
            f"    actions: [{rng.choice(actions)}]",
            f"    factors: [{rng.choice(factors)}]",
        ]
    lines.append("citations:")
    for c in range(CITATIONS):
        works = rng.sample(cited, 3)
        lines += [
            f"  - id: c{c}",
            f"    text: Passage {c} of {key}, citing three works.",
            f"    cites: [{', '.join(works)}]",
            f"    themes: [{rng.choice(themes)}]",
        ]
        if intents and c % 2:
            lines.append(f"    intent: {{{works[0]}: {rng.choice(INTENTS)}}}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--quotes", type=int, default=3000)
    parser.add_argument("--bib", type=Path, default=DEFAULT_BIB)
    options = parser.parse_args()
    counts = write_project(options.folder, options.quotes, options.bib)
    print(", ".join(f"{value:,} {kind}" for kind, value in counts.items()))


if __name__ == "__main__":
    main()
