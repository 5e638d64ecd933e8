"""The `kg` command: parse options, call one `kg` function, print, map errors to exit codes.

The commands live in :mod:`kg.commands`, by stage; this module makes them one group, the entry
point ``kg = "cli:cli"``. Exit codes are `kg.ExitStatus` (0 ok, 1 the graph violates the SHACL
shapes, 2 bad input or usage, 3 a SPARQL server cannot be reached or failed).
"""

from __future__ import annotations

import sys

import click

import kg
from kg.commands.build import build, import_command, init, publish, validate
from kg.commands.common import KgGroup
from kg.commands.maps import export_command, map_command
from kg.commands.query import query, sparql, stats
from kg.commands.writing import bib, litmap, matrix, review


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(kg.__version__, prog_name="recovery-kg", message="%(prog)s %(version)s")
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error.")
@click.option("--verbose", "-v", is_flag=True, help="List every warning (many of one kind are summarised).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars (they show only on a terminal anyway).")
@click.pass_context
def cli(ctx: click.Context, traceback: bool, verbose: bool, quiet: bool) -> None:
    """recovery-kg: a knowledge graph of recovery research.

    Build an RDF graph of service users, professionals, actions, recovery factors, themes,
    quotes and cited studies from annotated quotes (quotes/*.yaml) and BibTeX (references/*.bib).

    \b
    Example:
      kg init my-study && cd my-study && kg build
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet


#: Every command, by stage (their modules in kg.commands); ``kg --help`` lists them by name.
COMMANDS = [
    *(build, validate, publish, init, import_command),
    *(query, sparql, stats),
    *(map_command, export_command),
    *(review, bib, litmap, matrix),
]
for _command in COMMANDS:
    cli.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli())
