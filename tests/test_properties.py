"""Properties that hold for any input (hypothesis), where inputs are open-ended: ids, text, files.

- Any id mints a valid IRI that gives the id back when percent-decoded, holds no dot-segment,
  and reads the same in Oxigraph and rdflib.
- Any Unicode text written as a quote's YAML ``text:`` is the same string in the graph file. The
  reader trims whitespace at both ends (a block scalar's last newline), nothing else.
- Any BibTeX title without LaTeX in it is the same string in the graph file, up to what BibTeX
  decoding documents (README "BibTeX"): whitespace runs become one space, ends are trimmed, and
  the text is NFC-normalised. LaTeX's special characters (\\ { } $ % ~ & # and the ligatures
  -- --- `` '' !` ?`) are LaTeX, decoded as tests/test_bibtex.py shows, so they are not generated.
- Any set of annotation files gives the same bytes whatever order they are found in.
- LaTeX decoding never raises, and decoding its own output again changes nothing, unless that
  output holds a LaTeX special character or ligature again (``\\{`` gives ``{``, which LaTeX
  reads as a group; ``\\$`` gives ``$``, which opens math): plain text is not LaTeX.

Example counts are kept small so that ``make test`` stays fast; ``--hypothesis-seed`` replays.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

import kg.project
from kg.build import build_project
from kg.graph import FORMATS, READABLE
from kg.graph.iris import Minter, segment
from kg.ingest.latex import latex_to_unicode
from tests.fixtures import DATA

MINI = DATA / "mini"
ALL = tuple(FORMATS)
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Any character a UTF-8 file can hold (lone surrogates cannot be encoded).
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
IDS = st.text(ANY_CHAR, min_size=1, max_size=30) | st.sampled_from([".", "..", "...", "%2E", "a/../b", "/", "#"])


# -- ids -> IRIs ----------------------------------------------------------------------------------


@FEW
@given(IDS)
def test_any_id_mints_a_valid_iri_that_round_trips(value: str):
    mint = Minter()
    for iri in (mint.study(value), mint.theme(value, value), mint.quote("s", value), mint.factor(value)):
        text = str(iri)
        ox.NamedNode(text)  # raises ValueError for an invalid IRI
        relative = text[len(mint.base) :]
        assert value in [unquote(part) for part in relative.split("/")]
        assert not {".", ".."} & set(urlsplit(text).path.split("/"))
    assert unquote(segment(value)) == value
    assert "/" not in segment(value) and "#" not in segment(value) and "?" not in segment(value)


@FEW
@given(IDS)
def test_oxigraph_and_rdflib_read_any_minted_iri_alike(value: str):
    iri = str(Minter().quote(value, value))
    graph = Graph()
    graph.add((URIRef(iri), URIRef("urn:p"), Literal(value)))
    for rdflib_format, ox_format in (("nt", ox.RdfFormat.N_TRIPLES), ("turtle", ox.RdfFormat.TURTLE)):
        data = graph.serialize(format=rdflib_format, encoding="utf-8")
        (quad,) = ox.parse(data, format=ox_format)
        assert (quad.subject.value, quad.object.value) == (iri, value)
        (triple,) = Graph().parse(data=data, format=rdflib_format)
        assert (str(triple[0]), str(triple[2])) == (iri, value)
    # Resolution against the base (Turtle's @base, JSON-LD's @base) gives the IRI back.
    base = Minter().base
    resolved = ox.parse(f"@base <{base}> . <{iri[len(base) :]}> <urn:p> 1 .".encode(), format=ox.RdfFormat.TURTLE)
    assert next(iter(resolved)).subject.value == iri


# -- text through the whole build -----------------------------------------------------------------


def _texts_in(outputs: list[Path], predicate: str) -> list[set[str]]:
    """The objects of ``predicate`` in each graph file, as Oxigraph reads it."""
    found = []
    for path in outputs:
        if not path.name.startswith("graph."):
            continue  # the map, the writer's kit and the ontology beside the graph
        fmt = ox.RdfFormat.from_media_type(READABLE[path.suffix])
        found.append({q.object.value for q in ox.parse(path=str(path), format=fmt) if q.predicate.value == predicate})
    return found


def _project() -> tuple[tempfile.TemporaryDirectory, Path]:
    folder = tempfile.TemporaryDirectory()
    root = Path(folder.name) / "proj"
    shutil.copytree(MINI, root)
    return folder, root


@FEW
@given(st.text(ANY_CHAR, min_size=1, max_size=80))
@example("line\x85next\u2028and\u2029more\x1c\x0b\x0c")  # str.splitlines() cut N-Triples at these
def test_any_quote_text_is_the_same_string_in_the_graph(text: str):
    assume(text.strip())
    folder, root = _project()
    with folder:
        alpha = root / "quotes" / "alpha2020.yaml"
        scalar = yaml.safe_dump(text, allow_unicode=True, default_style='"', width=float("inf")).strip()
        scalar = scalar.removesuffix("\n...").strip()
        source = alpha.read_text(encoding="utf-8")
        alpha.write_text(source.replace("text: Someone remembered my name.", f"text: {scalar}"), encoding="utf-8")
        outputs = build_project(root, formats=ALL).outputs
        for texts in _texts_in(outputs, "https://w3id.org/recovery-kg#text"):
            assert text.strip() in texts


#: What BibTeX reads as LaTeX or as its own syntax; titles without them are plain text.
LATEX_SPECIALS = set("\\{}$%~&#\"@`'-!?")
TITLE_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters=LATEX_SPECIALS)


@settings(max_examples=15, deadline=None)
@given(st.text(TITLE_CHARS | st.sampled_from(" \t\n"), min_size=1, max_size=60))
def test_any_plain_bibtex_title_is_the_same_string_in_the_graph(title: str):
    expected = unicodedata.normalize("NFC", " ".join(title.split()))
    assume(expected)
    folder, root = _project()
    with folder:
        bib = root / "references" / "mini.bib"
        bib.write_text(
            bib.read_text(encoding="utf-8").replace("title = {Another study of recovery}", f"title = {{{title}}}"),
            encoding="utf-8",
        )
        outputs = build_project(root, formats=ALL).outputs
        for titles in _texts_in(outputs, "http://purl.org/dc/terms/title"):
            assert expected in titles


# -- the order files are found in ------------------------------------------------------------------

_WORDS = st.text("abcdefgh", min_size=1, max_size=6)


@st.composite
def corpora(draw) -> dict[str, str]:
    """A few small annotation files (name -> YAML) over the mini BibTeX; factors shared across files."""
    keys = draw(st.lists(st.sampled_from(["alpha2020", "gamma2021", "zeta1999"]), min_size=1, max_size=3, unique=True))
    files = {}
    for n, key in enumerate(keys):
        themes = draw(st.lists(_WORDS, min_size=1, max_size=3, unique=True))
        quotes = []
        for q in range(draw(st.integers(1, 3))):
            coded = draw(st.lists(st.sampled_from(themes), min_size=1, max_size=2, unique=True))
            factors = draw(st.lists(st.sampled_from(["trust", "hope"]), max_size=2, unique=True))
            quotes.append({"id": f"q{q}", "role": "user", "text": f"Quote {q}.", "themes": coded, "factors": factors})
        document = {
            "study": key,
            "themes": [{"id": t, "label": t.title()} for t in themes],
            "quotes": quotes,
            "citations": [{"id": "c", "text": "Cited.", "cites": ["DBLP:journals/cacm/Knuth74"]}],
        }
        if n == 0:
            document["factors"] = [{"id": "trust", "label": "Trust"}, {"id": "hope", "label": "Hope"}]
        folder = draw(st.sampled_from(["", "sub/", "sub/deeper/"]))
        files[f"{folder}{key}.yaml"] = yaml.safe_dump(document, sort_keys=False)
    return files


def _lister(quotes: list[Path], found):
    return lambda folder: quotes if folder.name == "quotes" else found(folder)


@settings(max_examples=10, deadline=None)
@given(corpora(), st.randoms(use_true_random=False))
def test_any_annotation_files_give_the_same_bytes_in_any_order(files: dict[str, str], rnd: random.Random):
    outputs = []
    for order in (sorted(files), rnd.sample(sorted(files), len(files))):
        folder, root = _project()
        with folder:
            shutil.rmtree(root / "quotes")
            for name in order:  # written, and so listed by some filesystems, in this order
                path = root / "quotes" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(files[name], encoding="utf-8")
            listed = [root / "quotes" / name for name in order]
            found = kg.project.input_files
            try:
                # As an OS that lists files in creation order would give them, unsorted.
                kg.project.input_files = _lister(listed, found)
                result = build_project(root, formats=ALL)
            finally:
                kg.project.input_files = found
            outputs.append([path.read_bytes() for path in result.outputs])
    assert outputs[0] == outputs[1]


# -- LaTeX decoding --------------------------------------------------------------------------------

LATEX_PIECES = st.sampled_from(
    [
        r"\"u", r"\'e", r"{\o}", r"\AA", r"\c{c}", r"\v{s}", r"\ss", r"\textbf{", r"\emph{", "}", "{", "$",
        "$x^2$", r"\url{a_b~c}", r"\kern-.1em", r"\verb|x%y|", r"\path+a@b+", "--", "---", "``", "''", "!`",
        "?`", "~", r"\&", r"\%", "%", r"\\", r"\noopsort{1973}", r"\cite{k}", r"\enquote{q}", r"\TeX", r"\it",
        r"\unknown{arg}", r"\mbox{", r"\-", r"\$", r"\{", r"\}", r"\textbackslash", r"\~{}", r"\^{}", "\\",
        "^", "_", "#", "&", " ", "\n", "\t", "\u00a0", "é", "e\u0301", "ø",
    ]
)  # fmt: skip
LATEX = st.lists(LATEX_PIECES | st.text(ANY_CHAR, max_size=4), max_size=12).map("".join)
#: What LaTeX reads specially when decoded text is decoded again.
REREAD = ("\\", "{", "}", "$", "~", "--", "``", "''", "!`", "?`")


@settings(max_examples=150, deadline=None)
@given(LATEX)
def test_latex_decoding_never_raises_and_is_idempotent_on_plain_output(latex: str):
    decoded = latex_to_unicode(latex)
    assert isinstance(decoded, str)
    assert decoded == unicodedata.normalize("NFC", decoded) and decoded == decoded.strip()
    if not any(special in decoded for special in REREAD):
        assert latex_to_unicode(decoded) == decoded
