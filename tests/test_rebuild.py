"""A rebuild makes only what changed (issue 12): a build of the same inputs, options and kg, whose
outputs are on disk as it wrote them, writes nothing (``out/.cache/build.manifest``); an output
edited or deleted by hand, a damaged manifest or anything else that differs makes the build again.
The map's layout is kept by the shape it lays out (``out/.cache/layout/``)."""

from __future__ import annotations

import pickle
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg.build as build_module
from cli import cli
from kg.build import CACHE_DIR, MANIFEST, build_project
from kg.views import layout
from kg.views.layout import KeptLayouts, layout_positions
from tests.fixtures import edit, forget_last_build

OUTPUTS = ("graph.ttl", "ontology.ttl", "map.html", "review.md", "literature-map.svg", "matrix.md")


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every file kg.build writes (the outputs and the manifest)."""
    written: list[str] = []
    original = build_module.write_atomically
    monkeypatch.setattr(
        build_module, "write_atomically", lambda path, data: written.append(Path(path).name) or original(path, data)
    )
    staged = build_module.StagedFiles.write  # the outputs: staged as made, renamed into place at the end
    monkeypatch.setattr(
        build_module.StagedFiles,
        "write",
        lambda self, path, data: written.append(Path(path).name) or staged(self, path, data),
    )
    return written


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The node count of every force layout computed."""
    counts: list[int] = []
    original = layout._force_directed
    monkeypatch.setattr(layout, "_force_directed", lambda count, *rest: counts.append(count) or original(count, *rest))
    return counts


def test_nothing_changed_writes_nothing_and_says_so(project: Path, writes: list[str], laid_out: list[int]):
    first = CliRunner().invoke(cli, ["build", str(project)])
    assert first.exit_code == 0, first.output
    assert sorted(writes) == sorted([*OUTPUTS, MANIFEST]) and len(laid_out) == 1
    made = outputs(project / "out")
    writes.clear()
    again = CliRunner().invoke(cli, ["build", str(project)])
    assert again.exit_code == 0, again.output
    assert writes == [] and len(laid_out) == 1
    assert "up to date, nothing written: " in again.output and "wrote" not in again.output
    assert all(name in again.output for name in OUTPUTS)
    # The same counts and warnings as the build that made the outputs.
    assert [line for line in first.output.splitlines() if not line.startswith("wrote")] == again.output.splitlines()[1:]
    assert outputs(project / "out") == made


@pytest.mark.parametrize("damage", ["edited", "deleted", "emptied"])
def test_an_output_changed_by_hand_is_written_again(project: Path, damage: str):
    build_project(project)
    made = outputs(project / "out")
    review = project / "out" / "review.md"
    if damage == "deleted":
        review.unlink()
    else:
        review.write_bytes(b"" if damage == "emptied" else made["review.md"].replace(b"#", b"##", 1))
    result = build_project(project)
    assert not result.unchanged
    assert outputs(project / "out") == made


@pytest.mark.parametrize(
    "damage", ["garbage", "truncated", "empty", "another version", "another key", "another layout", "another type"]
)
def test_a_damaged_manifest_is_never_trusted(project: Path, damage: str):
    build_project(project)
    made = outputs(project / "out")
    manifest = project / "out" / CACHE_DIR / MANIFEST
    data = manifest.read_bytes()
    (layout_number, version, key), value = pickle.loads(data)
    manifest.write_bytes(
        {
            "garbage": b"\x80\x04not a pickle",
            "truncated": data[: len(data) // 2],
            "empty": b"",
            "another version": pickle.dumps(((layout_number, "0.0.1", key), value)),
            "another key": pickle.dumps(((layout_number, version, "0" * 64), value)),
            "another layout": pickle.dumps(((layout_number + 1, version, key), value)),
            "another type": pickle.dumps(((layout_number, version, key), ["graph.ttl"])),
        }[damage]
    )
    assert not build_project(project).unchanged
    assert outputs(project / "out") == made
    assert build_project(project).unchanged, "the manifest was written anew"


def test_a_changed_or_added_input_makes_the_build_again(project: Path):
    build_project(project)
    edit(project / "quotes" / "alpha2020.yaml", "    page: 4\n", "    page: 14\n")
    assert not build_project(project).unchanged
    assert "p. 14" in (project / "out" / "review.md").read_text(encoding="utf-8")
    assert build_project(project).unchanged
    (project / "references" / "extra.bib").write_text("@misc{extra2001, title = {Extra}, year = {2001}}\n")
    assert not build_project(project).unchanged
    (project / "references" / ".hidden.bib").write_text("not read\n")  # not an input: hidden
    assert build_project(project).unchanged


def test_other_options_or_another_kg_version_make_the_build_again(project: Path, monkeypatch: pytest.MonkeyPatch):
    build_project(project)
    result = build_project(project, formats=("ntriples",))
    assert not result.unchanged and [path.name for path in result.outputs][0] == "graph.nt"
    assert build_project(project, formats=("ntriples",)).unchanged
    assert not build_project(project, formats=("ntriples",), graph_only=True).unchanged
    monkeypatch.setattr(build_module, "__version__", "99.0")
    build_module.tool_fingerprint.cache_clear()
    try:
        assert not build_project(project, formats=("ntriples",), graph_only=True).unchanged
    finally:
        build_module.tool_fingerprint.cache_clear()


def test_a_failing_build_leaves_no_manifest(project: Path):
    build_project(project)
    path = project / "quotes" / "gamma2021.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "qoutes: []\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", str(project)]).exit_code == 2
    assert not (project / "out" / CACHE_DIR / MANIFEST).exists()
    path.write_text(good, encoding="utf-8")
    assert not build_project(project).unchanged


def test_a_build_failing_while_drawing_leaves_the_last_outputs_whole(project: Path, monkeypatch: pytest.MonkeyPatch):
    # The graph is staged (written beside its place) before the map and review are made: a
    # failure then must leave the previous outputs as they were and no temporary file behind.
    build_project(project)
    made = outputs(project / "out")
    edit(project / "quotes" / "gamma2021.yaml", "coffee to my room", "coffee to my room again")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(build_module, "writers_kit", broken)
    with pytest.raises(RuntimeError):
        build_project(project)
    assert outputs(project / "out") == made
    assert sorted(p.name for p in (project / "out").iterdir() if p.is_file()) == sorted(OUTPUTS)


def test_a_build_into_a_store_is_always_made(project: Path, writes: list[str], tmp_path: Path):
    store = f"oxigraph:{tmp_path / 'store'}"
    build_project(project, store=store)
    writes.clear()
    assert not build_project(project, store=store).unchanged
    assert "graph.ttl" in writes and MANIFEST not in writes


def test_a_rebuild_lays_out_nothing_and_writes_the_same_bytes(project: Path, laid_out: list[int]):
    build_project(project)
    made = outputs(project / "out")
    assert len(laid_out) == 1 and len(list((project / "out" / CACHE_DIR / "layout").iterdir())) == 1
    forget_last_build(project / "out")
    build_project(project)
    assert len(laid_out) == 1
    assert outputs(project / "out") == made


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another key", "another shape", "another type"])
def test_a_damaged_layout_is_made_again(project: Path, laid_out: list[int], damage: str):
    build_project(project)
    made = outputs(project / "out")
    (entry,) = (project / "out" / CACHE_DIR / "layout").iterdir()
    data = entry.read_bytes()
    (number, version, key), unit = pickle.loads(data)
    entry.write_bytes(
        {
            "garbage": b"\x80\x04not a pickle",
            "truncated": data[: len(data) // 2],
            "another key": pickle.dumps(((number, version, "0" * 64), unit)),
            "another shape": pickle.dumps(((number, version, key), unit[:-1])),
            "another type": pickle.dumps(((number, version, key), unit.tolist())),
        }[damage]
    )
    forget_last_build(project / "out")
    build_project(project)
    assert len(laid_out) == 2
    assert outputs(project / "out") == made


def test_kept_layouts_follow_the_shape_and_keep_only_what_was_used(tmp_path: Path, laid_out: list[int]):
    kept = KeptLayouts(tmp_path)
    path = layout_positions(nx.path_graph(4), kept=kept)
    layout_positions(nx.cycle_graph(4), kept=kept)  # the same nodes, another edge: laid out again
    kept.save()
    assert laid_out == [4, 4] and len(list(tmp_path.iterdir())) == 2
    again = KeptLayouts(tmp_path)
    assert layout_positions(nx.path_graph(4), kept=again) == path
    assert layout_positions(nx.path_graph(4), seed=2, kept=again) != path  # another seed: another layout
    again.save()
    assert laid_out == [4, 4, 4] and again.hits == 1 and len(list(tmp_path.iterdir())) == 2
    assert layout_positions(nx.path_graph(4)) == path and len(laid_out) == 4  # kept nothing: made
