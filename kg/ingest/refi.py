"""Read REFI-QDA files (``.qdpx`` projects, ``.qdc`` codebooks) into the model, with a loss report.

The mapping (the README's "REFI-QDA" section says it for users):

- each code is a theme of the study: its name the label, its description the definition, its
  nesting ``broader``, its GUID kept in ``Theme.guid``; the id is made from the name
  (``Trust in staff`` -> ``trust-in-staff``, made unique with ``-2``, ``-3`` ...);
- each coded text selection is a quote: the text cut from its source by its start and end
  character positions, its codes the quote's themes, its coders and coding date kept
  (``coded_by``, ``coded_at``), the positions kept as a :class:`~kg.model.TextSelection`; the id
  is the source's name and the start position (``interview-1-120``);
- each case is a participant (the id is its name); a selection belongs to the case that lists it,
  else to the case its source is linked to; the role comes from the case variable named in the
  settings (``role_variable``, default ``role``, any case), whose value is ``user`` or
  ``professional`` or one of the values the settings map to them;
- everything else the file holds (notes, links, sets, graphs, non-text sources, other variables,
  codes never used ...) is named in :attr:`~kg.model.PartialCorpus.losses`, the loss report.

A reader keeps the contract of :mod:`kg.ingest`: it never raises on bad input. A file that cannot
be opened (not a zip, no project XML, not XML, a DTD) is one problem; the faults inside a project
(a selection outside its source, a code reference to an unknown GUID, a source that is not UTF-8)
are each a problem naming the element's GUID, all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from kg.errors import Problem
from kg.files import relative_path
from kg.ingest.refi_files import (
    CODEBOOK_NS,
    PROJECT_NS,
    QdaArchive,
    QdaFileError,
    check_root,
    local_name,
    open_archive,
    read_codebook_file,
)
from kg.ingest.refi_sources import SourceReader
from kg.model import Annotation, Loss, PartialCorpus, Participant, Theme, Use

PROJECT_FILE = "kg.toml"
SETTING_KEYS = ("study", "role_variable", "user", "professional")

#: The loss report's kinds, in the order it lists them.
LOSS_KINDS = (
    "notes and memos",
    "links",
    "sets",
    "graphs",
    "non-text sources (PDF, picture, audio, video)",
    "text sources whose text is not in the file",
    "text sources with no coded selection, whose text is not in the graph",
    "variables other than the role",
    "cases with no role (not participants)",
    "coded selections in a source of no case (no speaker)",
    "text selections with no code",
    "codings of whole sources",
    "codes never used",
)


@dataclass(frozen=True)
class RefiSettings:
    """How to read one REFI-QDA file: the study its quotes are reported in, and where roles are."""

    study: str
    role_variable: str = "role"
    user: tuple[str, ...] = ()  # case variable values that mean "user", beside "user" itself
    professional: tuple[str, ...] = ()

    def role_of(self, value: str) -> str:
        """``user``, ``professional`` or "" for a value of the role variable (any case).

        >>> RefiSettings("k", user=("Patient",)).role_of("patient"), RefiSettings("k").role_of("Nurse")
        ('user', '')
        """
        wanted = value.strip().casefold()
        for role, values in (("user", self.user), ("professional", self.professional)):
            if wanted in {v.strip().casefold() for v in (role, *values)}:
                return role
        return ""


def settings_from(raw: object, file: str) -> tuple[RefiSettings | None, list[Problem]]:
    """The settings of ``file`` from its ``[refi."FILE"]`` table in kg.toml (None: the table was not usable)."""
    table = f'[refi."{file}"]'
    if raw is None:
        return None, [
            Problem(
                file,
                None,
                "is a REFI-QDA file with no settings, so it was not read",
                f'add {table} with study = "BibTeX key" (and role_variable = "Role") to {PROJECT_FILE}',
            )
        ]
    if not isinstance(raw, Mapping):
        return None, [Problem(PROJECT_FILE, None, f"{table} is not a table", f'write {table} then study = "KEY"')]
    problems = [
        Problem(
            PROJECT_FILE, None, f"unknown key '{key}' in {table}", f"the keys allowed are: {', '.join(SETTING_KEYS)}"
        )
        for key in raw
        if key not in SETTING_KEYS
    ]
    study, variable = raw.get("study"), raw.get("role_variable", "role")
    for key, value in (("study", study), ("role_variable", variable)):
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(PROJECT_FILE, None, f"{key} in {table} is {value!r}", f'write {key} = "text"'))
    lists = {}
    for key in ("user", "professional"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(PROJECT_FILE, None, f"{key} in {table} is {value!r}", f'write {key} = ["a", "b"]'))
            value = []
        lists[key] = tuple(value)
    if problems:
        return None, problems
    return RefiSettings(study.strip(), variable.strip(), lists["user"], lists["professional"]), []


def read_refi(paths: list[Path], root: Path, settings: Mapping[str, object] | None = None) -> PartialCorpus:
    """The reader of ``.qdpx`` and ``.qdc`` files; ``settings`` maps each file's path (relative to
    ``root``) to its ``[refi."FILE"]`` table of kg.toml."""
    part = PartialCorpus()
    for path in paths:
        rel = relative_path(path, root)
        options, problems = settings_from((settings or {}).get(rel), rel)
        part.problems += problems
        if options is None:
            part.unreadable = True
            continue
        part.add(read_qda_file(path, options, rel))
    return part


def read_qda_file(path: Path, options: RefiSettings, shown: str | None = None) -> PartialCorpus:
    """One ``.qdc`` codebook, or a ``.qdpx`` project (any other suffix, such as ``.zip``), as one
    annotation of ``options.study`` and its loss report; problems name the file as ``shown``.

    Example::

        part = read_qda_file(Path("interviews.qdpx"), RefiSettings("smith2024", role_variable="Role"))
        part.annotations[0].quotes, part.losses, part.problems
    """
    shown = shown or path.as_posix()
    part = PartialCorpus()
    reader = _ProjectReader(shown, options)
    try:
        if path.suffix.lower() == ".qdc":
            element = read_codebook_file(path)
            check_root(element, "CodeBook", CODEBOOK_NS)
            reader.read_codebook(element)
        else:
            archive, element = open_archive(path)
            check_root(element, "Project", PROJECT_NS)
            reader.read_project(element, archive)
    except QdaFileError as exc:
        part.problems.append(Problem(shown, None, exc.message, exc.hint))
        part.unreadable = True
        return part
    part.annotations.append(reader.annotation)
    part.problems += reader.problems
    part.losses += [Loss(shown, what, tuple(reader.losses[what])) for what in LOSS_KINDS if reader.losses.get(what)]
    return part


def children(element: Element | None, name: str) -> list[Element]:
    """The child elements called ``name`` (in whatever namespace the tool wrote)."""
    return [] if element is None else [child for child in element if local_name(child.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def slug(text: str) -> str:
    """An id made from a name: lower case, words joined by ``-``.

    >>> slug("THEME - Affinity Spaces (Gee)"), slug("Ønske / håp")
    ('theme-affinity-spaces-gee', 'ønske-håp')
    """
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


class _ProjectReader:
    """One project (or codebook): its themes, participants and quotes, its problems and losses."""

    def __init__(self, shown: str, options: RefiSettings):
        self.path, self.options = shown, options
        self.annotation = Annotation(Use(options.study, 0), shown)
        self.problems: list[Problem] = []
        self.losses: dict[str, list[str]] = {}
        self.theme_ids: dict[str, str] = {}  # code GUID -> theme id
        self.ids: set[str] = set()
        self.names: dict[str, str] = {}  # any GUID -> its name, for the loss report

    def error(self, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, None, message, hint))

    def lose(self, what: str, name: str) -> None:
        self.losses.setdefault(what, []).append(name)

    def unique_id(self, text: str, fallback: str) -> str:
        base = slug(text) or slug(fallback) or "x"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    # -- the codebook ----------------------------------------------------------------------------

    def read_codebook(self, codebook: Element | None) -> None:
        for code in children(child(codebook, "Codes"), "Code"):
            self.read_code(code, None)

    def read_code(self, code: Element, broader: str | None) -> None:
        guid, name = code.get("guid", "").strip(), (code.get("name") or "").strip()
        if guid in self.theme_ids:
            self.error(f"code '{name}' ({guid}) has the GUID of another code", "export the project again")
            return
        theme_id = self.unique_id(name, guid)
        self.theme_ids[guid] = theme_id
        self.names[guid] = name or guid
        description = child(code, "Description")
        self.annotation.themes.append(
            Theme(
                self.options.study,
                theme_id,
                name or guid,
                self.path,
                0,
                definition=(description.text or "").strip() if description is not None else "",
                broader=Use(broader, 0) if broader else None,
                guid=guid,
            )
        )
        for inner in children(code, "Code"):
            self.read_code(inner, theme_id)

    # -- a whole project ---------------------------------------------------------------------------

    def read_project(self, project: Element, archive: QdaArchive) -> None:
        users = {u.get("guid", ""): (u.get("name") or u.get("id") or u.get("guid", "")) for u in _all(project, "User")}
        self.read_codebook(child(project, "CodeBook"))
        role_variables = self.read_variables(project)
        sources = SourceReader(self, archive, users)
        cases = self.read_cases(project, role_variables)
        self.ids.clear()  # quote ids are their own namespace
        sources.read_all(child(project, "Sources"), cases)
        self.report_the_rest(project, sources.used_codes)

    def read_variables(self, project: Element) -> set[str]:
        """The GUIDs of the role variable (by name, any case); the other variables are losses."""
        wanted = self.options.role_variable.casefold()
        role = set()
        for variable in children(child(project, "Variables"), "Variable"):
            name = (variable.get("name") or "").strip()
            if name.casefold() == wanted:
                role.add(variable.get("guid", ""))
            else:
                self.lose("variables other than the role", name or variable.get("guid", ""))
        return role

    def read_cases(self, project: Element, role_variables: set[str]) -> dict[str, _Case]:
        """Each case as a participant (when its role is known); source and selection GUID -> case."""
        by_member: dict[str, _Case] = {}
        for element in children(child(project, "Cases"), "Case"):
            guid = element.get("guid", "")
            case = _Case(guid, (element.get("name") or "").strip() or guid, "")
            self.names[guid] = case.name
            values = [_variable_value(v) for v in children(element, "VariableValue") if _ref(v) in role_variables]
            case.value = values[0] if values else ""
            case.role = self.options.role_of(case.value) if case.value else ""
            if case.role:
                self.annotation.participants.append(Participant(self.options.study, case.name, case.role, self.path, 0))
            for ref in children(element, "SelectionRef") + children(element, "SourceRef"):
                by_member.setdefault(ref.get("targetGUID", ""), case)
        return by_member

    def report_the_rest(self, project: Element, used_codes: set[str]) -> None:
        """The loss report's notes, links, sets, graphs and codes never used."""
        for note in children(child(project, "Notes"), "Note"):
            self.lose("notes and memos", note.get("name") or note.get("guid", ""))
        for link in children(child(project, "Links"), "Link"):
            ends = [self.names.get(link.get(end, ""), link.get(end, "?")) for end in ("originGUID", "targetGUID")]
            self.lose("links", link.get("name") or f"{ends[0]} -> {ends[1]}")
        for kind, what in (("Sets", "sets"), ("Graphs", "graphs")):
            for element in children(child(project, kind), kind[:-1]):
                self.lose(what, element.get("name") or element.get("guid", ""))
        for theme in self.annotation.themes:
            if theme.guid not in used_codes:
                self.lose("codes never used", theme.label)


@dataclass
class _Case:
    guid: str
    name: str
    value: str  # the role variable's value, as written
    role: str = ""
    speaks: bool = False
    reported: bool = False  # its unknown role was reported once


def _all(element: Element, name: str) -> list[Element]:
    return [e for e in element.iter() if local_name(e.tag) == name]


def _ref(value_element: Element) -> str:
    ref = child(value_element, "VariableRef")
    return ref.get("targetGUID", "") if ref is not None else ""


def _variable_value(value_element: Element) -> str:
    for element in value_element:
        if local_name(element.tag).endswith("Value"):
            return (element.text or "").strip()
    return ""
