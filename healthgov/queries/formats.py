"""Query results as CSV and JSON text, shared by the CLI and the API so both give the same bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any


def cell(value: Any) -> str:
    """One CSV cell: scalars as text, lists of scalars joined with "; ", anything nested as JSON.

    "; " keeps list cells readable in a spreadsheet; values never contain it ambiguously enough to
    matter for ids and agency names, and nested structures stay lossless as JSON.
    """
    kind = type(value)
    if kind is str:  # most cells: first, and by type identity (this runs once per cell of a CSV)
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(v is None or isinstance(v, str | int | float | bool) for v in value):
        return "; ".join(cell(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# Excel reads a CSV file as the system's legacy code page (GBK on Chinese Windows) unless it
# starts with this mark; other readers (Python's csv with utf-8-sig, pandas, LibreOffice) skip it.
BOM = "\ufeff"


ROWS_PER_PIECE = 2000  # rows encoded per piece of text a CSV stream yields


def iter_csv(columns: Sequence[str], rows: Iterable[dict[str, Any]], *, bom: bool = False) -> Iterator[str]:
    """The CSV text in pieces (the header, then a few thousand rows at a time), so a large result
    can be sent as it is encoded instead of built whole first, without a write per line."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = list(columns)
    writer.writerow(columns)
    yield (BOM if bom else "") + buf.getvalue()
    batch: list[list[str]] = []
    for row in rows:
        batch.append([v if type(v) is str else cell(v) for v in map(row.get, columns)])
        if len(batch) >= ROWS_PER_PIECE:
            yield _encoded(buf, writer, batch)
            batch = []
    if batch:
        yield _encoded(buf, writer, batch)


def _encoded(buf: io.StringIO, writer: Any, batch: list[list[str]]) -> str:
    buf.seek(0)
    buf.truncate()
    writer.writerows(batch)
    return buf.getvalue()


def to_csv(columns: Sequence[str], rows: Iterable[dict[str, Any]], *, bom: bool = False) -> str:
    return "".join(iter_csv(columns, rows, bom=bom))


def to_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
