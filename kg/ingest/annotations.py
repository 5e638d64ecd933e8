"""Read annotation files (YAML, format in the README) into the model, with a line for everything.

PyYAML's composer gives every node its line; we build the model from those nodes ourselves, so
that duplicate mapping keys (which PyYAML's loader would silently overwrite) are caught, ids such
as ``38`` or ``XV`` keep the text the user wrote, and each value is judged against what its field
expects. Every problem is collected; nothing here raises on bad input.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kg.errors import Problem
from kg.files import relative_path
from kg.model import (
    ACTION_KINDS,
    ATTRIBUTIONS,
    ROLES,
    Action,
    Annotation,
    Citation,
    Concept,
    Factor,
    Intent,
    PartialCorpus,
    Participant,
    Quote,
    TextSelection,
    Theme,
    Use,
)

NULL_TAG = "tag:yaml.org,2002:null"
# libyaml's composer when PyYAML was built with it (several times faster); nodes carry lines alike.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The keys each kind of object may have: (required, optional). Unknown keys are errors, so that a
# typo such as `qoutes:` or `theme:` is reported rather than ignored.
TOP_KEYS = ({"study"}, {"participants", "themes", "concepts", "factors", "actions", "quotes", "citations"})
KEYS = {
    "participant": ({"id", "role"}, set()),
    "theme": ({"id", "label"}, {"definition", "broader", "matches", "guid"}),
    "concept": ({"id", "label"}, {"definition", "matches"}),
    "factor": ({"id", "label"}, {"definition"}),
    "action": ({"id", "label"}, {"kind", "by", "supports"}),
    "quote": (
        {"id", "text"},
        {"speaker", "role", "attribution", "prompt", "themes", "concepts", "actions", "factors", "page"}
        | {"source", "start", "end", "coded_by", "coded_at"},
    ),
    "citation": ({"id", "text", "cites"}, {"themes", "concepts", "page", "intent"}),
}

ATTRIBUTION_MEANING = (
    "marked: the paper prints the speaker's id after the quote; from-text: the prose around it names "
    "the speaker; uncertain: neither"
)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _FileReader:
    """Turns the node tree of one file into model objects, noting each problem found."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: Node | int, message: str, hint: str) -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(Problem(self.path, line, message, hint))

    # -- generic shapes -------------------------------------------------------------------------

    def mapping(self, node: Node, what: str, kind: str | None = None) -> dict[str, tuple[Node, Node]] | None:
        """The keys of a mapping node (key text -> (key node, value node)); checks allowed keys."""
        if not isinstance(node, MappingNode):
            self.error(
                node,
                f"{what} should be a mapping (key: value lines), found {_describe(node)}",
                "see the annotation format in the README",
            )
            return None
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
            if key in found:
                self.error(
                    key_node,
                    f"duplicate key '{key}' in {what} (first at line {_line(found[key][0])})",
                    "keep one of them",
                )
                continue
            found[key] = (key_node, value_node)
        if kind is not None:
            required, optional = KEYS[kind] if kind != "top" else TOP_KEYS
            for key, (key_node, _) in found.items():
                if key not in required | optional:
                    allowed = ", ".join(sorted(required | optional))
                    close = difflib.get_close_matches(key, sorted(required | optional), n=1)
                    mean = f"did you mean '{close[0]}'? " if close else ""
                    self.error(key_node, f"unknown key '{key}' in {what}", f"{mean}the keys allowed are: {allowed}")
            for key in sorted(required - found.keys()):
                self.error(node, f"{what} has no '{key}'", f"add '{key}:'")
        return found

    def text(self, fields: dict, key: str, what: str, required: bool = False) -> str:
        """A scalar field as the text the user wrote (``38`` stays "38"); "" when absent."""
        if key not in fields:
            return ""
        node = fields[key][1]
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            value = ""
        elif isinstance(node, ScalarNode):
            value = node.value.strip()
        else:
            self.error(
                node,
                f"'{key}' of {what} should be a single value, found {_describe(node)}",
                f"write {key}: followed by text",
            )
            return ""
        if required and not value:
            self.error(node, f"'{key}' of {what} is empty", f"give {what} a {key}")
        return value

    def use(self, fields: dict, key: str, what: str) -> Use | None:
        value = self.text(fields, key, what)
        return Use(value, _line(fields[key][1])) if value else None

    def uses(self, fields: dict, key: str, what: str) -> list[Use]:
        """A list of ids (``[a, b]`` or ``- a`` lines), each with its own line."""
        if key not in fields:
            return []
        node = fields[key][1]
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, SequenceNode):
            self.error(
                node,
                f"'{key}' of {what} should be a list, found {_describe(node)}",
                f"write {key}: [{node.value if isinstance(node, ScalarNode) else 'id'}]",
            )
            return []
        result = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or item.tag == NULL_TAG or not item.value.strip():
                self.error(item, f"'{key}' of {what} holds {_describe(item)}, not an id", "list ids only")
                continue
            result.append(Use(item.value.strip(), _line(item)))
        return result

    def choice(self, fields: dict, key: str, what: str, allowed: tuple[str, ...], meaning: str = "") -> str:
        value = self.text(fields, key, what)
        if value and value not in allowed:
            hint = f"use one of: {', '.join(allowed)}" + (f" ({meaning})" if meaning else "")
            self.error(fields[key][1], f"'{key}' of {what} is '{value}'", hint)
            return ""
        return value

    def items(self, top: dict, key: str) -> list[tuple[Node, dict]]:
        """The objects listed under a top-level key, each with its keys (bad items are reported)."""
        if key not in top:
            return []
        node = top[key][1]
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, SequenceNode):
            self.error(
                node,
                f"'{key}' should be a list of objects ('- id: ...'), found {_describe(node)}",
                "see the annotation format in the README",
            )
            return []
        kind = key.rstrip("s")
        result = []
        for item in node.value:
            what = f"an item of '{key}'"
            if isinstance(item, MappingNode):
                # Name the object by its id when it has one, so messages read "quote q38-shoulder".
                for key_node, value_node in item.value:
                    if getattr(key_node, "value", None) == "id" and isinstance(value_node, ScalarNode):
                        what = f"{kind} '{value_node.value}'"
            fields = self.mapping(item, what, kind)
            if fields is not None:
                if "id" in fields:
                    self.text(fields, "id", what, required=True)
                result.append((item, fields))
        return result


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    return f"'{node.value}'"


def read_annotation_file(path: Path, root: Path) -> tuple[Annotation | None, list[Factor], list[Action], list[Problem]]:
    """Read one annotation file: the study's annotation, the factors and actions it declares.

    Example::

        annotation, factors, actions, problems = read_annotation_file(Path("quotes/a.yaml"), Path("."))

    ``problems`` lists every fault found (file, line, value, what to do); ``annotation`` is None
    only when the file could not be read as YAML at all.
    """
    rel = relative_path(path, root)
    reader = _FileReader(rel)
    document, problems = _compose(path, rel)
    if document is None:
        return None, [], [], problems
    top = reader.mapping(document, "the file", "top")
    if top is None:
        return None, [], [], reader.problems
    study_text = reader.text(top, "study", "the file", required="study" in top)
    study = Use(study_text, _line(top["study"][1]) if "study" in top else 1)
    annotation = Annotation(study=study, path=rel)
    _read_codebook(reader, top, annotation)
    factors, actions = _read_shared(reader, top)
    _read_quotes(reader, top, annotation)
    _read_citations(reader, top, annotation)
    return annotation, factors, actions, reader.problems


def _compose(path: Path, rel: str) -> tuple[Node | None, list[Problem]]:
    """The YAML node tree of one file, or the one problem that stops it being read."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, f"the file is not UTF-8 text (byte {exc.start})", "save the file as UTF-8")]
    try:
        document = yaml.compose(raw, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "unreadable"
        if exc.context and exc.problem:
            start = exc.context_mark.line + 1 if exc.context_mark else None
            opened = f" that starts at line {start}" if start and start != line else ""
            reason = f"{exc.problem} ({exc.context}{opened})"
        hint = "indent with spaces: YAML does not allow tabs" if "tab" in reason else "fix the YAML syntax at that line"
        return None, [Problem(rel, line, f"the file is not valid YAML: {reason}", hint)]
    except yaml.YAMLError as exc:
        return None, [Problem(rel, None, f"the file is not valid YAML: {exc}", "fix the YAML syntax")]
    if document is None:
        return None, [Problem(rel, 1, "the file is empty", "start it with 'study: <BibTeX key>'")]
    return document, []


def _read_codebook(reader: _FileReader, top: dict, annotation: Annotation) -> None:
    """The study's participants, themes and the concepts it names."""
    sid, rel = annotation.study.value, annotation.path
    for node, f in reader.items(top, "participants"):
        what = f"participant '{reader.text(f, 'id', '')}'"
        role = reader.choice(f, "role", what, ROLES)
        annotation.participants.append(Participant(sid, reader.text(f, "id", what), role, rel, _line(node)))
    for node, f in reader.items(top, "themes"):
        what = f"theme '{reader.text(f, 'id', '')}'"
        annotation.themes.append(
            Theme(
                sid,
                reader.text(f, "id", what),
                reader.text(f, "label", what, required=True),
                rel,
                _line(node),
                definition=reader.text(f, "definition", what),
                broader=reader.use(f, "broader", what),
                matches=reader.uses(f, "matches", what),
                guid=reader.text(f, "guid", what),
            )
        )
    for node, f in reader.items(top, "concepts"):
        what = f"concept '{reader.text(f, 'id', '')}'"
        annotation.concepts.append(
            Concept(
                sid,
                reader.text(f, "id", what),
                reader.text(f, "label", what, required=True),
                rel,
                _line(node),
                definition=reader.text(f, "definition", what),
                matches=reader.uses(f, "matches", what),
            )
        )


def _read_shared(reader: _FileReader, top: dict) -> tuple[list[Factor], list[Action]]:
    """The factors and actions the file declares for the whole corpus."""
    rel = reader.path
    factors = []
    for node, f in reader.items(top, "factors"):
        what = f"factor '{reader.text(f, 'id', '')}'"
        factors.append(
            Factor(
                reader.text(f, "id", what),
                reader.text(f, "label", what, required=True),
                rel,
                _line(node),
                definition=reader.text(f, "definition", what),
            )
        )
    actions = []
    for node, f in reader.items(top, "actions"):
        what = f"action '{reader.text(f, 'id', '')}'"
        actions.append(
            Action(
                reader.text(f, "id", what),
                reader.text(f, "label", what, required=True),
                rel,
                _line(node),
                kind=reader.choice(f, "kind", what, ACTION_KINDS),
                by=reader.choice(f, "by", what, ROLES),
                supports=reader.uses(f, "supports", what),
            )
        )
    return factors, actions


def _read_quotes(reader: _FileReader, top: dict, annotation: Annotation) -> None:
    """The interview quotes: speaker, the interviewer's question (prompt), attribution, codes."""
    sid, rel = annotation.study.value, annotation.path
    for node, f in reader.items(top, "quotes"):
        what = f"quote '{reader.text(f, 'id', '')}'"
        annotation.quotes.append(
            Quote(
                sid,
                reader.text(f, "id", what),
                reader.text(f, "text", what, required=True),
                rel,
                _line(node),
                speaker=reader.use(f, "speaker", what),
                role=reader.choice(f, "role", what, ROLES),
                themes=reader.uses(f, "themes", what),
                actions=reader.uses(f, "actions", what),
                factors=reader.uses(f, "factors", what),
                concepts=reader.uses(f, "concepts", what),
                page=reader.text(f, "page", what),
                prompt=reader.text(f, "prompt", what, required="prompt" in f),
                attribution=reader.choice(f, "attribution", what, ATTRIBUTIONS, ATTRIBUTION_MEANING),
                selection=_selection(reader, node, f, what),
                coded_by=[use.value for use in reader.uses(f, "coded_by", what)],
                coded_at=_coded_at(reader, f, what),
            )
        )


def _selection(reader: _FileReader, node: Node, f: dict, what: str) -> TextSelection | None:
    """Where a quote imported from a QDA project was cut from: ``source``, ``start`` and ``end`` together."""
    given = [key for key in ("source", "start", "end") if key in f]
    if not given:
        return None
    values = {key: reader.text(f, key, what) for key in ("source", "start", "end")}
    if len(given) < 3 or not values["source"]:
        reader.error(node, f"{what} gives {', '.join(given)} but not all of source, start and end", "give all three")
        return None
    if not (values["start"].isdigit() and values["end"].isdigit()) or int(values["start"]) > int(values["end"]):
        reader.error(
            f["start"][1],
            f"start and end of {what} are '{values['start']}' and '{values['end']}'",
            "give character positions in the source, start no greater than end",
        )
        return None
    return TextSelection(values["source"], int(values["start"]), int(values["end"]))


def _coded_at(reader: _FileReader, f: dict, what: str) -> str:
    value = reader.text(f, "coded_at", what)
    try:
        if value:
            datetime.fromisoformat(value)
    except ValueError:
        reader.error(f["coded_at"][1], f"coded_at of {what} is '{value}'", "give a date and time: 2024-03-01T10:00:00Z")
        return ""
    return value


def _read_citations(reader: _FileReader, top: dict, annotation: Annotation) -> None:
    """The passages that cite the literature: keys cited, themes and concepts."""
    sid, rel = annotation.study.value, annotation.path
    for node, f in reader.items(top, "citations"):
        what = f"citation '{reader.text(f, 'id', '')}'"
        cites = reader.uses(f, "cites", what)
        if "cites" in f and not cites:
            reader.error(f["cites"][1], f"'cites' of {what} is empty", "list the BibTeX keys the passage cites")
        annotation.citations.append(
            Citation(
                sid,
                reader.text(f, "id", what),
                reader.text(f, "text", what, required=True),
                rel,
                _line(node),
                cites=cites,
                themes=reader.uses(f, "themes", what),
                concepts=reader.uses(f, "concepts", what),
                page=reader.text(f, "page", what),
                intents=_intents(reader, f, what, cites),
            )
        )


def _intents(reader: _FileReader, fields: dict, what: str, cites: list[Use]) -> list[Intent]:
    """``intent:`` of a passage: one CiTO term for every key it cites (``intent: usesMethodIn``),
    or a term per key (``intent: {borg2004: agreesWith}``). The terms and keys are judged by
    :mod:`kg.check`, beside the passage's ``cites:``."""
    if "intent" not in fields:
        return []
    node = fields["intent"][1]
    if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
        return []
    if isinstance(node, ScalarNode):
        term = Use(node.value.strip(), _line(node))
        return [Intent(Use(key.value, term.line), term) for key in cites] if term.value else []
    if not isinstance(node, MappingNode):
        reader.error(
            node,
            f"'intent' of {what} should be a CiTO term or a mapping of cited keys to CiTO terms, "
            f"found {_describe(node)}",
            "write intent: {KEY: TERM, ...} (e.g. {borg2004: agreesWith}), or intent: TERM for every key",
        )
        return []
    intents = []
    for key, (key_node, value_node) in (reader.mapping(node, f"'intent' of {what}") or {}).items():
        if not isinstance(value_node, ScalarNode) or value_node.tag == NULL_TAG or not value_node.value.strip():
            reader.error(
                value_node,
                f"intent for '{key}' in {what} is {_describe(value_node)}, not a CiTO term",
                "give one term, such as agreesWith or citesAsEvidence",
            )
            continue
        intents.append(Intent(Use(key.strip(), _line(key_node)), Use(value_node.value.strip(), _line(value_node))))
    return intents


def read_annotations(paths: list[Path], root: Path, settings: Mapping[str, object] | None = None) -> PartialCorpus:
    """The reader of ``*.yaml`` annotation files: each file in turn, problems located in it (no settings)."""
    part = PartialCorpus()
    for path in paths:
        annotation, factors, actions, problems = read_annotation_file(path, root)
        part.problems += problems
        part.factors += factors
        part.actions += actions
        if annotation is None:
            part.unreadable = True
        else:
            part.annotations.append(annotation)
    return part
