"""``healthgov query NAME [--param key=value ...] [--format table|json|csv]`` and ``healthgov query --list``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from healthgov.queries import registry
from healthgov.queries.execute import QueryTimeout, StoreUnavailable
from healthgov.queries.formats import cell, iter_csv, to_json
from healthgov.queries.params import ParamError

FORMATS = ("table", "json", "csv")


def register(app: typer.Typer) -> None:
    app.command("query")(query)


def _parse_params(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs; a key given twice collects a list (as does a comma-separated value)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise typer.BadParameter(f"expected key=value, got {pair!r}", param_hint="--param")
        if key in out:
            prev = out[key]
            out[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[key] = value
    return out


def _list_queries() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Named queries (healthgov query NAME --param key=value)", show_lines=True)
    table.add_column("name", style="bold")
    table.add_column("description")
    table.add_column("parameters")
    for spec in registry.load_queries().values():
        params = "\n".join(
            f"{p.name}: {p.type.describe()}" + ("" if p.required else f" = {cell(p.default_value()) or 'null'}")
            for p in spec.params
        )
        table.add_row(spec.name, spec.description, params)
    Console().print(table)


def _print_table(result: registry.QueryResult, total: int, columns: list[str] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    cols = columns or _readable_columns(result.columns)
    table = Table(title=f"{result.query}: {len(result.rows)} of {total} rows", show_lines=False)
    for col in cols:
        table.add_column(col, no_wrap=True, max_width=40)
    for row in result.rows:
        table.add_row(*(_short(cell(row.get(c)), 40) for c in cols))
    if len(cols) < len(result.columns):
        table.caption = f"{len(result.columns) - len(cols)} more columns: --columns a,b or --format csv/json for all"
    # A table wider than the terminal is unreadable when folded: let it run wide instead.
    from rich.cells import cell_len

    need = [max([cell_len(c)] + [cell_len(_short(cell(r.get(c)), 40)) for r in result.rows]) for c in cols]
    width = max(Console().width, sum(min(80, n) + 3 for n in need) + 1)
    Console(width=width).print(table)


# Identifiers and the English/Chinese duplicates of a label are for programs (json, csv); a
# terminal reader wants the names.
def _readable_columns(columns: list[str]) -> list[str]:
    keep = [c for c in columns if not (c == "id" or c.endswith("_id") or c.endswith("_en") or c.endswith("_zh"))]
    return keep[:10] if keep else columns


def _short(text: str, limit: int = 80) -> str:
    # Task texts run to hundreds of characters: a terminal table shows their beginning.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def query(
    name: Annotated[str | None, typer.Argument(help="Query name (see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value; repeat for more (lists: repeat or a,b).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="At most this many rows.")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")] = 0,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries and their parameters.")] = False,
    columns: Annotated[str | None, typer.Option("--columns", help="Table format: the columns to show, comma-separated.")] = None,
    bom: Annotated[bool, typer.Option("--bom", help="CSV format: start with a UTF-8 byte order mark (Excel needs it to read Chinese).")] = False,
    store_uri: Annotated[str | None, typer.Option("--store", help="'bundled' (default) or a bolt:// / neo4j:// URI.")] = None,
    data_dir: Annotated[str | None, typer.Option("--data-dir", help="Data directory of the bundled engine.")] = None,
) -> None:
    """Run a named, parameterised query against the graph (the comparative questions researchers ask)."""
    if list_:
        _list_queries()
        return
    if not name:
        raise typer.BadParameter("give a query name, or --list to see them", param_hint="NAME")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        spec = registry.get(name)
        raw = _parse_params(param or [])
        from healthgov.queries.params import bind

        bind(spec.params, raw)  # fail on bad parameters before starting an engine
    except (registry.UnknownQuery, ParamError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

    from healthgov.graph.commands import require_built
    from healthgov.graph.store import open_store

    try:
        with open_store(store_uri, data_dir) as store:
            require_built(store)
            if fmt == "csv" and limit is None and offset == 0 and (spec.chunked is not None or spec.kept):
                # Every row, written as it is read: kept answers piece by piece, or a few policies at a time.
                _spec, _shown, _total, rows = registry.stream(store, name, raw)
                sys.stdout.flush()
                out = sys.stdout.buffer
                for line in iter_csv(list(spec.columns), rows, bom=bom):
                    out.write(line.encode("utf-8"))
                out.flush()
                return
            result = registry.run(store, name, raw, window=(offset, limit))
    except (StoreUnavailable, QueryTimeout, registry.QueryTooLarge) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None

    total = result.total
    result.rows = result.page(offset, limit)
    if fmt == "json":
        sys.stdout.write(to_json({
            "query": name, "params": result.params, "columns": result.columns,
            "total": total, "offset": offset, "limit": limit, "rows": result.rows,
        }) + "\n")
    elif fmt == "csv":
        # Bytes, not text: the file is UTF-8 whatever the terminal's locale would encode.
        sys.stdout.flush()
        out = sys.stdout.buffer
        for line in iter_csv(result.columns, result.rows, bom=bom):
            out.write(line.encode("utf-8"))
        out.flush()
    else:
        chosen = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
        unknown = [c for c in chosen or [] if c not in result.columns]
        if unknown:
            typer.echo(f"error: unknown column(s) {', '.join(unknown)}; columns: {', '.join(result.columns)}", err=True)
            raise typer.Exit(2)
        _print_table(result, total, chosen)
