"""kg.bibtex: BibTeX files to References, every problem named by file, line and key.

The small fixtures in tests/data/bibtex/ hold one behaviour each; the tests at the end read the
real files in ../shared/data/bibtex (see its SOURCES.md) and check values read from them by eye.
"""

from __future__ import annotations

import functools
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.exceptions import ParserStateException

from kg.ingest.bibtex import load_bibtex
from kg.ingest.latex import latex_to_unicode, month_number, plain_value
from kg.model import Person
from tests.fixtures import DATA

BIB = DATA / "bibtex"


def without_year_warnings(loaded):
    """The fixtures here mostly lack years; that warning is tested in tests/test_references.py."""
    refs, problems = loaded
    return refs, [p for p in problems if not p.message.endswith("has no year")]


def load(*names: str):
    return without_year_warnings(load_bibtex([BIB / name for name in names], BIB))


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# --- 1. @string macros, # joins, months ------------------------------------------------------


def test_string_macros_and_concatenation_are_resolved():
    refs, _ = load("macros.bib")
    ref = refs["macro-use"]
    # "..." # {in} # " " # JPSY: quoted and braced parts, a macro in another case
    assert ref.title == "Recovery in Journal of Psychosocial Rehabilitation"
    assert ref.fields["journal"] == "Journal of Psychosocial Rehabilitation"
    # @STRING{ Pub = {...} } with braces, @string( ... ) with parentheses, a macro of macros
    assert ref.fields["publisher"] == "Routledge & Sons, Oslo"
    assert ref.year == "2018"


def test_string_redefined_later_holds_from_there_on():
    refs, _ = load("macros.bib")  # @string{city = "Bergen"} after macro-use, as BibTeX reads it
    assert refs["macro-use"].fields["publisher"] == "Routledge & Sons, Oslo"
    assert refs["macro-redefined"].fields["address"] == "Bergen"


def test_month_macros_work_without_string_definitions():
    refs, _ = load("macros.bib")
    assert refs["macro-use"].fields["month"] == "7"  # month = jul
    assert refs["month-text"].fields["month"] == "10 January"  # "10~" # jan: not one month


@pytest.mark.parametrize(("key", "month"), [("month-forms", "9"), ("month-number", "3"), ("month-abbrev", "12")])
def test_month_is_normalised_to_its_number(key, month):
    refs, _ = load("macros.bib")
    assert refs[key].fields["month"] == month


def test_month_number_keeps_what_is_not_a_month():
    assert [month_number(m) for m in ("Sept.", "jun", "12", "13", "Spring")] == [
        "9",
        "6",
        "12",
        "13",
        "Spring",
    ]


def test_undefined_macro_is_a_warning_and_keeps_its_name():
    refs, problems = load("macros.bib")
    assert refs["undefined-macro"].fields["journal"] == "nosuchjournal"
    assert messages(problems) == [
        "macros.bib:37: warning: entry 'undefined-macro': field 'journal' uses the undefined "
        "@string 'nosuchjournal' (kept as the text 'nosuchjournal'); define it with "
        "@string{nosuchjournal = {...}} before it is used, or put the value in braces"
    ]


# --- 2, 3. field names, LaTeX to Unicode ---------------------------------------------------


def test_field_names_and_entry_type_are_lower_case():
    refs, problems = load("decoding.bib")
    ref = refs["decoding"]
    assert ref.entry_type == "article"
    assert list(ref.fields) == [
        "title", "author", "journal", "pages", "note", "year", "url", "doi", "file", "eprint",
    ]  # fmt: skip
    assert problems == []


def test_latex_is_decoded_to_unicode():
    ref = load("decoding.bib")[0]["decoding"]
    # protective braces gone, ``'' to curly quotes, newline and runs of spaces to one space
    assert ref.title == "DNA Recovery: the “small things” of über-care"
    assert ref.fields["author"] == "Müller, Jørgen and Åberg, Élodie"
    assert ref.fields["journal"] == "Mental Health & Society & Care"
    assert ref.fields["pages"] == "10–19"  # -- is an en dash
    # a bare % is a percent sign, not a LaTeX comment; --- is an em dash
    assert ref.fields["note"] == "Café, naïve, ß, ç, 50% of users, Småland—Norway"


def test_fields_that_are_not_prose_are_not_decoded():
    ref = load("decoding.bib")[0]["decoding"]
    assert ref.fields["url"] == "https://example.org/a_b/~me/X"  # ~ stays, braces go
    assert ref.doi == "10.1000/ABC_1"  # \_ is how LaTeX is told about a _
    assert ref.fields["file"] == ':papers/M\\"uller.pdf:PDF'
    assert ref.fields["eprint"] == "2101.00001"


def test_raw_utf8_stays_as_it_is():
    ref = load("decoding.bib")[0]["raw-utf8"]
    assert ref.title == "Über die Genesung: Ärzte und Ångström"
    assert ref.authors == [Person("Sørensen", "Åse"), Person("Ørsted", "Hans Christian")]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"u}", "ü"),
        (r"{\o}", "ø"),
        (r"{\AA}", "Å"),
        (r"\&", "&"),
        ("--", "–"),
        ("``x''", "“x”"),
        ("{DNA} {R}ecovery", "DNA Recovery"),
        ("Angew.~Chem.\n   Int.", "Angew. Chem. Int."),
        (r"\mbox{G-Animal's} Journal", "G-Animal's Journal"),  # pylatexenc would drop it
        (r"An \texttt{incollection} entry", "An incollection entry"),
        (r"{\noopsort{1973b}}1973", "1973"),
        (r"Publishing \& {\TeX} and \LaTeX{}", "Publishing & TeX and LaTeX"),
        (r"An {$O(n \log n)$} sort of $\alpha$", "An O(n log n) sort of α"),
        (r"\enquote{Um keinen Kranz}", "“Um keinen Kranz”"),
        (r"centro\--meri\-dionale", "centro-meridionale"),
        (r"e-mail: \path|bnb@math.ams.org|", "e-mail: bnb@math.ams.org"),
    ],
)
def test_latex_to_unicode(latex, text):
    assert latex_to_unicode(latex) == text


def test_plain_value_strips_only_braces_and_spaces():
    assert plain_value(" {https://x.org/{A}_b}\n ") == "https://x.org/A_b"


# --- 4. names ----------------------------------------------------------------------------------


def test_names_are_split_into_people():
    refs, _ = load("names.bib")
    ref = refs["names"]
    assert ref.authors == [
        Person("Topor", "Alain"),
        Person("Greiff", "Ninive", von="von"),
        Person("Barnes and Noble"),  # braced: one corporate name
        Person("Ford", "Henry", jr="Jr."),
        Person("Zola", "Émile"),
        Person("American Psychiatric Association"),
    ]
    assert ref.more_authors is True  # "and others" is no Person
    assert ref.editors == [Person("Ljungqvist", "Ing-Marie"), Person("Denhov", "Anne")]
    one = refs["names-no-others"]
    assert (one.authors, one.more_authors) == ([Person("Davidson", "Larry")], False)


def test_name_bibtex_cannot_split_is_a_warning_and_still_read():
    refs, problems = load("names.bib")
    assert refs["names-bad"].authors == [
        Person("Doe", "John Extra", jr="Jr"),
        Person("Roe"),
    ]
    assert messages(problems) == [
        "names.bib:18: warning: entry 'names-bad': cannot split the author name "
        "'Doe, Jr, John, Extra' (too many commas), so it was read leniently; "
        "check the name's commas and braces",
        "names.bib:18: warning: entry 'names-bad': cannot split the author name 'Roe,' "
        "(trailing comma at end of name), so it was read leniently; "
        "check the name's commas and braces",
    ]


# --- 5. DOIs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "doi"),
    [
        ("doi-https", "10.1080/09638237.2018.1466036"),
        ("doi-dx", "10.1037/a0012345"),
        ("doi-prefix", "10.1176/appi.ps.201700042"),
        ("doi-bare", "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"),
    ],
)
def test_doi_is_normalised(key, doi):
    assert load("doi.bib")[0][key].doi == doi


def test_doi_not_starting_with_10_is_a_warning():
    refs, problems = load("doi.bib")
    assert refs["doi-bad"].doi == "ISBN 978-0-19-850000-0"
    assert messages(problems) == [
        "doi.bib:6: warning: entry 'doi-bad': doi 'ISBN 978-0-19-850000-0' does not start "
        "with '10.'; give the bare DOI, like 10.1037/0003-066X.59.1.29"
    ]


# --- 6. crossref ---------------------------------------------------------------------------------


def test_crossref_inherits_from_a_parent_in_another_file():
    refs, _ = load("crossref_child.bib", "crossref_parent.bib")
    child = refs["child"]  # crossref = {PROC2004}: keys compare without case, as in BibTeX
    assert child.fields["pages"] == "1–10"  # its own
    assert child.fields["publisher"] == "Springer"
    assert child.year == "2004"
    assert child.fields["booktitle"] == "Proceedings of Recovery 2004"  # the parent's title
    assert child.editors == [Person("Davidson", "Larry")]
    assert child.authors == [Person("Borg", "Marit")]
    own = refs["child-with-booktitle"]
    assert own.fields["booktitle"] == "My own book"
    assert own.fields["pages"] == "1–200"  # what the parent has and it lacks
    assert "booktitle" not in refs["proc2004"].fields


def test_missing_crossref_parent_is_a_warning():
    refs, problems = load("crossref_child.bib", "crossref_parent.bib")
    assert "publisher" not in refs["orphan"].fields
    assert messages(problems) == [
        "crossref_child.bib:16: warning: entry 'orphan': crossref 'no-such-parent' is not an "
        "entry in the BibTeX files; add an entry 'no-such-parent' or remove the crossref"
    ]


# --- 7. problems ---------------------------------------------------------------------------------


def test_field_given_twice_keeps_the_first_value():
    refs, problems = load("duplicates.bib")
    # bibtexparser's DuplicateFieldKeyBlock (and its NormalizeFieldKeys) would keep the last
    assert refs["twice-field"].title == "First title"
    assert refs["twice-field"].year == "2001"
    assert messages(problems)[:2] == [
        "duplicates.bib:5: warning: entry 'twice-field': field 'title' is given twice (first on "
        "line 3); the first value is kept, as BibTeX does; delete one of them",
        "duplicates.bib:6: warning: entry 'twice-field': field 'year' is given twice (first on "
        "line 4); the first value is kept, as BibTeX does; delete one of them",
    ]


def test_same_key_twice_is_an_error_naming_both_places():
    refs, problems = load("duplicates.bib", "duplicates_other.bib")
    assert refs["same-key"].title == "The first same-key"  # BibTeX keeps the first
    assert refs["same-key"].line == 9
    errors = [str(p) for p in problems if p.is_error]
    assert errors == [
        "duplicates.bib:13: error: duplicate key 'same-key': also at duplicates.bib:9; "
        "rename or delete one of the two entries",
        "duplicates_other.bib:2: error: duplicate key 'same-key': also at duplicates.bib:9; "
        "rename or delete one of the two entries",
        "duplicates_other.bib:6: error: key 'casekey' differs only in case from 'CaseKey' at "
        "duplicates.bib:17, and BibTeX treats them as the same key; "
        "rename or delete one of the two entries",
    ]
    assert "casekey" not in refs and refs["CaseKey"].title == "Upper case"


def test_broken_blocks_are_errors_and_the_rest_is_read():
    refs, problems = load("broken.bib")
    assert sorted(refs) == ["bad-value", "good-after", "good-before", "no-title"]
    hint = "; check its braces, quotes, commas and = signs"
    assert messages(problems) == [
        "broken.bib:6: error: @article entry 'no-comma-after-key' cannot be parsed: "
        "Expected comma after entry key, but found =" + hint,
        "broken.bib:10: error: @article entry 'unclosed' cannot be parsed: Unexpected block start: "
        "`@article`. Was still looking for field-value closing `}`" + hint,
        "broken.bib:18: error: @article entry 'missing-equals' cannot be parsed: "
        "Expected a `=` after entry key, but found `{`" + hint,
        "broken.bib:23: error: entry 'bad-value': field 'title': cannot read the value: "
        "expected # between two parts, found '{'; put the value in braces, joining parts with #",
        "broken.bib:27: error: @article entry has no key; write a key after the {",
        "broken.bib:35: error: @string 'broken-string' cannot be parsed: Expected equals sign after "
        'field key, but found "' + hint,
        "broken.bib:31: warning: entry 'no-title' has no title; add a title field",
    ]
    assert refs["bad-value"].year == "2020"  # the readable fields of the entry stay


def test_file_that_is_not_utf8_is_one_error():
    refs, problems = load("latin1.bib", "doi.bib")
    assert "doi-https" in refs  # the other file is still read
    assert messages(problems)[0] == (
        "latin1.bib:3: error: the file is not valid UTF-8: byte 75 (0xe8); save the file as UTF-8"
    )
    assert [p.is_error for p in problems] == [True, False]  # and doi.bib's one warning


def test_missing_file_is_an_error_not_an_exception():
    refs, problems = load("no-such-file.bib")
    assert refs == {}
    assert messages(problems) == [
        "no-such-file.bib: error: the file cannot be read: No such file or directory; check the path"
    ]


def test_bibtexparser_failing_on_a_file_is_an_error_not_an_exception(monkeypatch):
    def fail(*args, **kwargs):
        raise ParserStateException("invalid state")

    monkeypatch.setattr(bibtexparser, "parse_string", fail)
    refs, problems = load("doi.bib")
    assert refs == {}
    assert messages(problems) == [
        "doi.bib: error: bibtexparser cannot split the file: ParserStateException('invalid state'); report it"
    ]


def test_problem_paths_are_relative_to_root():
    _, problems = load_bibtex([BIB / "doi.bib"], DATA)
    assert problems[0].path == "bibtex/doi.bib"


# --- 8. the real files in ../shared/data/bibtex ------------------------------------------------

REAL_FILES = {  # file: entries (SOURCES.md counts @-lines, which include @string and @preamble)
    "xampl.bib": 36,
    "biblatex-examples.bib": 92,
    "archaeologie-examples.bib": 65,
    "tugboat.bib": 4839,
    "cdl.bib": 6315,
    "abbrev3.bib": 0,
}


@functools.cache
def load_real(path: Path):
    return without_year_warnings(load_bibtex([path], path.parent))


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_loads_without_errors(shared_data, name):
    refs, problems = load_real(shared_data / "bibtex" / name)
    assert [str(p) for p in problems if p.is_error] == []
    assert len(refs) == REAL_FILES[name]


def test_real_xampl_crossref_and_macros(shared_data):
    refs, problems = load_real(shared_data / "bibtex" / "xampl.bib")
    article = refs["article-crossref"]  # crossref = {WHOLE-JOURNAL}, the parent is whole-journal
    assert article.fields["journal"] == "G-Animal's Journal"  # {\mbox{G-Animal's} Journal}
    assert (article.year, article.fields["volume"], article.fields["month"]) == ("1986", "41", "7")
    assert article.fields["key"] == ""  # its own key = "" overrides the parent's "GAJ"
    proc = refs["inproceedings-crossref"]
    assert proc.fields["booktitle"] == (
        "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing"  # "..." # STOC
    )
    assert proc.fields["organization"] == ""
    assert refs["book-crossref"].fields["publisher"] == "Addison-Wesley"
    inbook = refs["inbook-full"]
    assert inbook.year == "1973"  # "{\noopsort{1973b}}1973"
    assert inbook.fields["month"] == "10 January"  # "10~" # jan
    assert inbook.fields["pages"] == "10–119"
    assert refs["unpublished-full"].fields["month"] == "November, December"
    assert [p.last for p in refs["unpublished-full"].authors] == ["Ünderwood", "Ñet", "P̄ot"]
    assert refs["techreport-full"].authors == [Person("Térrific", "Tom")]
    assert refs["techreport-full"].title == "An O(n log n / loglog n) Sorting Algorithm"
    assert [p.message for p in problems] == [
        "entry 'whole-journal' has no title",
        "entry 'misc-minimal' has no title",
        "entry 'random-note-crossref' has no title",
    ]


def test_real_biblatex_examples(shared_data):
    refs, _ = load_real(shared_data / "bibtex" / "biblatex-examples.bib")
    aksin = refs["aksin"]
    assert [p.family for p in aksin.authors] == [
        "Aksın", "Türkmen", "Artok", "Çetinkaya", "Ni", "Büyükgüngör", "Özkal",
    ]  # fmt: skip
    assert aksin.authors[0].first == "Özge"
    assert aksin.fields["journaltitle"] == "J. Organomet. Chem."  # @string{jomch = {J.~...}}
    assert aksin.title == (
        "Effect of immobilization on catalytic characteristics of saturated "
        "Pd-N-heterocyclic carbenes in Mizoroki-Heck reactions"
    )
    kastenholz = refs["kastenholz"]
    assert kastenholz.doi == "10.1063/1.2172593"
    assert kastenholz.title.startswith("Computation of methodology-independent ionic")
    space = refs["westfahl:space"]  # crossref = {westfahl:frontier}
    assert space.fields["booktitle"] == "Space and Beyond"
    assert space.editors == [Person("Westfahl", "Gary")]


def test_real_archaeologie_utf8_and_latex(shared_data):
    refs, problems = load_real(shared_data / "bibtex" / "archaeologie-examples.bib")
    assert refs["Hoelscher2001"].authors == [Person("Hölscher", "Tonio")]
    assert refs["Hoelscher2001"].title == "Schatzhäuser – Banketthäuser?"
    assert refs["Hoelscher2001"].fields["location"] == "Würzburg"
    assert refs["Mann2011"].fields["title"] == "“Um keinen Kranz, um das Leben kämpfen wir!”"
    assert refs["Mann2011"].title == (  # the subtitle joined as biblatex prints it
        "“Um keinen Kranz, um das Leben kämpfen wir!”: Gladiatoren im Osten des Römischen Reiches "
        "und die Frage der Romanisierung"
    )
    assert refs["Torelli1991"].fields["booktitle"] == (
        "Comunitá indigene e problemi della romanizzazione nell’Italia centro-meridionale (IV–III sec. a.C.)"
    )
    assert refs["EAOR-01"].fields["publisher"] == "EQ"  # from the parent, an undefined @string
    # its @string abbreviations live in a file that is not in the mirror: warnings only
    assert (
        "archaeologie-examples.bib:44: warning: entry 'Ganzert1984': field 'series' uses the "
        "undefined @string 'IstForsch' (kept as the text 'IstForsch'); define it with "
        "@string{IstForsch = {...}} before it is used, or put the value in braces"
    ) in messages(problems)


def test_real_tugboat(shared_data):
    refs, problems = load_real(shared_data / "bibtex" / "tugboat.bib")
    assert refs["Lamport:TB6-3-150"].title == "Announcement of LaTeX Version 2.09"
    ads = refs["Anonymous:TB10-3-445"]  # bibsource and acknowledgement are given twice
    assert ads.fields["bibsource"] == "http://www.math.utah.edu/pub/tex/bib/tugboat.bib"
    assert ads.fields["acknowledgement"].startswith("Nelson H. F. Beebe, University of Utah")
    assert ads.fields["journal"] == "TUGboat"  # @String{j-TUGboat = "TUGboat"}
    assert ads.fields["month"] == "11"
    assert (
        "tugboat.bib:21140: warning: entry 'Anonymous:TB10-3-445': field 'bibsource' is given "
        "twice (first on line 21139); the first value is kept, as BibTeX does; delete one of them"
    ) in messages(problems)
    assert len(problems) == 5  # 4 doubled fields, 1 entry with no title


def test_real_cdl(shared_data):
    refs, problems = load_real(shared_data / "bibtex" / "cdl.bib")
    assert problems == []
    lind = refs["LindEtal21"]  # Author = {... and R {La Joie} and ...}: capitalised field names
    assert len(lind.authors) == 19
    assert lind.authors[2] == Person("La Joie", "R")
    assert refs["vandEtal11"].authors[0] == Person("van de Pol", "J")  # braced: all last name
    assert refs["vandEtal11"].title == ("Patterns of contingent teaching in teacher–student interaction")
    assert refs["NguyEtal19"].fields["journal"] == "NeuroImage"


def test_real_abbrev3_macros_hold_in_the_next_file(shared_data):
    abbrev = shared_data / "bibtex" / "abbrev3.bib"
    refs, problems = without_year_warnings(load_bibtex([abbrev, BIB / "uses_abbrev3.bib"], BIB))
    assert problems == []
    ref = refs["uses-abbrev3"]
    assert ref.fields["booktitle"] == "ACISP 96"  # "ACISP 96" # acispname
    assert ref.fields["month"] == "6"  # acisp96month = jun
    assert ref.fields["publisher"] == "Springer, Berlin, Heidelberg"
    assert ref.fields["address"] == ""
    assert ref.editors == [Person("Pieprzyk", "Josef"), Person("Seberry", "Jennifer")]
    assert refs["uses-abbrev3-utf8"].editors[-1] == Person("Cortier", "Véronique")
