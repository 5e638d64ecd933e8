"""SPARQL as users write it, on a server with no reasoner: entailed types are in the graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from cli import cli
from kg.graph import ontology_graph
from kg.vocab import ONTOLOGY_IRI
from tests.fixtures import DATA

MINI = DATA / "mini"
RKG = "https://w3id.org/recovery-kg#"


def build(tmp_path: Path, *formats: str) -> Path:
    args = [arg for fmt in formats for arg in ("--format", fmt)]
    result = CliRunner().invoke(cli, ["build", str(MINI), "--out", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    return tmp_path


def count(store: ox.Store, cls: str) -> int:
    (row,) = store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{cls}> }}", use_default_graph_as_union=True)
    return int(row["n"].value)


def test_superclass_types_are_written_so_plain_sparql_finds_participants(tmp_path: Path):
    out = build(tmp_path)
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert count(store, RKG + "Participant") == 4  # 3 service users and 1 professional, as `kg stats` says
    assert count(store, "http://www.w3.org/2004/02/skos/core#Concept") == 3 + 2 + 2  # themes, actions, factors
    assert count(store, "http://www.w3.org/ns/prov#Entity") == 4 + 5 + 3 + 3  # studies, quotes, passages, files
    assert count(store, "http://purl.org/spar/fabio/Expression") == 4


def test_the_ontology_is_written_beside_the_graph_and_inside_trig(tmp_path: Path):
    out = build(tmp_path, "trig")
    beside = Graph().parse(out / "ontology.ttl", format="turtle")
    assert isomorphic(beside, ontology_graph())
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == [ONTOLOGY_IRI, "https://w3id.org/recovery-kg/id/graph"]
    in_trig = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI))
    }
    assert len(in_trig) == len(beside)
    assert (
        ox.NamedNode(ONTOLOGY_IRI),
        ox.NamedNode(str(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))),
        ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"),
    ) in in_trig
