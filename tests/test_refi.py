"""REFI-QDA: import (kg import, a .qdpx in quotes/ with kg.toml), the loss report, the codebook export
and hostile files. Fixtures are made by tests/refi_fixtures.py; the real exports come from ../shared."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

import kg
from cli import cli
from kg.graph import build_graph
from kg.ingest import refi_files
from kg.ingest.refi import RefiSettings, read_qda_file
from kg.vocab import OA, RKG
from tests import refi_fixtures as fx
from tests.fixtures import REPO

CODED = fx.REFI / "coded.qdpx"
SCHEMA = fx.REFI / "Codebook.xsd"
STUDY = "smith2024"
ENTRY = "@article{smith2024, author = {Smith, Ann}, title = {Coffee and being seen}, journal = {J}, year = {2024}}\n"
CODED_OPTIONS = ["--study", STUDY, "--role-variable", "Role", "--user", "Patient"]
TOML = f'title = "t"\n\n[refi."quotes/coded.qdpx"]\nstudy = "{STUDY}"\nrole_variable = "Role"\nuser = ["Patient"]\n'

#: What the coded fixture gives: (quote id, speaker, text, themes), speakers' roles, themes and their broader.
EXPECTED_QUOTES = {
    ("interview-1-29", "P1", "They offered me coffee every morning.", ("coffee",)),
    ("interview-1-67", "P1", "It felt like they saw me.", ("being-seen", "small-things")),
    ("interview-2-4", "S7", "We always remember what they told us.", ("being-seen",)),
}
EXPECTED_ROLES = {"P1": "user", "S7": "professional"}
EXPECTED_THEMES = {"small-things": None, "coffee": "small-things", "being-seen": None, "housing": None}


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project made by kg init, with the study of the coded fixture in its BibTeX."""
    root = tmp_path / "p"
    kg.init_project(root)
    with (root / "references" / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(ENTRY)
    return root


def test_the_committed_fixture_is_what_the_script_makes(tmp_path: Path):
    made = fx.write_qdpx(tmp_path / "coded.qdpx", fx.coded_project(), fx.coded_members())
    assert made.read_bytes() == CODED.read_bytes(), "run python -m tests.refi_fixtures and commit the file"


# --- the coded fixture -------------------------------------------------------------------------


def _annotation_facts(annotation):
    quotes = {(q.id, q.speaker.value, q.text, tuple(sorted(u.value for u in q.themes))) for q in annotation.quotes}
    roles = {p.id: p.role for p in annotation.participants}
    themes = {t.id: t.broader.value if t.broader else None for t in annotation.themes}
    return quotes, roles, themes


def test_kg_import_gives_the_quotes_speakers_roles_and_themes(project: Path):
    result = run("import", str(CODED), *CODED_OPTIONS, "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "2 participants, 4 themes, 3 quotes" in result.output
    written = project / "quotes" / f"{STUDY}.yaml"
    corpus, _ = kg.load_project(project)
    (annotation,) = [a for a in corpus.annotations if a.study.value == STUDY]
    assert annotation.path == f"quotes/{STUDY}.yaml" and written.is_file()
    assert _annotation_facts(annotation) == (EXPECTED_QUOTES, EXPECTED_ROLES, EXPECTED_THEMES)
    coffee = next(t for t in annotation.themes if t.id == "coffee")
    assert (coffee.label, coffee.definition, coffee.guid) == ("Coffee", "Offering coffee.", fx.COFFEE)


def test_the_loss_report_names_the_note_the_link_and_the_set(project: Path):
    result = run("import", str(CODED), *CODED_OPTIONS, "--project", str(project))
    report = result.output.split("loss report:", 1)[1]
    for line in (
        "notes and memos (1): Memo on coffee",
        "links (1): coffee leads to being seen",
        "sets (1): First interviews",
        "non-text sources (PDF, picture, audio, video) (1): Service leaflet (PDF)",
        "variables other than the role (1): Age",
        "text selections with no code (1): Opening question",
        "codes never used (1): Housing",
    ):
        assert f"\n  {line}\n" in report + "\n", report


def test_a_qdpx_in_quotes_with_kg_toml_gives_the_same(project: Path):
    shutil.copy(CODED, project / "quotes" / "coded.qdpx")
    (project / "kg.toml").write_text(TOML, encoding="utf-8")
    corpus, warnings = kg.load_project(project)
    (annotation,) = [a for a in corpus.annotations if a.study.value == STUDY]
    assert _annotation_facts(annotation) == (EXPECTED_QUOTES, EXPECTED_ROLES, EXPECTED_THEMES)
    losses = [str(w) for w in warnings if w.kind == "qda-loss"]
    assert "quotes/coded.qdpx: warning: not in the graph: notes and memos (1): 'Memo on coffee'" in losses
    assert "quotes/coded.qdpx: warning: not in the graph: links (1): 'coffee leads to being seen'" in losses
    assert "quotes/coded.qdpx: warning: not in the graph: sets (1): 'First interviews'" in losses
    kg.validate_project(project)  # the graph satisfies the SHACL shapes
    result = run("--verbose", "build", str(project))
    assert result.exit_code == 0, result.output
    assert "quotes/coded.qdpx: warning: not in the graph: notes and memos (1): 'Memo on coffee'" in result.output


def _facts(graph: Graph) -> set:
    rows = graph.query(
        """SELECT ?id ?text ?speaker ?role ?theme ?start ?end ?coder ?when WHERE {
        ?q a rkg:Quote ; dcterms:identifier ?id ; rkg:text ?text ; rkg:spokenBy ?p ; rkg:illustrates ?t ;
           rkg:selection/oa:hasSelector ?sel .
        ?p dcterms:identifier ?speaker ; rkg:role ?role . ?t dcterms:identifier ?theme .
        ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        OPTIONAL { ?q prov:wasAttributedTo/skos:prefLabel ?coder } OPTIONAL { ?q prov:generatedAtTime ?when } }""",
        initNs={"rkg": RKG, "oa": OA, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS},
    )
    return {tuple(str(v) if v is not None else None for v in row) for row in rows}


def test_kg_import_and_a_qdpx_in_quotes_build_the_same_quotes(project: Path, tmp_path: Path):
    other = tmp_path / "other"
    shutil.copytree(project, other)
    shutil.copy(CODED, project / "quotes" / "coded.qdpx")
    (project / "kg.toml").write_text(TOML, encoding="utf-8")
    assert run("import", str(CODED), *CODED_OPTIONS, "--project", str(other)).exit_code == 0
    direct, imported = (build_graph(kg.load_project(p)[0]) for p in (project, other))
    assert _facts(direct) == _facts(imported)
    assert len({row[0] for row in _facts(direct)}) == 3


def test_the_graph_keeps_positions_coders_dates_and_guids(project: Path):
    shutil.copy(CODED, project / "quotes" / "coded.qdpx")
    (project / "kg.toml").write_text(TOML, encoding="utf-8")
    graph = build_graph(kg.load_project(project)[0])
    base = "https://w3id.org/recovery-kg/id/study/smith2024/"
    quote = URIRef(base + "quote/interview-1-67")
    selection = graph.value(quote, RKG.selection)
    assert selection == URIRef(base + "quote/interview-1-67/selection")
    assert graph.value(selection, OA.hasSource) == URIRef(base + "document/Interview%201")
    position = graph.value(selection, OA.hasSelector)
    assert (position, RDF.type, OA.TextPositionSelector) in graph
    start, end = (graph.value(position, p).toPython() for p in (OA.start, OA.end))
    assert fx.INTERVIEW_1[start:end] == str(graph.value(quote, RKG.text))  # white space left out, positions moved
    assert graph.value(quote, PROV.generatedAtTime) == Literal("2024-03-02T11:30:00Z", datatype=XSD.dateTime)
    assert str(graph.value(graph.value(quote, PROV.wasAttributedTo), SKOS.prefLabel)) == "bob"
    assert str(graph.value(URIRef(base + "theme/coffee"), RKG.guid)) == fx.COFFEE
    assert all(isinstance(node, (URIRef, Literal)) for node in graph.all_nodes())  # no blank nodes


def test_a_qdpx_in_quotes_without_settings_is_an_error_that_says_what_to_add(project: Path):
    shutil.copy(CODED, project / "quotes" / "coded.qdpx")
    result = run("build", str(project))
    assert result.exit_code == 2
    assert (
        "quotes/coded.qdpx: error: is a REFI-QDA file with no settings, so it was not read; "
        'add [refi."quotes/coded.qdpx"]' in result.output
    )


def test_bad_settings_in_kg_toml_are_errors(project: Path):
    shutil.copy(CODED, project / "quotes" / "coded.qdpx")
    (project / "kg.toml").write_text('[refi."quotes/coded.qdpx"]\nstudy = 5\nrole = "Role"\n', encoding="utf-8")
    result = run("build", str(project))
    assert result.exit_code == 2
    assert "kg.toml: error: unknown key 'role' in [refi.\"quotes/coded.qdpx\"]" in result.output
    assert 'kg.toml: error: study in [refi."quotes/coded.qdpx"] is 5' in result.output


def test_an_unmapped_role_is_an_error_naming_the_case(tmp_path: Path):
    result = run("import", str(CODED), "--study", STUDY, "--role-variable", "Role", "--out", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2
    assert (
        f"case 'P1' ({fx.CASE_P1}) speaks in selection E1000000-0000-4000-8000-000000000100 "
        "but has 'Patient' as its Role" in result.output
    )
    assert not (tmp_path / "x.yaml").exists()


def test_kg_import_refuses_to_overwrite_without_force(tmp_path: Path):
    out = tmp_path / "x.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = run("import", str(CODED), *CODED_OPTIONS, "--out", str(out))
    assert result.exit_code == 2 and "exists; give another --out, or --force" in result.output
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert run("import", str(CODED), *CODED_OPTIONS, "--out", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Imported from coded.qdpx")


def test_a_project_xml_named_after_the_project_is_found(tmp_path: Path):
    """ATLAS.ti names the project XML after the project."""
    path = fx.write_qdpx(tmp_path / "a.qdpx", fx.coded_project(), fx.coded_members(), project_name="My project.qde")
    part = read_qda_file(path, RefiSettings(STUDY, "Role", ("Patient",)))
    assert not part.problems and len(part.annotations[0].quotes) == 3


# --- the real exports ----------------------------------------------------------------------------


def test_the_maxqda_export_imports_with_its_loss_report(shared_data: Path, tmp_path: Path):
    source = shared_data / "refi-qda" / "2025-06-16_ICLS_Conf_Themes_ALL_just10.zip"
    out = tmp_path / "icls.yaml"
    result = run("import", str(source), "--study", "icls2025", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "0 participants, 307 themes, 0 quotes" in result.output
    assert "  sets (2): ICLS 2024; ICLS 2025\n" in result.output
    assert "  codes never used (307): Additional Themes and Ideas; THEME - Affinity Spaces (Gee);" in result.output
    assert "text sources with no coded selection, whose text is not in the graph (10): ICLS 2024 3-10;" in result.output
    part = read_qda_file(source, RefiSettings("icls2025"))
    themes = part.annotations[0].themes
    assert len(themes) == 307 and sum(t.broader is not None for t in themes) > 0
    assert all(t.guid for t in themes) and len({t.id for t in themes}) == 307


def test_the_atlas_ti_exports_import(shared_data: Path):
    target = read_qda_file(shared_data / "refi-qda" / "target-atlas-project.qdpx", RefiSettings("k"))
    themes = {t.label: t.broader.value if t.broader else None for t in target.annotations[0].themes}
    assert themes == {
        "Commits": None,
        "2022-05-10T02:05:59Z 19e4dce": "commits",
        "2022-02-11T10:39:25Z cdbfd92": "commits",
    }
    assert [(loss.what, len(loss.names)) for loss in target.losses] == [("codes never used", 3)]
    blank = read_qda_file(shared_data / "refi-qda" / "blank-atlas-project.qdpx", RefiSettings("k"))
    assert not blank.problems and not blank.losses and not blank.annotations[0].themes


# --- the codebook export -------------------------------------------------------------------------


def test_the_exported_codebook_validates_and_imports_back_with_the_same_themes(project: Path, tmp_path: Path):
    shutil.copy(CODED, project / "quotes" / "coded.qdpx")
    (project / "kg.toml").write_text(TOML, encoding="utf-8")
    out = tmp_path / "codebook.qdc"
    result = run("export", "--format", "qdc", "--study", STUDY, "--out", str(out), "--project", str(project))
    assert result.exit_code == 0, result.output
    xmlschema.XMLSchema(SCHEMA).validate(out)
    back = read_qda_file(out, RefiSettings(STUDY)).annotations[0].themes
    corpus, _ = kg.load_project(project)
    (original,) = [a for a in corpus.annotations if a.study.value == STUDY]

    def described(themes):
        labels = {t.id: t.label for t in themes}
        return {(t.label, t.definition, labels.get(t.broader.value) if t.broader else None, t.guid) for t in themes}

    assert described(back) == described(original.themes)


def test_the_bundled_codebooks_export_with_derived_guids(tmp_path: Path):
    out = tmp_path / "all.qdc"
    assert run("export", "--format", "qdc", "--out", str(out), "--project", str(REPO)).exit_code == 0
    xmlschema.XMLSchema(SCHEMA).validate(out)
    again = tmp_path / "again.qdc"
    run("export", "--format", "qdc", "--out", str(again), "--project", str(REPO))
    assert out.read_bytes() == again.read_bytes()  # GUIDs derived from IRIs: the same file each time
    themes = read_qda_file(out, RefiSettings("k")).annotations[0].themes
    assert {t.label for t in themes if t.broader is None} == {"Topor et al. 2019", "Topor et al. 2018"}


def test_study_is_only_for_qdc():
    result = run("export", "--format", "gexf", "--study", "x", "--out", "x.gexf")
    assert result.exit_code == 2 and "--study chooses the themes of a codebook" in result.output


def test_the_fixed_codebook_schema_differs_from_the_shipped_one_only_as_said(shared_data: Path):
    shipped = (shared_data / "refi-qda" / "Codebook.xsd").read_text(encoding="utf-8")
    fixed = SCHEMA.read_text(encoding="utf-8")
    fixed_without_comment = re.sub(r"\n<!-- A copy of REFI-QDA's Codebook.xsd.*?-->", "", fixed, flags=re.S)
    respaced = shipped.replace("\u2010", "-")
    respaced = re.sub(r"<xsd:(element|complexType|attribute|simpleType)name=", r"<xsd:\1 name=", respaced)
    respaced = respaced.replace("restrictionbase=", "restriction base=").replace("patternvalue=", "pattern value=")
    respaced = re.sub(r'"(?=[A-Za-z]+=)', '" ', respaced)
    assert fixed_without_comment == respaced


# --- hostile files -------------------------------------------------------------------------------


def _import_fails(path: Path, tmp_path: Path, *expected: str) -> None:
    out = tmp_path / "out.yaml"
    result = run("import", str(path), *CODED_OPTIONS, "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output
    assert "nothing was written" in result.output
    assert not out.exists()


def test_a_file_that_is_not_a_zip(tmp_path: Path):
    path = tmp_path / "x.qdpx"
    path.write_text("hello", encoding="utf-8")
    _import_fails(path, tmp_path, f"{path.as_posix()}: error: is not a zip file")


def test_a_zip_with_no_project_xml(tmp_path: Path):
    path = fx.write_qdpx(tmp_path / "x.qdpx", None, {"Sources/a.txt": b"x"})
    _import_fails(path, tmp_path, "error: holds no project XML (no project.qde or other .qde file at its top)")


def test_a_selection_outside_its_source(tmp_path: Path):
    bad = '<PlainTextSelection guid="E1000000-0000-4000-8000-000000000999" startPosition="10" endPosition="5000">'
    bad += f'<Coding guid="E1000000-0000-4000-8000-000000000998"><CodeRef targetGUID="{fx.SEEN}"/></Coding>'
    path = fx.write_qdpx(
        tmp_path / "x.qdpx", fx.coded_project(selections_1=bad + "</PlainTextSelection>"), fx.coded_members()
    )
    _import_fails(
        path,
        tmp_path,
        "selection E1000000-0000-4000-8000-000000000999 runs outside its source "
        "'Interview 1': characters 10-5000 of a text of 93 characters",
    )


def test_a_code_reference_to_an_unknown_guid_and_a_source_not_in_utf8_all_at_once(tmp_path: Path):
    unknown = fx.selection(
        "E1000000-0000-4000-8000-000000000900", fx.INTERVIEW_1, "coffee", ["DEAD0000-0000-4000-8000-000000000000"]
    )
    members = fx.coded_members()
    members[f"sources/{fx.S2}.txt"] = "S7: Vi husker alt. Blåbær.".encode("latin-1")
    path = fx.write_qdpx(tmp_path / "x.qdpx", fx.coded_project(selections_1=unknown), members)
    _import_fails(
        path,
        tmp_path,
        "coding E1000000-0000-4000-8000-000000000900 of selection E1000000-0000-4000-8000-000000000900 refers to "
        "code 'DEAD0000-0000-4000-8000-000000000000', which is not in the codebook",
        f"source 'Interview 2' ({fx.S2}), sources/{fx.S2}.txt, is not in a known encoding: not UTF-8",
        "2 errors in the input",
    )


def test_entities_and_dtds_are_refused(tmp_path: Path):
    bomb = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Project name="&b;"/>'
    _import_fails(fx.write_qdpx(tmp_path / "x.qdpx", bomb), tmp_path, "declares a DTD or entities")
    xxe = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>'
    _import_fails(fx.write_qdpx(tmp_path / "y.qdpx", xxe), tmp_path, "declares a DTD or entities")


def test_a_path_out_of_the_sources_folder_is_refused(tmp_path: Path):
    xml = fx.coded_project().replace(f"internal://{fx.S1}.txt", "internal://../../etc/passwd")
    path = fx.write_qdpx(tmp_path / "x.qdpx", xml, {**fx.coded_members(), "../../etc/passwd": b"root"})
    _import_fails(path, tmp_path, "has the text path 'internal://../../etc/passwd'")


def test_a_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(refi_files, "MEMBER_LIMIT", 1000)
    members = fx.coded_members()
    members[f"Sources/{fx.S1}.txt"] = fx.INTERVIEW_1.encode() + b" " * 100_000
    path = fx.write_qdpx(tmp_path / "x.qdpx", fx.coded_project(), members)
    _import_fails(path, tmp_path, "inflates to more than", "possible zip bomb")


def test_xml_that_is_not_well_formed_gives_its_line(tmp_path: Path):
    path = fx.write_qdpx(tmp_path / "x.qdpx", '<?xml version="1.0"?>\n<Project name="x">\n<Users>\n</Project>')
    _import_fails(path, tmp_path, "the project XML 'project.qde' is not well-formed XML (line 4")


def test_a_project_in_another_namespace(tmp_path: Path):
    path = fx.write_qdpx(tmp_path / "x.qdpx", '<Project xmlns="urn:other" name="x"/>')
    _import_fails(
        path, tmp_path, "its XML root is <Project> in namespace 'urn:other', not <Project> in 'urn:QDA-XML:project:1.0'"
    )


def test_the_annotation_format_checks_where_a_quote_was_cut_from(project: Path):
    (project / "quotes" / "smith.yaml").write_text(
        "study: smith2024\nparticipants: [{id: P1, role: user}]\nquotes:\n"
        "  - {id: q1, speaker: P1, text: Coffee., source: Interview 1, start: 4}\n"
        "  - {id: q2, speaker: P1, text: Tea., source: Interview 1, start: 9, end: 3, coded_at: yesterday}\n",
        encoding="utf-8",
    )
    result = run("build", str(project))
    assert result.exit_code == 2
    assert "smith.yaml:4: error: quote 'q1' gives source, start but not all of source, start and end" in result.output
    assert "smith.yaml:5: error: start and end of quote 'q2' are '9' and '3'" in result.output
    assert "smith.yaml:5: error: coded_at of quote 'q2' is 'yesterday'" in result.output
