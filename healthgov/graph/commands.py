"""``healthgov build``, ``healthgov engine start|stop|status`` and ``healthgov export``."""

from __future__ import annotations

import functools
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", help="'bundled' (default) or a Neo4j URI: bolt://, neo4j://, neo4j+s:// "
                 "(credentials from NEO4J_USER, NEO4J_PASSWORD; database from NEO4J_DATABASE)."),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="The bundled engine's data directory (default $HEALTHGOV_DATA or ./data)."),
]

engine_app = typer.Typer(help="The bundled graph engine (ArcadeDB over Bolt), shared by every healthgov command.",
                         no_args_is_help=True)


def _store_errors(fn):
    """Turn "the store cannot be reached" into one clear line and exit status 2, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import neo4j

        from healthgov.graph.engine import EngineError
        from healthgov.queries.execute import StoreUnavailable

        try:
            return fn(*args, **kwargs)
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, neo4j.exceptions.AuthError,
                EngineError, ConnectionError, StoreUnavailable) as e:
            where = kwargs.get("store_uri") or "the bundled engine"
            typer.echo(f"error: cannot use the graph store ({where}): {_first_line(e)}", err=True)
            raise typer.Exit(2) from None

    return wrapper


# The exit status of every command that reads the graph when no document was loaded into it.
EXIT_EMPTY = 4


def require_built(store) -> None:
    """Stop the command (exit status ``EXIT_EMPTY``) when no document was loaded into ``store``.

    Run by every command that reads the graph, so an empty graph is named instead of answered
    with empty tables and files. Connection failures become ``StoreUnavailable``, which those
    commands already report.
    """
    import neo4j

    from healthgov.graph.store import EMPTY_GRAPH
    from healthgov.queries.execute import StoreUnavailable

    try:
        empty = store.is_empty()
    except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError) as e:
        raise StoreUnavailable(_first_line(e) or type(e).__name__) from e
    if empty:
        typer.echo(f"error: {EMPTY_GRAPH} (store: {store_label(store)})", err=True)
        raise typer.Exit(EXIT_EMPTY)


def store_label(store) -> str:
    """Which graph a message is about, with no credentials: the user may have meant another."""
    from urllib.parse import urlsplit

    if store.kind == "bundled":
        return f"bundled engine, data {store.data_dir}"
    parts = urlsplit(store.uri)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}, database {store.database}"


def register(app: typer.Typer) -> None:
    app.command("build")(_store_errors(build))
    app.command("export")(_store_errors(export))
    app.add_typer(engine_app, name="engine")


class _ProgressBar:
    """``healthgov.loaders.build.BuildProgress`` as a rich progress bar on stderr (gone when done)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=console, transient=True)
        self.task = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("building", total=total)

    def working_on(self, path: Path) -> None:
        self.bar.update(self.task, description=f"[cyan]{path.name}[/]")

    def advance(self) -> None:
        self.bar.advance(self.task)

    def warning(self, message: str) -> None:
        self.console.print(f"[yellow]warning:[/] {message}")

    def keeping(self, done: int, total: int) -> None:
        """The build's last step: answers kept per place (healthgov.queries.kept)."""
        if self.task is None:
            self.bar.start()
        if getattr(self, "kept_task", None) is None:
            self.kept_task = self.bar.add_task("keeping answers per place", total=total)
        self.bar.update(self.kept_task, completed=done)

    def stop(self) -> None:
        if self.task is not None:
            self.bar.stop()


def _keep_answers(store: Any, bar: _ProgressBar) -> tuple[int, float]:
    """A build's last step: the filter-free questions answered per place for the
    parts whose documents changed (``healthgov.queries.kept``), instead of on a first request."""
    from healthgov.queries.registry import keep_answers

    started = time.monotonic()
    try:
        kept = keep_answers(store, progress=bar.keeping, warn=bar.warning)
    except Exception as e:  # noqa: BLE001 - the graph is whole; those answers are then computed per request
        bar.warning(f"answers not kept (each request computes them): {e}")
        kept = 0
    return kept, time.monotonic() - started


def build(
    paths: Annotated[list[Path], typer.Argument(help="Policy documents or directories (searched recursively).")],
    store_uri: StoreOpt = None,
    data_dir: DataDirOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Reload documents even when their content is unchanged.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extract in this many processes; loading stays "
                                      "in this one, in file order.")] = 1,
    batch_docs: Annotated[int, typer.Option("--batch-docs", min=1, help="Write up to this many new documents per "
                                            "transaction (1: one transaction per document). Each document is "
                                            "still whole or absent; a failing batch is retried document by "
                                            "document.")] = 100,
    counts: Annotated[bool, typer.Option("--counts", help="End with every relationship counted by type (slow on "
                                         "a large graph: it reads all of them).")] = False,
) -> None:
    """Extract policy documents and load them into the graph (incremental: unchanged files are skipped)."""
    from healthgov.graph.store import open_store
    from healthgov.loaders import build as loading

    console = Console(stderr=True)
    started = time.monotonic()
    sources = loading.find_sources(paths)
    if not sources.files:
        for path, reason in sources.failures:
            typer.echo(f"error: {path}: {reason}", err=True)
        raise typer.Exit(1)
    options = loading.BuildOptions(force=force, jobs=jobs, batch_docs=batch_docs, counts=counts)
    with open_store(store_uri, data_dir) as store:
        bar = _ProgressBar(console)
        kept, kept_seconds = 0, 0.0
        try:
            report = loading.build(sources, store, options, bar)
            if not report.stopped:
                kept, kept_seconds = _keep_answers(store, bar)
        finally:
            bar.stop()
        where = store.uri if store.kind == "neo4j" else f"bundled engine ({store.data_dir})"
    _summary(console, where, report.loaded, report.skipped, report.failures, report.nodes, report.rels,
             time.monotonic() - started, report.written)
    if kept:
        console.print(f"kept {kept} answers of the filter-free questions (per place) in {kept_seconds:.1f} s")
    if report.lost:
        from healthgov.graph.store import public_uri

        console.print(f"[red]error:[/] lost the graph store at {public_uri(store.uri)}: the documents loaded before "
                      "are whole, the rest were not loaded; run the build again when the store is back")
        raise typer.Exit(2)
    if report.disk_full:
        console.print(f"[red]error:[/] {report.disk_full}. The documents loaded before are whole; the rest were "
                      "not loaded.")
        raise typer.Exit(2)
    if report.failures:
        raise typer.Exit(1)


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0][:300] if text else ""


def _summary(console: Console, where: str, loaded: int, skipped: int, failures: list[tuple[str, str]],
             nodes: dict[str, int], rels: dict[str, int], seconds: float, written: Counter | None = None) -> None:
    out = Console()
    out.print(f"Graph: {where}")
    out.print(f"Documents: {loaded} loaded, {skipped} unchanged (skipped), {len(failures)} failed "
              f"in {seconds:.1f} s")
    if written is not None and (loaded or sum(written.values())):
        out.print(f"This build: {written['nodes_created']} nodes and {written['relationships_created']} relationships "
                  f"created, {written['nodes_deleted']} nodes and {written['relationships_deleted']} relationships "
                  "deleted")
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("nodes")
    table.add_column("", justify="right")
    if rels:
        table.add_column("relationships")
        table.add_column("", justify="right")
    n_items, r_items = sorted(nodes.items()), sorted(rels.items())
    for i in range(max(len(n_items), len(r_items))):
        n = n_items[i] if i < len(n_items) else ("", "")
        r = r_items[i] if i < len(r_items) else ("", "")
        table.add_row(n[0], str(n[1]), *((r[0], str(r[1])) if rels else ()))
    table.add_row("[bold]total[/]", str(sum(nodes.values())),
                  *(("[bold]total[/]", str(sum(rels.values()))) if rels else ()))
    out.print(table)
    if not rels and nodes:
        out.print("(relationships by type: healthgov build --counts)")
    for path, reason in failures:
        console.print(f"[red]FAILED[/] {path}: {reason}")


# --- engine --------------------------------------------------------------------------------


@engine_app.command("start")
def engine_start(data_dir: DataDirOpt = None) -> None:
    """Start the bundled engine for this data directory (or report the one already running)."""
    from healthgov.graph import engine

    started = time.monotonic()
    was = engine.status(data_dir)
    conn = engine.ensure_engine(data_dir)
    verb = "already running" if was else f"started in {time.monotonic() - started:.1f} s"
    typer.echo(f"engine {verb}: {conn.uri} (database {conn.database!r}, data {engine.resolve_data_dir(data_dir)})")


@engine_app.command("stop")
def engine_stop(data_dir: DataDirOpt = None) -> None:
    """Stop the bundled engine of this data directory."""
    from healthgov.graph import engine

    typer.echo("engine stopped" if engine.stop(data_dir) else "engine was not running")


@engine_app.command("status")
def engine_status(data_dir: DataDirOpt = None) -> None:
    """Whether the bundled engine runs, where, and since when (exit code 3 when it does not run)."""
    from healthgov.graph import engine

    state = engine.status(data_dir)
    data = engine.resolve_data_dir(data_dir)
    if state is None:
        typer.echo(f"engine not running (data {data})")
        raise typer.Exit(3)
    up = time.time() - state.started_at
    typer.echo(f"engine running: {state.uri} (database {engine.DATABASE!r})\n"
               f"  pid {state.pid} (java {state.java_pid}), up {up:.0f} s, ArcadeDB {state.version}\n"
               f"  data {data}")


# --- export --------------------------------------------------------------------------------


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="ttl, jsonld, graphml or csv.")] = "ttl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (a directory for csv). "
                                             "Default: stdout for ttl/jsonld, healthgov.graphml, ./export-csv/.")] = None,
    store_uri: StoreOpt = None,
    data_dir: DataDirOpt = None,
    validate: Annotated[bool, typer.Option("--validate/--no-validate",
                                           help="RDF: check against the SHACL shapes first.")] = True,
) -> None:
    """Export the graph: RDF (Turtle, JSON-LD) typed by the ontology, GraphML for Gephi, CSV for neo4j-admin."""
    from healthgov.graph import export as ex
    from healthgov.graph.store import open_store

    if fmt not in ("ttl", "jsonld", "graphml", "csv"):
        raise typer.BadParameter("--format must be ttl, jsonld, graphml or csv")
    console = Console(stderr=True)
    with open_store(store_uri, data_dir) as store:
        require_built(store)
        if fmt in ("ttl", "jsonld"):
            graph = ex.to_rdf(store)
            if validate:
                conforms, report = ex.validate_rdf(graph)
                if not conforms:
                    console.print(report)
                    console.print("[red]the exported RDF does not conform to the SHACL shapes[/]")
                    raise typer.Exit(1)
            text = ex.serialize_rdf(graph, fmt)
            if out is None:
                typer.echo(text)
            else:
                out.write_text(text, encoding="utf-8")
                console.print(f"wrote {len(graph)} triples to {out}")
        else:
            target = out or Path("healthgov.graphml" if fmt == "graphml" else "export-csv")
            try:
                n, m = ex.write_graphml(store, target) if fmt == "graphml" else ex.write_csv(store, target)
            except ex.GraphChanged as e:  # read in pages: a build wrote meanwhile
                console.print(f"[red]{e}[/]")
                raise typer.Exit(1) from None
            if fmt == "graphml":
                console.print(f"wrote {n} nodes and {m} relationships to {target}")
            else:
                console.print(f"wrote {n} nodes and {m} relationships to {target}/ (see {target}/IMPORT.md)")
