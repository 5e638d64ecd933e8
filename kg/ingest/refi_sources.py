"""The sources of a REFI-QDA project: each coded text selection becomes a quote.

The text is cut from the source's plain text (in the ``.qdpx``'s ``Sources/`` or ``sources/``
folder, named by ``internal://NAME``, or inline as ``PlainTextContent``) by the selection's start
and end character positions; white space around it is left out and the positions moved to match,
so that ``text == source[start:end]`` always holds. Faults are problems naming the GUID.
"""

from __future__ import annotations

from datetime import datetime
from xml.etree.ElementTree import Element

from kg.ingest.refi_files import QdaArchive, QdaFileError, decode_source, local_name
from kg.model import Quote, TextSelection, Use

NON_TEXT_SOURCES = {"PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}
INTERNAL = "internal://"


class SourceReader:
    """Reads the project's sources into quotes of the project reader's annotation."""

    def __init__(self, project, archive: QdaArchive, users: dict[str, str]):
        self.project, self.archive, self.users = project, archive, users
        self.used_codes: set[str] = set()
        self.texts: dict[str, str | None] = {}  # source GUID -> its plain text (None: unreadable)

    def read_all(self, sources: Element | None, cases: dict) -> None:
        for source in [] if sources is None else list(sources):
            kind = local_name(source.tag)
            name = (source.get("name") or "").strip() or source.get("guid", "")
            self.project.names[source.get("guid", "")] = name
            if kind in NON_TEXT_SOURCES:
                self.project.lose("non-text sources (PDF, picture, audio, video)", f"{name} ({NON_TEXT_SOURCES[kind]})")
            elif kind == "TextSource":
                self.read_text_source(source, name, cases)
        for case in {id(c): c for c in cases.values()}.values():
            if not case.role and not case.speaks:
                self.project.lose("cases with no role (not participants)", case.name)

    def read_text_source(self, source: Element, name: str, cases: dict) -> None:
        guid = source.get("guid", "")
        for coding in _children(source, "Coding"):
            code = self.project.names.get(_code_ref(coding), _code_ref(coding))
            self.project.lose("codings of whole sources", f"{name}: {code}")
        selections = _children(source, "PlainTextSelection")
        path = source.get("plainTextPath") or ""
        if path and not path.startswith(INTERNAL) and not _children(source, "PlainTextContent"):
            self.project.lose("text sources whose text is not in the file", f"{name} ({path})")
            return
        if not any(_children(selection, "Coding") for selection in selections):
            self.project.lose("text sources with no coded selection, whose text is not in the graph", name)
        for selection in selections:
            sel_guid = selection.get("guid", "")
            self.project.names[sel_guid] = selection.get("name") or f"{name} {selection.get('startPosition')}"
            codings = _children(selection, "Coding")
            if not codings:
                self.project.lose("text selections with no code", self.project.names[sel_guid])
                continue
            case = cases.get(sel_guid) or cases.get(guid)
            if case is None:
                self.project.lose("coded selections in a source of no case (no speaker)", self.project.names[sel_guid])
                continue
            self.read_selection(source, name, selection, codings, case)

    def read_selection(self, source: Element, name: str, selection: Element, codings: list, case) -> None:
        """One coded selection as a quote of the case's participant."""
        guid = selection.get("guid", "")
        positions = _positions(selection)
        if positions is None:
            self.project.error(
                f"selection {guid} in source '{name}' has start/end positions "
                f"'{selection.get('startPosition')}'/'{selection.get('endPosition')}', not whole numbers",
                "export the project again from the QDA tool",
            )
            return
        text = self.text_of(source, name)
        if text is None:
            return
        start, end = positions
        if not 0 <= start <= end <= len(text):
            self.project.error(
                f"selection {guid} runs outside its source '{name}': characters {start}-{end} "
                f"of a text of {len(text)} characters",
                "export the project again; the source may have been edited after coding",
            )
            return
        themes = self.codes_of(codings, guid)
        if themes is None or not self.has_role(case, guid):
            return
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end -= len(text[start:end]) - len(text[start:end].rstrip())
        if start >= end:
            self.project.lose("text selections with no code", f"{self.project.names[guid]} (only white space)")
            return
        self.add_quote(name, text, start, end, themes, codings, selection, case)

    def add_quote(self, name, text, start, end, themes, codings, selection, case) -> None:
        users = [c.get("creatingUser", "") for c in codings if c.get("creatingUser")]
        users = users or ([selection.get("creatingUser")] if selection.get("creatingUser") else [])
        dates = sorted(d for c in codings if (d := _datetime(c.get("creationDateTime"))))
        dates = dates or [d for d in [_datetime(selection.get("creationDateTime"))] if d]
        project = self.project
        project.annotation.quotes.append(
            Quote(
                project.options.study,
                project.unique_id(f"{name}-{start}", selection.get("guid", "")),
                text[start:end],
                project.path,
                0,
                speaker=Use(case.name, 0),
                themes=[Use(t, 0) for t in dict.fromkeys(themes)],
                selection=TextSelection(name, start, end),
                coded_by=list(dict.fromkeys(self.users.get(u, u) for u in users)),
                coded_at=dates[0] if dates else "",
            )
        )

    def has_role(self, case, selection_guid: str) -> bool:
        case.speaks = True
        if case.role:
            return True
        if not case.reported:
            case.reported = True
            options = self.project.options
            found = f"'{case.value}' as its {options.role_variable}" if case.value else f"no {options.role_variable}"
            self.project.error(
                f"case '{case.name}' ({case.guid}) speaks in selection {selection_guid} but has {found}, "
                "so its role is unknown",
                "give it the value user or professional in the QDA tool, or map its value with --user/--professional "
                f"(kg.toml: user = [...], professional = [...]); --role-variable names the variable (now "
                f"'{options.role_variable}')",
            )
        return False

    def codes_of(self, codings: list[Element], selection_guid: str) -> list[str] | None:
        """The theme ids of a selection's codings; None (and a problem each) for unknown GUIDs."""
        themes, ok = [], True
        for coding in codings:
            target = _code_ref(coding)
            if target not in self.project.theme_ids:
                self.project.error(
                    f"coding {coding.get('guid', '?')} of selection {selection_guid} refers to code '{target}', "
                    "which is not in the codebook",
                    "export the project again from the QDA tool",
                )
                ok = False
                continue
            self.used_codes.add(target)
            themes.append(self.project.theme_ids[target])
        return themes if ok else None

    def text_of(self, source: Element, name: str) -> str | None:
        """The source's plain text, read once (None, and one problem, when it cannot be read)."""
        guid = source.get("guid", "")
        if guid not in self.texts:
            try:
                self.texts[guid] = self._read_text(source, name)
            except QdaFileError as exc:
                self.project.error(exc.message, exc.hint)
                self.texts[guid] = None
        return self.texts[guid]

    def _read_text(self, source: Element, name: str) -> str:
        inline = _children(source, "PlainTextContent")
        if inline:
            return inline[0].text or ""
        path = source.get("plainTextPath") or ""
        internal = path[len(INTERNAL) :]
        what = f"source '{name}' ({source.get('guid', '')})"
        if not internal or "/" in internal or "\\" in internal or internal in (".", ".."):
            raise QdaFileError(f"{what} has the text path '{path}'", "give it an internal://NAME.txt path")
        member = self.archive.source_member(internal)
        if member is None:
            raise QdaFileError(
                f"{what} names '{path}', which is not in the file's Sources/ folder",
                "export the project again with its sources",
            )
        return decode_source(self.archive.read(member), f"{what}, {member.filename},")


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if local_name(c.tag) == name]


def _code_ref(coding: Element) -> str:
    refs = _children(coding, "CodeRef")
    return refs[0].get("targetGUID", "") if refs else ""


def _positions(selection: Element) -> tuple[int, int] | None:
    try:
        return int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    except ValueError:
        return None


def _datetime(value: str | None) -> str:
    """An xsd:dateTime as written, or "" when it is none."""
    if not value:
        return ""
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        return ""
    return value.strip()
