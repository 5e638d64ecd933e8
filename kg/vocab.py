"""Namespaces, prefixes, the counted classes and the places of the ontology files: one home each."""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

RKG = Namespace("https://w3id.org/recovery-kg#")
DEFAULT_BASE = "https://w3id.org/recovery-kg/id/"
BIBO = Namespace("http://purl.org/ontology/bibo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Prefixes bound in every graph we write and predeclared for SPARQL.
PREFIXES = {
    "rkg": RKG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "cito": CITO,
    "bibo": BIBO,
    "fabio": FABIO,
    "prism": PRISM,
    "foaf": FOAF,
    "oa": OA,
}
#: The same prefixes as plain strings, as SPARQL engines and JSON-LD contexts take them.
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

#: The classes a build summary and ``kg stats`` count, in the order they are printed. A
#: participant is typed by its role's class only, so "participants" counts both subclasses.
COUNTED = {
    "studies": RKG.Study,
    "participants": RKG.Participant,
    "service users": RKG.ServiceUser,
    "professionals": RKG.Professional,
    "themes": RKG.Theme,
    "concepts": RKG.StudyConcept,
    "actions": RKG.Action,
    "recovery factors": RKG.RecoveryFactor,
    "quotes": RKG.Quote,
    "citation contexts": RKG.CitationContext,
}
PARTICIPANT_CLASSES = (RKG.ServiceUser, RKG.Professional)

#: What people can name on the command line (``--theme``, ``path FROM TO``): kind -> (class,
#: whether its ids are local to a study, so that ``STUDY/ID`` names one).
NAMEABLE = {
    "theme": (RKG.Theme, True),
    "concept": (RKG.StudyConcept, True),
    "action": (RKG.Action, False),
    "factor": (RKG.RecoveryFactor, False),
    "study": (RKG.Study, False),
    "participant": (RKG.Participant, True),
    "quote": (RKG.Quote, True),
    "citation": (RKG.CitationContext, True),
}

# kg/ontology links to the repository's ontology/ so an installed package carries it too.
ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "recovery.ttl"
ONTOLOGY_IRI = "https://w3id.org/recovery-kg"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

#: How a citing passage may use a work it cites (``intent:`` in an annotation file): CiTO's
#: properties from the citing entity to the cited one, each a sub-property of ``cito:cites``
#: (plain ``cites``, the default, says nothing more). CiTO's inverses (``isCitedBy``,
#: ``givesSupportTo`` ...) and the properties that are no citation (``sharesAuthorsWith``,
#: ``likes``) are left out.
CITO_INTENTS = (
    "cites",
    "agreesWith",
    "citesAsAuthority",
    "citesAsDataSource",
    "citesAsEvidence",
    "citesAsMetadataDocument",
    "citesAsPotentialSolution",
    "citesAsRecommendedReading",
    "citesAsRelated",
    "citesAsSourceDocument",
    "citesForInformation",
    "compiles",
    "confirms",
    "containsAssertionFrom",
    "corrects",
    "credits",
    "critiques",
    "derides",
    "describes",
    "disagreesWith",
    "discusses",
    "disputes",
    "documents",
    "extends",
    "includesExcerptFrom",
    "includesQuotationFrom",
    "linksTo",
    "obtainsBackgroundFrom",
    "obtainsSupportFrom",
    "parodies",
    "plagiarizes",
    "qualifies",
    "refutes",
    "repliesTo",
    "retracts",
    "reviews",
    "ridicules",
    "speculatesOn",
    "supports",
    "updates",
    "usesConclusionsFrom",
    "usesDataFrom",
    "usesMethodIn",
)

#: The intents a writer reads together (the review's groups, the maps' edge colours): family ->
#: (heading, its CiTO terms). "Supported by" gathers what the passage agrees with or takes
#: support from, "Disputed by" what it argues against. Plain ``cites`` is in no family.
INTENT_FAMILIES = {
    "supports": (
        "Supported by",
        (
            "agreesWith",
            "citesAsAuthority",
            "citesAsEvidence",
            "confirms",
            "obtainsSupportFrom",
            "supports",
            "usesConclusionsFrom",
        ),
    ),
    "disputes": (
        "Disputed by",
        (
            "corrects",
            "critiques",
            "derides",
            "disagreesWith",
            "disputes",
            "parodies",
            "qualifies",
            "refutes",
            "ridicules",
        ),
    ),
    "method": ("Method or data from", ("citesAsDataSource", "usesDataFrom", "usesMethodIn")),
    "extends": (
        "Extended or discussed",
        ("citesAsPotentialSolution", "discusses", "extends", "repliesTo", "reviews", "speculatesOn", "updates"),
    ),
    "quotes": ("Quoted", ("containsAssertionFrom", "includesExcerptFrom", "includesQuotationFrom")),
    "information": (
        "Cited for information",
        (
            "citesAsMetadataDocument",
            "citesAsRecommendedReading",
            "citesAsRelated",
            "citesAsSourceDocument",
            "citesForInformation",
            "compiles",
            "credits",
            "describes",
            "documents",
            "linksTo",
            "obtainsBackgroundFrom",
            "plagiarizes",
            "retracts",
        ),
    ),
}
#: CiTO term -> its family ("" for plain cites).
INTENT_FAMILY = {term: family for family, (_, terms) in INTENT_FAMILIES.items() for term in terms}

#: BibTeX entry type -> FaBiO class (the Study's second rdf:type).
FABIO_TYPES = {
    "article": FABIO.JournalArticle,
    "book": FABIO.Book,
    "booklet": FABIO.Book,
    "inbook": FABIO.BookChapter,
    "incollection": FABIO.BookChapter,
    "inproceedings": FABIO.ConferencePaper,
    "conference": FABIO.ConferencePaper,
    "proceedings": FABIO.ConferenceProceedings,
    "phdthesis": FABIO.DoctoralThesis,
    "mastersthesis": FABIO.MastersThesis,
    "thesis": FABIO.Thesis,
    "techreport": FABIO.ReportDocument,
    "report": FABIO.ReportDocument,
    "manual": FABIO.InstructionManual,
    "online": FABIO.WebContent,
    # biblatex's own types
    "collection": FABIO.Book,
    "mvbook": FABIO.Book,
    "mvcollection": FABIO.Book,
    "bookinbook": FABIO.Book,
    "reference": FABIO.Book,
    "inreference": FABIO.BookChapter,
    "mvproceedings": FABIO.ConferenceProceedings,
    "periodical": FABIO.JournalIssue,
}
#: Anything else (misc, unpublished, biblatex-only types) is a plain fabio:Expression.
FABIO_DEFAULT = FABIO.Expression
