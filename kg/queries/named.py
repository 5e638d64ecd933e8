"""Named queries: the ``kg/queries/*.rq`` files and what their headers say.

A named query is a SPARQL file whose header comment says what it answers and what it takes:

    # NAME: what it answers (continued on lines indented by two spaces)
    # arg NAME (KIND): help                         a positional argument
    # option NAME (KIND) [-> VARIABLE] [= DEFAULT]: help
    # columns: COLUMN ...                           what to show, in order (default: every variable
                                                    that is not a parameter)
    # lists: COLUMN ...                             columns holding "a; b" lists, sorted on output
    # run: shortest-path                            the rows are edges for a path search
    # example: kg query NAME ...

KIND is theme, concept, action, factor, study, participant or node (resolved from a name people
type to an IRI), or choices ``a|b`` (``a=rkg:x|b=rkg:y`` binds the chosen IRI). Values reach the query only
as Oxigraph ``substitutions`` of the variable of the same name, never as query text. A line ending
in ``#if NAME`` (or ``#if NAME=VALUE``) is kept only when that option is given (with that value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.vocab import NAMEABLE, PREFIX_IRIS

QUERY_DIR = Path(__file__).parent

_PARAM = re.compile(r"^# (arg|option) ([\w-]+) \(([^)]*)\)(?: -> (\w+))?(?: = ([\w-]+))?: (.+)$")
_IF = re.compile(r"#if ([\w-]+)(?:=([\w-]+))?\s*$")


def keep_lines_if(text: str, given: dict[str, str]) -> str:
    r"""The query text without the lines marked ``#if NAME`` (or ``#if NAME=VALUE``) whose
    condition ``given`` does not meet; option names compare with ``-`` read as ``_``.

    >>> keep_lines_if("a\nb  #if theme\nc  #if role=user", {"role": "user"})
    'a\nc  #if role=user'
    """
    lines = []
    for line in text.splitlines():
        condition = _IF.search(line)
        if condition:
            name, value = condition.group(1).replace("-", "_"), condition.group(2)
            if name not in given or (value is not None and given[name] != value):
                continue
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # a NAMEABLE key, "node", or "choice"
    positional: bool
    help: str
    variable: str
    default: str | None = None
    choices: dict[str, str | None] = field(default_factory=dict)  # choice -> IRI to bind (or None)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    text: str
    params: tuple[Param, ...]
    lists: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    run: str = ""
    example: str = ""

    def render(self, given: dict[str, str]) -> str:
        """The query text with the ``#if`` lines of options not given left out."""
        return keep_lines_if(self.text, given)


def expand_curie(curie: str) -> str:
    """``rkg:Theme`` -> its full IRI, for the predeclared prefixes."""
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIX_IRIS:
        raise ValueError(f"unknown prefix in {curie!r}")
    return PREFIX_IRIS[prefix] + local


def parse_named_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    name = path.stem
    summary, params, lists, columns, run, example = [], [], (), (), "", ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(f"# {name}: "):
            summary.append(line[len(name) + 4 :])
        elif line.startswith("#   ") and summary and not params:
            summary.append(line[4:])
        elif match := _PARAM.match(line):
            role, pname, kind, variable, default, help_text = match.groups()
            choices: dict[str, str | None] = {}
            if "|" in kind:
                for choice in kind.split("|"):
                    label, _, curie = choice.partition("=")
                    choices[label] = expand_curie(curie) if curie else None
                kind = "choice"
            elif kind not in NAMEABLE and kind != "node":
                raise ValueError(f"{path.name}: unknown parameter kind {kind!r}")
            params.append(
                Param(
                    pname.replace("-", "_"),
                    kind,
                    role == "arg",
                    help_text,
                    variable or pname.replace("-", "_"),
                    default,
                    choices,
                )
            )
        elif line.startswith("# lists: "):
            lists = tuple(line[len("# lists: ") :].split())
        elif line.startswith("# columns: "):
            columns = tuple(line[len("# columns: ") :].split())
        elif line.startswith("# run: "):
            run = line[len("# run: ") :].strip()
        elif line.startswith("# example: "):
            example = line[len("# example: ") :].strip()
    if not summary:
        raise ValueError(f"{path.name} has no '# {name}: ...' header line")
    return NamedQuery(name, " ".join(summary), text, tuple(params), lists, columns, run, example)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every named query, by name: one per ``kg/queries/*.rq`` file."""
    return {path.stem: parse_named_query(path) for path in sorted(QUERY_DIR.glob("*.rq"))}
