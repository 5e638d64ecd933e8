"""Open REFI-QDA files as hostile input: a ``.qdpx`` zip or a ``.qdc`` codebook, never trusted.

- XML is parsed with defusedxml: no DTD, no entities, no external references (no billion laughs,
  no XXE).
- Zip members are read from the archive, looked up in an index of its names; nothing is ever
  extracted to disk, so a member named ``../../etc/passwd`` cannot reach outside (no path
  traversal).
- Every read is capped (:data:`MEMBER_LIMIT` per member, :data:`TOTAL_LIMIT` in all), counted
  on the bytes actually inflated, since a zip's own sizes can lie (no zip bombs).

Any fault raises :class:`QdaFileError` with the message and the hint of a problem; the reader
turns it into one, naming the file.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MEMBER_LIMIT = 64 * 1024 * 1024
TOTAL_LIMIT = 256 * 1024 * 1024
MEMBER_COUNT_LIMIT = 100_000


class QdaFileError(Exception):
    """A REFI-QDA file that cannot be read: ``message`` says what, ``hint`` what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def local_name(tag: str) -> str:
    """An element's name without its namespace: ``{urn:QDA-XML:project:1.0}Code`` -> ``Code``."""
    return tag.rpartition("}")[2]


def parse_xml(data: bytes, what: str) -> Element:
    """The root element of an XML document, parsed with no DTD or entities allowed."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise QdaFileError(
            f"{what} declares a DTD or entities ({type(exc).__name__}), which are refused",
            "export the project again from the QDA tool; REFI-QDA files need neither",
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise QdaFileError(
            f"{what} is not well-formed XML (line {line}, column {column}: {exc.msg if hasattr(exc, 'msg') else exc})",
            "export the project again from the QDA tool",
        ) from None


@dataclass
class QdaArchive:
    """A ``.qdpx`` zip, read member by member, with a running count of what was inflated."""

    zip: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]  # lower-case name -> member
    read_so_far: int = 0
    project_member: str = ""
    texts: dict[str, str] = field(default_factory=dict)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """One member's bytes, capped per member and in all."""
        limit = min(MEMBER_LIMIT, TOTAL_LIMIT - self.read_so_far)
        if info.file_size > limit:
            raise _too_big(info.filename, info.file_size)
        try:
            with self.zip.open(info) as handle:
                data = handle.read(limit + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            raise QdaFileError(
                f"cannot read '{info.filename}' in the zip ({exc})", "export the project again from the QDA tool"
            ) from None
        if len(data) > limit:
            raise _too_big(info.filename, len(data))
        self.read_so_far += len(data)
        return data

    def source_member(self, internal_name: str) -> zipfile.ZipInfo | None:
        """The member an ``internal://NAME`` path names, in ``Sources/`` or ``sources/`` (any case)."""
        return self.members.get(f"sources/{internal_name}".lower())


def _too_big(name: str, size: int) -> QdaFileError:
    return QdaFileError(
        f"'{name}' in the zip inflates to more than {MEMBER_LIMIT // (1024 * 1024)} MiB (at least {size:,} bytes), "
        "which recovery-kg refuses as a possible zip bomb",
        "export a smaller project, or split it",
    )


def open_archive(path: Path) -> tuple[QdaArchive, Element]:
    """A ``.qdpx`` and the root of its project XML (``project.qde``, or the one ``.qde`` at its top,
    whatever it is named: ATLAS.ti names it after the project)."""
    try:
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        raise QdaFileError(f"cannot be read ({exc.strerror or exc})", "check that the file exists") from None
    except zipfile.BadZipFile as exc:
        raise QdaFileError(
            f"is not a zip file ({exc})", "a .qdpx is a zip; export the project again as REFI-QDA (.qdpx)"
        ) from None
    infos = archive.infolist()
    if len(infos) > MEMBER_COUNT_LIMIT:
        raise QdaFileError(f"holds {len(infos):,} members, more than recovery-kg reads", "export a smaller project")
    members = {info.filename.lower(): info for info in infos if not info.is_dir()}
    top_level = sorted(name for name in members if name.endswith(".qde") and "/" not in name.strip("/"))
    if "project.qde" in top_level:
        chosen = "project.qde"
    elif len(top_level) == 1:
        chosen = top_level[0]
    elif not top_level:
        raise QdaFileError(
            "holds no project XML (no project.qde or other .qde file at its top)",
            "export the project again from the QDA tool as REFI-QDA (.qdpx)",
        )
    else:
        raise QdaFileError(
            f"holds several project XML files ({', '.join(top_level)}) and none is named project.qde",
            "export the project again, one project per .qdpx",
        )
    qda = QdaArchive(archive, members, project_member=members[chosen].filename)
    root = parse_xml(qda.read(members[chosen]), f"the project XML '{members[chosen].filename}'")
    return qda, root


def read_codebook_file(path: Path) -> Element:
    """The root of a ``.qdc`` codebook (plain XML), its size capped."""
    try:
        size = path.stat().st_size
        if size > MEMBER_LIMIT:
            raise _too_big(path.name, size)
        data = path.read_bytes()
    except OSError as exc:
        raise QdaFileError(f"cannot be read ({exc.strerror or exc})", "check that the file exists") from None
    return parse_xml(data, "the codebook")


def check_root(root: Element, expected: str, namespace: str) -> None:
    """The root element must be ``expected`` in ``namespace``."""
    if root.tag != f"{{{namespace}}}{expected}":
        raise QdaFileError(
            f"its XML root is <{local_name(root.tag)}> in namespace '{root.tag[1:].partition('}')[0]}', "
            f"not <{expected}> in '{namespace}'",
            "give a REFI-QDA project (.qdpx) or codebook (.qdc) exported by a QDA tool",
        )


def decode_source(data: bytes, what: str) -> str:
    """A source's plain text: UTF-8 (the standard's encoding; a BOM is dropped), or UTF-16 with a BOM."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise QdaFileError(
            f"{what} is not in a known encoding: not UTF-8 (byte {exc.start} is 0x{data[exc.start]:02x})",
            "export the project again with its sources as UTF-8, as REFI-QDA requires",
        ) from None
