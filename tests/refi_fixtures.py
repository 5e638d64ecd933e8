"""REFI-QDA projects made by hand for tests/test_refi.py; ``python -m tests.refi_fixtures`` writes
tests/data/refi/coded.qdpx from :func:`coded_project` (commit the file with this script).

The coded project: two interviews (``Interview 1`` in ``Sources/``, ``Interview 2`` in ``sources/``,
as MAXQDA writes it), a PDF, two cases with a Role variable (``Patient``, mapped to user by the
settings, and ``professional``) and an Age variable, nested codes, one code never used, a note, a
link and a set. Selections are found by their text, so the positions cannot drift from it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.fixtures import DATA

REFI = DATA / "refi"
NS = "urn:QDA-XML:project:1.0"
ALICE, BOB = "0A000000-0000-4000-8000-000000000001", "0A000000-0000-4000-8000-000000000002"
SMALL, COFFEE, SEEN, UNUSED = (f"C0000000-0000-4000-8000-00000000000{n}" for n in range(1, 5))
ROLE, AGE = "B0000000-0000-4000-8000-000000000001", "B0000000-0000-4000-8000-000000000002"
S1, S2, PDF = (f"50000000-0000-4000-8000-00000000000{n}" for n in range(1, 4))
CASE_P1, CASE_S7 = "CA000000-0000-4000-8000-000000000001", "CA000000-0000-4000-8000-000000000002"

INTERVIEW_1 = "Interviewer: How was it?\nP1: They offered me coffee every morning. It felt like they saw me.\n"
INTERVIEW_2 = "S7: We always remember what they told us. Then we ask again.\n"


def selection(
    guid: str, text: str, part: str, codes: list[str], user: str = ALICE, when: str = "", lead: int = 0
) -> str:
    """A PlainTextSelection of ``part`` in ``text`` (``lead`` characters of white space before it included)."""
    start = text.index(part) - lead
    codings = "".join(
        f'<Coding guid="{guid[:-2]}{n:02d}" creatingUser="{user}"'
        + (f' creationDateTime="{when}"' if when else "")
        + f'><CodeRef targetGUID="{code}"/></Coding>'
        for n, code in enumerate(codes)
    )
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{start + lead + len(part)}">'
        f"{codings}</PlainTextSelection>"
    )


def coded_project(extra_sources: str = "", selections_1: str | None = None) -> str:
    """The project XML of the coded fixture (tests change parts of it to make hostile ones)."""
    if selections_1 is None:
        selections_1 = (
            selection(
                "E1000000-0000-4000-8000-000000000100",
                INTERVIEW_1,
                "They offered me coffee every morning.",
                [COFFEE],
                ALICE,
                "2024-03-01T10:00:00Z",
            )
            + selection(
                "E1000000-0000-4000-8000-000000000200",
                INTERVIEW_1,
                "It felt like they saw me.",
                [SMALL, SEEN],
                BOB,
                "2024-03-02T11:30:00Z",
                lead=1,
            )
            + '<PlainTextSelection guid="E1000000-0000-4000-8000-000000000300" name="Opening question" '
            'startPosition="0" endPosition="24"/>'
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="coded" origin="hand-made for recovery-kg's tests">
  <Users><User guid="{ALICE}" name="alice"/><User guid="{BOB}" name="bob"/></Users>
  <CodeBook><Codes>
    <Code guid="{SMALL}" name="Small things" isCodable="true">
      <Description>Everyday acts that matter.</Description>
      <Code guid="{COFFEE}" name="Coffee" isCodable="true"><Description>Offering coffee.</Description></Code>
    </Code>
    <Code guid="{SEEN}" name="Being seen" isCodable="true"/>
    <Code guid="{UNUSED}" name="Housing" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{ROLE}" name="Role" typeOfVariable="Text"/>
    <Variable guid="{AGE}" name="Age" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="{CASE_P1}" name="P1">
      <VariableValue><VariableRef targetGUID="{ROLE}"/><TextValue>Patient</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{AGE}"/><IntegerValue>44</IntegerValue></VariableValue>
      <SourceRef targetGUID="{S1}"/>
    </Case>
    <Case guid="{CASE_S7}" name="S7">
      <VariableValue><VariableRef targetGUID="{ROLE}"/><TextValue>professional</TextValue></VariableValue>
      <SourceRef targetGUID="{S2}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{S1}" name="Interview 1" plainTextPath="internal://{S1}.txt">{selections_1}</TextSource>
    <TextSource guid="{S2}" name="Interview 2" plainTextPath="internal://{S2}.txt">
      {selection(f"E2{S2[2:-3]}100", INTERVIEW_2, "We always remember what they told us.", [SEEN], BOB)}
    </TextSource>
    <PDFSource guid="{PDF}" name="Service leaflet" path="internal://{PDF}.pdf"/>
    {extra_sources}
  </Sources>
  <Notes>
    <Note guid="A0000000-0000-4000-8000-000000000001" name="Memo on coffee">
      <PlainTextContent>Coffee comes up often.</PlainTextContent>
    </Note>
  </Notes>
  <Links>
    <Link guid="A1000000-0000-4000-8000-000000000001" name="coffee leads to being seen"
          originGUID="{COFFEE}" targetGUID="{SEEN}"/>
  </Links>
  <Sets>
    <Set guid="A2000000-0000-4000-8000-000000000001" name="First interviews"><MemberSource targetGUID="{S1}"/></Set>
  </Sets>
</Project>
"""


def write_qdpx(
    path: Path,
    project_xml: str | bytes | None,
    members: dict[str, bytes] | None = None,
    project_name: str = "project.qde",
) -> Path:
    """A .qdpx zip: the project XML under ``project_name`` (None: none at all) and other members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if project_xml is not None:
            data = project_xml.encode("utf-8") if isinstance(project_xml, str) else project_xml
            archive.writestr(zipfile.ZipInfo(project_name, (2024, 1, 1, 0, 0, 0)), data)
        for name, data in (members or {}).items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return path


def coded_members() -> dict[str, bytes]:
    """The sources of the coded fixture: one in ``Sources/``, one in ``sources/`` (tools disagree)."""
    return {
        f"Sources/{S1}.txt": INTERVIEW_1.encode("utf-8"),
        f"sources/{S2}.txt": INTERVIEW_2.encode("utf-8"),
        f"Sources/{PDF}.pdf": b"%PDF-1.4 not read",
    }


if __name__ == "__main__":
    write_qdpx(REFI / "coded.qdpx", coded_project(), coded_members())
    print(f"wrote {REFI / 'coded.qdpx'}")
