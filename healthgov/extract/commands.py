"""``healthgov extract PATH... [--format json|table] [--jsonl] [--out FILE]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from healthgov.extract.errors import ExtractError
from healthgov.extract.pipeline import extract_paths
from healthgov.extract.read import DEFAULT_MAX_BYTES
from healthgov.records import DocumentRecord


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Policy documents or directories (searched recursively).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (one object per document) or table (a summary).")] = "json",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="With --format json: one JSON object per line.")] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the output here instead of stdout.")] = None,
    include_text: Annotated[bool, typer.Option("--include-text", help="Include the decoded text in JSON records.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Refuse files larger than this (MB).")] = DEFAULT_MAX_BYTES / 1e6,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extract in this many processes (output order unchanged).")] = 1,
) -> None:
    """Extract policy records (metadata, sections, tasks, responsibilities, targets) from files."""
    if fmt not in ("json", "table"):
        raise typer.BadParameter("--format must be json or table")
    records: list[DocumentRecord] = []
    failed = 0
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115 - closed below
    try:
        first = True
        if fmt == "json" and not jsonl:
            stream.write("[")
        for res in extract_paths(paths, max_bytes=int(max_mb * 1e6), jobs=jobs):
            if isinstance(res, ExtractError):
                failed += 1
                typer.echo(f"error: {res.path}: {res.reason}", err=True)
                continue
            if fmt == "json":
                obj = json.dumps(res.to_dict(include_text=include_text), ensure_ascii=False)
                if jsonl:
                    stream.write(obj + "\n")
                else:
                    stream.write(("\n" if first else ",\n") + obj)
                first = False
            else:
                records.append(res)
        if fmt == "json" and not jsonl:
            stream.write("\n]\n")
        if fmt == "table":
            _table(records, stream)
    finally:
        if out:
            stream.close()
    if failed:
        raise typer.Exit(1)


def _table(records: list[DocumentRecord], stream) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, width=None if stream.isatty() else 200)
    t = Table(title="healthgov extract", show_lines=False)
    for col in ("file", "title", "number", "issuers", "issued", "jurisdiction", "sections", "tasks", "resp.", "targets", "removed"):
        t.add_column(col, overflow="fold")
    for r in records:
        p = r.policy
        j = p.jurisdiction
        t.add_row(
            Path(r.source).name, p.title, p.doc_number or "", "、".join(i.name for i in p.issuers),
            p.issued_on or "", f"{j.name} ({j.level})" if j else "", str(len(r.sections)), str(len(r.tasks)),
            str(sum(len(x.responsibilities) for x in r.tasks)), str(len(r.targets)), str(len(r.removed)),
        )
    console.print(t)
