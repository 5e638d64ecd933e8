"""Errors and problems: one family, one way to print them.

Every fault in a user's input becomes a :class:`Problem` that names the file, the line (or BibTeX
key / quote id), the bad value and what to do. A run collects them all and raises one
:class:`InputError` holding the lot, so the user fixes everything in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

#: A value quoted in a message is cut to this many characters; a whole message to MESSAGE_LIMIT.
VALUE_LIMIT = 60
MESSAGE_LIMIT = 400
_QUOTED = re.compile(rf"(?<![^\s(\[])'([^'\n]{{{VALUE_LIMIT + 1},}})'(?=[\s;,.:)\]]|$)")


class ExitStatus(IntEnum):
    """Exit codes of the ``kg`` command, documented in the README."""

    OK = 0  # success (validate: the graph conforms)
    VIOLATIONS = 1  # validate: the graph violates the SHACL shapes
    BAD_INPUT = 2  # bad input or usage
    SERVER = 3  # a SPARQL server cannot be reached, or refused or failed a request


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One fault (or warning) in the input, located in its file.

    >>> str(Problem("quotes/a.yaml", 12, "unknown theme 'x' in quote q1", "declare it under themes:"))
    "quotes/a.yaml:12: error: unknown theme 'x' in quote q1; declare it under themes:"
    """

    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = ERROR
    kind: str = ""  # what kind of warning, so that many of one kind can be summarised

    def __post_init__(self) -> None:
        # Line 0 is "no line" (what a reader of a file without lines, such as a .qdpx, gives its
        # objects): the same as None, so that problems of one file sort together.
        object.__setattr__(self, "line", self.line or None)
        # A value from the input may be huge (a 20 MB line): a message shows a readable start of it.
        for name in ("message", "hint"):
            object.__setattr__(self, name, readable(getattr(self, name)))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def readable(text: str) -> str:
    """A message with every quoted value cut to :data:`VALUE_LIMIT` characters, on one line.

    >>> readable("unknown theme '" + "x" * 100 + "' in quote 'q1'")
    "unknown theme 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' in quote 'q1'"
    """
    text = text.replace("\r", " ").replace("\n", " ")
    text = _QUOTED.sub(lambda m: f"'{m.group(1)[: VALUE_LIMIT - 1]}…'", text)
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def warning(path: str, line: int | None, message: str, hint: str = "", kind: str = "") -> Problem:
    """A :class:`Problem` that does not stop the run."""
    return Problem(path, line, message, hint, WARNING, kind)


class KgError(Exception):
    """Base class of every error recovery-kg raises on purpose."""

    exit_code = ExitStatus.BAD_INPUT

    def __str__(self) -> str:  # one line (or one line per problem), never a traceback
        return self.args[0] if self.args else self.__class__.__doc__ or ""


class InputError(KgError):
    """The input has errors; every one of them is listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProjectError(KgError):
    """The project folder, an option or a file name is not usable."""


class QueryError(KgError):
    """A SPARQL query that cannot run: a syntax error, or a parameter it does not use."""


class NameLookupError(ProjectError):
    """A name that matches no entity, or more than one."""


class ShapeViolations(KgError):
    """The built graph does not conform to the SHACL shapes; one line per violation."""

    exit_code = ExitStatus.VIOLATIONS

    def __init__(self, results: list[str], warnings: list[Problem] | None = None):
        self.results = list(results)
        self.warnings = list(warnings or [])
        count = len(self.results)
        super().__init__(f"{count} SHACL violation{'s' if count != 1 else ''}")


def raise_if_errors(problems: list[Problem]) -> list[Problem]:
    """Raise :class:`InputError` when any problem is an error; else return the warnings."""
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InputError(errors)
    return sorted(problems)


class ServerError(KgError):
    """A SPARQL server that cannot be reached, or that refused or failed a request."""

    exit_code = ExitStatus.SERVER
