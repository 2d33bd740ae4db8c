"""``healthgov serve [--host 127.0.0.1] [--port 8000] [--store URI]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    store_uri: Annotated[str | None, typer.Option("--store", help="'bundled' (default) or a bolt:// / neo4j:// URI.")] = None,
    data_dir: Annotated[str | None, typer.Option("--data-dir", help="Data directory of the bundled engine.")] = None,
    cors_origin: Annotated[list[str] | None, typer.Option("--cors-origin", help="Allow browser calls from this origin (repeatable).")] = None,
    cypher_timeout: Annotated[float, typer.Option("--cypher-timeout", min=0.1, help="Time limit of POST /cypher, seconds.")] = 10.0,
    cypher_row_cap: Annotated[int, typer.Option("--cypher-row-cap", min=1, help="Most rows POST /cypher returns.")] = 1000,
    cache: Annotated[bool | None, typer.Option(
        "--cache/--no-cache", help="Cache named-query results per graph version (default: on, or HEALTHGOV_CACHE).")] = None,
    cache_ttl_ms: Annotated[int | None, typer.Option(
        "--cache-ttl-ms", min=0, help="Check the graph's version at most this often, ms: the bound on how long "
        "another process's write can go unseen (default 250, or HEALTHGOV_CACHE_TTL_MS; 0 = every request).")] = None,
    sources: Annotated[list[Path] | None, typer.Option(
        "--sources", help="A directory the source documents are found under, for the evidence text of task-detail "
        "(repeatable; also HEALTHGOV_SOURCES, then the current directory): where `healthgov build` ran, or the "
        "directory it built.")] = None,
) -> None:
    """Serve the HTTP API (named queries, resources, read-only Cypher; docs at /docs)."""
    import uvicorn

    from healthgov.api.app import create_app
    from healthgov.graph.store import open_store, public_uri
    from healthgov.queries.cache import ttl_from_env

    for d in sources or []:
        if not d.is_dir():
            typer.echo(f"error: --sources {d}: not a directory", err=True)
            raise typer.Exit(2)
    if cache_ttl_ms is None:
        try:  # a bad environment value is reported before any engine is started
            cache_ttl_ms = ttl_from_env()
        except ValueError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from None
    from healthgov.queries.evidence import set_source_roots

    set_source_roots(list(sources or []))
    store = open_store(store_uri, data_dir)
    try:
        _warn_if_empty(store)
        app = create_app(store, cypher_timeout=cypher_timeout, cypher_row_cap=cypher_row_cap,
                         cors_origins=cors_origin or None, cache=cache, cache_ttl_ms=cache_ttl_ms)
        typer.echo(f"healthgov API on http://{host}:{port} (docs: /docs) · store {public_uri(store.uri)} ({store.kind})")
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        store.close()


def _warn_if_empty(store) -> None:
    """Say so when the graph is empty, and serve anyway.

    A server started before the first build (a deployment's usual order) answers /health and
    picks up the documents a later ``healthgov build`` loads, without a restart; only the
    named queries answer with no rows until then.
    """
    from healthgov.graph.commands import store_label
    from healthgov.graph.store import EMPTY_GRAPH

    try:
        empty = store.is_empty()
    except Exception:  # noqa: BLE001 - an unreachable store is /health's to report, as before
        return
    if empty:
        typer.echo(f"warning: {EMPTY_GRAPH} (store: {store_label(store)}); serving anyway: the API answers "
                   "/health now and the documents once they are built", err=True)
