"""BibTeX field text to plain Unicode: LaTeX, names, months and DOIs.

The helpers of :mod:`kg.ingest.bibtex` that look at one value at a time. They take text whose
``@string`` macros and ``#`` concatenations are already resolved (LaTeX and braces still in it)
and give what a reader of the graph should see: ``{\\"U}nderwood`` becomes ``Ünderwood``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc import latexwalker
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import LatexContextDb, MacroSpec

from kg.model import Person

# pylatexenc reads LaTeX a character at a time (about 2 ms for a 400-character value), so
# only values with a macro or math go to it. The rest (most values: plain text, {Protected}
# words, page ranges) need only what these do, and give the same text.
_NEEDS_PARSER = re.compile(r"[\\$]")
_SPECIALS = re.compile(r"---|--|``|''|!`|\?`|~")
_MAY_HAVE_SPECIALS = re.compile(r"[-`'!?~]")  # a character that may start one of _SPECIALS
_SPECIAL_TEXT = {
    "---": "—", "--": "–", "``": "“", "''": "”", "!`": "¡", "?`": "¿", "~": " ",
}  # fmt: skip
# Accents on one letter (\"u, \'{e}, {\`a}), escaped specials (\&, \%) and macros that take no
# argument (\TeX, \Dash, \it) are most of the LaTeX of real bibliographies; read here, a value
# with nothing else needs no parser. Checked equal to pylatexenc's text for every such value of
# cdl.bib and tugboat.bib (bench/RESULTS.md). Not \i or \j (dotless letters) and no space after an
# accent: those go to the parser.
_COMBINING = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307"}
_ACCENT = re.compile(r"(?<!\\)\\(['\"`^~=.])(?:\{([A-Za-z])\}|([A-Za-z]))")
_CONTROL_WORD = re.compile(r"(?<!\\)\\([A-Za-z]+)\s*")
_ESCAPED = re.compile(r"(?<!\\)\\([&%#_ /])")
_ESCAPED_TEXT = {"&": "&", "%": "%", "#": "#", "_": "_", " ": " ", "/": ""}  # \/: italic correction
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_UNESCAPED_BRACE = re.compile(r"(?<!\\)[{}]")
_URL_ESCAPE = re.compile(r"\\([_%&#$])")
# A \kern's dimension is no braced argument, so pylatexenc would print it ("DVIto-.15em VDU");
# TeX eats one space after the unit, so "DVIto\kern-.15em VDU" reads DVItoVDU.
_KERN = re.compile(r"\\kern\s*-?[\d.]+\s*(?:em|ex|pt|mu|bp|mm|cm|in|sp) ?")
# \path|a@b.org| and \verb+x+ take any delimiter, which pylatexenc cannot read; as \url they
# keep their text verbatim (a ~ in an address stays a ~).
_VERBATIM = re.compile(r"\\(?:path|verb)\*?([^\w\s{}])(.*?)\1")

# Macros of BibTeX files that pylatexenc does not know, with the text they stand for. Bare
# logos with a capital letter need no entry: an unknown bare macro prints its own name
# (\TeX -> TeX, \BibTeX -> BibTeX), see _unknown_macro.
_TEXT_MACROS = {
    "LaTeXe": "LaTeX2ε",
    "AmSTeX": "AMS-TeX",
    "AmSLaTeX": "AMS-LaTeX",
    "MF": "Metafont",
    "MP": "MetaPost",
    "PS": "PostScript",
    "TUB": "TUGboat",
    "Dash": "—",
    "slash": "/",
    "S": "§",
    "-": "",  # a hyphenation point, not a character (pylatexenc prints a soft hyphen)
    # biblatex's punctuation and abbreviation commands
    "hyphen": "-",
    "adddot": ".",
    "addcomma": ",",
    "addcolon": ":",
    "addsemicolon": ";",
    "addperiod": ".",
    "addspace": " ",
    "psq": " sq.",
    "psqq": " sqq.",
}
# Sort-key tricks from @preamble (xampl.bib: year = "{\noopsort{1973b}}1973"): print nothing.
_NO_OP_MACROS = ("noopsort", "noop", "sortnoop", "SortNoop")


def _last_mandatory_arg(node, l2tobj) -> str:
    r"""The text of a macro's last ``{...}`` argument: \texttt{x}, \textcolor{red}{x} -> x."""
    argd = node.nodeargd
    if argd is None or not argd.argnlist:
        return ""
    specs = getattr(argd, "argspec", "") or ""
    for spec, arg in reversed(list(zip(specs, argd.argnlist))):
        if spec == "{" and arg is not None:
            return l2tobj.nodelist_to_text([arg])
    return ""


def _unknown_macro(node, l2tobj) -> str:
    # pylatexenc drops unknown macros together with their arguments, which loses
    # \texttt{collection} and \mbox{G-Animal's}. Keep the argument instead; a bare macro
    # with a capital letter is most likely a logo (\TeX, \VAX, \CTAN) and prints its name,
    # while lower-case ones are mostly font switches (\it, \sl, \tt) and print nothing.
    argd = node.nodeargd
    if argd is not None and any(a is not None for a in argd.argnlist or []):
        return _last_mandatory_arg(node, l2tobj)
    name = node.macroname
    return name if any(c.isupper() for c in name) else ""


def _verbatim_arg(node) -> str:
    # \url{http://x.org/~me/a_b}: the argument is not LaTeX, keep it as written.
    args = node.nodeargd.argnlist if node.nodeargd else []
    arg = args[-1] if args else None
    if arg is None:
        return ""
    text = arg.latex_verbatim()
    return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def _quoted(node, l2tobj) -> str:
    return f"“{_last_mandatory_arg(node, l2tobj)}”"


def _cited(node, l2tobj) -> str:
    return f"[{_last_mandatory_arg(node, l2tobj)}]"


def _make_decoder() -> tuple[LatexNodes2Text, LatexContextDb]:
    parse_db = latexwalker.get_default_latex_context_db()
    parse_db.add_context_category(
        "bibtex-files",
        prepend=True,
        macros=[MacroSpec(name, "{") for name in _NO_OP_MACROS]
        + [MacroSpec("enquote", "*{"), MacroSpec("mkbibquote", "{")],
    )
    text_db = get_default_latex_context_db()
    text_db.add_context_category(
        "bibtex-files",
        prepend=True,
        macros=[MacroTextSpec(name, text) for name, text in _TEXT_MACROS.items()]
        + [MacroTextSpec(name, "") for name in _NO_OP_MACROS]
        + [
            MacroTextSpec("url", lambda node: _verbatim_arg(node)),
            MacroTextSpec("enquote", lambda node, l2tobj: _quoted(node, l2tobj)),
            MacroTextSpec("mkbibquote", lambda node, l2tobj: _quoted(node, l2tobj)),
            MacroTextSpec("cite", lambda node, l2tobj: _cited(node, l2tobj)),
        ],
        # A bare & in a title means "and", not a table column (pylatexenc prints spaces).
        specials=[SpecialsTextSpec("&", "&")],
    )
    # pylatexenc passes l2tobj only to a callback whose own argument list names it; the lambdas
    # keep that list whatever wraps the functions (mutmut's trampolines take *args, **kwargs).
    text_db.set_unknown_macro_spec(MacroTextSpec("", lambda node, l2tobj: _unknown_macro(node, l2tobj)))
    return LatexNodes2Text(latex_context=text_db, math_mode="text"), parse_db


_DECODER, _PARSE_DB = _make_decoder()


def collapse(text: str) -> str:
    """Whitespace (newlines, tabs, no-break spaces) to single spaces, ends trimmed."""
    return " ".join(text.split())


@functools.lru_cache(maxsize=65536)  # the same journal, publisher, @string text recur
def latex_to_unicode(text: str) -> str:
    """Decode a field's LaTeX to Unicode text, protective braces gone, whitespace collapsed.

    >>> latex_to_unicode(r"{DNA} {R}ecovery of {\\"U}nderwood \\& {\\AA}sa, pp. 10--19")
    'DNA Recovery of Ünderwood & Åsa, pp. 10–19'
    """
    if "\\" not in text:  # no macro, accent or escape: _KERN and _without_simple_macros change nothing
        if "$" not in text:
            return _plain_text(text)
    else:
        simple = _without_simple_macros(_KERN.sub("", text))
        if not _NEEDS_PARSER.search(simple):
            return _plain_text(simple)
    # In a .bib file a bare % is a percent sign (BibTeX copies it), not a LaTeX comment.
    latex = _VERBATIM.sub(r"\\url{\2}", _KERN.sub("", text))
    latex = _UNESCAPED_PERCENT.sub(r"\\%", latex)
    try:
        decoded = _DECODER.latex_to_text(latex, latex_context=_PARSE_DB)
    except Exception:  # pylatexenc is tolerant; should it still give up, keep the words
        decoded = _UNESCAPED_BRACE.sub("", text)
    return unicodedata.normalize("NFC", collapse(decoded))


def _plain_text(text: str) -> str:
    """Text with no backslash and no $: braces gone, ligatures (--, ``, ~) read, whitespace collapsed, NFC."""
    if "{" in text or "}" in text:
        text = text.replace("{", "").replace("}", "")
    if _MAY_HAVE_SPECIALS.search(text):
        text = _SPECIALS.sub(lambda m: _SPECIAL_TEXT[m.group()], text)
    text = " ".join(text.split())
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _without_simple_macros(text: str) -> str:
    """Accents on one letter, escaped specials and macros that take no argument, read as pylatexenc reads them.

    What is left (a backslash or a $) needs the parser, and then the original text goes to it.
    """
    text = _ACCENT.sub(lambda m: (m.group(2) or m.group(3)) + _COMBINING[m.group(1)], text)
    text = _CONTROL_WORD.sub(_control_word_text, text)
    return _ESCAPED.sub(lambda m: _ESCAPED_TEXT[m.group(1)], text)


def _control_word_text(match: re.Match) -> str:
    # TeX eats the spaces after a control word (\TeX users -> TeXusers, as pylatexenc reads it).
    text = _bare_macro_text(match.group(1))
    return match.group(0) if text is None else text


_UNKNOWN_MACRO = _DECODER.latex_context.get_macro_spec("kgNoSuchMacro")


@functools.cache
def _bare_macro_text(name: str) -> str | None:
    """What pylatexenc prints for a macro that takes no argument, or None when it may take one."""
    if name in ("path", "verb") or _PARSE_DB.get_macro_spec(name) is not None:  # verbatim, or arguments
        return None
    spec = _DECODER.latex_context.get_macro_spec(name)
    if spec is _UNKNOWN_MACRO:  # see _unknown_macro: a logo prints its name, a font switch nothing
        return name if any(c.isupper() for c in name) else ""
    replacement = getattr(spec, "simplify_repl", None)
    plain = isinstance(replacement, str) and not any(c in replacement for c in "%{}\\$")
    return replacement if plain else None


def plain_value(text: str) -> str:
    r"""A value that is not prose (url, doi, file): braces dropped, whitespace collapsed.

    No LaTeX is read, except that \_ \% \& \# \$ lose their backslash: they are written
    so only because LaTeX would choke on the bare character, which is what the URL holds.

    >>> plain_value(r"{https://doi.org/10.1000/{XYZ}\_1}")
    'https://doi.org/10.1000/XYZ_1'
    """
    return collapse(_URL_ESCAPE.sub(r"\1", _UNESCAPED_BRACE.sub("", text)))


_MONTHS = {
    name: str(number)
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def month_number(text: str) -> str:
    """The month as "1".."12" when it is one (``jul``, ``July``, ``Jul.``, ``07``), else the text.

    >>> month_number("Jul."), month_number("10 January")
    ('7', '10 January')
    """
    word = text.strip().rstrip(".").lower()
    if word.isdigit() and 1 <= int(word) <= 12:
        return str(int(word))
    return _MONTHS.get(word, text)


# biblatex's dates (ISO 8601-2 level 1, as Better BibLaTeX writes them): 2006, 2019-03,
# 2019-03-01, a time after T, ~ (circa) or ? (uncertain) or % after a date, and ranges A/B with
# an open end ("2019/" or "2019/..").
_ISO_DATE = re.compile(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.Z+-]*)?[~?%]?")


def iso_date(text: str) -> str | None:
    """One biblatex date as ISO 8601 (year, month and day as given), or None when it is none.

    >>> iso_date("2019-03-01"), iso_date("1998~"), iso_date("2019-03-01T10:00:00"), iso_date("2019-13")
    ('2019-03-01', '1998', '2019-03-01', None)
    """
    match = _ISO_DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        return None
    return "-".join(part for part in (year, month, day) if part)


def date_range(text: str) -> tuple[str, str] | None:
    """A biblatex ``date`` as (start, end): end is "" for one date and ".." for an open range.

    >>> date_range("2006"), date_range("1988/1992-05"), date_range("2019/"), date_range("spring")
    (('2006', ''), ('1988', '1992-05'), ('2019', '..'), None)
    """
    start, slash, end = text.strip().partition("/")
    first = iso_date(start)
    if first is None:
        return None
    if not slash:
        return first, ""
    if end.strip() in ("", ".."):
        return first, ".."
    last = iso_date(end)
    return (first, last) if last else None


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)\s*", re.IGNORECASE)


def bare_doi(text: str) -> str:
    """The DOI without resolver or ``doi:`` prefix.

    >>> bare_doi(" https://doi.org/10.1037/0003-066X.59.1.29 "), bare_doi("DOI:10.1/x")
    ('10.1037/0003-066X.59.1.29', '10.1/x')
    """
    return _DOI_PREFIX.sub("", text.strip()).strip()


def split_names(raw: str) -> tuple[list[Person], bool, list[str]]:
    """Split an author or editor field (LaTeX still in it) into people, as BibTeX does.

    Returns the people, whether the list ended in ``and others``, and a reason for every
    name BibTeX could not split cleanly (it is then split leniently, never dropped).

    >>> people, more, _ = split_names(r"M{\\"u}ller, Hans and {Barnes and Noble} and others")
    >>> [(p.last, p.first) for p in people], more
    ([('Müller', 'Hans'), ('Barnes and Noble', '')], True)
    """
    people, more, reasons = _split_names(raw)
    return list(people), more, list(reasons)  # lists of their own: the cached tuples stay as they are


@functools.lru_cache(maxsize=65536)  # author lists recur (and their parts are immutable)
def _split_names(raw: str) -> tuple[tuple[Person, ...], bool, tuple[str, ...]]:
    people: list[Person] = []
    more = False
    reasons: list[str] = []
    names = _person_names(raw)
    if names and names[-1].strip() == "others":
        more = True
        names = names[:-1]
    for name in names:
        person, reason = _split_name(name)
        if reason:
            reasons.append(reason)
        if person.last or person.first:
            people.append(person)
    return tuple(people), more, tuple(reasons)


def _person_names(raw: str) -> list[str]:
    """bibtexparser's split of a names field at each " and " outside braces (it reads a character at a time)."""
    if "and" not in raw.lower():  # no a/A n/N d/D in a row: nothing to split at
        raw = raw.strip(" \r\n\t")
        return [raw] if raw else []
    return split_multiple_persons_names(raw)


@functools.lru_cache(maxsize=65536)  # people recur across a bibliography (and Person is frozen)
def _split_name(name: str) -> tuple[Person, str]:
    """One name as a person, and why BibTeX could not split it cleanly ("" when it could)."""
    reason = ""
    try:
        parts = parse_single_name_into_parts(name, strict=True)
    except InvalidNameError as error:
        reason = f"name {collapse(name)!r} ({error.reason.lower()})"
        parts = parse_single_name_into_parts(name, strict=False)
    person = Person(
        last=latex_to_unicode(" ".join(parts.last)),
        first=latex_to_unicode(" ".join(parts.first)),
        von=latex_to_unicode(" ".join(parts.von)),
        jr=latex_to_unicode(" ".join(parts.jr)),
    )
    return person, reason
