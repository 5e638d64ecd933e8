"""A REFI-QDA codebook (``.qdc``) of the themes in a store: what ``kg export --format qdc`` writes.

QualCoder, NVivo, ATLAS.ti and MAXQDA import it as a codebook: each theme a code (its label the
name, its definition the description, its sub-themes nested inside it), in codebook order. A theme
imported from a QDA tool keeps its GUID (``rkg:guid``); any other gets one derived from its IRI
(a UUID 5), so the same graph gives the same file. With themes of several studies, each study's
codebook is a code of its own (not codable) named after the study, holding its themes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from xml.etree import ElementTree as ET

from kg._version import __version__
from kg.errors import ProjectError
from kg.store import Store

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

_THEMES = """
SELECT ?theme ?key ?study ?study_label ?label ?definition ?broader ?guid ?position WHERE {
  ?theme a rkg:Theme ; skos:prefLabel ?label ; skos:inScheme/dcterms:source ?study .
  OPTIONAL { ?study rkg:citeKey ?key }
  OPTIONAL { ?study skos:prefLabel ?study_label }
  OPTIONAL { ?theme skos:definition ?definition }
  OPTIONAL { ?theme skos:broader ?broader }
  OPTIONAL { ?theme rkg:guid ?guid }
  OPTIONAL { ?theme rkg:codebookPosition ?position }
}"""


def guid_for(iri: str) -> str:
    """A GUID derived from an IRI, as REFI-QDA writes them (upper case).

    >>> guid_for("https://w3id.org/recovery-kg/id/study/x/theme/y")
    '3EC2721B-1E97-5962-8D41-B29F2807C73F'
    """
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri)).upper()


def codebook_xml(store: Store, study: str | None = None) -> bytes:
    """The themes of the store (of one study, given its cite key) as a REFI-QDA codebook.

    Example::

        Path("codebook.qdc").write_bytes(codebook_xml(open_store(graph_file="out/graph.ttl"), "topor2019ijmha"))
    """
    themes = _read_themes(store)
    keys = sorted({t["key"] for t in themes})
    if study is not None:
        if study not in keys:
            raise ProjectError(f"no themes of study '{study}' in the graph; give one of: {', '.join(keys) or '(none)'}")
        keys = [study]
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(_tag("CodeBook"), {"origin": f"recovery-kg {__version__}"})
    codes = ET.SubElement(root, _tag("Codes"))
    for key in keys:
        of_study = [t for t in themes if t["key"] == key]
        parent = codes
        if len(keys) > 1:
            parent = _code(codes, guid_for(of_study[0]["study"]), of_study[0]["study_label"] or key, "", codable=False)
        _nest(parent, of_study)
    if not list(codes):
        raise ProjectError("the graph has no themes to write as a codebook; annotate some themes and build")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _read_themes(store: Store) -> list[dict]:
    columns, rows = store.select(_THEMES)
    themes = {}
    for row in rows:
        record = {name: (term.value if term is not None else "") for name, term in zip(columns, row)}
        record["key"] = record["key"] or record["study"]
        themes[record["theme"]] = record
    return sorted(themes.values(), key=lambda t: (t["key"], int(t["position"] or 0), t["label"]))


def _nest(parent: ET.Element, themes: list[dict]) -> None:
    """Each theme under its broader theme, in codebook order; a broader theme not here: at the top."""
    known = {t["theme"] for t in themes}
    below = defaultdict(list)
    for theme in themes:
        below[theme["broader"] if theme["broader"] in known else ""].append(theme)

    def add(element: ET.Element, broader: str) -> None:
        for theme in below[broader]:
            code = _code(element, theme["guid"] or guid_for(theme["theme"]), theme["label"], theme["definition"])
            add(code, theme["theme"])

    add(parent, "")


def _code(parent: ET.Element, guid: str, name: str, description: str, codable: bool = True) -> ET.Element:
    code = ET.SubElement(
        parent, _tag("Code"), {"guid": guid, "name": name, "isCodable": "true" if codable else "false"}
    )
    if description:
        ET.SubElement(code, _tag("Description")).text = description
    return code


def _tag(name: str) -> str:
    return f"{{{CODEBOOK_NS}}}{name}"
