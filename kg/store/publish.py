"""Publishing: replace named graphs on a SPARQL 1.1 server through the Graph Store Protocol.

Each graph is first uploaded (HTTP ``PUT URL?graph=STAGING``) into a staging graph of its own,
then one SPARQL update moves every staging graph over its real one (``MOVE <staging> TO
<graph>``). A failed or interrupted upload leaves the real graphs as they were (the staging
graph is dropped, or left to be replaced by the next run); the move is one update request, which
Oxigraph, Fuseki, GraphDB and Virtuoso run as one transaction.
"""

from __future__ import annotations

import urllib.parse

from kg.errors import ProjectError, ServerError
from kg.progress import SILENT, Progress
from kg.store.http import Credentials, opener, send, split_credentials, with_parameter
from kg.store.local import staging_graph

#: The end of a Graph Store Protocol URL -> the end of the same server's SPARQL update URL.
UPDATE_PATHS = {
    "/store": "/update",  # Oxigraph
    "/data": "/update",  # Fuseki: /DATASET/data -> /DATASET/update
    "/sparql-graph-crud-auth": "/sparql-auth",  # Virtuoso, authenticated (digest)
    "/sparql-graph-crud": "/sparql",  # Virtuoso, anonymous (needs SPARQL_UPDATE granted)
    "/rdf-graphs/service": "/statements",  # GraphDB / RDF4J: /repositories/REPO/...
}
#: An upload is sent in pieces of this many bytes (the progress bar moves with each).
CHUNK = 1 << 20


def update_url_for(gsp_url: str) -> str | None:
    """The SPARQL update URL of the server whose Graph Store URL is ``gsp_url``, when known.

    >>> update_url_for("http://localhost:7878/store")
    'http://localhost:7878/update'
    >>> update_url_for("http://localhost:3030/kg/data")
    'http://localhost:3030/kg/update'
    """
    parts = urllib.parse.urlsplit(gsp_url)
    path = parts.path.rstrip("/")
    for end, update in UPDATE_PATHS.items():
        if path.endswith(end):
            return urllib.parse.urlunsplit(parts._replace(path=path[: -len(end)] + update))
    return None


class _Upload:
    """The body of a PUT, sent in pieces; iterable again (an authentication retry sends it anew)."""

    def __init__(self, data: bytes, advance):
        self.data, self.advance, self.sent = data, advance, 0

    def __iter__(self):
        for start in range(0, len(self.data), CHUNK):
            piece = self.data[start : start + CHUNK]
            yield piece
            if start + len(piece) > self.sent:  # a retry does not move the bar twice
                self.advance(start + len(piece) - self.sent)
                self.sent = start + len(piece)


def publish_graphs(
    endpoint: str,
    graphs: dict[str, bytes],
    update_url: str | None = None,
    credentials: Credentials | None = None,
    progress: Progress = SILENT,
) -> None:
    """Replace each graph (IRI -> N-Triples) on the server at ``endpoint`` (its Graph Store URL).

    Example::

        publish_graphs("http://localhost:7878/store", {"https://example.org/g": data})
    """
    endpoint, credentials = split_credentials(endpoint, credentials)
    if update_url is None:
        update_url = update_url_for(endpoint)
    if update_url is None:
        raise ProjectError(
            f"cannot tell the SPARQL update URL of the Graph Store URL '{endpoint}'; give --update-url "
            "(Oxigraph: /update, Fuseki: /DATASET/update, Virtuoso: /sparql-auth)"
        )
    update_url, _ = split_credentials(update_url, credentials)
    http = opener(endpoint, credentials)
    update_http = opener(update_url, credentials)
    staged: dict[str, str] = {}
    try:
        with progress.stage("uploading", total=sum(len(data) for data in graphs.values())) as advance:
            for graph_iri, data in graphs.items():
                staging = staging_graph().value
                staged[graph_iri] = staging
                send(
                    http,
                    "PUT",
                    with_parameter(endpoint, "graph", staging),
                    f"uploading <{graph_iri}>",
                    data=_Upload(data, advance),
                    headers={"Content-Type": "application/n-triples", "Content-Length": str(len(data))},
                )
        moves = " ;\n".join(f"MOVE <{staging}> TO <{graph_iri}>" for graph_iri, staging in staged.items())
        _update(update_http, update_url, moves, "replacing the graphs")
    except ServerError:
        _drop_quietly(update_http, update_url, staged.values())
        raise


def _update(http, update_url: str, text: str, what: str) -> None:
    send(
        http,
        "POST",
        update_url,
        what,
        data=urllib.parse.urlencode({"update": text}).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def _drop_quietly(http, update_url: str, graphs) -> None:
    """Drop staging graphs after a failure, if the server still answers (else the next run's
    staging graphs have new names, and these are never read)."""
    text = " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs)
    if not text:
        return
    try:
        _update(http, update_url, text, "dropping the staging graphs")
    except ServerError:
        pass
