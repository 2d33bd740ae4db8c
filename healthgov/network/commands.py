"""``healthgov network [measures|summary|communities|edges|compare] [filters] [--format table|json|csv|graphml]``."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from healthgov.network.tables import TABLES
from healthgov.queries.formats import cell, to_csv, to_json

FORMATS = ("table", "json", "csv", "graphml")


def register(app: typer.Typer) -> None:
    app.command("network")(network)


def network(
    what: Annotated[str, typer.Argument(help=f"One of: {', '.join(TABLES)}.")] = "measures",
    jurisdiction: Annotated[list[str] | None, typer.Option("--jurisdiction", "-j", help="Places whose policies set the tasks (repeat or a,b).")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Only tasks on this topic (id or label).")] = None,
    level: Annotated[str | None, typer.Option("--level", help="Only policies of places at this level (nation, province, city, county...).")] = None,
    policy: Annotated[str | None, typer.Option("--policy", help="Only the tasks of this policy (id).")] = None,
    agency_type: Annotated[str | None, typer.Option("--agency-type", help="Rows for this agency type only (id or label).")] = None,
    pooled: Annotated[bool, typer.Option("--pooled", help="One network over all places instead of one per jurisdiction.")] = False,
    implicit: Annotated[bool, typer.Option("--implicit/--explicit-only", help="Count units added by scoped rules (default) or only units written at the task.")] = True,
    collective: Annotated[bool, typer.Option("--collective", help="Include classes of bodies (各地, 各区县政府, 相关部门) as nodes.")] = False,
    bipartite: Annotated[bool, typer.Option("--bipartite", help="With --format graphml: the agency–task bipartite graph.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or graphml.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of standard output.")] = None,
    store_uri: Annotated[str | None, typer.Option("--store", help="'bundled' (default) or a bolt:// / neo4j:// URI.")] = None,
    data_dir: Annotated[str | None, typer.Option("--data-dir", help="Data directory of the bundled engine.")] = None,
) -> None:
    """The inter-agency network that joint responsibility creates: centrality, brokers, communities.

    graphml writes the network over every filtered task (places side by side) with its measures
    as node attributes, whatever table is named.
    """
    from healthgov.network.graphs import Filters
    from healthgov.queries.params import ParamError

    if what not in TABLES:
        raise typer.BadParameter(f"must be one of {', '.join(TABLES)}", param_hint="WHAT")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        filters = Filters.parse({"jurisdiction": jurisdiction or [], "topic": topic, "level": level, "policy": policy,
                                 "agency_type": agency_type, "pooled": pooled, "implicit": implicit,
                                 "collective": collective})  # fmt: skip
    except ParamError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

    from healthgov.graph.commands import require_built
    from healthgov.graph.store import open_store
    from healthgov.network.tables import graph_for_export, table, to_graphml
    from healthgov.queries.execute import StoreUnavailable

    try:
        with open_store(store_uri, data_dir) as store:
            require_built(store)
            if fmt == "graphml":
                text = to_graphml(graph_for_export(store, filters, bipartite=bipartite))
            else:
                answer = table(store, what, filters)
    except StoreUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if fmt == "graphml":
        pass
    elif fmt == "json":
        text = to_json({"table": what, "filters": asdict(filters),
                        "columns": answer.columns, "total": len(answer.rows), "rows": answer.rows}) + "\n"  # fmt: skip
    elif fmt == "csv":
        text = to_csv(answer.columns, answer.rows)
    else:
        if out is None:
            _print_table(what, answer.columns, answer.rows)
            return
        text = to_csv(answer.columns, answer.rows)  # a table in a file is more useful as CSV
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{out}: {what if fmt != 'graphml' else 'graph'} ({fmt})", err=True)


def _print_table(what: str, columns: list[str], rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"network {what}: {len(rows)} rows")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(_short(cell(row.get(c))) for c in columns))
    Console(width=max(160, Console().width)).print(table)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
