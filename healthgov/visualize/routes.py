"""The views over HTTP: ``/views/{name}`` (same parameters as ``healthgov view``) and the index ``/``.

An ``APIRouter`` the API's ``create_app`` includes; the store is the app's own
(``app.state.store``), so the views read the same graph as the query endpoints.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from healthgov.visualize.common import ViewError
from healthgov.visualize.data import JURISDICTIONS
from healthgov.visualize.registry import VIEWS, describe, make_view
from healthgov.visualize.render import render_index, render_view

router = APIRouter(tags=["views"])

# Own pages and FastAPI's documentation: the index links /docs on its own line.
_NOT_ENDPOINTS = ("/", "/views", "/docs", "/redoc", "/openapi.json")


def _store(request: Request):  # noqa: ANN202 - the graph layer's Store
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise HTTPException(503, "no graph store attached to this app")
    return store


@router.get("/views/{name}", response_class=HTMLResponse, summary="An interactive network view")
async def view_page(name: str, request: Request) -> HTMLResponse:
    params = dict(request.query_params)
    store = _store(request)
    try:
        # The driver blocks; keep the event loop free for other requests.
        built = await run_in_threadpool(make_view, store, name, params)
    except ViewError as e:
        raise HTTPException(404 if name not in VIEWS else 400, str(e)) from None
    return HTMLResponse(render_view(built, served=True))


@router.get("/", response_class=HTMLResponse, summary="Index: the views, the query endpoints and /docs")
async def index(request: Request) -> HTMLResponse:
    store = _store(request)
    rows = await run_in_threadpool(store.read, JURISDICTIONS, {})
    places = [r["name"] for r in rows]
    views = describe()
    for v in views:
        v["examples"] = [("default", f"/views/{v['name']}")]
        if "jurisdiction" in v["params"]:
            v["examples"] += [(p, f"/views/{v['name']}?{urlencode({'jurisdiction': p})}") for p in places]
    return HTMLResponse(render_index(views, _endpoints(request)))


def _endpoints(request: Request) -> list[dict[str, str]]:
    """The query endpoints, read from the app itself so the list never goes stale."""
    out = []
    for route in request.app.routes:
        if not isinstance(route, APIRoute) or route.path in _NOT_ENDPOINTS or route.path.startswith("/views"):
            continue
        methods = ",".join(sorted(m for m in route.methods if m != "HEAD"))
        out.append({"path": route.path, "methods": methods, "summary": route.summary or route.name.replace("_", " ")})
    return sorted(out, key=lambda e: e["path"])
