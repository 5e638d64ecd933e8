"""Oxigraph terms for the build: the vocabulary's IRIs made once, literals without rdflib's machinery.

The build adds about 37 triples a quote. Made of rdflib terms, each IRI is validated in Python
(``URIRef.__new__``), each namespace attribute looked up through ``Namespace.__getattr__``, and
each triple hashed and compared in Python; then every term is converted to Oxigraph's for
sorting, writing and loading. Oxigraph's terms are made, hashed and compared in Rust, and are what
the writers and the store take: the build makes them directly (:class:`Terms`, :func:`literal`),
and :meth:`kg.graph.triples.TripleSet.to_graph` turns them into rdflib terms for what needs an
rdflib ``Graph`` (SHACL validation).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import XSD

XSD_STRING = ox.NamedNode(str(XSD.string))


class Terms:
    """A namespace whose terms are Oxigraph named nodes, each made once.

    >>> skos = Terms("http://www.w3.org/2004/02/skos/core#")
    >>> skos.prefLabel.value, skos["prefLabel"] is skos.prefLabel
    ('http://www.w3.org/2004/02/skos/core#prefLabel', True)
    """

    def __init__(self, namespace: str):
        self._namespace = str(namespace)

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):  # copy, pickle and friends probe for these
            raise AttributeError(name)
        node = ox.NamedNode(self._namespace + name)
        setattr(self, name, node)  # from now on an ordinary attribute: no call at all
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return getattr(self, name)


def named(iri) -> ox.NamedNode:
    """An IRI (an rdflib ``URIRef`` or text) as an Oxigraph named node."""
    return ox.NamedNode(str(iri))


def literal(value, datatype: ox.NamedNode | None = None) -> ox.Literal:
    """A literal as rdflib would write it: plain text, or a typed value in its canonical form.

    A typed value goes through rdflib once, so that its lexical form is the one rdflib gives
    (``"2019-03-12T10:15:00+00:00"`` for ``...Z``, an integer without leading zeros) and the graph's bytes stay the
    same as when the build used rdflib terms.

    >>> literal("x"), literal(3, named(XSD.integer)).value
    (<Literal value=x datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>, '3')
    """
    if datatype is None:
        return ox.Literal(value)
    if type(value) is int:
        return ox.Literal(str(value), datatype=datatype)
    return ox.Literal(str(RdfLiteral(value, datatype=URIRef(datatype.value))), datatype=datatype)


def to_rdflib(term) -> URIRef | BNode | RdfLiteral:
    """An Oxigraph term as the rdflib term of the same RDF (the inverse of ``to_oxigraph``).

    >>> to_rdflib(literal("x")), to_rdflib(ox.NamedNode("urn:a"))
    (rdflib.term.Literal('x'), rdflib.term.URIRef('urn:a'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    if term.datatype == XSD_STRING:
        return RdfLiteral(term.value)
    return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))
