"""The `casegraph` command: thin click commands over loaders, graph and evaluation.
Heavy libraries are imported inside the commands that need them."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from casegraph.errors import BadParameter, CasegraphError

__all__ = ["main"]


class CLI(click.Group):
    """Turns every CasegraphError into `Error: ...` and exit 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BadParameter as e:
            raise click.ClickException(f"{_option(ctx, e.name)} {e.reason}") from e
        except CasegraphError as e:
            raise click.ClickException(str(e)) from e


def _option(ctx: click.Context, name: str) -> str:
    """How the command just run spells the parameter ``name``: --min-reviews, TEXT."""
    command = ctx.command.get_command(ctx, ctx.invoked_subcommand or "") if isinstance(
        ctx.command, click.Group) else None
    for param in command.params if command else ():
        if param.name == name:
            return max(param.opts, key=len) if isinstance(param, click.Option) else param.human_readable_name
    return f"--{name.replace('_', '-')}"


def store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store", "store_path", envvar="CASEGRAPH_STORE", default="casegraph.db",
        show_default=True, type=click.Path(dir_okay=False),
        help="Embedded store file (or set CASEGRAPH_STORE).",
    )(func)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                        default="table", show_default=True, help="Output format.")(func)


def _open(path: str, create: bool = False):
    from casegraph.graph.store import Store

    return Store(path, create=create)


@click.group(cls=CLI)
@click.version_option(package_name="casegraph")
def main() -> None:
    """casegraph: safeguarding case reviews as a knowledge graph.

    \b
    Load reviews, then ask which agencies fail in the same way across them:
      casegraph load reviews/
      casegraph query repeated-failures --min-reviews 2
      casegraph view -o graph.html
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for extraction (one writer loads).")
@store_option
def load(paths: tuple[str, ...], jobs: int, store_path: str) -> None:
    """Load review files, folders or globs into the store.

    \b
    Each document loads whole or not at all; the same bytes load once and a changed
    file replaces its earlier version. Unreadable files are reported and skipped.
      casegraph load reviews/ news/*.html
    """
    from pathlib import Path

    from casegraph.pipeline import count_inputs, load_paths
    from casegraph.progress import progress_bar

    new = not Path(store_path).exists()
    store = _open(store_path, create=True)
    total = count_inputs(paths) if sys.stderr.isatty() else 0
    with progress_bar(total, "loading", "documents") as advance:
        def progress(record: Any, outcome: str) -> None:
            advance(1)
            if outcome == "error":
                for line in record.errors:
                    click.echo(f"\nerror: {line}" if total else f"error: {line}", err=True)

        report = load_paths(store, paths, jobs=jobs, progress=progress)
    store.close()
    target = store_path
    if new and not (report.loaded or report.replaced or report.unchanged):  # a typo leaves no empty store
        for suffix in ("", "-wal", "-shm"):
            Path(store_path + suffix).unlink(missing_ok=True)
        target = "no store written"
    click.echo(f"{report.loaded} loaded, {report.replaced} replaced, {report.unchanged} unchanged, "
               f"{len(report.errors)} failed -> {target}", err=True)
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "summary"]), default="json",
              show_default=True)
def extract(paths: tuple[str, ...], fmt: str) -> None:
    """Print what the extractors find in each file (JSON array, input order).

    \b
      casegraph extract review.pdf news.html --format json
    """
    from casegraph.pipeline import extract_paths

    failed = False
    records = []
    for record in extract_paths(paths):
        if record.errors:
            failed = True
            for line in record.errors:
                click.echo(f"error: {line}", err=True)
        records.append(_contract(record.to_dict()))
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False, default=str))
    else:
        for r in records:
            if r["errors"]:  # said on stderr above
                continue
            case = r["case"]
            subj = ", ".join(s["pseudonym"] or "unnamed subject" for s in case.get("subjects") or [])
            click.echo(f"{r['document']['path']}: {r['review'].get('type')} {subj} "
                       f"({case.get('locality')}, {case.get('incident_date')}): "
                       f"{len(r['agencies'])} agencies, {len(r['findings'])} findings, "
                       f"{len(r['recommendations'])} recommendations, themes {', '.join(r['themes'])}")
    if failed:
        sys.exit(1)


def _contract(d: dict[str, Any]) -> dict[str, Any]:
    """The JSON contract: internal evidence fields of review and subjects dropped."""
    review = d.get("review") or {}
    for key in ("type_evidence", "recommendations_count_evidence"):
        review.pop(key, None)
    for s in (d.get("case") or {}).get("subjects") or []:
        s.pop("age_evidence", None)
    return d


def _query_command(spec: Any) -> click.Command:
    @format_option
    @store_option
    @click.option("--backend", type=click.Choice(["embedded", "neo4j"]), default="embedded", show_default=True,
                  help="Ask the embedded store, or the Neo4j server of NEO4J_URI (after `casegraph push neo4j`).")
    def run(fmt: str, store_path: str, backend: str, **params: Any) -> None:
        from casegraph.output import render

        if backend == "neo4j":
            from casegraph.graph.neo4j import connection_from_env
            from casegraph.graph.neo4j_queries import run_query as run_cypher_query

            rows = run_cypher_query(connection_from_env(), spec.name, **params)
        else:
            from casegraph.graph.queries import run_query

            rows = run_query(_open(store_path), spec.name, **params)
        click.echo(render(rows, fmt), nl=False)

    for p in reversed(spec.params):
        if p.argument:
            run = click.argument(p.name)(run)
        elif p.flag:
            run = click.option(f"--{p.name.replace('_', '-')}", p.name, is_flag=True,
                               help=p.help)(run)
        else:
            kind = click.Choice(p.choices) if p.choices else p.type
            run = click.option(f"--{p.name.replace('_', '-')}", p.name, type=kind,
                               default=p.default, show_default=p.default is not None,
                               help=p.help)(run)
    return click.command(spec.name, help=spec.help)(run)


@main.group(cls=CLI)
def query() -> None:
    """Run a named query over the store.

    \b
      casegraph query repeated-failures --min-reviews 2 --by agency-type
      casegraph query conflicts --format json
    """


def _add_queries() -> None:
    from casegraph.graph.queries import QUERIES

    for spec in QUERIES.values():
        query.add_command(_query_command(spec))


_add_queries()


@main.command()
@store_option
@format_option
def stats(store_path: str, fmt: str) -> None:
    """Counts of documents, nodes by label, edges and evidence."""
    from casegraph.graph.queries import run_query
    from casegraph.output import render

    click.echo(render(run_query(_open(store_path), "stats"), fmt), nl=False)


@main.command()
@click.option("-o", "--output", default="graph.html", show_default=True,
              type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--kind", type=click.Choice(["network", "matrix", "case", "neighbourhood"]),
              default="network", show_default=True, help="What to draw.")
@click.option("--by", type=click.Choice(["agency", "agency-type"]), default="agency", show_default=True,
              help="Network and matrix: concrete agencies or agency types.")
@click.option("--min-reviews", type=click.IntRange(1), default=2, show_default=True,
              help="Network and matrix: least number of reviews stating a failure.")
@click.option("--locality", help="Network and matrix: only agencies of this locality.")
@click.option("--review-type", help="Network and matrix: only reviews of this type (SCR, CSPR, ...).")
@click.option("--since", type=int, help="Network and matrix: only reviews published in or after this year.")
@click.option("--until", type=int, help="Network and matrix: only reviews published in or before this year.")
@click.option("--case", "case_id", help="Case view, or the neighbourhood of this case.")
@click.option("--agency", help="The neighbourhood of this agency.")
@click.option("--depth", type=click.IntRange(1, 5), default=1, show_default=True,
              help="Neighbourhood: hops from the case or agency.")
@click.option("--max-nodes", type=click.IntRange(10, 100000), default=150, show_default=True,
              help="Node budget: beyond it the network shows agency types, a neighbourhood is folded.")
@store_option
def view(output: str, kind: str, case_id: str | None, store_path: str, **options: Any) -> None:
    """Write an interactive HTML view: one file that works offline.

    \b
    The default is the network of repeated failures; click a line for its evidence.
      casegraph view -o failures.html
      casegraph view -o board.html --kind matrix --by agency-type --since 2019
      casegraph view -o child-l.html --kind case --case "Child L"
      casegraph view -o around.html --kind neighbourhood --agency "Fenshire Police" --depth 2
    """
    from casegraph.graph.views import ViewOptions, write_view

    summary = write_view(_open(store_path), output, ViewOptions(kind=kind, case=case_id, **options))
    click.echo(f"{output}: {summary}", err=True)


@main.command()
@click.option("--format", "fmt", help="ttl, jsonld, nt, nq, xml, graphml, gexf or neo4j-csv "
              "(default: from the suffix of -o).")
@click.option("-o", "--output", default="-", show_default=True, help="File, folder or - for stdout.")
@click.option("--base", default="https://casegraph.org/id/", show_default=True,
              help="Base IRI of exported nodes.")
@store_option
def export(fmt: str | None, output: str, base: str, store_path: str) -> None:
    """Export the graph as RDF, GraphML, GEXF or Neo4j import CSV.

    \b
    N-Triples, N-Quads, Turtle and JSON-LD stream from the store in flat memory.
      casegraph export --format ttl -o graph.ttl
      casegraph export -o graph.nt
      casegraph export -o graph.graphml
    """
    from casegraph.graph.export import RDF_EXPORTS, guess_format
    from casegraph.graph.export import export as run_export
    from casegraph.progress import progress_bar

    fmt = fmt or guess_format(output)
    store = _open(store_path)
    total = 0
    if fmt in RDF_EXPORTS and sys.stderr.isatty():
        from casegraph.graph.rdf import progress_total

        total = progress_total(store)
    with progress_bar(total, "exporting", "nodes+quotes") as advance:
        run_export(store, fmt, output, base=base, progress=advance)


@main.command()
@click.argument("query")
@click.option("--base", default="https://casegraph.org/id/", show_default=True,
              help="Base IRI of the nodes (as given to export).")
@format_option
@store_option
def sparql(query: str, base: str, fmt: str, store_path: str) -> None:
    """Run a SPARQL query (text, or a file holding it) over the store's RDF.

    \b
    The first query after a load builds a local index beside the store (STORE.sparql/);
    later ones reuse it. Prefixes cg: prov: org: skos: dcterms: schema: rdf: rdfs: owl:
    xsd: and id: (the nodes) need no PREFIX line.
      casegraph sparql docs/sparql/repeated-failures.rq
      casegraph sparql 'SELECT ?name WHERE { ?a a cg:Agency ; rdfs:label ?name } LIMIT 5'
    """
    from contextlib import ExitStack

    from casegraph.graph.rdf import progress_total
    from casegraph.graph.sparql import read_query, run_sparql
    from casegraph.output import render
    from casegraph.progress import progress_bar

    store = _open(store_path)
    with ExitStack() as stack:
        bar: Callable[[int], None] | None = None

        def advance(n: int) -> None:  # a bar only when the index is (re)built
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(progress_bar(progress_total(store), "indexing", "nodes+quotes"))
            bar(n)

        rows = run_sparql(store, read_query(query), base=base, progress=advance)
    click.echo(render(rows, fmt), nl=False)


class KeyValue(click.ParamType):
    """KEY=VALUE; the value read as JSON when it parses ("2" is a number), else text."""

    name = "KEY=VALUE"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
        key, sep, raw = str(value).partition("=")
        if not sep or not key:
            self.fail(f"{value!r} is not KEY=VALUE", param, ctx)
        try:
            return key, json.loads(raw)
        except ValueError:
            return key, raw


@main.group(cls=CLI)
def push() -> None:
    """Push the graph to another store."""


@push.command("neo4j")
@click.option("--batch-size", "batch_size", type=click.IntRange(1, 100000), default=1000, show_default=True,
              help="Rows per UNWIND statement (one write transaction each).")
@click.option("--full", is_flag=True, help="Send every document again, not only those loaded or replaced "
              "since the last push.")
@store_option
def push_neo4j(batch_size: int, full: bool, store_path: str) -> None:
    """Push the graph to Neo4j over Bolt: constraints, then batched UNWIND ... MERGE.

    \b
    Idempotent and incremental: only documents loaded or replaced since the last push
    are sent (--full: all). The connection comes from NEO4J_URI, NEO4J_USER and
    NEO4J_PASSWORD, never from the command line:
      NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=... casegraph push neo4j
    """
    from casegraph.graph.neo4j import connection_from_env
    from casegraph.graph.neo4j_push import push as run_push

    conn = connection_from_env()
    store = _open(store_path)
    bar = None

    def progress(rows: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="pushing", file=sys.stderr)
            bar.__enter__()
        bar.update(rows)

    try:
        report = run_push(store, conn, batch_size, full=full, progress=progress if sys.stderr.isatty() else None)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"{report.documents} documents pushed, {report.removed} removed: {report.nodes} nodes and "
               f"{report.relationships} relationships written in {report.batches} batches, "
               f"{report.seconds:.1f} s -> {conn.uri}", err=True)


@main.command()
@click.argument("statement")
@click.option("--param", "-p", "params", multiple=True, type=KeyValue(), help="Query parameter.")
@format_option
def cypher(statement: str, params: tuple[tuple[str, Any], ...], fmt: str) -> None:
    """Run a read-only Cypher statement against Neo4j; values go in as parameters.

    \b
      casegraph cypher 'MATCH (a:Agency) RETURN a.name AS name ORDER BY name LIMIT $n' -p n=5
      casegraph cypher 'MATCH (f:Finding) WHERE f.text CONTAINS $w RETURN f.text AS text' -p w=cannabis
    The named queries run there with `casegraph query NAME --backend neo4j`.
    """
    from casegraph.graph.neo4j import connection_from_env, run_cypher
    from casegraph.output import render

    rows = run_cypher(connection_from_env(), statement, dict(params))
    click.echo(render(rows, fmt), nl=False)


@main.command()
@store_option
def validate(store_path: str) -> None:
    """Check the store's consistency and validate its RDF against the SHACL shapes."""
    from casegraph.graph.rdf import validate as shacl

    store = _open(store_path)
    problems = store.check()
    for p in problems:
        click.echo(f"store: {p}", err=True)
    if store.indexes_deferred():
        click.echo("store: note: a load was stopped before building its indexes; queries are right "
                   "but slow until `casegraph load` runs again", err=True)
    conforms, report = shacl(store)
    if not conforms:
        click.echo(report, err=True)
    click.echo("valid" if conforms and not problems else "invalid", err=True)
    if problems or not conforms:
        sys.exit(1)


@main.command("eval")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold annotations (YAML).")
@click.option("--docs", type=click.Path(exists=True, file_okay=False),
              help="Folder the gold file's paths are relative to (default: its own folder).")
@click.option("--split", type=click.Choice(["tune", "check"]),
              help="Score only the gold documents of this split.")
@click.option("--failures", type=click.Path(exists=True, dir_okay=False),
              help="Gold failures in a separate file (default: failures.yaml beside the gold file).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def evaluate(gold: str, docs: str | None, split: str | None, failures: str | None, fmt: str) -> None:
    """Score extraction against gold annotations: precision, recall, F1, exact matches.

    \b
      casegraph eval --gold corpus/gold.yaml
      casegraph eval --gold realworld/gold.yaml --docs CACHE --split check
    """
    from casegraph.evaluate import evaluate as run_eval
    from casegraph.evaluate import format_report

    report = run_eval(gold, docs, split, failures)
    click.echo(json.dumps(report, indent=2) if fmt == "json" else format_report(report))


if __name__ == "__main__":
    main()
