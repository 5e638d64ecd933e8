"""Survivors of the mutmut runs of issue 13 (tests/MUTATION.md): one named test for each that a
user would meet. tests/test_survivors.py holds those of the hand-made run and the first mutmut run.
"""

from __future__ import annotations

from rdflib import URIRef

from kg.graph.iris import Minter

# -- kg.graph.iris --------------------------------------------------------------------------------


def test_every_other_kind_of_iri_has_its_documented_shape():
    """README's IRIs of the kinds test_every_kind_of_iri_has_its_documented_shape leaves out: a
    book, a series, editors, concepts, a qualified citation and a QDA project's selections, source
    documents and coders. A changed segment changes every published IRI of that kind."""
    mint = Minter("https://example.org/kg/")
    assert [
        mint.editors("k"),
        mint.container("k", "book"),
        mint.series("Lecture Notes"),
        mint.concepts("k"),
        mint.concept("k", "c"),
        mint.qualified_citation("k", "c1", "borg2004"),
        mint.selection("k", "q"),
        mint.position("k", "q"),
        mint.document("k", "interview 1"),
        mint.coder("Ann"),
    ] == [
        URIRef("https://example.org/kg/" + tail)
        for tail in (
            "study/k/editors",
            "study/k/book",
            "series/Lecture%20Notes",
            "study/k/concepts",
            "study/k/concept/c",
            "study/k/citation/c1/cites/borg2004",
            "study/k/quote/q/selection",
            "study/k/quote/q/selection/position",
            "study/k/document/interview%201",
            "coder/Ann",
        )
    ]
