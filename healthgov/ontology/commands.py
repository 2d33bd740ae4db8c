"""``healthgov ontology``: what the ontology and vocabularies hold, and whether they are sound."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    text = "text"
    json = "json"


def ontology(
    reason: Annotated[
        bool, typer.Option("--reason/--no-reason", help="Check OWL consistency with HermiT (needs Java).")
    ] = True,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """Show the ontology IRI, term and concept counts, and validation status (exit 1 if a check fails)."""
    from healthgov.ontology.summary import render_text, summarize

    s = summarize(reason=reason)
    if fmt is Format.json:
        typer.echo(json.dumps(s.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(s))
    if not s.ok:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.command("ontology")(ontology)
