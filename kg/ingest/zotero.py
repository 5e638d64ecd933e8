"""What the readers of Zotero's exports (RIS, CSL-JSON) share: cite keys, names, notes, checks.

A work read from RIS or CSL-JSON becomes the same :class:`~kg.model.Reference` a BibTeX entry
would: BibTeX's entry type and field names, people split into family and given names, the date
as ISO 8601. A record with no key of its own gets one by the rule of :func:`generated_key`,
made unique by :class:`KeyMaker`.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from kg.errors import WARNING, Problem
from kg.model import Person, Reference

#: Letters that Unicode does not decompose into an ASCII letter and a mark.
_FOLDS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d"}
    | {"Đ": "D", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"}
)
#: Title words a cite key skips: English articles, conjunctions and short prepositions.
SKIPPED_TITLE_WORDS = frozenset("a an the and or of on in at to for by with from".split())


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: accents dropped, ø → o, æ → ae, ß → ss.

    >>> ascii_fold("Bøe-Ærø"), ascii_fold("Müller"), ascii_fold("Straße 2")
    ('boeaero', 'muller', 'strasse2')
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDS))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode("ascii").lower())


def generated_key(ref: Reference) -> str:
    """The cite key of a record that gives none: the first author's family name (else the first
    editor's, else ``anon``), the year (else ``nd``), the first word of the title that is not in
    :data:`SKIPPED_TITLE_WORDS`; ASCII-folded, lower case.

    >>> ref = Reference("", "article", {"title": "The Rise in U.S. Wage Inequality"}, "a.ris", 1,
    ...                 [Person("von Greiff", "Ninive")], issued="2011-08")
    >>> generated_key(ref)
    'vongreiff2011rise'
    >>> generated_key(Reference("", "misc", {}, "a.ris", 1))
    'anonnd'
    """
    people = ref.authors or ref.editors
    family = ascii_fold(people[0].family) if people else ""
    words = [ascii_fold(word) for word in ref.fields.get("title", "").split()]
    title_word = next((w for w in words if w and w not in SKIPPED_TITLE_WORDS), "")
    return f"{family or 'anon'}{ref.year or 'nd'}{title_word}"


class KeyMaker:
    """Unique generated keys: the first record keeps the rule's key, the next ones of the same
    key get ``a``, ``b``, ... ``z``, ``aa`` ...; keys the records give themselves are never made.

    >>> keys = KeyMaker({"smith2020b"})
    >>> [keys.unique("smith2020") for _ in range(4)]
    ['smith2020', 'smith2020a', 'smith2020c', 'smith2020d']
    """

    def __init__(self, taken: set[str]):
        self.taken = {key.lower() for key in taken}

    def unique(self, key: str) -> str:
        candidate, count = key, 0
        while candidate.lower() in self.taken:
            count += 1
            candidate = key + _letters(count)
        self.taken.add(candidate.lower())
        return candidate


def _letters(number: int) -> str:
    """1 → a, 26 → z, 27 → aa, as spreadsheet columns count."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def person(name: str) -> Person | None:
    """A name written "Family, Given[, Suffix]" (RIS); one without a comma is an organisation's.
    Lower-case words that begin a family name are its particle, as BibTeX splits them.

    >>> person("van der Berg, Anna")
    Person(last='Berg', first='Anna', von='van der', jr='')
    >>> person("World Health Organization")
    Person(last='World Health Organization', first='', von='', jr='')
    """
    parts = [part.strip() for part in name.split(",")]
    if not parts[0]:
        return None
    if len(parts) == 1:
        return Person(parts[0])
    von, last = split_particle(parts[0])
    return Person(last, parts[1], von, ", ".join(p for p in parts[2:] if p))


def split_particle(family: str) -> tuple[str, str]:
    """("van der", "Berg") from "van der Berg": the lower-case words before the last name."""
    words = family.split()
    count = 0
    while count < len(words) - 1 and words[count][:1].islower():
        count += 1
    return " ".join(words[:count]), " ".join(words[count:])


def page_range(pages: str) -> str:
    """Pages with an en dash between numbers, as BibTeX's ``--`` reads.

    >>> page_range("513-537"), page_range("e12"), page_range("S1--S9")
    ('513–537', 'e12', 'S1–S9')
    """
    return re.sub(r"(?<=\w)\s*-{1,2}\s*(?=\w)", "–", pages.strip())


class _Text(HTMLParser):
    """The text of an HTML fragment: block elements and <br> end lines, character references read."""

    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """A note as Zotero writes it (HTML) as plain text: tags gone, entities read, one line per block.

    >>> html_to_text("<p>Child</p>"), html_to_text("<div><p>A &amp; B</p><p>C<br/>D  E</p></div>")
    ('Child', 'A & B\\nC\\nD E')
    """
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def missing_fields(ref: Reference, title_hint: str, year_hint: str) -> list[Problem]:
    """Warnings for a work with no title or no year (a style cites it as "n.d."), as for BibTeX."""
    problems = []
    if not ref.title:
        problems.append(Problem(ref.path, ref.line, f"entry '{ref.key}' has no title", title_hint, WARNING))
    if not ref.year:
        problems.append(
            Problem(
                ref.path,
                ref.line,
                f"entry '{ref.key}' has no year",
                f"{year_hint}; until then it is cited as n.d.",
                WARNING,
            )
        )
    return problems
