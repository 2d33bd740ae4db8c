"""``healthgov view NAME [--param key=value ...] --out FILE.html``: a view as one offline HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthgov.visualize.common import ViewError
from healthgov.visualize.registry import VIEWS, describe


def parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ViewError(f"--param takes key=value, not {pair!r}")
        params[key.strip()] = value.strip()
    return params


def register(app: typer.Typer) -> None:
    @app.command("view")
    def view(
        name: Annotated[str, typer.Argument(help=f"One of: {', '.join(VIEWS)}.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")],
        param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable (jurisdiction=重庆市).")] = None,
        uri: Annotated[str | None, typer.Option("--uri", help="Bolt URI of a Neo4j server (default: the bundled engine).")] = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data directory of the bundled engine.")] = None,
    ) -> None:
        """Write a network view of the graph as a self-contained HTML file (opens offline)."""
        from healthgov.graph.commands import require_built
        from healthgov.graph.store import open_store
        from healthgov.queries.execute import StoreUnavailable
        from healthgov.visualize.registry import make_view
        from healthgov.visualize.render import render_view

        try:
            params = parse_params(param or [])
            with open_store(uri=uri, data_dir=data_dir) as store:
                require_built(store)
                built = make_view(store, name, params)
        except ViewError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from None
        except StoreUnavailable as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(1) from None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_view(built), encoding="utf-8")
        typer.echo(f"{out}: {built.name}, {len(built.nodes)} nodes, {len(built.edges)} edges")
        for note in built.notes:
            typer.echo(f"  note: {note}")

    @app.command("views")
    def views() -> None:
        """List the views and their parameters."""
        for v in describe():
            typer.echo(f"{v['name']}: {v['title']}\n  {v['description']}")
            for key, help_ in v["params"].items():
                typer.echo(f"    --param {key}=…  {help_}")
