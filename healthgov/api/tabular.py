"""Tabular responses: JSON by default, CSV on ``?format=csv`` or ``Accept: text/csv``; pages with a total.

JSON comes in pages (``limit`` defaults to 100). CSV is a file for people: without an explicit
``limit`` it holds every row from ``offset`` on, is streamed as it is encoded, is named by a
``Content-Disposition`` header, and starts with a UTF-8 byte order mark when asked (``bom=true``)
or when a browser asked for it (``Accept`` includes ``text/html``), because Excel on Chinese
Windows reads a CSV without one as GBK.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from healthgov.queries.formats import iter_csv

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

Format = Literal["json", "csv"]
LimitParam = Annotated[int, Query(ge=0, le=MAX_LIMIT, description="Rows per page (0 gives only the total).")]
OffsetParam = Annotated[int, Query(ge=0, description="Rows to skip before the page.")]
FormatParam = Annotated[Format | None, Query(description="json (default) or csv; `Accept: text/csv` also selects CSV.")]
BomParam = Annotated[bool | None, Query(description=(
    "CSV only: start the file with a UTF-8 byte order mark, which Excel needs to read Chinese. "
    "Default: yes when the request's Accept includes text/html (a browser), no otherwise."))]
# Parameters that shape the answer's form, not its content: left out of a CSV file's name.
_FORM_PARAMS = {"limit", "offset", "format", "bom"}
_CHUNK = 1 << 16


def wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    # CSV only when asked for explicitly: browsers and curl send */* and get JSON.
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


def _accept_q(accept: str) -> dict[str, float]:
    """Media type → quality, from an Accept header (malformed parts are skipped)."""
    out: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (x.strip() for x in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media:
            out[media.lower()] = max(q, out.get(media.lower(), 0.0))
    return out


def wants_html(request: Request, fmt: str | None) -> bool:
    """A browser navigating to a URL: ``Accept`` names text/html, at least as wanted as JSON,
    and no ``format=`` (which always wins). ``*/*`` alone (curl, scripts) is not a browser."""
    if fmt is not None or wants_csv(request, None):
        return False
    q = _accept_q(request.headers.get("accept", ""))
    html = max(q.get("text/html", 0.0), q.get("application/xhtml+xml", 0.0))
    json = q.get("application/json", 0.0)
    if html != json or html == 0:
        return html > json
    order = list(q)  # equally wanted: the one named first
    return order.index("text/html" if "text/html" in q else "application/xhtml+xml") < order.index("application/json")


def wants_bom(request: Request, bom: bool | None) -> bool:
    if bom is not None:
        return bom
    # A browser's navigation or download link sends text/html first; curl, scripts and
    # pandas do not, and get plain UTF-8 that tools reading "UTF-8" byte for byte expect.
    return "text/html" in request.headers.get("accept", "")


def csv_filename(request: Request, stem: str | None = None) -> str:
    """``stem`` (default: the path, as in ``who-leads`` or ``vocab-tier``) and the request's own
    filters, so that several downloads of one query keep apart: ``who-leads_jurisdiction-杭州市.csv``."""
    stem = stem or request.url.path.strip("/").removeprefix("queries/").replace("/", "-") or "rows"
    parts = [stem] + [f"{k}-{v}" for k, v in request.query_params.multi_items() if k not in _FORM_PARAMS and v]
    # Characters no file system takes, and control characters, become "-".
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+', "-", "_".join(parts))[:150]
    return name + ".csv"


def content_disposition(filename: str) -> str:
    ascii_name = re.sub(r"[^\x20-\x7e]+", "_", filename).replace("\\", "_").replace('"', "_")
    if ascii_name == filename:
        return f'attachment; filename="{filename}"'
    # RFC 6266: old clients take the ASCII name, the others the UTF-8 one.
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _chunks(lines: Iterable[str]) -> Iterator[bytes]:
    # Row by row into chunks of ~64 KiB: each chunk of a sync iterator costs a thread hop.
    buf: list[bytes] = []
    size = 0
    for line in lines:
        b = line.encode("utf-8")
        buf.append(b)
        size += len(b)
        if size >= _CHUNK:
            yield b"".join(buf)
            buf, size = [], 0
    if buf:
        yield b"".join(buf)


def csv_response(
    request: Request,
    columns: list[str],
    rows: Iterable[dict[str, Any]],
    *,
    bom: bool | None = None,
    filename: str | None = None,
    headers: dict[str, str] | None = None,
) -> StreamingResponse:
    """``rows`` as a CSV download, encoded as it is sent."""
    out = {**(headers or {}), "Content-Disposition": content_disposition(filename or csv_filename(request)),
           "Vary": "Accept"}
    return StreamingResponse(_chunks(iter_csv(columns, rows, bom=wants_bom(request, bom))),
                             media_type="text/csv; charset=utf-8", headers=out)


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
    bom: bool | None = None,
    filename: str | None = None,
    total: int | None = None,
    rows_offset: int = 0,
) -> Response:
    """One page of ``rows`` (all rows of the result, in their stable order, or those from
    ``rows_offset`` on of ``total``); as CSV, every row from ``offset`` on unless the request gave
    ``limit``."""
    total = len(rows) + rows_offset if total is None else total
    csv_out = wants_csv(request, fmt)
    if csv_out and "limit" not in request.query_params:
        limit = max(total - offset, 0)
    start = max(offset - rows_offset, 0)
    page = rows[start : start + limit]
    headers = {"X-Total-Count": str(total), "X-Offset": str(offset), "X-Limit": str(limit)}
    if csv_out:
        return csv_response(request, columns, page, bom=bom, filename=filename, headers=headers)
    body = {**(meta or {}), "columns": columns, "total": total, "limit": limit, "offset": offset, "rows": page}
    # The same URL answers HTML, JSON or CSV by Accept: caches must keep them apart.
    return UTF8JSONResponse(body, headers={**headers, "Vary": "Accept"})


def etag_for(request: Request, graph_version: tuple[Any, ...] | None, fmt: str | None) -> str | None:
    """An entity tag for this request's answer at ``graph_version`` (None: no version known).

    Same graph version, same URL (path and query) and same format: same bytes. So a client that
    sends the tag back in ``If-None-Match`` gets ``304 Not Modified`` until the graph changes.
    """
    if graph_version is None:
        return None
    epoch, counter = graph_version[0], graph_version[-1]
    h = hashlib.blake2b(digest_size=10)
    csv_out = wants_csv(request, fmt)
    # A CSV's bytes also depend on Accept (the default byte order mark); the URL has the rest.
    form = (csv_out, csv_out and wants_bom(request, None))
    h.update(repr((epoch, request.url.path, sorted(request.query_params.multi_items()), form)).encode())
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
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"})
    return None


def with_etag(response: Response, etag: str | None) -> Response:
    if etag is not None:
        response.headers["ETag"] = etag
        # Stored copies must be revalidated (a 304 costs no query) before reuse: the graph changes.
        response.headers["Cache-Control"] = "no-cache"
    return response
