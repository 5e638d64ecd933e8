"""``kg publish``: replace a named graph on a real SPARQL server, then query it (issue 12).

Round trips against Oxigraph (started by a fixture in every ``make test``) and Virtuoso (which
``.ci/run`` installs; its Graph Store URL and Digest authentication differ), and an upload cut
half-way by a proxy, after which the server's previous graph is still whole.
"""

from __future__ import annotations

import os
import urllib.parse

import pytest
from click.testing import CliRunner

import kg
from cli import cli
from kg.errors import ExitStatus
from kg.queries import run_named
from kg.store import Credentials, EndpointStore, open_store
from kg.store.publish import CHUNK, _Upload, update_url_for
from kg.vocab import ONTOLOGY_IRI
from tests.fixtures import DATA, REPO
from tests.servers import CuttingProxy

MINI = DATA / "mini"

#: How many triples the mini project's graph holds, as kg builds it in memory (what a server gets).
MINI_TRIPLES = len(kg.build_graph(kg.load_project(MINI)[0]))


def graphs_on(server) -> set[str]:
    """Every named graph on the server."""
    store = EndpointStore(server.query_url, graph_iri=None)
    return {row[0].value for row in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")[1]}


def count(store) -> int:
    return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1][0][0].value)


def publish(project, url: str, graph: str, *extra: str, env: dict | None = None):
    args = ["publish", str(project), "--endpoint", url, "--graph", graph, *extra]
    return CliRunner(env=env).invoke(cli, args)


def test_publish_then_query_on_oxigraph(oxigraph_server):
    graph = "https://example.org/round-trip"
    result = publish(MINI, oxigraph_server.store_url, graph)
    assert result.exit_code == 0, result.output
    assert result.output == f"published {MINI_TRIPLES} triples to <{graph}> and the ontology to <{ONTOLOGY_IRI}>\n"
    endpoint = EndpointStore(oxigraph_server.query_url, graph)
    expected = run_named(open_store(project=MINI), "themes-for-source", study="zeta1999").records(iri=True)
    assert run_named(endpoint, "themes-for-source", study="zeta1999").records(iri=True) == expected
    assert count(endpoint) == MINI_TRIPLES
    assert {graph, ONTOLOGY_IRI} <= graphs_on(oxigraph_server)
    assert not [g for g in graphs_on(oxigraph_server) if g.startswith("urn:recovery-kg:staging:")]


def test_publishing_again_replaces_the_graph(oxigraph_server):
    graph = "https://example.org/replaced"
    assert publish(REPO, oxigraph_server.store_url, graph).exit_code == 0
    assert publish(MINI, oxigraph_server.store_url, graph).exit_code == 0
    assert count(EndpointStore(oxigraph_server.query_url, graph)) == MINI_TRIPLES


def test_an_upload_cut_half_way_leaves_the_old_graph_whole(oxigraph_server):
    graph = "https://example.org/interrupted"
    assert publish(MINI, oxigraph_server.store_url, graph).exit_code == 0
    endpoint = EndpointStore(oxigraph_server.query_url, graph)
    before = run_named(endpoint, "quotes").records(iri=True)
    port = urllib.parse.urlsplit(oxigraph_server.store_url).port
    proxy = CuttingProxy(port, limit=64 * 1024)  # the seed corpus is ~1 MB of N-Triples
    try:
        result = publish(REPO, f"http://127.0.0.1:{proxy.port}/store", graph)
    finally:
        proxy.close()
    assert proxy.cut >= 1, "the proxy cut nothing"
    assert result.exit_code == ExitStatus.SERVER
    assert result.output.startswith(f"kg: uploading <{graph}> at http://127.0.0.1:{proxy.port}/store?graph=urn")
    assert "check the URL and that the server is running" in result.output
    assert count(endpoint) == MINI_TRIPLES
    assert run_named(endpoint, "quotes").records(iri=True) == before
    assert not [g for g in graphs_on(oxigraph_server) if g.startswith("urn:recovery-kg:staging:")]


def test_a_server_that_is_down_exits_3_and_never_prints_the_password():
    env = {**os.environ, "KG_USER": "kg", "KG_PASSWORD": "s3cret-pw"}
    result = publish(MINI, "http://127.0.0.1:9/store", "https://example.org/g", env=env)
    assert result.exit_code == ExitStatus.SERVER
    assert result.output.startswith("kg: uploading <https://example.org/g> at http://127.0.0.1:9/store?graph=")
    assert "s3cret" not in result.output
    in_url = publish(MINI, "http://kg:s3cret-pw@127.0.0.1:9/store", "https://example.org/g")
    assert in_url.exit_code == ExitStatus.SERVER and "s3cret" not in in_url.output


def test_a_password_without_a_user_is_a_usage_error():
    result = publish(MINI, "http://127.0.0.1:9/store", "https://example.org/g", "--password", "s3cret-pw")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.output == "kg: a password was given without a user; give --user (or KG_USER) too\n"


def test_an_unknown_graph_store_url_asks_for_the_update_url():
    result = publish(MINI, "http://127.0.0.1:9/gsp", "https://example.org/g")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "cannot tell the SPARQL update URL of the Graph Store URL 'http://127.0.0.1:9/gsp'; give --update-url" in (
        result.output
    )


@pytest.mark.parametrize(
    ("gsp", "update"),
    [
        ("http://h:7878/store", "http://h:7878/update"),
        ("http://h:3030/kg/data", "http://h:3030/kg/update"),
        ("http://h:8890/sparql-graph-crud-auth", "http://h:8890/sparql-auth"),
        ("http://h:7200/repositories/kg/rdf-graphs/service", "http://h:7200/repositories/kg/statements"),
    ],
)
def test_the_update_url_of_each_server(gsp: str, update: str):
    assert update_url_for(gsp) == update


def test_publish_then_query_on_virtuoso(virtuoso_server):
    """Virtuoso: Graph Store at /sparql-graph-crud-auth behind Digest authentication, updates at
    /sparql-auth, queries at /sparql."""
    graph = "https://example.org/virtuoso"
    env = {**os.environ, "KG_USER": virtuoso_server.user, "KG_PASSWORD": virtuoso_server.password}
    for _ in range(2):  # the second run replaces the first
        result = publish(MINI, virtuoso_server.store_url, graph, env=env)
        assert result.exit_code == 0, result.output
        assert virtuoso_server.password not in result.output
    endpoint = EndpointStore(virtuoso_server.query_url, graph)
    assert count(endpoint) == MINI_TRIPLES
    memory = open_store(project=MINI)
    # The named queries Virtuoso answers as memory does. Known gap (README "Stores and servers"):
    # Virtuoso 7's optimizer fails on the roll-up sub-query of quotes (SQ156 "Bad dfe"), and its
    # property paths count otherwise in theme-by-role and sources-for-theme of a matched theme.
    cases = [
        ("themes-for-source", {"study": "zeta1999"}),
        ("actions", {}),
        ("cocitation", {}),
        ("sources-for-theme", {"theme": "alpha2020/small"}),
        ("path", {"from": "greeting", "to": "zeta1999"}),
        ("cooccurrence", {}),
        ("cooccurrence", {"of": "factors"}),
    ]
    for name, params in cases:
        assert run_named(endpoint, name, **params).records(iri=True) == run_named(memory, name, **params).records(
            iri=True
        ), name
    wrong = publish(MINI, virtuoso_server.store_url, graph, "--user", "dba", "--password", "wrong-pw")
    assert wrong.exit_code == ExitStatus.SERVER and "401" in wrong.output and "wrong-pw" not in wrong.output
    assert count(EndpointStore(virtuoso_server.query_url, graph, Credentials("dba", "x"))) == MINI_TRIPLES


def test_an_upload_moves_the_bar_once_even_when_sent_twice():
    """Digest authentication sends the body again after the server's challenge."""
    moved: list[int] = []
    data = b"x" * (2 * CHUNK + 5)
    upload = _Upload(data, moved.append)
    for _ in range(2):
        assert b"".join(upload) == data
    assert sum(moved) == len(data)
