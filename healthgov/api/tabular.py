"""Tabular responses: JSON by default, CSV on ``?format=csv`` or ``Accept: text/csv``; pages with a total."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from healthgov.queries.formats import to_csv

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

Format = Literal["json", "csv"]
LimitParam = Annotated[int, Query(ge=0, le=MAX_LIMIT, description="Rows per page (0 gives only the total).")]
OffsetParam = Annotated[int, Query(ge=0, description="Rows to skip before the page.")]
FormatParam = Annotated[Format | None, Query(description="json (default) or csv; `Accept: text/csv` also selects CSV.")]


def wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    # CSV only when asked for explicitly: browsers and curl send */* and get JSON.
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


class UTF8JSONResponse(JSONResponse):
    """JSON with Chinese left readable (not \\u escapes); the charset is declared."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        import json

        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def table_response(
    request: Request,
    *,
    columns: list[str],
    rows: list[dict[str, Any]],
    limit: int,
    offset: int,
    fmt: str | None,
    meta: dict[str, Any] | None = None,
) -> Response:
    """One page of ``rows`` (all rows of the result, in their stable order)."""
    total = len(rows)
    page = rows[offset : offset + limit]
    headers = {"X-Total-Count": str(total), "X-Offset": str(offset), "X-Limit": str(limit)}
    if wants_csv(request, fmt):
        return Response(to_csv(columns, page), media_type="text/csv; charset=utf-8", headers=headers)
    body = {**(meta or {}), "columns": columns, "total": total, "limit": limit, "offset": offset, "rows": page}
    return UTF8JSONResponse(body, headers=headers)
