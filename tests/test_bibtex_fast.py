"""kg.ingest.bibtex and kg.ingest.latex: the fast paths give what the long way gives.

Reading BibTeX takes short cuts for the common values (one braced text, text with no LaTeX, a name
with no "and") and caches pure functions of a value. Each short cut is checked here against the
long way it replaces: exhaustively on short strings of the characters that matter, and on the
cases where a cache could carry one entry's or one load's answer into another.
"""

from __future__ import annotations

import gc
import itertools
import random
import re
import unicodedata
from pathlib import Path

import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names

from kg.ingest import latex
from kg.ingest.bibtex import _one_text, _pieces, load_bibtex
from kg.ingest.latex import _person_names, latex_to_unicode, plain_value, split_names
from kg.model import Person


def strings(alphabet: str, longest: int):
    for length in range(longest + 1):
        for chars in itertools.product(alphabet, repeat=length):
            yield "".join(chars)


# --- one text: _one_text against _pieces ----------------------------------------------------


def test_one_text_is_what_pieces_reads_for_every_short_value():
    # Every string of up to 5 of these: braces, quotes, backslashes (escapes), # joins, spaces.
    taken = 0
    for raw in strings('{}"\\# a1', 5):
        try:
            pieces = _pieces.__wrapped__(raw)  # the long way, uncached
        except ValueError:
            pieces = None
        fast = _one_text(raw)
        if fast is not None:
            taken += 1
            assert pieces == (("text", fast),), raw
        elif pieces is not None and len(pieces) == 1 and raw[:1] + raw[-1:] in ("{}", '""'):
            # Left to the long way although it is one text: only for a quote inside quotes.
            assert raw[0] == '"' and '"' in raw[1:-1], raw
    assert taken > 300  # the short cut is taken, not only declined


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("{A {DNA} story}", "A {DNA} story"),
        ("{}", ""),
        ('""', ""),
        ('"10~jan"', "10~jan"),
        ('{Na{\\"\\i}ve}', 'Na{\\"\\i}ve'),
        ("{\\{}", "\\{"),  # an escaped brace opens nothing
        ("{\\{}}", None),  # ... nor does it close: one } too many
        ("{a\\}", None),  # the closing brace is escaped
        ("{a}}", None),
        ("{a} # {b}", None),
        ("{a}{b}", None),  # a } at depth 0 before the end
        ('"a"b"', None),
        ('"a {"} b"', None),  # one text, but a quote inside quotes goes the long way
        ("jan", None),  # a macro: the reader's @strings decide
        ("1986", "1986"),
        (" {a}", None),
        ("", None),
        ('"', None),
    ],
)
def test_one_text_examples(raw, text):
    assert _one_text(raw) == text


# --- LaTeX-free text: latex_to_unicode against its code before the short cut ----------------


def decoded_the_long_way(text: str) -> str:
    """latex_to_unicode as it was before its short cut for text with no backslash, for such text."""
    simple = latex._without_simple_macros(latex._KERN.sub("", text))
    if not latex._NEEDS_PARSER.search(simple):
        text = simple
    if not latex._NEEDS_PARSER.search(text):
        text = latex._SPECIALS.sub(lambda m: latex._SPECIAL_TEXT[m.group()], latex._UNESCAPED_BRACE.sub("", text))
        return unicodedata.normalize("NFC", latex.collapse(text))
    return latex.latex_to_unicode.__wrapped__(text)


def test_text_without_latex_decodes_as_the_long_way_for_every_short_value():
    # Braces, the ligatures' characters (-- ``, '', !`, ?`, ~), spaces, a decomposed ü.
    for text in strings("{}-`'!?~ au\u0308", 4):
        assert latex_to_unicode.__wrapped__(text) == decoded_the_long_way(text), repr(text)


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("10~jan", "10 jan"),
        ("pp. 10--19", "pp. 10–19"),
        ("-{}-", "–"),  # the braces go first: TeX's ligature is made by what is left
        ("``{Quoted}''", "“Quoted”"),
        ("Mu\u0308ller", "Müller"),  # composed (NFC) although no LaTeX was read
        ("  {A}  {B}\n", "A B"),
        ("a $x$ b", "a x b"),  # math, no backslash: the parser still reads it
        ("{\\TeX} and \\LaTeX{}", "TeX and LaTeX"),
        ('{\\"U}ber', "Über"),
    ],
)
def test_latex_to_unicode_examples(text, decoded):
    assert latex_to_unicode.__wrapped__(text) == decoded
    assert latex_to_unicode(text) == decoded


def test_plain_value_without_backslash_keeps_what_the_long_way_keeps():
    for text in strings("{}\\_% a", 5):
        long_way = latex.collapse(latex._URL_ESCAPE.sub(r"\1", latex._UNESCAPED_BRACE.sub("", text)))
        assert plain_value(text) == long_way, repr(text)


# --- names: the split at " and " --------------------------------------------------------------


def test_names_without_and_are_split_as_bibtexparser_splits_them():
    rng = random.Random(12)
    alphabet = ["a", "n", "d", "A", "N", "D", " ", "{", "}", "\\", ",", "x", "\t", "and", " and "]
    values = list(strings("aNd {}\\", 5))
    values += ["".join(rng.choices(alphabet, k=rng.randint(0, 12))) for _ in range(5000)]
    values += ["Anderson, Sandra", "Alexander {and} Friends", "Smith AND Jones", 'D{\\"a}nd']
    for raw in values:
        assert _person_names(raw) == split_multiple_persons_names(raw), repr(raw)


def test_names_with_von_and_jr_parts():
    people, more, reasons = split_names("von Neumann, Jr., John and Anderson, Sandra and de la Fontaine, Jean")
    assert people == [
        Person(last="Neumann", first="John", von="von", jr="Jr."),
        Person(last="Anderson", first="Sandra"),
        Person(last="Fontaine", first="Jean", von="de la"),
    ]
    assert (more, reasons) == (False, [])


def test_split_names_gives_lists_of_its_own_each_time():
    first, _, reasons = split_names("Topor, Alain and Smith, Ann, Jr, Extra")
    first.append(Person(last="Intruder"))
    reasons.append("intruder")
    again, _, reasons_again = split_names("Topor, Alain and Smith, Ann, Jr, Extra")
    assert again == [Person(last="Topor", first="Alain"), Person(last="Smith", first="Jr Extra", jr="Ann")]
    assert len(reasons_again) == 1 and "intruder" not in reasons_again


# --- caches across entries, fields and loads ------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_macro_use_means_what_the_macros_of_its_place_say(tmp_path: Path):
    path = write(
        tmp_path,
        "refs.bib",
        "@article{a, title = {A}, year = 2001, month = jan, note = jan # { 1}}\n"
        '@string{jan = {J{\\"a}nner}}\n'
        "@article{b, title = {B}, year = 2001, month = jan, note = jan # { 1}}\n",
    )
    refs, problems = load_bibtex([path], tmp_path)
    assert (refs["a"].fields["month"], refs["a"].fields["note"]) == ("1", "January 1")
    assert (refs["b"].fields["month"], refs["b"].fields["note"]) == ("Jänner", "Jänner 1")
    assert problems == []


def test_the_same_macro_in_two_loads_means_what_each_load_defines(tmp_path: Path):
    one = write(tmp_path, "one.bib", "@string{j = {Journal One}}\n@article{a, title = {A}, journal = j, year = 2001}\n")
    two = write(tmp_path, "two.bib", "@string{j = {Journal Two}}\n@article{a, title = {A}, journal = j, year = 2001}\n")
    undefined = write(tmp_path, "three.bib", "@article{a, title = {A}, journal = j, year = 2001}\n")
    assert load_bibtex([one], tmp_path)[0]["a"].fields["journal"] == "Journal One"
    assert load_bibtex([two], tmp_path)[0]["a"].fields["journal"] == "Journal Two"
    refs, problems = load_bibtex([undefined], tmp_path)
    assert refs["a"].fields["journal"] == "j"
    assert [p.message for p in problems] == [
        "entry 'a': field 'journal' uses the undefined @string 'j' (kept as the text 'j')"
    ]


def test_the_same_value_in_two_kinds_of_field_is_read_as_each_kind(tmp_path: Path):
    value = "{https://x.org/10--20\\_{A}~b}"
    path = write(
        tmp_path,
        "refs.bib",
        f"@misc{{a, title = {value}, url = {value}, note = {value}, year = 2001}}\n"
        f"@misc{{b, Title = {value}, URL = {value}, year = 2001, author = {{Smith, Ann}}, editor = {{Smith, Ann}}}}\n",
    )
    refs, problems = load_bibtex([path], tmp_path)
    for key in "ab":
        assert refs[key].fields["title"] == "https://x.org/10–20_A b"
        assert refs[key].fields["url"] == "https://x.org/10--20_A~b"
    assert refs["a"].fields["note"] == refs["a"].fields["title"]
    b = refs["b"]
    assert b.authors == b.editors == [Person(last="Smith", first="Ann")]
    b.authors.append(Person(last="Intruder"))
    assert b.editors == [Person(last="Smith", first="Ann")]  # a list of its own each
    assert problems == []


def test_the_same_doi_warns_for_each_entry_that_has_it(tmp_path: Path):
    path = write(
        tmp_path,
        "refs.bib",
        "@misc{a, title = {A}, doi = {doi:11.1/x}, year = 2001}\n"
        "@misc{b, title = {B}, doi = {doi:11.1/x}, year = 2001}\n",
    )
    _, problems = load_bibtex([path], tmp_path)
    assert [p.message for p in problems] == [
        "entry 'a': doi '11.1/x' does not start with '10.'",
        "entry 'b': doi '11.1/x' does not start with '10.'",
    ]


def test_a_name_bibtex_cannot_split_warns_for_each_entry_that_has_it(tmp_path: Path):
    path = write(
        tmp_path,
        "refs.bib",
        "@misc{a, title = {A}, author = {Smith, Ann, Jr, Extra}, year = 2001}\n"
        "@misc{b, title = {B}, author = {Smith, Ann, Jr, Extra}, year = 2001}\n",
    )
    _, problems = load_bibtex([path], tmp_path)
    assert [re.sub(r"'\w'", "'?'", p.message) for p in problems] == [
        "entry '?': cannot split the author name 'Smith, Ann, Jr, Extra' (too many commas), so it was read leniently"
    ] * 2


@pytest.mark.parametrize("enabled", [True, False])
def test_a_load_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path, enabled: bool):
    path = write(
        tmp_path, "refs.bib", "@misc{a, title = {$x$ \\emph{A}}, year = 2001}\n@misc{b, title = , year = 2001}\n"
    )
    was, thresholds = gc.isenabled(), gc.get_threshold()
    try:
        gc.enable() if enabled else gc.disable()
        refs, problems = load_bibtex([path], tmp_path)
        assert gc.isenabled() is enabled and gc.get_threshold() == thresholds
    finally:
        gc.enable() if was else gc.disable()
    assert refs["a"].fields["title"] == "x A"
    assert [p.message for p in problems] == ["entry 'b': field 'title': cannot read the value: there is no value"]
