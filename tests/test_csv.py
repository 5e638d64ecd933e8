"""Quote tables (quotes/*.csv, *.tsv): one row per quote, joined to the study's annotation file.

tests/data/csv/quotes is tests/data/mini/quotes with every quote moved to a table: alpha2020's to
alpha2020.csv (UTF-8 with a byte order mark, \\r\\n line ends, cells in double quotes that hold a
comma or a double quote), gamma2021's to gamma2021.tsv (capitalised column names); each study's
YAML file keeps its participants, themes, factors, actions and citations.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import PROV

import kg
from cli import cli
from kg.graph.iris import Minter
from kg.ingest.csv_quotes import COLUMNS, read_quote_tables
from kg.model import Use
from tests.fixtures import DATA, REPO

HEADER = "study,id,speaker,role,text,themes,actions,factors,page\n"
ALPHA_YAML = (DATA / "csv" / "quotes" / "alpha2020.yaml").read_text(encoding="utf-8")


def csv_project(tmp_path: Path) -> Path:
    """tests/data/csv/quotes beside the references of tests/data/mini."""
    shutil.copytree(DATA / "csv" / "quotes", tmp_path / "quotes")
    shutil.copytree(DATA / "mini" / "references", tmp_path / "references")
    return tmp_path


def project_with(tmp_path: Path, table: str, name: str = "extra.csv", yaml: str = ALPHA_YAML) -> Path:
    """The mini references, alpha2020.yaml (no quotes) and one quote table."""
    (tmp_path / "quotes").mkdir()
    shutil.copytree(DATA / "mini" / "references", tmp_path / "references")
    (tmp_path / "quotes" / "alpha2020.yaml").write_text(yaml, encoding="utf-8")
    (tmp_path / "quotes" / name).write_text(table, encoding="utf-8")
    return tmp_path


def errors_of(project: Path) -> list[str]:
    with pytest.raises(kg.InputError) as caught:
        kg.load_project(project)
    return [str(p) for p in caught.value.problems]


def read_table(tmp_path: Path, data: bytes, name: str = "q.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_quote_tables([path], tmp_path)


# --- the same graph as YAML ----------------------------------------------------------------


def test_csv_project_builds_the_yaml_projects_graph_but_for_where_quotes_came_from(tmp_path):
    yaml_corpus, yaml_warnings = kg.load_project(DATA / "mini")
    csv_corpus, csv_warnings = kg.load_project(csv_project(tmp_path))
    assert csv_warnings == yaml_warnings == []
    from_yaml, from_csv = kg.build_graph(yaml_corpus), kg.build_graph(csv_corpus)
    mint = Minter()
    table = {"alpha2020": mint.source("quotes/alpha2020.csv"), "gamma2021": mint.source("quotes/gamma2021.tsv")}
    yaml_file = {"alpha2020": mint.source("quotes/alpha2020.yaml"), "gamma2021": mint.source("quotes/gamma2021.yaml")}
    quotes = {"alpha2020": ["q1", "q2", "q3", "q4"], "gamma2021": ["qA"]}
    # Provenance tells the truth: each quote was derived from its table, which the build used.
    for study, ids in quotes.items():
        for quote_id in ids:
            quote = mint.quote(study, quote_id)
            assert set(from_csv.objects(quote, PROV.wasDerivedFrom)) == {table[study]}
            assert set(from_yaml.objects(quote, PROV.wasDerivedFrom)) == {yaml_file[study]}
        assert (mint.build(), PROV.used, table[study]) in from_csv
    # Everything else is the same, to the byte: point the quotes back at the YAML file, drop the tables.
    moved = Graph()
    for s, p, o in from_csv:
        if s in table.values() or o in table.values() and p == PROV.used:
            continue
        study = next((k for k, v in table.items() if o == v), None)
        moved.add((s, p, yaml_file[study] if study else o))
    assert len(from_csv) == len(from_yaml) + 8  # 2 tables x (3 triples of their own + prov:used)
    assert kg.serialize(moved) == kg.serialize(from_yaml)


def test_rows_read_as_written(tmp_path):
    part = read_table(
        tmp_path,
        "\ufeffStudy , ID,Speaker,Role,Attribution,Prompt,Text,Themes,Concepts,Actions,Factors,Page\r\n"
        'alpha2020,q1,1,user,marked,How?,"Line one,\r\nline two",'
        "small;coffee-talk;,micro,coffee,trust; being-seen,4\r\n"
        ",,,,,,,,,,,\r\n"  # a row of empty cells is no quote
        "alpha2020,q2,,professional,from-text,,Plain,,,,,\r\n".encode(),
    )
    assert part.problems == []
    first, second = part.quotes
    assert (first.study, first.id, first.path, first.line) == ("alpha2020", "q1", "q.csv", 2)
    assert first.speaker == Use("1", 2) and first.role == "user" and first.attribution == "marked"
    assert first.prompt == "How?" and first.text == "Line one,\nline two" and first.page == "4"
    assert [u.value for u in first.themes] == ["small", "coffee-talk"]
    assert [u.value for u in first.concepts] == ["micro"]
    assert [u.value for u in first.factors] == ["trust", "being-seen"]
    # The multi-line row started on line 2 and ended on 3; the empty row was line 4.
    assert (second.line, second.speaker, second.role, second.attribution) == (5, None, "professional", "from-text")


def test_tsv_cells_are_separated_by_tabs(tmp_path):
    part = read_table(tmp_path, b"study\tid\trole\ttext\nalpha2020\tq1\tuser\tA, b; c\n", "q.tsv")
    assert part.problems == [] and part.quotes[0].text == "A, b; c"


# --- the file's own faults, each with its exact message --------------------------------------


@pytest.mark.parametrize(
    "data, name, message",
    [
        (
            b"",
            "q.csv",
            "q.csv:1: error: is empty; start it with a header row: study, id, speaker, role, attribution, "
            "prompt, text, themes, concepts, actions, factors, page",
        ),
        (
            b"study,id,text\nalpha2020,q1,caf\xe9\n",
            "q.csv",
            "q.csv:2: error: is not UTF-8 text (byte 30); save the file as UTF-8 (a spreadsheet's 'CSV UTF-8')",
        ),
        (
            b'study,id,text\nalpha2020,q1,"never closed\n',
            "q.csv",
            "q.csv:2: error: is not valid CSV: unexpected end of data; check the double quotes of the row on that line",
        ),
        (
            b"study;id;text\nalpha2020;q1;Hi\n",
            "q.csv",
            "q.csv:1: error: the header is one cell, 'study;id;text': "
            "the file seems to separate its cells by ';'; save it with ',' between cells "
            "(';' separates the items of a list in a cell)",
        ),
        (
            b"study,id,text\nalpha2020,q1,Hi\n",
            "q.tsv",
            "q.tsv:1: error: the header is one cell, 'study,id,text': "
            "the file seems to separate its cells by ','; name the file .csv "
            "(';' separates the items of a list in a cell)",
        ),
    ],
)
def test_a_file_that_cannot_be_read(tmp_path, data, name, message):
    part = read_table(tmp_path, data, name)
    assert [str(p) for p in part.problems] == [message]
    assert part.quotes == [] and part.unreadable


def test_header_faults_all_at_once(tmp_path):
    part = read_table(tmp_path, b"study,id,speakr,them,,id\nalpha2020,q1,1,small,,q1\n")
    assert [str(p) for p in part.problems] == [
        "q.csv:1: error: unknown column 'speakr' in the header; did you mean 'speaker'? the columns are: study, id, "
        "speaker, role, attribution, prompt, text, themes, concepts, actions, factors, page",
        "q.csv:1: error: unknown column 'them' in the header; did you mean 'themes'? the columns are: study, id, "
        "speaker, role, attribution, prompt, text, themes, concepts, actions, factors, page",
        "q.csv:1: error: column 5 of the header has no name; name it, or delete the column",
        "q.csv:1: error: column 'id' is given twice in the header (columns 2 and 6); keep one of them",
        "q.csv:1: error: the header has no 'text' column; add it: every quote needs a text",
    ]
    assert part.quotes == [] and part.unreadable


def test_row_faults_all_at_once(tmp_path):
    part = read_table(
        tmp_path,
        b"study,id,role,attribution,text\n"
        b"alpha2020,q1,user,,Hello, world\n"  # the comma splits the text: one cell too many
        b"alpha2020,,usr,said,\n"
        b",q3,user,,Fine\n",
    )
    assert [str(p) for p in part.problems] == [
        "q.csv:2: error: row has 6 cells, the header has 5; a cell that holds ',' or a line break goes in double "
        "quotes; give every row one cell per column",
        "q.csv:3: error: 'id' of the quote of this row is empty; give the quote of this row a id",
        "q.csv:3: error: 'text' of the quote of this row is empty; give the quote of this row a text",
        "q.csv:3: error: 'role' of the quote of this row is 'usr'; use one of: user, professional",
        "q.csv:3: error: 'attribution' of the quote of this row is 'said'; use one of: marked, from-text, uncertain "
        "(marked: the paper prints the speaker's id after the quote; from-text: the prose around it names the "
        "speaker; uncertain: neither)",
        "q.csv:4: error: 'study' of quote 'q3' is empty; give quote 'q3' a study",
    ]
    assert not part.unreadable  # the file was read; its faulty rows are errors


# --- the rules across files: the study's YAML declares, the table uses -------------------------


def test_uses_are_checked_against_the_studys_yaml_file(tmp_path):
    table = (
        HEADER + "alpha2020,q1,1,,Hi,smal,coffe,trust,\n"  # typos of a theme and an action
        "alpha2020,q2,7,,Ho,small,,,\n"  # no participant 7
        "alpha2020,q3,1,professional,Ha,small,,,\n"  # 1 is a user
        "alpha2020,q4,,,He,small,,,\n"  # nobody speaks
    )
    assert errors_of(project_with(tmp_path, table)) == [
        "quotes/extra.csv:2: error: unknown action 'coffe' in quote 'q1'; did you mean 'coffee'? declare it under "
        "actions: (in any file) or fix the id",
        "quotes/extra.csv:2: error: unknown theme 'smal' in quote 'q1'; did you mean 'small'? declare it under "
        "themes: in quotes/alpha2020.yaml or fix the id",
        "quotes/extra.csv:3: error: unknown speaker '7' in quote 'q2'; declare it under participants: in "
        "quotes/alpha2020.yaml or fix the id",
        "quotes/extra.csv:4: error: quote 'q3' says role 'professional' but its speaker '1' is a user; drop 'role:' "
        "(the speaker's role is used) or fix it",
        "quotes/extra.csv:5: error: quote 'q4' has neither 'speaker' nor 'role'; name the participant with "
        "'speaker: ID', or give 'role: user|professional' for an unidentified speaker",
    ]


def test_a_quote_id_in_the_yaml_and_in_a_table_is_declared_twice(tmp_path):
    yaml = ALPHA_YAML.replace(
        "citations:", 'quotes:\n  - {id: q1, speaker: "1", text: Hi, themes: [small]}\ncitations:'
    )
    table = HEADER + "alpha2020,q1,1,,Hi again,coffee-talk,coffee,trust,\n"
    project = project_with(tmp_path, table, yaml=yaml)
    (project / "quotes" / "more.tsv").write_text("study\tid\trole\ttext\nalpha2020\tq1\tuser\tOnce more\n")
    assert errors_of(project) == [
        "quotes/extra.csv:2: error: quote id 'q1' is declared twice in study 'alpha2020'; the first is at "
        "quotes/alpha2020.yaml:28; rename or remove one",
        "quotes/more.tsv:2: error: quote id 'q1' is declared twice in study 'alpha2020'; the first is at "
        "quotes/alpha2020.yaml:28; rename or remove one",
    ]


def test_a_table_of_a_study_with_no_yaml_file_says_what_to_add(tmp_path):
    table = HEADER + "alpha2020,q1,1,,Hi,small;coffee-talk,coffee;greeting,trust;being-seen,\n"
    table += "alpha202,q2,1,,Hi,,,,\nbeta2020,q3,1,,Ho,,,,\n"
    assert errors_of(project_with(tmp_path, table)) == [
        "quotes/extra.csv:3: error: quote 'q2' is of study 'alpha202', which no annotation file annotates; did you "
        "mean 'alpha2020'? a CSV adds quotes to a study: declare the study in quotes/alpha202.yaml (study: alpha202, "
        "its participants and themes)",
        "quotes/extra.csv:4: error: quote 'q3' is of study 'beta2020', which no annotation file annotates; a CSV adds "
        "quotes to a study: declare the study in quotes/beta2020.yaml (study: beta2020, its participants and themes)",
    ]


def test_themes_used_only_by_a_table_are_used(tmp_path):
    table = HEADER + "alpha2020,q1,1,,Hi,small;coffee-talk,coffee;greeting,trust;being-seen,\n"
    _, warnings = kg.load_project(project_with(tmp_path, table))
    assert warnings == []


def test_an_unreadable_table_hides_no_warnings_it_would_cause(tmp_path):
    """Its rows may use every theme: one error, no 'used by no quote' warnings."""
    assert errors_of(project_with(tmp_path, "study;id;text\n")) == [
        "quotes/extra.csv:1: error: the header is one cell, 'study;id;text': the file seems to separate its cells "
        "by ';'; save it with ',' between cells (';' separates the items of a list in a cell)"
    ]


def test_cli_names_every_fault_and_exits_2(tmp_path):
    project = project_with(tmp_path, HEADER + "alpha2020,q1,9,,Hi,small,,,\n")
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 2
    assert "quotes/extra.csv:2: error: unknown speaker '9' in quote 'q1'" in result.output
    assert "Traceback" not in result.output


def test_the_readme_documents_the_columns():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quote tables", 1)[1].split("\n## ", 1)[0]
    for column in COLUMNS:
        assert f"`{column}`" in section
