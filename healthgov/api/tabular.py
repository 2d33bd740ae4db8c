"""Tabular responses: JSON by default, CSV on ``?format=csv`` or ``Accept: text/csv``; pages with a total."""

from __future__ import annotations

import hashlib
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


def etag_for(request: Request, graph_version: tuple[Any, ...] | None, fmt: str | None) -> str | None:
    """An entity tag for this request's answer at ``graph_version`` (None: no version known).

    Same graph version, same URL (path and query) and same format: same bytes. So a client that
    sends the tag back in ``If-None-Match`` gets ``304 Not Modified`` until the graph changes.
    """
    if graph_version is None:
        return None
    epoch, counter = graph_version[0], graph_version[-1]
    h = hashlib.blake2b(digest_size=10)
    h.update(repr((epoch, request.url.path, sorted(request.query_params.multi_items()), wants_csv(request, fmt))).encode())
    return f'"g{counter}-{h.hexdigest()}"'


def not_modified(request: Request, etag: str | None) -> Response | None:
    """``304`` when ``If-None-Match`` names ``etag`` (or is ``*``), else None."""
    if etag is None:
        return None
    header = request.headers.get("if-none-match")
    if not header:
        return None
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    if "*" in tags or etag in tags:
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
    return None


def with_etag(response: Response, etag: str | None) -> Response:
    if etag is not None:
        response.headers["ETag"] = etag
        # Stored copies must be revalidated (a 304 costs no query) before reuse: the graph changes.
        response.headers["Cache-Control"] = "no-cache"
    return response
