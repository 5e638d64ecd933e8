"""`kg build`, `kg validate`, `kg publish`, `kg init` and `kg import`: projects made, checked,
built and published."""

from __future__ import annotations

import re
from pathlib import Path

import click

import kg
from kg.commands.common import (
    PROJECT_OPTION,
    STORE_HELP,
    counted,
    credentials_from,
    one_project,
    print_warnings,
    progress_for,
)
from kg.files import shown_path, write_atomically
from kg.graph import FORMATS
from kg.ingest.refi import RefiSettings
from kg.project import project_root
from kg.render.annotation_file import import_qda, loss_report
from kg.vocab import DEFAULT_BASE, ONTOLOGY_IRI


@click.command()
@click.argument("project", required=False, type=click.Path(file_okay=False))
@PROJECT_OPTION
@click.option("--out", "out", type=click.Path(file_okay=False), help="Folder to write to [default: PROJECT/out].")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice([*FORMATS, "all"]),
    default=("turtle",),
    show_default=True,
    help="Output format; repeat for several, or 'all'.",
)
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI that instance IRIs are minted under.")
@click.option("--all-references", is_flag=True, help="Keep every BibTeX entry in the graph, also those nothing cites.")
@click.option("--store", default="memory", show_default=True, help="Also put the graph in: " + STORE_HELP)
@click.option(
    "--graph-only",
    is_flag=True,
    help="Write the graph and the ontology only, not the map and the writer's kit (a graph to publish).",
)
@click.pass_context
def build(
    ctx: click.Context,
    project: str | None,
    project_option: str | None,
    out: str | None,
    formats: tuple[str, ...],
    base: str,
    all_references: bool,
    store: str,
    graph_only: bool,
) -> None:
    """Check PROJECT and write its graph to out/graph.ttl (and other formats).

    Every problem of every input file is reported at once; when there is any error, nothing is
    written and an earlier output is left as it was. When the inputs, the options and kg are those
    of the last build and its outputs are as it wrote them, nothing is made again ("up to date").

    \b
    Examples:
      kg build                                   # the project in this folder
      kg build my-study --out /tmp/kg --format all
      kg build --format turtle --format jsonld
      kg build --store oxigraph:out/store          # then: kg query ... --store oxigraph:out/store
      kg build --graph-only --format ntriples      # a field-wide graph to publish: no map, no kit
    """
    project = one_project(project, project_option) or "."
    ctx.obj["project"] = project
    chosen = tuple(FORMATS) if "all" in formats else formats
    result = kg.build_project(
        project,
        out=out,
        formats=chosen,
        base=base,
        all_references=all_references,
        store=store,
        progress=progress_for(ctx),
        graph_only=graph_only,
    )
    if result.unchanged:  # the same inputs, options and kg as the last build, whose outputs are whole
        click.echo(f"up to date, nothing written: {', '.join(shown_path(path) for path in result.outputs)}")
    for path in [] if result.unchanged else result.outputs:
        click.echo(f"wrote {shown_path(path)}")
    if store != "memory":
        click.echo(f"stored the graph and the ontology in {store}")
    click.echo(", ".join(counted(n, name) for name, n in result.counts.items()))
    print_warnings(result.warnings, project)
    if result.warnings:
        click.echo(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}", err=True)


@click.command()
@click.argument("project", required=False, type=click.Path(file_okay=False))
@PROJECT_OPTION
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI that instance IRIs are minted under.")
@click.option("--all-references", is_flag=True, help="Keep every BibTeX entry in the graph, also those nothing cites.")
@click.pass_context
def validate(
    ctx: click.Context, project: str | None, project_option: str | None, base: str, all_references: bool
) -> None:
    """Run every check on PROJECT, build its graph in memory and validate it with SHACL.

    Exit code 0: the graph conforms to ontology/shapes.ttl; 1: it violates them (each violation
    is listed); 2: the input has errors.

    \b
    Example:
      kg validate my-study
    """
    project = one_project(project, project_option) or "."
    ctx.obj["project"] = project
    warnings = kg.validate_project(project, base=base, all_references=all_references)
    print_warnings(warnings, project)
    click.echo("conforms: the graph satisfies every SHACL shape")


@click.command()
@click.argument("project", default=".", type=click.Path(file_okay=False))
@click.option(
    "--endpoint", metavar="URL", required=True, help="The server's Graph Store Protocol URL (Oxigraph: /store)."
)
@click.option("--graph", "graph_iri", metavar="IRI", help="The named graph to replace [default: BASE + 'graph'].")
@click.option("--update-url", metavar="URL", help="The server's SPARQL update URL [default: found from --endpoint].")
@click.option("--user", envvar="KG_USER", help="User name on the server [env: KG_USER].")
@click.option("--password", envvar="KG_PASSWORD", help="Password on the server [env: KG_PASSWORD]; never printed.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI that instance IRIs are minted under.")
@click.option("--all-references", is_flag=True, help="Keep every BibTeX entry in the graph, also those nothing cites.")
@click.pass_context
def publish(ctx: click.Context, project, endpoint, graph_iri, update_url, user, password, base, all_references) -> None:
    """Check PROJECT, build its graph and replace one named graph on a SPARQL 1.1 server (and the
    ontology in <https://w3id.org/recovery-kg>) through the Graph Store Protocol.

    The graph is uploaded into a staging graph and then moved over the old one by one SPARQL
    update, so a failed or interrupted upload leaves the server's graph as it was. Exit code 3:
    the server cannot be reached or refused.

    \b
    Examples:
      kg publish --endpoint http://localhost:7878/store          # Oxigraph
      kg publish --endpoint http://localhost:7878/store --graph https://example.org/my-study

    \b
    Other servers (README "Publishing"; KG_PASSWORD in the environment):
      Fuseki:   --endpoint http://localhost:3030/DATASET/data --user admin
      Virtuoso: --endpoint http://localhost:8890/sparql-graph-crud-auth --user dba
      GraphDB:  --endpoint http://localhost:7200/repositories/REPO/rdf-graphs/service
    """
    ctx.obj["project"] = project
    published, triples = kg.publish_project(
        project,
        endpoint,
        graph_iri=graph_iri,
        base=base,
        all_references=all_references,
        update_url=update_url,
        credentials=credentials_from(user, password),
        progress=progress_for(ctx),
    )
    click.echo(f"published {triples:,} triples to <{published}> and the ontology to <{ONTOLOGY_IRI}>")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Make a new project in DIRECTORY with a tiny example that builds.

    \b
    Example:
      kg init my-study && kg build my-study
    """
    for path in kg.init_project(directory):
        click.echo(f"wrote {path}")
    click.echo(
        f"next: edit {Path(directory) / 'quotes'} and {Path(directory) / 'references'}, then 'kg build {directory}'"
    )


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--study", required=True, metavar="KEY", help="The BibTeX key of the study the quotes are reported in.")
@click.option(
    "--role-variable", default="role", show_default=True, help="The case variable that holds each participant's role."
)
@click.option("--user", "users", multiple=True, metavar="VALUE", help="A value of it that means user; repeatable.")
@click.option(
    "--professional",
    "professionals",
    multiple=True,
    metavar="VALUE",
    help="A value that means professional; repeatable.",
)
@click.option("--out", "out", type=click.Path(dir_okay=False), help="The YAML file [default: PROJECT/quotes/KEY.yaml].")
@click.option("--force", is_flag=True, help="Overwrite --out when it exists.")
@click.option("--project", default=".", type=click.Path(file_okay=False), help="The project [default: this folder].")
@click.pass_context
def import_command(ctx: click.Context, file, study, role_variable, users, professionals, out, force, project) -> None:
    """Turn a REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder) or codebook (.qdc)
    into an annotation file to go on enriching, and print its loss report: what the file holds
    that the graph will not (notes, links, sets, graphs, non-text sources, other variables, codes
    never used).

    Codes become themes, coded text selections quotes, cases participants with the role their
    --role-variable gives (values user and professional, and those of --user and --professional),
    as in 'kg import interviews.qdpx --study smith2024 --role-variable Role --user Patient'.
    Nothing is written when the file has errors, nor over an existing file without --force.

    \b
    Examples:
      kg export --format qdc --study topor2019ijmha --out codebook.qdc
      kg import codebook.qdc --study topor2019ijmha --out imported.yaml --force
    """
    options = RefiSettings(study, role_variable, tuple(users), tuple(professionals))
    result = import_qda(file, options)
    file_name = re.sub(r"[^\w.-]+", "-", study) + ".yaml"  # a DBLP key's ':' and '/' make no folders
    target = Path(out) if out else project_root(project) / "quotes" / file_name
    if target.exists() and not force:
        raise kg.ProjectError(f"'{shown_path(target)}' exists; give another --out, or --force to overwrite it")
    write_atomically(target, result.text.encode("utf-8"))
    click.echo(f"wrote {shown_path(target)}: {result.counts()}")
    verbose = bool(ctx.find_root().obj.get("verbose"))
    click.echo(loss_report(result.losses, Path(file).name, None if verbose else 10))
    print_warnings(result.warnings, "")
