"""Every named query answers alike on the three kinds of store: memory, an Oxigraph folder, and a
real Oxigraph server read as a SPARQL endpoint after ``kg publish`` (issue 12).

The cases are those of tests/test_query_formats.py, which cover every parameter of every named
query; parameters reach the endpoint bound (a ``VALUES`` block), never formatted into the text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cli import cli
from kg.errors import ExitStatus, ProjectError
from kg.queries import run_named, run_sparql
from kg.store import EndpointStore, open_store, parse_store
from kg.store.endpoint import DEFAULT_GRAPH
from kg.store.local import save_to_folder
from tests.fixtures import DATA, REPO
from tests.test_query_formats import CASES, SEED_CASES, case_id

MINI = DATA / "mini"
SEED_GRAPH = "https://w3id.org/recovery-kg/id/seed-graph"


def publish(project: Path, server, graph: str = DEFAULT_GRAPH, *extra: str):
    return CliRunner().invoke(cli, ["publish", str(project), "--endpoint", server.store_url, "--graph", graph, *extra])


@pytest.fixture(scope="module")
def stores(oxigraph_server, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The mini project in memory, in an Oxigraph folder (kg build --store), and on the server."""
    out = tmp_path_factory.mktemp("mini-store")
    built = CliRunner().invoke(cli, ["build", str(MINI), "--out", str(out), "--store", f"oxigraph:{out / 'store'}"])
    assert built.exit_code == 0, built.output
    published = publish(MINI, oxigraph_server)
    assert published.exit_code == 0, published.output
    return {
        "memory": open_store(project=MINI),
        "oxigraph folder": open_store(store=f"oxigraph:{out / 'store'}"),
        "endpoint": open_store(endpoint=oxigraph_server.query_url),
    }


@pytest.mark.parametrize("kind", ["oxigraph folder", "endpoint"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_named_query_answers_alike_on_every_store(stores: dict, kind: str, case):
    name, params = case
    expected = run_named(stores["memory"], name, **params).records(iri=True)
    assert expected
    assert run_named(stores[kind], name, **params).records(iri=True) == expected


def test_seed_cases_answer_alike_on_the_endpoint(oxigraph_server):
    published = publish(REPO, oxigraph_server, SEED_GRAPH)
    assert published.exit_code == 0, published.output
    memory, endpoint = open_store(project=REPO), EndpointStore(oxigraph_server.query_url, SEED_GRAPH)
    for name, params in SEED_CASES:
        expected = run_named(memory, name, **params).records(iri=True)
        assert expected and run_named(endpoint, name, **params).records(iri=True) == expected, (name, params)


@pytest.mark.parametrize("kind", ["memory", "oxigraph folder", "endpoint"])
def test_a_value_is_bound_never_pasted_on_every_store(stores: dict, kind: str):
    query = "SELECT ?text WHERE { ?q rkg:text ?text ; rkg:spokenBy/dcterms:identifier ?who }"
    assert run_sparql(stores[kind], query, {"who": '1" } UNION { ?q ?p ?text } #'}).records() == []
    assert [r["text"] for r in run_sparql(stores[kind], query, {"who": "1"}).records()] == [
        "She offered me coffee and we talked."
    ]


@pytest.mark.parametrize("kind", ["memory", "oxigraph folder", "endpoint"])
def test_ask_describe_and_syntax_errors_alike_on_every_store(stores: dict, kind: str):
    store = stores[kind]
    assert store.select("ASK { ?s a rkg:Quote }") == (["answer"], [[ox.Literal("true")]])
    study = "<https://w3id.org/recovery-kg/id/study/zeta1999>"
    triples = sorted(str(t) for t in store.select(f"DESCRIBE {study}")[1])
    assert triples == sorted(str(t) for t in stores["memory"].select(f"DESCRIBE {study}")[1])
    with pytest.raises(Exception, match="SPARQL syntax error at line 1, column 22"):
        store.select("SELECT ?x WHERE { ?x ")


def test_the_endpoint_reads_only_the_published_graph(stores: dict, oxigraph_server):
    """The ontology, published beside the graph, is not read (a graph file holds none of it)."""
    ontology_class = "ASK { rkg:Quote a owl:Class }"
    assert stores["endpoint"].select(ontology_class)[1] == [[ox.Literal("false")]]
    union = EndpointStore(oxigraph_server.query_url, graph_iri=None)  # the server's own default graph
    assert union.select("ASK { ?s ?p ?o }")[1] == [[ox.Literal("false")]]


def test_the_commands_read_a_folder_and_an_endpoint(stores: dict, oxigraph_server, tmp_path: Path):
    runner = CliRunner()
    args = ["query", "themes-for-source", "zeta1999", "--format", "csv"]
    expected = runner.invoke(cli, [*args, "--project", str(MINI)])
    from_endpoint = runner.invoke(cli, [*args, "--endpoint", oxigraph_server.query_url])
    assert (from_endpoint.exit_code, from_endpoint.output) == (0, expected.output)
    stats = runner.invoke(cli, ["stats", "--endpoint", oxigraph_server.query_url])
    assert stats.exit_code == 0 and "Quote" in stats.output
    page = tmp_path / "map.html"
    drawn = runner.invoke(cli, ["map", "--endpoint", oxigraph_server.query_url, "--out", str(page)])
    assert drawn.exit_code == 0 and "Zeta" in page.read_text()


def test_two_sources_at_once_is_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(cli, ["stats", "--project", str(MINI), "--store", f"oxigraph:{tmp_path}"])
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.output == "kg: give --project or --store, not both: each names where the graph is\n"


def test_a_folder_that_holds_no_store(tmp_path: Path):
    result = CliRunner().invoke(cli, ["stats", "--store", f"oxigraph:{tmp_path / 'none'}"])
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert f"there is no Oxigraph store in '{tmp_path / 'none'}'; make it with 'kg build --store" in result.output


def test_a_store_that_is_neither_kind():
    with pytest.raises(Exception, match="--store 'redis:x' is neither 'memory' nor 'oxigraph:DIR'"):
        parse_store("redis:x")


def test_an_endpoint_that_does_not_answer_exits_3_without_the_password():
    env = {**os.environ, "KG_USER": "kg", "KG_PASSWORD": "s3cret-pw"}
    result = CliRunner(env=env).invoke(cli, ["stats", "--endpoint", "http://kg:s3cret-pw@127.0.0.1:9/query"])
    assert result.exit_code == ExitStatus.SERVER == 3
    assert result.output.startswith("kg: the query at http://127.0.0.1:9/query failed: ")
    assert "s3cret" not in result.output


def test_an_endpoint_that_is_no_url():
    result = CliRunner().invoke(cli, ["stats", "--endpoint", "localhost:7878"])
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "--endpoint 'localhost:7878' is not an http(s) URL" in result.output


GRAPH = "https://w3id.org/recovery-kg/id/graph"
ONE = b"<urn:a> <urn:p> <urn:b> .\n"
TWO = b"<urn:c> <urn:p> <urn:d> .\n<urn:e> <urn:p> <urn:f> .\n"


def _quads(folder: Path) -> list[tuple[str, str]]:
    store = ox.Store.read_only(str(folder))
    try:
        return sorted((q.subject.value, str(q.graph_name)) for q in store)
    finally:
        del store


def test_a_folder_store_is_replaced_whole(tmp_path: Path):
    # The folder holds only kg's graphs: a new store is loaded beside it and put in its place.
    folder = tmp_path / "store"
    save_to_folder(folder, ONE, GRAPH, b"")
    save_to_folder(folder, TWO, GRAPH, ONE)
    assert _quads(folder) == [
        ("urn:a", "<https://w3id.org/recovery-kg>"),
        ("urn:c", f"<{GRAPH}>"),
        ("urn:e", f"<{GRAPH}>"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # nothing left beside it


def test_a_failed_load_leaves_the_old_folder_store_whole(tmp_path: Path):
    folder = tmp_path / "store"
    save_to_folder(folder, ONE, GRAPH, b"")
    with pytest.raises(SyntaxError):
        save_to_folder(folder, ONE + b"<urn:broken", GRAPH, b"")
    assert _quads(folder) == [("urn:a", f"<{GRAPH}>")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_folder_store_holding_other_graphs_keeps_them(tmp_path: Path):
    folder = tmp_path / "store"
    save_to_folder(folder, ONE, GRAPH, b"")
    store = ox.Store(str(folder))
    store.add(ox.Quad(ox.NamedNode("urn:mine"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode("urn:notes")))
    store.flush()
    del store
    save_to_folder(folder, TWO, GRAPH, ONE)
    assert _quads(folder) == [
        ("urn:a", "<https://w3id.org/recovery-kg>"),
        ("urn:c", f"<{GRAPH}>"),
        ("urn:e", f"<{GRAPH}>"),
        ("urn:mine", "<urn:notes>"),
    ]


def test_a_folder_store_another_program_holds_is_an_error_and_stays(tmp_path: Path):
    folder = tmp_path / "store"
    save_to_folder(folder, ONE, GRAPH, b"")
    holder = ox.Store(str(folder))  # as `oxigraph serve --location` would hold it
    try:
        with pytest.raises(ProjectError, match="is another program"):
            save_to_folder(folder, TWO, GRAPH, b"")
    finally:
        del holder
    assert _quads(folder) == [("urn:a", f"<{GRAPH}>")]
