"""One formatting of each work serves the map (plain text) and the review (Markdown): what
kg.render.entries derives is exactly what citeproc-py's plain and Markdown formatters make, on
the seeds' references and on real bibliographies (cdl.bib and tugboat.bib, re-keyed by
bench/generate_project.py), and a build formats each work once."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from citeproc import CitationStylesBibliography

from kg.build import build_project
from kg.render.citing import Citer
from kg.render.csl_speed import _Keys
from kg.render.entries import ReferenceEntries, to_markdown, to_plain
from kg.render.references import csl_items, format_references
from kg.store import open_store
from tests.fixtures import MINI, REPO


def _generated(tmp_path: Path, shared_data: Path) -> Path:
    spec = importlib.util.spec_from_file_location("generate_project", REPO / "bench" / "generate_project.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path, quotes=1200, references=2400, files=6, data=shared_data / "bibtex")
    return tmp_path


@pytest.mark.parametrize("which", ["seeds", "real bibliographies"])
def test_derived_entries_are_the_formatters_own(tmp_path: Path, shared_data: Path, which: str):
    project = REPO if which == "seeds" else _generated(tmp_path, shared_data)
    items = sorted(csl_items(open_store(project=project)).values(), key=lambda item: item["id"])
    entries = ReferenceEntries(items)
    assert entries.serves("apa", items)
    plain = format_references(items, "apa")
    direct = Citer(items, "apa", "md")
    shared = Citer(items, "apa", "md", entries=entries)
    for citer in (direct, shared):
        for item in items:
            citer.register([(item["id"], "")])
    assert shared.entries is entries and direct.entries is None
    assert [entries.plain(item["id"]) for item in items] == [plain[item["id"]] for item in items]
    assert shared.bibliography() == direct.bibliography()
    assert len(items) > (40 if which == "seeds" else 300)


def test_markup_marks_are_markdown_or_nothing():
    marked = "Ay, B. (2001). \ue000Small \ue002things\ue003.\ue001. Journal, 1\ue0042\ue005."
    assert to_markdown(marked) == "Ay, B. (2001). *Small **things**.*. Journal, 1^2^."
    assert to_plain(marked) == "Ay, B. (2001). Small things. Journal, 12."


def test_a_numbered_style_keeps_its_own_entries():
    items = sorted(csl_items(open_store(project=MINI)).values(), key=lambda item: item["id"])
    assert not ReferenceEntries(items, "ieee").serves("ieee", items)
    assert not ReferenceEntries(items, "apa").serves("ieee", items)  # another style
    assert not ReferenceEntries(items[:1], "apa").serves("apa", items)  # works it did not format


def test_a_build_formats_each_work_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """One bibliography is rendered in a build (the entries'); the map and the review read it."""
    rendered: list[int] = []
    original = CitationStylesBibliography.bibliography
    monkeypatch.setattr(CitationStylesBibliography, "bibliography", lambda self: rendered.append(1) or original(self))
    build_project(MINI, out=tmp_path / "out")
    assert len(rendered) == 1
    page = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    review = (tmp_path / "out" / "review.md").read_text(encoding="utf-8")
    assert "Knuth, D. E. (1974)" in page and "Knuth, D. E. (1974)" in review


def test_the_indexed_key_list_answers_as_a_list_does():
    keys = _Keys(["b", "a"])
    keys.append("c")
    keys.append("a")  # citeproc-py never appends a key twice; the first place still wins
    assert list(keys) == ["b", "a", "c", "a"]
    assert ("c" in keys, "z" in keys) == (True, False)
    assert (keys.index("a"), keys.index("c"), keys.index("a", 2)) == (1, 2, 3)
    with pytest.raises(ValueError):
        keys.index("z")
