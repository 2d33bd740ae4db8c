"""One typed GET endpoint per named query, generated from the query's header.

FastAPI reads an endpoint's parameters from its signature; here the signature is built from the
``@param`` lines, so ``/docs`` shows each parameter with its type, choices, bounds and
description, and FastAPI rejects a wrongly typed value with 422 before any Cypher runs. Checks
FastAPI cannot express (a concept label that is not in the vocabulary) raise ``ParamError``,
which the app also turns into 422.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from healthgov.api import pages
from healthgov.api.schemas import STORE_ERRORS, QueryInfo, errors, query_page_model, table_responses
from healthgov.api.tabular import (
    DEFAULT_LIMIT,
    BomParam,
    FormatParam,
    LimitParam,
    OffsetParam,
    csv_response,
    etag_for,
    not_modified,
    table_response,
    wants_csv,
    wants_html,
    with_etag,
)
from healthgov.queries import registry
from healthgov.queries.params import ParamError, ParamSpec

RESERVED = {"limit", "offset", "format", "bom", "request"}


def _annotation(p: ParamSpec) -> Any:
    t = p.type
    if t.base == "enum":
        base: Any = Literal[t.choices]  # type: ignore[valid-type]
    else:
        base = t.python_type
    constraints: dict[str, Any] = {}
    if t.base == "int":
        if t.minimum is not None:
            constraints["ge"] = t.minimum
        if t.maximum is not None:
            constraints["le"] = t.maximum
    desc = p.description
    if t.base == "concept":
        desc = f"{desc} (see /vocab/{t.scheme})"
    if t.is_list:
        desc = f"{desc}. Repeat the parameter or separate values with commas."
        base = list[base]
    if p.required:
        return Annotated[base, Query(description=desc, **constraints)]
    return Annotated[base | None, Query(description=desc, **constraints)]


def _default(p: ParamSpec) -> Any:
    if p.required:
        return inspect.Parameter.empty
    d = p.default_value()
    return None if d == [] else d


def _signature(spec: registry.QuerySpec, paged: bool) -> inspect.Signature:
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("request", kw, annotation=Request)]
    for p in spec.params:
        if p.name in RESERVED:
            raise ValueError(f"query {spec.name!r}: parameter name {p.name!r} is reserved by the API")
        params.append(inspect.Parameter(p.name, kw, annotation=_annotation(p), default=_default(p)))
    if paged:
        params.append(inspect.Parameter("limit", kw, annotation=LimitParam, default=DEFAULT_LIMIT))
        params.append(inspect.Parameter("offset", kw, annotation=OffsetParam, default=0))
    params.append(inspect.Parameter("format", kw, annotation=FormatParam, default=None))
    params.append(inspect.Parameter("bom", kw, annotation=BomParam, default=None))
    return inspect.Signature(params)


def query_endpoint(
    spec: registry.QuerySpec,
    run: Callable[[str, dict[str, Any]], registry.QueryResult],
    *,
    paged: bool = True,
    page: bool = False,
) -> Callable[..., Response]:
    """A GET handler for ``spec``; ``run(name, raw_params)`` executes it against the app's store.

    ``page``: a browser (``Accept: text/html``, no ``format=``) gets the query's web page
    (``pages.render``) from the same run, limit and offset.
    """

    allowed = {p.name for p in spec.params} | ({"limit", "offset", "format", "bom"} if paged else {"format", "bom"})

    def endpoint(request: Request, **kwargs: Any) -> Response:
        # FastAPI ignores unknown query parameters; a misspelt filter would then silently return
        # everything, so it is an error here.
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ParamError(unknown[0], f"unknown parameter; this endpoint takes: {', '.join(sorted(allowed))}")
        limit = kwargs.pop("limit", DEFAULT_LIMIT)
        offset = kwargs.pop("offset", 0)
        fmt = kwargs.pop("format", None)
        bom = kwargs.pop("bom", None)
        raw = {k: v for k, v in kwargs.items() if v is not None}
        whole_csv = wants_csv(request, fmt) and "limit" not in request.query_params
        if whole_csv and (spec.chunked is not None or spec.kept) and offset == 0:
            # Every row, streamed as it is read: kept answers piece by piece, or the engine's rows a
            # few policies at a time (bounded memory either way).
            version, total, rows = request.app.state.stream_query(spec.name, raw)
            etag = etag_for(request, version, fmt)
            unchanged = not_modified(request, etag)
            if unchanged is not None:
                return unchanged
            headers = {"X-Offset": "0", **({"X-Total-Count": str(total)} if total is not None else {})}
            return with_etag(csv_response(request, list(spec.columns), rows, bom=bom, headers=headers), etag)
        result = run(spec.name, raw, (offset, None if whole_csv else limit))
        if page and wants_html(request, fmt):
            return pages.render(request, spec, run, result=result, limit=limit, offset=offset)
        etag = etag_for(request, result.graph_version, fmt)
        unchanged = not_modified(request, etag)
        if unchanged is not None:
            return unchanged
        response = table_response(
            request, columns=result.columns, rows=result.rows, limit=limit, offset=offset, fmt=fmt,
            meta={"query": spec.name, "params": result.params, "total_estimated": result.total_estimated}, bom=bom,
            total=result.total, rows_offset=result.offset,
        )
        if result.total_estimated:
            response.headers["X-Total-Estimated"] = "true"
        return with_etag(response, etag)

    endpoint.__signature__ = _signature(spec, paged)  # type: ignore[attr-defined]
    endpoint.__name__ = "query_" + spec.name.replace("-", "_")
    endpoint.__doc__ = spec.description + (f"\n\n{spec.notes}" if spec.notes else "") + (
        "\n\nColumns: " + ", ".join(spec.columns)
    )
    return endpoint


def router(run: Callable[[str, dict[str, Any]], registry.QueryResult]) -> APIRouter:
    r = APIRouter(prefix="/queries", tags=["named queries"])

    @r.get("", summary="List the named queries with their parameters and columns", response_model=None,
           responses={200: {"model": list[QueryInfo]}, **errors(500)})
    def list_queries() -> list[dict[str, Any]]:
        return [spec.to_dict() for spec in registry.load_queries().values()]

    for spec in registry.load_queries().values():
        r.add_api_route(
            f"/{spec.name}",
            query_endpoint(spec, run, page=True),
            methods=["GET"],
            summary=spec.description,
            response_class=Response,
            responses=table_responses(query_page_model(spec.name, spec.columns), 422, 504, *STORE_ERRORS),
        )
    return r
