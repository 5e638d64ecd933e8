"""The model: plain dataclasses between the readers and the graph.

Every object keeps where it came from (``path``, relative to the project, and ``line``, 1-based),
so a later check can point at the exact spot. Readers fill these; :mod:`kg.check` judges them;
:mod:`kg.graph` turns a checked :class:`Corpus` into RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("user", "professional")
ACTION_KINDS = ("gesture", "words", "deed")
#: How the paper attributes a quote to its speaker: the speaker's id printed after the quote
#: (``marked``), the prose around it naming the speaker (``from-text``), or neither for sure
#: (``uncertain``).
ATTRIBUTIONS = ("marked", "from-text", "uncertain")


@dataclass(frozen=True)
class Use:
    """An id as written where it is used (a theme in a quote, a key in a citation), with its line."""

    value: str
    line: int


@dataclass(frozen=True)
class Person:
    """One author or editor, split as BibTeX splits names.

    A corporate author written in braces (``{American Psychiatric Association}``) has only ``last``.
    """

    last: str
    first: str = ""
    von: str = ""
    jr: str = ""

    @property
    def family(self) -> str:
        return f"{self.von} {self.last}".strip()

    @property
    def name(self) -> str:
        """The name as people write it: ``Alain Topor``, ``Ninive von Greiff``."""
        parts = [self.first, self.von, self.last]
        name = " ".join(p for p in parts if p)
        return f"{name}, {self.jr}" if self.jr else name


def joined_title(title: str, subtitle: str = "", addon: str = "") -> str:
    """A title as biblatex prints it and Pandoc reads it: "Title: Subtitle. Addon".

    After a part that ends in punctuation, the next follows with a space only.

    >>> joined_title("Abuse or reuse?", "Public space"), joined_title("", "", "Addon")
    ('Abuse or reuse? Public space', 'Addon')
    """
    text = ""
    for separator, part in ((":", title), (":", subtitle), (".", addon)):
        if not part:
            continue
        if not text:
            text = part
        elif text[-1] in "!?.,:;":
            text = f"{text} {part}"
        else:
            text = f"{text}{separator} {part}"
    return text


@dataclass
class Reference:
    """One BibTeX entry, decoded: LaTeX turned to Unicode, braces gone, names split, DOI bare.

    biblatex's fields are read beside BibTeX's: ``date`` for ``year``/``month``, ``subtitle`` and
    ``titleaddon`` joined to the title, ``journaltitle`` for ``journal``, ``location`` for ``address``.
    """

    key: str
    entry_type: str  # lower case: article, book, incollection, ...
    fields: dict[str, str]  # lower-case field name -> decoded text (all fields, for later use)
    path: str
    line: int
    authors: list[Person] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    more_authors: bool = False  # the author list ended in "and others"
    translators: list[Person] = field(default_factory=list)
    issued: str = ""  # ISO 8601 (2019, 2019-03, 2019-03-01), from date or year, month and day
    issued_end: str = ""  # the end of a date range (date = {1988/1992}); ".." when open
    parent: str = ""  # the key of the crossref parent, when it is an entry

    def first(self, *names: str) -> str:
        """The first of these fields that is given (not empty): ``first("location", "address")``."""
        return next((self.fields[n] for n in names if self.fields.get(n)), "")

    @property
    def title(self) -> str:
        if self.entry_type == "periodical" and self.first("issuetitle"):  # one issue of a journal
            return joined_title(self.fields["issuetitle"], self.first("issuesubtitle"), self.first("issuetitleaddon"))
        return joined_title(self.fields.get("title", ""), self.first("subtitle"), self.first("titleaddon"))

    @property
    def booktitle(self) -> str:
        return joined_title(self.first("booktitle"), self.first("booksubtitle"), self.first("booktitleaddon"))

    @property
    def maintitle(self) -> str:
        return joined_title(self.first("maintitle"), self.first("mainsubtitle"), self.first("maintitleaddon"))

    @property
    def journal(self) -> str:
        if self.entry_type == "periodical" and self.first("issuetitle"):
            return joined_title(self.fields.get("title", ""), self.first("subtitle"))
        return joined_title(self.first("journaltitle", "journal"), self.first("journalsubtitle"))

    @property
    def year(self) -> str:
        if self.issued:
            return self.issued[:5] if self.issued.startswith("-") else self.issued[:4]
        return self.fields.get("year", "")

    @property
    def doi(self) -> str:
        return self.fields.get("doi", "")


@dataclass
class Participant:
    study: str
    id: str
    role: str
    path: str
    line: int


@dataclass
class Theme:
    study: str
    id: str
    label: str
    path: str
    line: int
    definition: str = ""
    broader: Use | None = None
    matches: list[Use] = field(default_factory=list)  # "STUDY/ID" of a theme or concept
    guid: str = ""  # the code's GUID in a QDA tool (REFI-QDA), kept so that a codebook export keeps it


@dataclass
class Concept:
    """A concept the paper names (from the literature, or its analytic name for what it found)
    that is not a theme of its analysis: quotes and passages can be about it all the same."""

    study: str
    id: str
    label: str
    path: str
    line: int
    definition: str = ""
    matches: list[Use] = field(default_factory=list)  # "STUDY/ID" of a theme or concept


@dataclass
class Factor:
    id: str
    label: str
    path: str
    line: int
    definition: str = ""


@dataclass
class Action:
    id: str
    label: str
    path: str
    line: int
    kind: str = ""
    by: str = ""
    supports: list[Use] = field(default_factory=list)


@dataclass(frozen=True)
class TextSelection:
    """Where a quote was cut from in a QDA project: its source document (by name) and the
    character positions in the source's plain text (``start`` inclusive, ``end`` exclusive)."""

    source: str
    start: int
    end: int


@dataclass
class Quote:
    study: str
    id: str
    text: str
    path: str
    line: int
    speaker: Use | None = None  # a participant id of the study
    role: str = ""  # with no speaker: an unidentified participant of this role
    themes: list[Use] = field(default_factory=list)
    actions: list[Use] = field(default_factory=list)
    factors: list[Use] = field(default_factory=list)
    concepts: list[Use] = field(default_factory=list)
    page: str = ""
    prompt: str = ""  # the interviewer's question the quote answers, never part of `text`
    attribution: str = ""  # one of ATTRIBUTIONS, or "" when not said
    selection: TextSelection | None = None  # where a QDA project's coding cut it from
    coded_by: list[str] = field(default_factory=list)  # the coders (QDA users), as named there
    coded_at: str = ""  # when it was coded (ISO 8601 date and time), as the QDA project says


@dataclass(frozen=True)
class Intent:
    """How a passage uses one work it cites: a CiTO term (``agreesWith``) for a cited key."""

    key: Use
    term: Use


@dataclass
class Citation:
    """A passage of a study that cites other studies, about one or more themes."""

    study: str
    id: str
    text: str
    path: str
    line: int
    cites: list[Use] = field(default_factory=list)
    themes: list[Use] = field(default_factory=list)
    concepts: list[Use] = field(default_factory=list)
    page: str = ""
    intents: list[Intent] = field(default_factory=list)  # a cited key not listed is plain cito:cites


@dataclass
class Annotation:
    """One annotation file: the quotes, codebook and citing passages of one study."""

    study: Use
    path: str
    participants: list[Participant] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def code_kinds(self) -> dict[str, str]:
        """What ``matches: [STUDY/ID]`` may name in this study: theme and concept ids -> "theme" or
        "concept" (:mod:`kg.check` makes sure no id is both)."""
        kinds = {c.id: "concept" for c in self.concepts if c.id}
        kinds.update({t.id: "theme" for t in self.themes if t.id})
        return kinds


@dataclass
class Corpus:
    """Everything a project holds, read and (once :func:`kg.check.check_corpus` passed) consistent."""

    references: dict[str, Reference] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    factors: dict[str, Factor] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # every input file, relative to the project
    # What could not be read, so that uses of it are not reported again: keys of unparsable
    # entries, and whether a whole reference file was unreadable (then no key is judged unknown).
    unread_keys: set[str] = field(default_factory=set)
    references_unreadable: bool = False

    def knows_key(self, key: str) -> bool:
        """Whether ``key`` is a reference, or may be one in what could not be read."""
        return key in self.references or key in self.unread_keys or self.references_unreadable


@dataclass(frozen=True)
class Loss:
    """What an input file holds that the graph does not: one kind of thing, each named.

    A REFI-QDA project's notes, links, sets, graphs, non-text sources ... (its loss report).
    """

    path: str  # the file, relative to the project
    what: str  # the kind, plural: "notes and memos", "links"
    names: tuple[str, ...]


@dataclass
class PartialCorpus:
    """What one reader made of its files: the contract every reader (YAML, BibTeX, ...) keeps.

    Lists, not dicts: ids declared twice must reach :mod:`kg.check` to be reported. ``unreadable``
    says a file could not be read at all, so what it declared is unknown (no knock-on errors).
    """

    references: list[Reference] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    factors: list[Factor] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    # Quotes read apart from their study's annotation file (the rows of a CSV): kg.check joins
    # each to the annotation of its study, where the checks judge them with the file's own.
    quotes: list[Quote] = field(default_factory=list)
    problems: list = field(default_factory=list)  # kg.errors.Problem
    unreadable: bool = False
    unread_keys: set[str] = field(default_factory=set)  # entries that could not be parsed
    references_unreadable: bool = False  # a whole reference file could not be read
    losses: list[Loss] = field(default_factory=list)  # what the files hold that the graph will not

    def add(self, other: PartialCorpus) -> None:
        """Take in another reader's part."""
        self.references += other.references
        self.annotations += other.annotations
        self.factors += other.factors
        self.actions += other.actions
        self.quotes += other.quotes
        self.problems += other.problems
        self.unreadable = self.unreadable or other.unreadable
        self.unread_keys |= other.unread_keys
        self.references_unreadable = self.references_unreadable or other.references_unreadable
        self.losses += other.losses
