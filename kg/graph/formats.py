"""Graph file formats: the one home of what ``kg build`` writes and what ``--graph FILE`` reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GraphFormat:
    name: str  # as --format takes it
    suffix: str  # of the file written, without the dot
    rdflib: str  # rdflib's name of the syntax
    media_type: str  # what Oxigraph and HTTP call it


#: What ``kg build --format`` writes, by name.
FORMATS: dict[str, GraphFormat] = {
    "turtle": GraphFormat("turtle", "ttl", "turtle", "text/turtle"),
    "ntriples": GraphFormat("ntriples", "nt", "nt", "application/n-triples"),
    "jsonld": GraphFormat("jsonld", "jsonld", "json-ld", "application/ld+json"),
    "trig": GraphFormat("trig", "trig", "trig", "application/trig"),
}

#: What a graph file may be, by suffix: what we write, and the other common RDF syntaxes.
READABLE: dict[str, str] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
}
