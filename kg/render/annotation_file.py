"""Write an annotation file (YAML) from a REFI-QDA project: what ``kg import`` writes, and its loss report.

The file is the same format people write by hand (the README's "Annotation files"), so the user
can go on enriching it (actions, factors, citations): participants, the codebook of themes (each
with its GUID), and the quotes with where they were cut from (``source``, ``start``, ``end``), who
coded them and when.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg._version import __version__
from kg.errors import Problem, raise_if_errors
from kg.ingest.refi import RefiSettings, read_qda_file
from kg.model import Annotation, Loss, Quote, Theme


@dataclass
class ImportResult:
    """A REFI-QDA file as an annotation file: its text, what it holds, and what it loses."""

    text: str
    annotation: Annotation
    losses: list[Loss] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def counts(self) -> str:
        a = self.annotation
        return f"{len(a.participants)} participants, {len(a.themes)} themes, {len(a.quotes)} quotes"


def import_qda(path: str | os.PathLike, options: RefiSettings) -> ImportResult:
    """Read a ``.qdpx`` (or ``.qdc``) and give the annotation file it makes; raises
    :class:`kg.InputError` listing every fault of the file.

    Example::

        result = import_qda("interviews.qdpx", RefiSettings("smith2024", role_variable="Role"))
        Path("quotes/smith2024.yaml").write_text(result.text)
        print(loss_report(result.losses, "interviews.qdpx"))
    """
    part = read_qda_file(Path(path), options, Path(path).as_posix())
    warnings = raise_if_errors(part.problems)
    annotation = part.annotations[0]
    header = f"# Imported from {Path(path).name} by recovery-kg {__version__}: add actions, factors and citations.\n"
    return ImportResult(header + annotation_yaml(annotation), annotation, part.losses, warnings)


def annotation_yaml(annotation: Annotation) -> str:
    """One annotation as YAML in the annotation format (keys in the README's order)."""
    document: dict = {"study": annotation.study.value}
    if annotation.participants:
        document["participants"] = [{"id": p.id, "role": p.role} for p in annotation.participants]
    if annotation.themes:
        document["themes"] = [_theme(t) for t in annotation.themes]
    if annotation.quotes:
        document["quotes"] = [_quote(q) for q in annotation.quotes]
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _theme(theme: Theme) -> dict:
    item = {"id": theme.id, "label": theme.label}
    if theme.definition:
        item["definition"] = theme.definition
    if theme.broader:
        item["broader"] = theme.broader.value
    if theme.guid:
        item["guid"] = theme.guid
    return item


def _quote(quote: Quote) -> dict:
    item: dict = {"id": quote.id}
    if quote.speaker:
        item["speaker"] = quote.speaker.value
    elif quote.role:
        item["role"] = quote.role
    item["text"] = quote.text
    item["themes"] = [use.value for use in quote.themes]
    if quote.selection:
        item.update(source=quote.selection.source, start=quote.selection.start, end=quote.selection.end)
    if quote.coded_by:
        item["coded_by"] = list(quote.coded_by)
    if quote.coded_at:
        item["coded_at"] = quote.coded_at
    return item


class _Dumper(yaml.SafeDumper):
    """Safe YAML; text of several lines as a literal block, lists of ids in flow style."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    flow = all(isinstance(v, str) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(list, _represent_list)


def loss_report(losses: list[Loss], file: str, names_shown: int | None = 10) -> str:
    """What the file holds that the graph will not, one line per kind with its count and names.

    >>> print(loss_report([Loss("a.qdpx", "sets", ("2024", "2025"))], "a.qdpx"))
    loss report: what a.qdpx holds that the graph will not
      sets (2): 2024; 2025
    """
    if not losses:
        return f"loss report: everything {file} holds is in the graph"
    lines = [f"loss report: what {file} holds that the graph will not"]
    for loss in losses:
        shown = loss.names if names_shown is None else loss.names[:names_shown]
        rest = len(loss.names) - len(shown)
        more = f"; ... and {rest:,} more (kg --verbose import lists them all)" if rest else ""
        lines.append(f"  {loss.what} ({len(loss.names):,}): {'; '.join(shown)}{more}")
    return "\n".join(lines)
