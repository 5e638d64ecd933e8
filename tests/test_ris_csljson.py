"""References from Zotero: RIS and CSL-JSON beside BibTeX, into the same Reference, the same checks.

The real files in ../shared/data/other (see ../shared/data/SOURCES.md) load with the values
written below, read off the files by eye; the small records here hold one behaviour each.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import PROV

import kg
from cli import cli
from kg.graph.iris import Minter
from kg.ingest.csljson import read_csl_json
from kg.ingest.ris import read_ris
from kg.model import Corpus, Person
from tests.fixtures import DATA


def ris(tmp_path: Path, text: str, name: str = "z.ris"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return read_ris([tmp_path / name], tmp_path)


def csl(tmp_path: Path, items, name: str = "z.json"):
    text = items if isinstance(items, str) else json.dumps(items, indent=1)
    (tmp_path / name).write_text(text, encoding="utf-8")
    return read_csl_json([tmp_path / name], tmp_path)


def messages(part) -> list[str]:
    return [str(p) for p in part.problems]


# --- the real files ----------------------------------------------------------------------------


def test_qualcoders_bibliography_ris(shared_data: Path):
    part = read_ris([shared_data / "other" / "bibliography.ris"], shared_data / "other")
    assert part.problems == []
    article, book, chapter = part.references
    assert (article.key, article.entry_type, article.line) == ("western2011unions", "article", 1)
    assert article.title == "Unions, Norms, and the Rise in U.S. Wage Inequality"
    assert article.authors == [Person("Western", "Bruce"), Person("Rosenfeld", "Jake")]
    assert article.journal == "American Sociological Review"
    assert (article.issued, article.doi, article.fields["pages"]) == ("2011", "10.1177/0003122411414817", "513–537")
    assert (article.fields["volume"], article.fields["number"]) == ("76", "4")
    assert article.fields["url"] == "http://asr.sagepub.com/content/76/4/513.abstract"
    assert article.fields["urldate"] == "2011-08-05"  # Y2  - 2011/08/05/17:47:05
    assert article.fields["abstract"].startswith("From 1973 to 2007") and "distribution’s" in article.fields["abstract"]
    assert (book.key, book.entry_type, book.line, book.issued) == ("vogel1988fluctuating", "book", 20, "1988")
    assert book.fields["shorttitle"] == "Fluctuating Fortunes"
    assert (book.fields["publisher"], book.fields["address"], book.fields["isbn"]) == (
        "Basic Books",
        "New York",
        "046502470X",
    )
    # "The" is skipped: the key takes the first word that is not an article or preposition.
    assert (chapter.key, chapter.entry_type, chapter.line) == ("bronfenbrenner2003american", "incollection", 33)
    assert chapter.booktitle.startswith("Trade Union Renewal and Organizing")
    assert chapter.editors == [Person("Fairbrother", "Peter"), Person("Yates", "Charlotte")]
    assert (chapter.fields["pages"], chapter.fields["publisher"], chapter.fields["address"]) == (
        "32–50",
        "Continuum",
        "London",
    )


def test_zoteros_book_with_an_html_note(shared_data: Path):
    part = read_ris([shared_data / "other" / "book_and_child_note.ris"], shared_data / "other")
    [book] = part.references
    # No author, no year: "anon" + "nd" + the title's first word.
    assert (book.key, book.entry_type, book.title, book.fields["note"]) == ("anonndparent", "book", "Parent", "Child")
    assert messages(part) == [
        "book_and_child_note.ris:1: warning: entry 'anonndparent' has no year; add a PY line (PY  - YYYY); "
        "until then it is cited as n.d."
    ]


def test_zoteros_csl_json(shared_data: Path):
    part = read_csl_json([shared_data / "other" / "csl_json.json"], shared_data / "other")
    first, second = part.references
    # "graphic" is a CSL type with no BibTeX type of its own; "seeAlso" is no CSL variable.
    assert (first.key, first.entry_type, first.title, first.line) == ("item1", "misc", "Title 1", 2)
    assert (second.key, second.entry_type, second.title, second.line) == ("item2", "misc", "Title 2", 8)
    assert first.fields == {"title": "Title 1"}
    assert messages(part) == [
        f'csl_json.json:{line}: warning: entry \'{key}\' has no year; add "issued": {{"date-parts": [[YYYY]]}}; '
        "until then it is cited as n.d."
        for line, key in ((2, "item1"), (8, "item2"))
    ]


# --- one work, three formats, one graph --------------------------------------------------------

KNUTH_RIS = """TY  - JOUR
AU  - Knuth, Donald E.
TI  - Computer Programming as an Art
JO  - Commun. ACM
VL  - 17
IS  - 12
SP  - 667
EP  - 673
PY  - 1974
ID  - DBLP:journals/cacm/Knuth74
ER  -
"""
KNUTH_CSL = [
    {
        "id": "DBLP:journals/cacm/Knuth74",
        "type": "article-journal",
        "author": [{"family": "Knuth", "given": "Donald E."}],
        "title": "Computer Programming as an Art",
        "container-title": "Commun. ACM",
        "volume": 17,
        "issue": "12",
        "page": "667-673",
        "issued": {"date-parts": [[1974]]},
    }
]


def study_triples(ref) -> set:
    """The triples a reference gives the graph, but for the file it was derived from."""
    graph = kg.build_graph(Corpus(references={ref.key: ref}), all_references=True)
    sources = {Minter().source(ref.path)}
    return {(s, p, o) for s, p, o in graph if p != PROV.wasDerivedFrom and s not in sources and o not in sources}


def test_the_same_work_gives_the_same_graph_from_bibtex_ris_and_csl_json(tmp_path):
    from_bib = kg.load_project(DATA / "mini")[0].references["DBLP:journals/cacm/Knuth74"]
    [from_ris] = ris(tmp_path, KNUTH_RIS).references
    [from_csl] = csl(tmp_path, KNUTH_CSL).references
    expected = study_triples(from_bib)
    assert len(expected) > 10
    assert study_triples(from_ris) == expected
    assert study_triples(from_csl) == expected


def test_a_zotero_project_builds(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(DATA / "mini", root)
    bib = (root / "references" / "mini.bib").read_text()
    (root / "references" / "mini.bib").write_text(bib.split("@article{DBLP")[0])
    (root / "references" / "knuth.ris").write_text(KNUTH_RIS.replace("ID  - DBLP:journals/cacm/Knuth74\n", ""))
    alpha = (root / "quotes" / "alpha2020.yaml").read_text()
    (root / "quotes" / "alpha2020.yaml").write_text(alpha.replace('"DBLP:journals/cacm/Knuth74"', "knuth1974computer"))
    (root / "references" / "more.json").write_text(json.dumps([{"id": "unused", "type": "book", "title": "U"}]))
    result = CliRunner().invoke(cli, ["build", str(root)])
    assert result.exit_code == 0, result.output
    assert "study/knuth1974computer" in (root / "out" / "graph.ttl").read_text()
    assert f"{root}/references/more.json:1: warning: entry 'unused' is cited by no citation" in result.stderr


# --- keys -----------------------------------------------------------------------------------


def test_keys_from_id_from_a_citation_key_note_and_by_the_rule_with_suffixes(tmp_path):
    records = [
        "TY  - BOOK\nAU  - Bøe, Tore Dag\nTI  - Små ting\nPY  - 2018\nER  - ",  # ø → o, å → a
        "TY  - BOOK\nAU  - Bøe, T.\nTI  - Små ting igjen\nPY  - 2018\nER  - ",  # the same key again: 'a' is taken
        "TY  - BOOK\nAU  - Boe, T.\nTI  - The små\nPY  - 2018/05/02/\nER  - ",  # and again: the next letter
        "TY  - JOUR\nID  - boe2018smaa\nTI  - Taken\nPY  - 2018\nER  - ",
        "TY  - JOUR\nTI  - Noted\nN1  - <p>Citation Key: noted2020</p><p>Read it.</p>\nER  - ",
    ]
    part = ris(tmp_path, "\n".join(records) + "\n")
    assert [r.key for r in part.references] == ["boe2018sma", "boe2018smab", "boe2018smac", "boe2018smaa", "noted2020"]
    assert part.references[4].fields["note"] == "Read it."
    assert [p.message for p in part.problems] == ["entry 'noted2020' has no year"]


def test_csl_items_without_an_id_get_a_key_by_the_rule(tmp_path):
    part = csl(tmp_path, [{"type": "book", "title": "The Ørsted Story", "author": [{"literal": "Ørsted A/S"}]}])
    assert part.references[0].key == "orstedasndorsted"


# --- the same checks: duplicate keys across formats, missing fields, files that cannot be read ----


def test_a_key_given_in_two_formats_is_an_error_naming_both_places(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(DATA / "mini", root)
    (root / "references" / "knuth.ris").write_text(KNUTH_RIS)
    (root / "references" / "knuth.json").write_text(json.dumps([{**KNUTH_CSL[0], "id": "ALPHA2020"}]))
    with pytest.raises(kg.InputError) as caught:
        kg.load_project(root)
    assert [str(p) for p in caught.value.problems] == [
        "references/knuth.json:1: error: key 'ALPHA2020' differs only in case from 'alpha2020' at "
        "references/mini.bib:2; rename or delete one of the two entries",
        "references/knuth.ris:1: error: duplicate key 'DBLP:journals/cacm/Knuth74': also at references/mini.bib:20; "
        "rename or delete one of the two entries",
    ]


RIS_FAULTS = """TY  - JOUR
TI  - Never ended
ID  - lost2020
TY  - ZZZ
AU  - Smith, Ann
DO  - https://example.org/x
DA  - Spring
ER  -
"""


def test_ris_faults_each_with_its_line(tmp_path):
    part = ris(tmp_path, RIS_FAULTS)
    assert part.unread_keys == {"lost2020"}  # a citation of it is not reported again
    assert messages(part) == [
        "z.ris:1: error: record has no end line 'ER  - '; end each record with a line 'ER  - '",
        "z.ris:4: warning: record type 'ZZZ' is not a RIS type; it is read as misc; use a RIS type such as JOUR, "
        "BOOK, CHAP, CONF, THES, RPRT or GEN",
        "z.ris:7: warning: DA 'Spring' is not a date; write it as YYYY or YYYY/MM/DD/",
        "z.ris:6: warning: DO 'https://example.org/x' does not start with '10.'; give the bare DOI, like "
        "10.1037/0003-066X.59.1.29",
        "z.ris:4: warning: entry 'smithnd' has no title; add a TI line",
        "z.ris:4: warning: entry 'smithnd' has no year; add a PY line (PY  - YYYY); until then it is cited as n.d.",
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Not RIS at all\n", "z.ris:1: error: holds no RIS record; each record starts with a line 'TY  - TYPE'"),
        (
            b"TY  - BOOK\nTI  - Caf\xe9\nER  - \n",
            "z.ris:2: error: is not UTF-8 text (byte 20); export it from Zotero as UTF-8",
        ),
    ],
)
def test_a_ris_file_that_cannot_be_read(tmp_path, data, message):
    (tmp_path / "z.ris").write_bytes(data)
    part = read_ris([tmp_path / "z.ris"], tmp_path)
    assert messages(part) == [message] and part.references_unreadable


def test_ris_with_a_byte_order_mark_and_windows_line_ends(tmp_path):
    (tmp_path / "z.ris").write_bytes("\ufeffTY  - BOOK\r\nTI  - Øl\r\nPY  - 2001\r\nER  - \r\n".encode())
    part = read_ris([tmp_path / "z.ris"], tmp_path)
    assert [(r.key, r.title, r.issued) for r in part.references] == [("anon2001ol", "Øl", "2001")]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '[{"id": "a",\n "type": "book" "title": "x"}]',
            "z.json:2: error: is not valid JSON: Expecting ',' delimiter (column 17); fix the JSON syntax at that line",
        ),
        (
            '{"items": []}',
            "z.json:1: error: should be a list of CSL items, found an object; export the references "
            "as CSL JSON (a list of items: [{...}, ...])",
        ),
    ],
)
def test_a_csl_json_file_that_cannot_be_read(tmp_path, text, message):
    part = csl(tmp_path, text)
    assert messages(part) == [message] and part.references_unreadable


def test_csl_json_faults_each_with_its_line(tmp_path):
    text = '[\n "just text",\n {"id": "x1", "type": "poem", "title": "T",\n  "issued": {"literal": "Spring"}}\n]'
    assert messages(csl(tmp_path, text)) == [
        "z.json:2: error: item 'just text' is not a CSL item (an object with id, type, title ...); give each item "
        "as {...}",
        "z.json:3: warning: item 'x1': type 'poem' is not a CSL type; it is read as misc; use a CSL type such as "
        "article-journal, book, chapter",
        'z.json:3: warning: item \'x1\': issued {"literal": "Spring"} is not a date; write it as '
        '{"date-parts": [[YYYY, MM, DD]]}',
        'z.json:3: warning: entry \'x1\' has no year; add "issued": {"date-parts": [[YYYY]]}; until then it is '
        "cited as n.d.",
    ]


def test_csl_variables_as_bibtex_fields(tmp_path):
    item = {
        "id": "c1",
        "type": "chapter",
        "title": "Inside",
        "container-title": "The Book",
        "editor": [{"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"}],
        "author": [{"family": "Topor", "given": "Alain", "suffix": "Jr."}],
        "publisher": "Pub",
        "publisher-place": "Oslo",
        "ISBN": "978-0-00",
        "page": "3-9",
        "issued": {"date-parts": [[1988], [1992]]},
        "accessed": {"date-parts": [["2020", "1", "2"]]},
        "DOI": "https://doi.org/10.1/x",
        "collection-title": "Series",
        "collection-number": 4,
    }
    [ref] = csl(tmp_path, [item]).references
    assert ref.entry_type == "incollection" and ref.booktitle == "The Book"
    assert ref.editors == [Person("Berg", "Anna", "van der")] and ref.authors == [Person("Topor", "Alain", "", "Jr.")]
    assert (ref.issued, ref.issued_end, ref.fields["urldate"], ref.doi) == ("1988", "1992", "2020-01-02", "10.1/x")
    assert {k: ref.fields[k] for k in ("publisher", "address", "isbn", "pages", "series", "number")} == {
        "publisher": "Pub",
        "address": "Oslo",
        "isbn": "978-0-00",
        "pages": "3–9",
        "series": "Series",
        "number": "4",
    }
