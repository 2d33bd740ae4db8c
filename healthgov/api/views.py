"""The views over HTTP: ``/views/{name}`` (same parameters as ``healthgov view``) and the index ``/``.

An ``APIRouter`` the API's ``create_app`` includes; the store is the app's own
(``app.state.store``), so the views read the same graph as the query endpoints.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from healthgov.api.schemas import errors
from healthgov.queries.params import ParamError
from healthgov.queries.registry import load_queries
from healthgov.visualize.common import ViewError
from healthgov.visualize.data import JURISDICTIONS
from healthgov.visualize.model import View
from healthgov.visualize.registry import VIEWS, describe, form_choices, make_view
from healthgov.visualize.render import render_index, render_view

router = APIRouter(tags=["views"])

# The index itself; /docs and /openapi.json are linked on their own line.
_NOT_ENDPOINTS = ("/",)


def _store(request: Request):  # noqa: ANN202 - the graph layer's Store
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise HTTPException(503, "no graph store attached to this app")
    return store


@router.get("/views/{name}", response_class=HTMLResponse, summary="An interactive network view",
            responses=errors(400, 404, 422, 500, 503))
async def view_page(name: str, request: Request) -> HTMLResponse:
    # A multi-select sends one value per chosen place; the views take them as one list[zh] value.
    params = {k: ",".join(v for v in request.query_params.getlist(k) if v) for k in request.query_params}
    store = _store(request)
    try:
        # The driver blocks; keep the event loop free for other requests.
        built = await run_in_threadpool(make_view, store, name, params)
    except (ParamError, ViewError) as e:
        if name in VIEWS and _wants_html(request):
            # A browser gets the view's own page back, the message next to the field at fault.
            page = await run_in_threadpool(_error_page, store, name, params, e)
            return HTMLResponse(page, status_code=422)
        if isinstance(e, ParamError):
            raise  # a place that is no place (data.PlaceError): the app answers 422 in the API's shape
        raise HTTPException(404 if name not in VIEWS else 400, str(e)) from None
    return HTMLResponse(render_view(built, served=True))


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _error_page(store, name: str, params: dict[str, str], error: ValueError) -> str:  # noqa: ANN001 - the Store
    spec = VIEWS[name]
    field = getattr(error, "param", None)
    message = getattr(error, "message", None) or str(error)
    view = View(name=name, title=spec.title, description=spec.description, params=params,
                choices=form_choices(store, name), error=(field, message),
                selected={k: [x for x in v.split(",") if x] for k, v in params.items() if k != "max_nodes"})  # fmt: skip
    return render_view(view, served=True)


@router.get("/", response_class=HTMLResponse, summary="Index: the views, every API operation and /docs",
            responses=errors(500, 503))
async def index(request: Request) -> HTMLResponse:
    store = _store(request)
    rows = await run_in_threadpool(store.read, JURISDICTIONS, {})
    places = [r["name"] for r in rows]
    views = describe()
    for v in views:
        v["examples"] = [("default", f"/views/{v['name']}")]
        if "jurisdiction" in v["params"]:
            v["examples"] += [(p, f"/views/{v['name']}?{urlencode({'jurisdiction': p})}") for p in places]
    queries = [{"name": q.name, "description": q.description} for q in sorted(load_queries().values(), key=lambda q: q.name)]
    return HTMLResponse(render_index(views, _endpoints(request), queries, compare=True))


def _endpoints(request: Request) -> list[dict[str, str | None]]:
    """Every documented operation, read from the app's own OpenAPI so the list never goes stale.

    Each links to a working example (path and required parameters filled from the examples the
    OpenAPI gives) and to its entry in /docs; grouped by tag in the OpenAPI's order.
    """
    spec = request.app.openapi()
    out: list[dict[str, str | None]] = []
    for path, ops in spec.get("paths", {}).items():
        if path in _NOT_ENDPOINTS:
            continue
        for method, op in ops.items():
            tag = (op.get("tags") or ["other"])[0]
            out.append({"path": path, "method": method.upper(), "tag": tag,
                        "summary": op.get("summary") or op.get("operationId", ""),
                        "href": _example_href(path, op.get("parameters", [])) if method == "get" else None,
                        "docs": f"/docs#/{quote(tag)}/{op.get('operationId', '')}"})
    tags = list(dict.fromkeys(e["tag"] for e in out))
    return sorted(out, key=lambda e: tags.index(e["tag"]))


def _example_href(path: str, params: list[dict]) -> str | None:
    """``path`` with its path parameters and required query parameters set to their examples;
    None when one has no example (the entry then links to /docs only)."""
    query: list[tuple[str, str]] = []
    for p in params:
        if p.get("in") == "path" or (p.get("in") == "query" and p.get("required")):
            if "example" not in p:
                return None
            values = p["example"] if isinstance(p["example"], list) else [p["example"]]
            if p["in"] == "path":
                path = path.replace("{" + p["name"] + "}", quote(str(values[0]), safe="/"))
            else:
                query += [(p["name"], str(v)) for v in values]
    return path + (f"?{urlencode(query)}" if query else "")
