"""Bugs that a hand-made mutation run found no test for (issue 13): one named test each.

Each test here fails when the bug it is named after comes back: a duplicate citation id merged
silently, a circular codebook built, a theme used only through a match warned as unused, an
error pointing at a block list's first line, a crossref child losing its parent's authors, an
id of dots minting an IRI that resolution collapses, output written in place, ``.yml`` files
dropped, theme-by-role's thresholds moved.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

import kg
import kg.build
from cli import cli
from kg.files import write_atomically
from kg.graph import FORMATS, build_graph
from kg.graph.iris import Minter
from kg.queries import run_named
from kg.store import open_store
from kg.vocab import BIBO, ONTOLOGY_IRI, RKG
from tests.fixtures import DATA, edit

MINI = DATA / "mini"
ROLES = DATA / "roles"
ID = Namespace("https://w3id.org/recovery-kg/id/")


def lines_of(path: Path, needle: str) -> list[int]:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]


def build(root: Path, *args: str):
    return CliRunner().invoke(cli, ["build", str(root), *args])


def messages(result, kind: str = "error") -> list[str]:
    """The error (or warning) lines of a run, paths shown relative to the project."""
    lines = [line for line in result.stderr.splitlines() if f": {kind}: " in line]
    return [re.sub(r"\S*/proj/", "", line) for line in lines]


def errors(result) -> list[str]:
    return messages(result)


# -- a citation id declared twice in one study ----------------------------------------------------


def test_citation_id_declared_twice_in_one_study_is_an_error(project: Path):
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(alpha, "  - id: c2\n", "  - id: c1\n")
    first, second = lines_of(alpha, "- id: c1")
    result = build(project)
    assert result.exit_code == 2, result.output
    assert errors(result) == [
        f"quotes/alpha2020.yaml:{second}: error: citation id 'c1' is declared twice in study 'alpha2020'; "
        f"the first is at quotes/alpha2020.yaml:{first}; rename or remove one"
    ]
    assert not (project / "out").exists()


def test_same_citation_id_in_two_studies_is_two_passages(project: Path):
    """Citation ids are local to their study: gamma2021's c1 is not alpha2020's c1."""
    edit(project / "quotes" / "gamma2021.yaml", "  - id: c-book\n", "  - id: c1\n")
    corpus, _ = kg.load_project(project)
    graph = build_graph(corpus)
    assert (ID["study/alpha2020/citation/c1"], RDF.type, RKG.CitationContext) in graph
    assert (ID["study/gamma2021/citation/c1"], RDF.type, RKG.CitationContext) in graph


# -- a circular codebook -------------------------------------------------------------------------


def test_circular_broader_themes_are_one_error(project: Path):
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(
        alpha,
        "    definition: Little acts that matter.\n",
        "    definition: Little acts that matter.\n    broader: coffee-talk\n",
    )
    result = build(project)
    assert result.exit_code == 2, result.output
    line = lines_of(alpha, "- id: coffee-talk")[0]
    assert errors(result) == [
        f"quotes/alpha2020.yaml:{line}: error: themes coffee-talk -> small -> coffee-talk are broader than each "
        "other in a circle; remove one 'broader:' to break the circle"
    ]


def test_a_theme_broader_than_itself_is_a_circle(project: Path):
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(alpha, "    broader: small\n", "    broader: coffee-talk\n")
    result = build(project)
    assert result.exit_code == 2, result.output
    line = lines_of(alpha, "- id: coffee-talk")[0]
    assert errors(result) == [
        f"quotes/alpha2020.yaml:{line}: error: themes coffee-talk -> coffee-talk are broader than each other "
        "in a circle; remove one 'broader:' to break the circle"
    ]


def test_a_chain_into_a_circle_reports_the_circle_once(project: Path):
    """tail -> a -> b -> c -> a: one error, for the circle only, at its first theme's line."""
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(
        alpha,
        "factors:\n",
        "  - {id: tail, label: Tail, broader: a}\n"
        "  - {id: a, label: A, broader: b}\n"
        "  - {id: b, label: B, broader: c}\n"
        "  - {id: c, label: C, broader: a}\n"
        "factors:\n",
    )
    result = build(project)
    assert result.exit_code == 2, result.output
    line = lines_of(alpha, "{id: a, label: A")[0]
    assert errors(result) == [
        f"quotes/alpha2020.yaml:{line}: error: themes a -> b -> c -> a are broader than each other in a circle; "
        "remove one 'broader:' to break the circle"
    ]


def test_a_deep_codebook_without_a_circle_builds(project: Path):
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(
        alpha,
        "factors:\n",
        "  - {id: a, label: A, broader: b}\n  - {id: b, label: B, broader: small}\n"
        "  - {id: d, label: D, broader: b}\nfactors:\n",
    )
    result = build(project)
    assert result.exit_code == 0, result.output


# -- a theme used only through another study's matches: -------------------------------------------


def test_a_theme_matched_from_another_study_is_not_warned_unused(project: Path):
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(
        alpha, "factors:\n", "  - {id: matched-only, label: Matched only}\n  - {id: lonely, label: Lonely}\nfactors:\n"
    )
    edit(
        project / "quotes" / "gamma2021.yaml",
        "matches: [alpha2020/small]",
        "matches: [alpha2020/small, alpha2020/matched-only]",
    )
    result = build(project)
    assert result.exit_code == 0, result.output
    assert messages(result, "warning") == [
        f"quotes/alpha2020.yaml:{lines_of(alpha, 'id: lonely')[0]}: warning: theme 'lonely' is used by no quote "
        "or citation; remove it, or list it in the 'themes:' of a quote or citation"
    ]


def test_a_match_of_the_same_theme_id_in_a_third_study_does_not_count(project: Path):
    """alpha2020/matched-only is used; gamma2021's own theme of that id is not, by that match."""
    edit(project / "quotes" / "alpha2020.yaml", "factors:\n", "  - {id: matched-only, label: Matched}\nfactors:\n")
    gamma = project / "quotes" / "gamma2021.yaml"
    edit(gamma, "matches: [alpha2020/small]", "matches: [alpha2020/small, alpha2020/matched-only]")
    edit(gamma, "quotes:\n", "  - {id: matched-only, label: Same id here}\nquotes:\n")
    result = build(project)
    assert result.exit_code == 0, result.output
    assert [line for line in messages(result, "warning") if "matched-only" in line] == [
        f"quotes/gamma2021.yaml:{lines_of(gamma, 'id: matched-only')[0]}: warning: theme 'matched-only' is used "
        "by no quote or citation; remove it, or list it in the 'themes:' of a quote or citation"
    ]


# -- block lists: an error points at the bad item's own line --------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "bad", "message"),
    [
        (
            "    themes: [small, coffee-talk]\n",
            "    themes:\n      - small\n      - cofee-talk\n",
            "- cofee-talk",
            "unknown theme 'cofee-talk' in quote 'q4'; did you mean 'coffee-talk'?",
        ),
        (
            "    actions: [coffee, greeting]\n",
            "    actions:\n      - coffee\n      - greting\n",
            "- greting",
            "unknown action 'greting' in quote 'q4'; did you mean 'greeting'?",
        ),
        (
            "    factors: [being-seen, trust]\n",
            "    factors:\n      - being-seen\n      - trusst\n",
            "- trusst",
            "unknown factor 'trusst' in quote 'q4'; did you mean 'trust'?",
        ),
        (
            "    supports: [being-seen, trust]\n",
            "    supports:\n      - being-seen\n      - trusst\n",
            "- trusst",
            "unknown factor 'trusst' in action 'greeting'; did you mean 'trust'?",
        ),
        (
            '    cites: [zeta1999, "DBLP:journals/cacm/Knuth74"]\n',
            "    cites:\n      - zeta1999\n      - zeta1998\n",
            "- zeta1998",
            "unknown citation key 'zeta1998' in citation 'c2'; did you mean 'zeta1999'?",
        ),
    ],
)
def test_block_list_errors_point_at_the_items_line(project: Path, old: str, new: str, bad: str, message: str):
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(alpha, old, new)
    result = build(project)
    assert result.exit_code == 2, result.output
    (line,) = lines_of(alpha, bad)
    located = [e.partition(" error: ")[0] for e in errors(result) if message in e]
    assert located == [f"quotes/alpha2020.yaml:{line}:"], result.stderr


def test_block_list_match_error_points_at_the_items_line(project: Path):
    gamma = project / "quotes" / "gamma2021.yaml"
    edit(gamma, "    matches: [alpha2020/small]\n", "    matches:\n      - alpha2020/small\n      - alpha2020/smal\n")
    result = build(project)
    assert result.exit_code == 2, result.output
    line = lines_of(gamma, "- alpha2020/smal")[-1]
    assert errors(result) == [
        f"quotes/gamma2021.yaml:{line}: error: match 'alpha2020/smal' of theme 'little-things': study 'alpha2020' "
        "has no theme or concept 'smal'; did you mean 'small'? use a theme or concept id declared in "
        "quotes/alpha2020.yaml"
    ]


# -- a crossref child with no author of its own ---------------------------------------------------


CROSSREF_ENTRIES = """
@book{parent2004,
  author    = {Borg, Marit and Kristiansen, Kristjana},
  title     = {Recovery in practice},
  publisher = {Example Press},
  year      = {2004}
}
@incollection{child2004,
  title    = {A chapter without authors of its own},
  pages    = {5--9},
  crossref = {parent2004}
}
"""


def test_crossref_child_without_author_has_its_parents_creators_in_the_graph(project: Path):
    (project / "references" / "more.bib").write_text(CROSSREF_ENTRIES, encoding="utf-8")
    edit(
        project / "quotes" / "gamma2021.yaml", "cites: [zeta1999, alpha2020]", "cites: [zeta1999, alpha2020, child2004]"
    )
    corpus, warnings = kg.load_project(project)
    assert not warnings  # the parent counts as cited through its child
    graph = build_graph(corpus)
    child, parent = ID["study/child2004"], ID["study/parent2004"]
    names = {str(graph.value(agent, FOAF.name)) for agent in graph.objects(child, DCTERMS.creator)}
    assert names == {"Marit Borg", "Kristjana Kristiansen"}
    assert set(graph.objects(child, DCTERMS.creator)) == set(graph.objects(parent, DCTERMS.creator))
    authors = graph.value(child, BIBO.authorList)
    assert [str(graph.value(graph.value(authors, RDF[f"_{i}"]), FOAF.name)) for i in (1, 2)] == [
        "Marit Borg",
        "Kristjana Kristiansen",
    ]
    assert graph.value(child, SKOS.prefLabel) == Literal("Borg & Kristiansen 2004")
    assert graph.value(child, DCTERMS.title) == Literal("A chapter without authors of its own")
    # And a named query reads them from the graph: the child is found by its inherited author.
    store = open_store(project=project)
    assert [r["citing_study"] for r in run_named(store, "themes-for-source", study="child2004").records()] == [
        "Gamma et al. 2021"
    ]


# -- ids of dots ---------------------------------------------------------------------------------


def _minted(mint: Minter, value: str) -> list[str]:
    return [
        str(iri)
        for iri in (
            mint.study(value),
            mint.authors(value),
            mint.codebook(value),
            mint.participant(value, value),
            mint.unidentified(value, "user"),
            mint.theme(value, value),
            mint.quote("s", value),
            mint.citation(value, value),
            mint.factor(value),
            mint.action(value),
            mint.person(value),
            mint.source(f"quotes/{value}/{value}.yaml"),
            mint.software(value),
        )
    ]


def _resolved_by_oxigraph(base: str, relative: str) -> str:
    """The IRI a Turtle parser gives a relative reference: RFC 3986 resolution, dot-segments removed."""
    data = f"@base <{base}> . <{relative}> <urn:p> <urn:o> .".encode()
    (quad,) = ox.parse(data, format=ox.RdfFormat.TURTLE)
    return quad.subject.value


@pytest.mark.parametrize("value", [".", "..", "...", "a/..", "../a", "./.", "%2E%2E"])
def test_ids_of_dots_mint_iris_that_resolution_keeps(value: str):
    """Each minted IRI read back as a reference against the base (as Turtle's @base, JSON-LD's
    @base or any IRI resolver does) is the same IRI: no '.' or '..' segment to collapse."""
    mint = Minter()
    for iri in _minted(mint, value):
        relative = iri[len(mint.base) :]
        assert _resolved_by_oxigraph(mint.base, relative) == iri
        assert _resolved_by_oxigraph(mint.base + "x/y/", "../../" + relative) == iri
        assert not {".", ".."} & set(relative.split("/"))


def test_ids_of_dots_give_the_same_graph_in_every_format(project: Path):
    """A project whose ids are '.' and '..' builds to files that Oxigraph and rdflib read alike."""
    alpha = project / "quotes" / "alpha2020.yaml"
    text = alpha.read_text(encoding="utf-8")
    text = text.replace('{id: "1", role: user}', '{id: ".", role: user}').replace('speaker: "1"', 'speaker: "."')
    text = text.replace("  - id: q1\n", "  - id: ..\n").replace("  - id: q2\n", "  - id: .\n")
    alpha.write_text(text, encoding="utf-8")
    result = build(project, "--format", "all")
    assert result.exit_code == 0, result.output
    corpus, _ = kg.load_project(project)
    expected = {tuple(str(term) for term in triple) for triple in build_graph(corpus)}
    assert any(t[0].endswith("/quote/%2E%2E") for t in expected) and any(t[0].endswith("/quote/%2E") for t in expected)
    for fmt in FORMATS.values():
        path = project / "out" / f"graph.{fmt.suffix}"
        parsed = ox.parse(path=str(path), format=ox.RdfFormat.from_media_type(fmt.media_type))
        # TriG also holds the ontology, as a named graph of its own: compare the data graph.
        found = {
            (q.subject.value, q.predicate.value, q.object.value)
            for q in parsed
            if getattr(q.graph_name, "value", None) != ONTOLOGY_IRI
        }
        assert found == expected, fmt.name
        assert _rdflib_triples(path, fmt.rdflib) == expected, fmt.name


def _rdflib_triples(path: Path, rdflib_format: str) -> set[tuple[str, str, str]]:
    dataset = Dataset()
    dataset.parse(path, format=rdflib_format)
    return {
        tuple(str(term) for term in quad[:3])
        for quad in dataset.quads((None, None, None, None))
        if str(quad[3]) != ONTOLOGY_IRI
    }


# -- outputs written through a temporary file ------------------------------------------------------


def test_the_write_goes_through_a_temporary_file_beside_the_target(tmp_path: Path, monkeypatch):
    """The file is renamed into place: at the rename the target still holds the old bytes, and the
    new ones are in another file of the same folder (a rename across filesystems is not atomic)."""
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")
    seen = []
    real_replace = os.replace

    def spying_replace(src, dst):
        src, dst = Path(src), Path(dst)
        seen.append((src.parent, src != dst, src.read_bytes(), Path(dst).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spying_replace)
    write_atomically(target, b"new")
    assert seen == [(tmp_path, True, b"new", b"old")]
    assert target.read_bytes() == b"new"


def test_a_write_that_fails_midway_keeps_the_earlier_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")
    real_fdopen = os.fdopen

    class HalfWritten:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError("disk full")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWritten(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new contents")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_a_build_that_fails_in_one_format_writes_none(project: Path, monkeypatch):
    """Every format is serialized before any file is written: no mix of old and new outputs."""
    assert build(project, "--format", "all").exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "out").iterdir() if not p.name.startswith(".")}
    edit(project / "quotes" / "alpha2020.yaml", "Someone remembered my name.", "Someone remembered my name!")
    real = kg.build.serialize

    def failing(graph, fmt, **kwargs):
        if fmt == "trig":
            raise RuntimeError("serializer broke")
        return real(graph, fmt, **kwargs)

    monkeypatch.setattr(kg.build, "serialize", failing)
    with pytest.raises(RuntimeError):
        kg.build_project(project, formats=("turtle", "ntriples", "jsonld", "trig"))
    assert {p.name: p.read_bytes() for p in (project / "out").iterdir() if not p.name.startswith(".")} == before


# -- .yml files ----------------------------------------------------------------------------------


def test_a_project_of_yml_files_only_builds(project: Path):
    for path in (project / "quotes").glob("*.yaml"):
        path.rename(path.with_suffix(".yml"))
    (project / "quotes" / "gamma2021.yml").rename(project / "quotes" / "gamma2021.YML")
    result = build(project)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "5 quotes" in result.output


# -- theme-by-role's thresholds -------------------------------------------------------------------


def test_theme_by_role_flags_at_both_sides_of_each_threshold():
    """tests/data/roles: each theme id says its (user quotes, cited studies); a flag for >= 2 user
    quotes and <= 1 cited study, another for >= 2 cited studies and no user quote."""
    voiced, covered = (
        "users voice it; the literature barely covers it",
        "the literature covers it; users do not voice it",
    )
    table = run_named(open_store(project=ROLES), "theme-by-role")
    got = {
        r["theme"]: (r["user_quotes"], r["professional_quotes"], r["cited_studies"], r["flag"]) for r in table.records()
    }
    assert got == {
        "Two users one study": (2, 0, 1, voiced),
        "Three users no study": (3, 0, 0, voiced),
        "Two users two studies": (2, 0, 2, ""),
        "One user one study": (1, 0, 1, ""),
        "No user two studies": (0, 1, 2, covered),
        "No user three studies": (0, 1, 3, covered),
        "No user one study": (0, 1, 1, ""),
        "One user two studies": (1, 0, 2, ""),
    }


# -- survivors of the first mutmut run (tests/MUTATION.md) ---------------------------------------


def test_every_kind_of_iri_has_its_documented_shape():
    """The IRI patterns of README "The graph", pinned one by one (a module-scoped graph fixture
    hides these from mutmut's per-test coverage, so they are asserted here directly)."""
    mint = Minter("https://example.org/kg/")
    assert [
        mint.study("k"),
        mint.authors("k"),
        mint.codebook("k"),
        mint.participant("k", "38"),
        mint.unidentified("k", "user"),
        mint.theme("k", "t"),
        mint.quote("k", "q"),
        mint.citation("k", "c"),
        mint.factor("f"),
        mint.action("a"),
        mint.person("Borg, Marit"),
        mint.source("quotes/a b.yaml"),
        mint.build(),
        mint.software("1.0"),
    ] == [
        URIRef("https://example.org/kg/" + tail)
        for tail in (
            "study/k",
            "study/k/authors",
            "study/k/codebook",
            "study/k/participant/38",
            "study/k/unidentified/user",
            "study/k/theme/t",
            "study/k/quote/q",
            "study/k/citation/c",
            "factor/f",
            "action/a",
            "person/Borg%2C%20Marit",
            "source/quotes/a%20b.yaml",
            "build",
            "software/recovery-kg/1.0",
        )
    ]


def test_a_match_without_a_slash_is_an_error(project: Path):
    gamma = project / "quotes" / "gamma2021.yaml"
    edit(gamma, "matches: [alpha2020/small]", "matches: [small]")
    result = build(project)
    assert result.exit_code == 2, result.output
    assert errors(result) == [
        f"quotes/gamma2021.yaml:{lines_of(gamma, 'matches:')[0]}: error: match 'small' of theme 'little-things' is "
        "not STUDY/ID; write the BibTeX key of the other study, '/', and the id of its theme or concept"
    ]


def test_a_match_splits_at_the_last_slash_for_a_dblp_key(project: Path):
    """A study whose BibTeX key holds '/' is matched as KEY/THEME: the theme is after the last '/'."""
    knuth = "DBLP:journals/cacm/Knuth74"
    (project / "quotes" / "knuth.yaml").write_text(
        f'study: "{knuth}"\nthemes:\n  - {{id: art, label: Programming as an art}}\n'
        "participants:\n  - {id: K, role: professional}\n"
        "quotes:\n  - {id: k1, speaker: K, text: It is an art., themes: [art]}\n",
        encoding="utf-8",
    )
    gamma = project / "quotes" / "gamma2021.yaml"
    edit(gamma, "matches: [alpha2020/small]", f"matches: [alpha2020/small, {knuth}/art]")
    result = build(project)
    assert result.exit_code == 0, result.output
    corpus, _ = kg.load_project(project)
    graph = build_graph(corpus)
    little = ID["study/gamma2021/theme/little-things"]
    assert (little, SKOS.closeMatch, ID["study/DBLP%3Ajournals%2Fcacm%2FKnuth74/theme/art"]) in graph
    edit(gamma, f"{knuth}/art]", f"{knuth}/arts]")
    assert errors(build(project)) == [
        f"quotes/gamma2021.yaml:{lines_of(gamma, 'matches:')[0]}: error: match '{knuth}/arts' of theme "
        f"'little-things': study '{knuth}' has no theme or concept 'arts'; did you mean 'art'? use a theme or "
        "concept id declared in quotes/knuth.yaml"
    ]


def test_an_unknown_id_with_no_close_match_suggests_nothing(project: Path):
    """'smxxl' is 0.6 like 'small' (difflib's default cutoff) but under the 0.8 the hints use."""
    gamma = project / "quotes" / "gamma2021.yaml"
    edit(gamma, "    themes: [little-things]\n    actions", "    themes: [smxxl]\n    actions")
    result = build(project)
    assert errors(result) == [
        f"quotes/gamma2021.yaml:{lines_of(gamma, '[smxxl]')[0]}: error: unknown theme 'smxxl' in quote 'qA'; "
        "declare it under themes: or fix the id"
    ]
