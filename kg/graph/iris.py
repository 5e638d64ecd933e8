"""Mint instance IRIs from input ids: stable across builds, valid whatever an id holds.

Each id becomes one percent-encoded path segment, so ``DBLP:journals/cacm/Knuth74``, ``q 1``,
``<x>`` or ``..`` all give valid IRIs that cannot collide with the fixed segments around them.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, urlsplit

from rdflib import URIRef

from kg.errors import ProjectError
from kg.vocab import DEFAULT_BASE


@lru_cache(maxsize=1 << 17)
def segment(value: str) -> str:
    """One id as a path segment (remembered: a study's key is in the IRI of each of its quotes).

    >>> segment("DBLP:journals/cacm/Knuth74")
    'DBLP%3Ajournals%2Fcacm%2FKnuth74'
    >>> segment("..")
    '%2E%2E'
    """
    encoded = quote(value, safe="")
    # "." and ".." are dot-segments that IRI resolution would remove.
    return encoded.replace(".", "%2E") if set(value) == {"."} else encoded


def check_base(base: str) -> str:
    """A base must be an absolute http(s) IRI ending in '/' or '#'."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or not base.endswith(("/", "#")):
        raise ProjectError(
            f"base IRI '{base}' is not usable; give an absolute http(s) IRI that ends in '/', such as {DEFAULT_BASE}"
        )
    if any(c in base for c in ' <>"{}|\\^`'):
        raise ProjectError(f"base IRI '{base}' holds a character not allowed in an IRI; percent-encode it")
    return base


class Minter:
    """The IRIs of one build, under one base, as rdflib terms or as ``term`` makes them.

    >>> Minter().quote("topor2018", "q38")
    rdflib.term.URIRef('https://w3id.org/recovery-kg/id/study/topor2018/quote/q38')
    >>> import pyoxigraph; Minter(term=pyoxigraph.NamedNode).study("borg2004")
    <NamedNode value=https://w3id.org/recovery-kg/id/study/borg2004>
    """

    def __init__(self, base: str = DEFAULT_BASE, term=URIRef):
        self.base = check_base(base)
        self._term = term

    def _iri(self, *parts: str) -> URIRef:
        return self._term(self.base + "/".join(parts))

    def study(self, key: str) -> URIRef:
        return self._iri("study", segment(key))

    def authors(self, key: str) -> URIRef:
        return self._iri("study", segment(key), "authors")

    def editors(self, key: str) -> URIRef:
        return self._iri("study", segment(key), "editors")

    def container(self, key: str, kind: str) -> URIRef:
        """What a study is part of and has no entry of its own: ``study/KEY/book``, ``.../multivolume``."""
        return self._iri("study", segment(key), segment(kind))

    def series(self, title: str) -> URIRef:
        return self._iri("series", segment(title))

    def codebook(self, study: str) -> URIRef:
        return self._iri("study", segment(study), "codebook")

    def concepts(self, study: str) -> URIRef:
        """The scheme of the concepts a study names (beside its codebook of themes)."""
        return self._iri("study", segment(study), "concepts")

    def concept(self, study: str, cid: str) -> URIRef:
        return self._iri("study", segment(study), "concept", segment(cid))

    def participant(self, study: str, pid: str) -> URIRef:
        return self._iri("study", segment(study), "participant", segment(pid))

    def unidentified(self, study: str, role: str) -> URIRef:
        return self._iri("study", segment(study), "unidentified", segment(role))

    def theme(self, study: str, tid: str) -> URIRef:
        return self._iri("study", segment(study), "theme", segment(tid))

    def match_group(self, study: str, kind: str, cid: str) -> URIRef:
        """Themes and concepts matched across papers, as one: named by its first member's
        ``study/KEY/KIND/ID`` (the smallest IRI): ``match-group/KEY/KIND/ID``."""
        return self._iri("match-group", segment(study), kind, segment(cid))

    def quote(self, study: str, qid: str) -> URIRef:
        return self._iri("study", segment(study), "quote", segment(qid))

    def selection(self, study: str, qid: str) -> URIRef:
        """Where a quote was cut from in its source (an ``oa:SpecificResource``)."""
        return self._iri("study", segment(study), "quote", segment(qid), "selection")

    def position(self, study: str, qid: str) -> URIRef:
        """The character positions of a quote in its source (an ``oa:TextPositionSelector``)."""
        return self._iri("study", segment(study), "quote", segment(qid), "selection", "position")

    def document(self, study: str, name: str) -> URIRef:
        """A source document of a study's QDA project (an interview transcript), by its name there."""
        return self._iri("study", segment(study), "document", segment(name))

    def coder(self, name: str) -> URIRef:
        """A person who coded quotes in a QDA tool, by the user name it gives."""
        return self._iri("coder", segment(name))

    def citation(self, study: str, cid: str) -> URIRef:
        return self._iri("study", segment(study), "citation", segment(cid))

    def qualified_citation(self, study: str, cid: str, cited: str) -> URIRef:
        """The cito:Citation of one cited work in one passage: ``.../citation/CID/cites/KEY``."""
        return self._iri("study", segment(study), "citation", segment(cid), "cites", segment(cited))

    def factor(self, fid: str) -> URIRef:
        return self._iri("factor", segment(fid))

    def action(self, aid: str) -> URIRef:
        return self._iri("action", segment(aid))

    def person(self, name: str) -> URIRef:
        return self._iri("person", segment(name))

    def source(self, path: str) -> URIRef:
        return self._iri("source", *(segment(p) for p in path.split("/")))

    def build(self) -> URIRef:
        return self._iri("build")

    def software(self, version: str) -> URIRef:
        return self._iri("software", "recovery-kg", segment(version))
