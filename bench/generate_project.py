"""Generate a recovery-kg project of N quotes and M references, for benchmarks.

    .venv/bin/python bench/generate_project.py OUT --quotes 10000 --references 20000 --files 100

The references are real entries of the bibliographies in ``../shared/data/bibtex`` (cdl.bib and
tugboat.bib, read there, never copied into the repository): each pass over them is written to its
own file with every key given a suffix (``-c0``, ``-c1`` ...) so keys stay unique; their @string
macros come along. Entries with ``crossref`` are left out (a re-keyed child would lose its
parent). The quotes follow the documented YAML format, spread over FILES annotation files, each
annotating one of the references: participants of both roles, a codebook of 8 themes (2
sub-themes, 2 matched to the previous file's), 60 factors and 150 actions shared by the corpus,
quotes coded with themes, actions and factors, and one citing passage per 4 quotes citing 1 to 3
works. Seeded: the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bibtex"
SOURCES = ("cdl.bib", "tugboat.bib")
BLOCK_START = re.compile(r"^@", re.MULTILINE)
ENTRY_HEAD = re.compile(r"@(\w+)\s*([{(])\s*([^,\s]+)\s*,")
NOT_ENTRIES = ("string", "preamble", "comment")
WORDS = (
    "they listened and remembered what I said months ago, a cup of coffee, a hand on the shoulder, "
    "someone who stayed when things were hard, being allowed to fail and try again, the staff "
    "treated me like a person, småsaker som betyder något, a phone call on my birthday, trust grew "
    "slowly, nobody had asked me that before, she went out of her way, it made me feel seen"
).split()


def split_blocks(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The @string/@preamble blocks and the entries (key, text) of a .bib file, in order."""
    macros, entries = [], []
    starts = [m.start() for m in BLOCK_START.finditer(text)] + [len(text)]
    for start, end in zip(starts, starts[1:]):
        block = text[start:end]
        head = ENTRY_HEAD.match(block)
        kind = block[1 : block.find("{")].strip().lower() if "{" in block else ""
        if kind in NOT_ENTRIES:
            macros.append(block)
        elif head and "crossref" not in block.lower():
            entries.append((head.group(3), block))
    return macros, entries


def write_references(root: Path, count: int, data: Path = DATA) -> list[str]:
    """Re-keyed entries of the real bibliographies in ``data``, ``count`` in all; their keys in order."""
    sources = [split_blocks((data / name).read_text(encoding="utf-8")) for name in SOURCES]
    keys: list[str] = []
    copy = 0
    while len(keys) < count:
        for name, (macros, entries) in zip(SOURCES, sources):
            take = entries[: count - len(keys)]
            if not take:
                break
            suffix = f"-c{copy}"
            parts = list(macros)
            for key, block in take:
                head = ENTRY_HEAD.match(block)
                parts.append(block[: head.start(3)] + key + suffix + block[head.end(3) :])
                keys.append(key + suffix)
            (root / "references" / f"{Path(name).stem}-c{copy}.bib").write_text("".join(parts), encoding="utf-8")
        copy += 1
    return keys


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def annotation(rng: random.Random, number: int, study: str, previous: str | None, quotes: int, keys: list[str]) -> str:
    """One annotation file's YAML text."""
    people = [(f"P{i}", "professional") if i % 4 == 0 else (str(i), "user") for i in range(30)]
    themes = [f"t{i}" for i in range(8)]
    lines = [f"study: {json.dumps(study)}", "participants:"]
    lines += [f'  - {{id: "{pid}", role: {role}}}' for pid, role in people]
    lines.append("themes:")
    for i, theme in enumerate(themes):
        lines.append(
            f"  - id: {theme}\n    label: {json.dumps(f'Theme {i} of study {number}: {sentence(rng, 4)}')}"
            + (f"\n    broader: t{i - 6}" if i >= 6 else "")
            + (f"\n    matches: [{json.dumps(previous + '/t' + str(i))}]" if previous and i < 2 else "")
        )
    factors, actions = [f"factor-{i}" for i in range(60)], [f"action-{i}" for i in range(150)]
    if number == 0:
        lines.append("factors:")
        lines += [f"  - {{id: {f}, label: Factor {i}}}" for i, f in enumerate(factors)]
        lines.append("actions:")
        lines += [
            f"  - {{id: {a}, label: Action {i}, kind: deed, by: professional, supports: [{rng.choice(factors)}]}}"
            for i, a in enumerate(actions)
        ]
    lines.append("quotes:")
    for q in range(quotes):
        pid, _ = rng.choice(people)
        lines += [
            f"  - id: q{q}",
            f'    speaker: "{pid}"',
            f"    text: {sentence(rng, 25)}",
            f"    themes: [{', '.join(rng.sample(themes, 2))}]",
            f"    actions: [{', '.join(rng.sample(actions, 2))}]",
            f"    factors: [{', '.join(rng.sample(factors, 2))}]",
            f"    page: {rng.randint(1, 30)}",
        ]
    lines.append("citations:")
    for c in range(max(1, quotes // 4)):
        cited = rng.sample(keys, rng.randint(1, 3))
        lines += [
            f"  - id: c{c}",
            f"    text: {sentence(rng, 20)}",
            f"    cites: [{', '.join(json.dumps(k) for k in cited)}]",
            f"    themes: [{rng.choice(themes)}]",
        ]
    return "\n".join(lines) + "\n"


def generate(root: Path, quotes: int, references: int, files: int, seed: int = 12, data: Path = DATA) -> None:
    """Write a project with ``quotes`` quotes over ``files`` files and ``references`` entries."""
    rng = random.Random(seed)
    (root / "quotes").mkdir(parents=True, exist_ok=True)
    (root / "references").mkdir(exist_ok=True)
    keys = write_references(root, references, data)
    per_file = [quotes // files + (1 if i < quotes % files else 0) for i in range(files)]
    studies = keys[:files]
    for number, study in enumerate(studies):
        previous = studies[number - 1] if number else None
        text = annotation(rng, number, study, previous, per_file[number], keys)
        (root / "quotes" / f"study-{number:04d}.yaml").write_text(text, encoding="utf-8")
    (root / "kg.toml").write_text(f'title = "Generated: {quotes} quotes, {references} references"\n', encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--quotes", type=int, default=1000)
    parser.add_argument("--references", type=int, default=2000)
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    generate(args.out, args.quotes, args.references, args.files)


if __name__ == "__main__":
    main()
