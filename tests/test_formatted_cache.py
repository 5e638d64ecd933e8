"""References formatted by an earlier build are taken from ``out/.cache/formatted/``, by everything
that decides them (issue 12): a rebuild with the same references and citations runs no citeproc,
a changed reference is formatted anew, and a damaged entry is made again, never trusted."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kg.build import CACHE_DIR, build_project
from kg.render import citing, references
from kg.render import entries as entries_module
from kg.render.formatted import SUFFIX, FormattingCache
from tests.fixtures import edit, forget_last_build

OUTPUTS = ("map.html", "review.md", "literature-map.svg", "matrix.md", "graph.ttl")


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One entry per citeproc bibliography made: who made it (each work's entry, for the map and the
    review: "entries"; the review's citations: "citing"; a map's own references: "references")."""
    made: list[str] = []
    for module, name in (
        (references, "IndexedBibliography"),
        (entries_module, "IndexedBibliography"),
        (citing, "IndexedBibliography"),
    ):
        original = getattr(module, name)

        def counting(*args, module=module, original=original, **kwargs):
            made.append(module.__name__.rsplit(".", 1)[-1])
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    return made


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def entries(out: Path) -> list[Path]:
    return sorted((out / CACHE_DIR / "formatted").glob(f"*{SUFFIX}"))


def test_a_rebuild_formats_nothing_and_writes_the_same_bytes(project: Path, formatted: list[str]):
    build_project(project)
    first = outputs(project / "out")
    assert formatted == ["entries", "citing"]  # each work's entry, the review's citations
    assert len(entries(project / "out")) == 2
    forget_last_build(project / "out")  # else nothing is made at all (tests/test_rebuild.py)
    build_project(project)
    assert formatted == ["entries", "citing"]  # nothing formatted the second time
    assert outputs(project / "out") == first


def test_a_changed_reference_is_the_only_work_formatted_again(
    project: Path, formatted: list[str], monkeypatch: pytest.MonkeyPatch
):
    made: list[list[str]] = []
    original = entries_module.ReferenceEntries._make
    monkeypatch.setattr(
        entries_module.ReferenceEntries,
        "_make",
        lambda self, items: made.append([i["id"] for i in items]) or original(self, items),
    )
    build_project(project)
    before = entries(project / "out")
    edit(project / "references" / "mini.bib", "A study of {small} things", "A study of {tiny} things")
    build_project(project)
    assert formatted == ["entries", "citing"] * 2  # the review's citations: one document, made again
    assert len(made[0]) == 4 and made[1] == ["alpha2020"]  # each work's entry: only the changed one
    review = (project / "out" / "review.md").read_text(encoding="utf-8")
    assert "tiny things" in review and "small things" not in review
    after = entries(project / "out")
    assert len(after) == 2 and len(set(after) & set(before)) == 1  # the table of entries stays, the old review goes
    with open(next(path for path in after if path in before), "rb") as handle:
        _, table = pickle.load(handle)
    assert len(table) == len(made[0])  # the old entry of alpha2020 left the table


def test_a_quote_on_another_page_formats_the_citations_again_but_not_the_entries(project: Path, formatted: list[str]):
    build_project(project)
    edit(project / "quotes" / "alpha2020.yaml", "    page: 4\n", "    page: 14\n")  # q1, cited "(..., p. 4)"
    build_project(project)
    assert formatted == ["entries", "citing", "citing"]
    assert "p. 14" in (project / "out" / "review.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another key", "empty"])
def test_a_damaged_entry_is_made_again(project: Path, formatted: list[str], damage: str):
    build_project(project)
    first = outputs(project / "out")
    paths = entries(project / "out")
    datas = [path.read_bytes() for path in paths]
    for number, path in enumerate(paths):
        data, other = datas[number], datas[1 - number]  # two entries: the map's and the review's
        path.write_bytes(
            {"garbage": b"not a pickle", "truncated": data[: len(data) // 2], "another key": other, "empty": b""}[
                damage
            ]
        )
    forget_last_build(project / "out")
    build_project(project)
    assert formatted == ["entries", "citing"] * 2
    assert outputs(project / "out") == first


def test_without_a_folder_nothing_is_kept(tmp_path: Path):
    cache = FormattingCache(None)
    assert cache.get("references", b"style", {"items": []}, lambda: ["made"]) == ["made"]
    cache.save()
    assert list(tmp_path.iterdir()) == []
