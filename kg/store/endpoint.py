"""A remote store: a SPARQL 1.1 endpoint, asked over HTTP (the SPARQL 1.1 Protocol).

The query text a local store would run, parameters already bound as a ``VALUES`` block, is sent
as it stands, with the predeclared prefixes written before it, so a remote answer binds values
the same way. It is parsed here first (the same syntax errors, with the same line and column,
before any request). The dataset is the graph ``kg publish`` wrote, named in the request
(``default-graph-uri``), so a server's other graphs (and the ontology's) are not read, as a
graph file holds none of them; ``graph_iri=None`` reads the server's own default graph.
"""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox

from kg.errors import ServerError
from kg.store.base import Answer, Store, parse_locally
from kg.store.http import Credentials, opener, send, split_credentials
from kg.store.sparql import head_tokens, query_form
from kg.vocab import DEFAULT_BASE, PREFIX_IRIS

#: The graph ``kg publish`` replaces unless told another.
DEFAULT_GRAPH = DEFAULT_BASE + "graph"

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_TRIPLES_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


def prologue() -> str:
    """``PREFIX`` lines for the predeclared prefixes, which a server does not know."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIX_IRIS.items())


class EndpointStore(Store):
    """A SPARQL 1.1 query endpoint (Oxigraph ``/query``, Fuseki ``/DATASET/sparql``, Virtuoso
    ``/sparql``, GraphDB ``/repositories/REPO``, QLever's root), reading the graph ``graph_iri``."""

    def __init__(self, url: str, graph_iri: str | None = DEFAULT_GRAPH, credentials: Credentials | None = None):
        self.url, credentials = split_credentials(url, credentials)
        self.graph_iri = graph_iri
        self.where = f"the SPARQL endpoint {self.url}"
        self._http = opener(self.url, credentials)

    def execute(self, text: str) -> Answer:
        parse_locally(text)
        triples = query_form(head_tokens(text)) in ("CONSTRUCT", "DESCRIBE")
        fields = [("query", prologue() + text)]
        if self.graph_iri:
            fields.append(("default-graph-uri", self.graph_iri))
        media_type, body = send(
            self._http,
            "POST",
            self.url,
            "the query",
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": _TRIPLES_ACCEPT if triples else _RESULTS_ACCEPT,
            },
        )
        try:
            if triples:
                fmt = ox.RdfFormat.N_TRIPLES if media_type == "text/plain" else ox.RdfFormat.from_media_type(media_type)
                if fmt is None:
                    raise ValueError(f"an answer in {media_type}")
                return list(ox.parse(body, format=fmt))
            if media_type not in _RESULTS:
                raise ValueError(f"an answer in {media_type}")
            return ox.parse_query_results(body, format=_RESULTS[media_type])
        except (SyntaxError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ServerError(
                f"{self.where} gave an answer that cannot be read ({reason}); check that --endpoint is "
                "the server's SPARQL query URL (Oxigraph: /query)"
            ) from None
