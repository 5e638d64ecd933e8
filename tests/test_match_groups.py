"""Match groups: themes and concepts tied by skos:closeMatch, either way and through each other,
are one rkg:MatchGroup in the graph, and the answers across papers count over the group.

The project is tests/data/across (north2020 and south2021 match theme for theme) plus east2022,
whose Care matches south2021's Warmth only: Care reaches Kindness through Warmth. Answers are
worked out by hand from the YAML below and the across fixture.
"""

from __future__ import annotations

import shutil

import pytest
from rdflib import RDF, Graph, Namespace

from kg.graph.build import build_graph
from kg.graph.validate import validate_graph
from kg.project import load_project
from kg.queries import run_named
from kg.store import open_store
from kg.vocab import RKG
from tests.fixtures import DATA

ID = Namespace("https://w3id.org/recovery-kg/id/")
EAST = """study: east2022
participants:
  - {id: "1", role: user}
  - {id: "2", role: professional}
themes:
  - {id: care, label: Care, matches: [south2021/warmth]}
  - {id: alone, label: Alone}
quotes:
  - {id: e1, speaker: "1", text: Someone cared and I was not alone., themes: [care, alone]}
  - {id: e2, speaker: "2", text: Care is slow., themes: [care]}
"""
EAST_BIB = """
@article{east2022,
  author = {East, Eli},
  title = {Care},
  journal = {Journal of Examples},
  year = {2022}
}
"""


@pytest.fixture(scope="module")
def chained(tmp_path_factory):
    root = tmp_path_factory.mktemp("chained") / "project"
    shutil.copytree(DATA / "across", root)
    (root / "quotes" / "east2022.yaml").write_text(EAST, encoding="utf-8")
    with (root / "references" / "across.bib").open("a", encoding="utf-8") as bib:
        bib.write(EAST_BIB)
    return root


@pytest.fixture(scope="module")
def graph(chained):
    corpus, _ = load_project(chained)
    return build_graph(corpus)


def theme(study: str, tid: str):
    return ID[f"study/{study}/theme/{tid}"]


def test_themes_matched_through_each_other_are_one_group_named_after_its_first_member(graph):
    kindness_group = ID["match-group/east2022/theme/care"]  # study/east2022/... is the smallest IRI
    time_group = ID["match-group/north2020/theme/time"]
    assert set(graph.subjects(RKG.matchGroup, kindness_group)) == {
        theme("east2022", "care"),
        theme("north2020", "kindness"),
        theme("south2021", "warmth"),
    }
    assert set(graph.subjects(RKG.matchGroup, time_group)) == {
        theme("north2020", "time"),
        theme("south2021", "patience"),
    }
    assert set(graph.subjects(RDF.type, RKG.MatchGroup)) == {kindness_group, time_group}
    # A theme that matches nothing is in no group.
    assert graph.value(theme("east2022", "alone"), RKG.matchGroup) is None


def test_the_shapes_hold_match_groups_to_two_members_and_a_theme_to_one_group(graph):
    assert validate_graph(graph).conforms
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    lonely = ID["match-group/east2022/theme/alone"]
    broken.add((lonely, RDF.type, RKG.MatchGroup))
    broken.add((theme("east2022", "alone"), RKG.matchGroup, lonely))
    broken.add((theme("north2020", "kindness"), RKG.matchGroup, ID["match-group/north2020/theme/time"]))
    report = validate_graph(broken)
    assert not report.conforms
    assert report.results == [
        f"{lonely} ^rkg:matchGroup: A match group holds at least two themes or concepts"
        " (those tied by skos:closeMatch)",
        f"{theme('north2020', 'kindness')} rkg:matchGroup: More than 1 values on "
        f"<{theme('north2020', 'kindness')}>->rkg:matchGroup",
    ]


def test_theme_by_role_counts_over_the_whole_group(chained):
    table = run_named(open_store(project=chained), "theme-by-role")
    got = {
        row["theme"]: (sorted(filter(None, row["matched"].split("; "))), *(row[c] for c in COUNTS))
        for row in table.records()
    }
    # Users: n1, s1, e1; professionals: n2, e2; cited: north2020 (south's c1, about Warmth).
    assert got["Kindness"] == (["east2022/care", "south2021/warmth"], 3, 2, 1)
    assert got["Care"] == (["north2020/kindness", "south2021/warmth"], 3, 2, 1)
    assert got["Warmth"] == (["east2022/care", "north2020/kindness"], 3, 2, 1)
    # Taking time + Patience: users n1, s1; no professional, no study.
    assert got["Taking time"] == (["south2021/patience"], 2, 0, 0)
    # Alone matches nothing: its own quote only.
    assert got["Alone"] == ([], 1, 0, 0)


COUNTS = ("all_user_quotes", "all_professional_quotes", "all_cited_studies")


def test_cooccurrence_pairs_each_group_under_its_most_quoted_member(chained):
    # Kindness (n1, n2) and Care (e1, e2) have two quotes each: the smaller IRI, Care, names the
    # group. Taking time and Patience one each: north2020's IRI first. n1 and s1 are one pair.
    table = run_named(open_store(project=chained), "cooccurrence")
    assert [(r["first"], r["second"], r["quotes"], r["via"]) for r in table.records()] == [
        ("Care", "Taking time", 2, "north2020/kindness; south2021/patience; south2021/warmth"),
        ("Alone", "Care", 1, ""),
    ]
