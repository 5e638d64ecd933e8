"""A graph being built, and a graph ready to write: cheap sets of triples instead of an rdflib Graph.

Adding a triple to an rdflib ``Graph`` updates three indexes (about 20 µs each); the build only
adds and, once, lists the typed nodes, so it collects triples in a plain insertion-ordered set
(:class:`TripleSet`): of Oxigraph terms when ``kg build`` makes them (:mod:`kg.graph.terms`), or
of rdflib terms. :class:`SortedTriples` is the same triples as Oxigraph terms, sorted by their
N-Triples text: what every serializer and the store read, so that the same triples give the
same bytes whatever order they were added in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.graph.terms import to_rdflib
from kg.vocab import PREFIXES

Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]


class TripleSet:
    """The triples of a graph under construction: ``add`` them (duplicates are dropped), then read.

    >>> triples = TripleSet()
    >>> triples.add((URIRef("urn:a"), RDF.type, URIRef("urn:C")))
    >>> triples.add((URIRef("urn:a"), RDF.type, URIRef("urn:C")))
    >>> len(triples), triples.typed()
    (1, [(rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:C'))])
    """

    def __init__(self, oxigraph: bool = False) -> None:
        self._triples: dict[Triple, None] = {}
        self.oxigraph = oxigraph  # terms are Oxigraph's (else rdflib's)
        self._type = ox.NamedNode(str(RDF.type)) if oxigraph else RDF.type

    def add(self, triple: Triple) -> None:
        self._triples[triple] = None

    def __iter__(self):
        return iter(self._triples)

    def clear(self) -> None:
        self._triples.clear()

    def drain(self):
        """Every triple once, each dropped from the set as it is given (last added first): what
        is read from it and what is made of it are never both whole in memory."""
        triples = self._triples
        while triples:
            yield triples.popitem()[0]

    def __len__(self) -> int:
        return len(self._triples)

    def typed(self) -> list[tuple]:
        """Every (node, class) of an ``rdf:type`` triple, in the order they were added."""
        rdf_type = self._type
        return [(s, o) for s, p, o in self._triples if p == rdf_type]

    def to_graph(self) -> Graph:
        """An rdflib Graph of these triples, with the project's prefixes bound."""
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        if not self.oxigraph:
            for triple in self._triples:
                graph.add(triple)
            return graph
        terms: dict = {}
        for triple in self._triples:
            graph.add(tuple(terms.get(t) or terms.setdefault(t, to_rdflib(t)) for t in triple))
        return graph


class SortedTriples:
    """Distinct triples in the order of their N-Triples lines, held as those lines (canonical N-Triples).

    Oxigraph writes the lines (in Rust) and Python sorts them as bytes: at 367,000 triples that is
    1.8 s against 3.2 s for ``str()`` of each triple, and no Python object per triple is kept.
    The triples are read back from the lines, in order, when a writer asks for them.

    >>> p = URIRef("urn:p")
    >>> graph = SortedTriples([(URIRef("urn:b"), p, Literal(2)), (URIRef("urn:a"), p, Literal("x"))])
    >>> graph.lines
    ['<urn:a> <urn:p> "x"', '<urn:b> <urn:p> "2"^^<http://www.w3.org/2001/XMLSchema#integer>']
    >>> [str(triple.subject) for triple in graph.triples]
    ['<urn:a>', '<urn:b>']
    """

    def __init__(self, triples: Iterable[Triple], consume: bool = False):
        """``consume``: empty ``triples`` (a :class:`TripleSet`) once written, so that the set and
        its sorted copy are never both held (3.3 million triples at 100k quotes)."""
        if isinstance(triples, TripleSet) and triples.oxigraph:  # distinct already, and Oxigraph's terms
            converted = (ox.Triple(s, p, o) for s, p, o in (triples.drain() if consume else triples))
        else:
            term = _TermCache()
            converted = {ox.Triple(term(s), term(p), term(o)) for s, p, o in triples}
        data = ox.serialize(converted, format=ox.RdfFormat.N_TRIPLES)
        del converted
        if consume and isinstance(triples, TripleSet):
            triples.clear()
        lines = data.split(b"\n")
        del data
        lines.pop()  # after the last line's end
        lines.sort()
        self._count = len(lines)
        self._ntriples = b"\n".join(lines) + b"\n" if lines else b""

    def __len__(self) -> int:
        return self._count

    def ntriples(self) -> bytes:
        """Canonical N-Triples, one line per triple, sorted."""
        return self._ntriples

    @property
    def triples(self) -> Iterator[ox.Triple]:
        """The triples in order (read anew from the lines each time)."""
        return (triple for triple in ox.parse(self._ntriples, format=ox.RdfFormat.N_TRIPLES))

    @property
    def lines(self) -> list[str]:
        """Each triple's N-Triples line, without its " ."."""
        return [line[:-2] for line in self._ntriples.decode("utf-8").split("\n")[:-1]]


class _TermCache:
    """rdflib term -> Oxigraph term, each distinct term converted once."""

    def __init__(self) -> None:
        self._terms: dict = {}

    def __call__(self, node):
        found = self._terms.get(node)
        if found is None:
            found = self._terms[node] = to_oxigraph(node)
        return found


def to_oxigraph(node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as the Oxigraph term of the same RDF.

    >>> to_oxigraph(Literal("5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")))
    <Literal value=5 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")
