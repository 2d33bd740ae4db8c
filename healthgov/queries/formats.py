"""Query results as CSV and JSON text, shared by the CLI and the API so both give the same bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any


def cell(value: Any) -> str:
    """One CSV cell: scalars as text, lists of scalars joined with "; ", anything nested as JSON.

    "; " keeps list cells readable in a spreadsheet; values never contain it ambiguously enough to
    matter for ids and agency names, and nested structures stay lossless as JSON.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(v is None or isinstance(v, str | int | float | bool) for v in value):
        return "; ".join(cell(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return buf.getvalue()


def to_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
