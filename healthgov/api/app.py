"""The HTTP API: ``create_app(store)`` → a FastAPI app serving the named queries and resources.

Errors are answers, not crashes: a bad parameter is 422 with the parameter and the reason, an
unknown resource 404, a refused Cypher query 403 (400 when it does not parse), a query past its
time limit 504, a request body over the size limit 413 (``limits.py``), and an unreachable graph
engine 503 naming the store (never its credentials).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import neo4j
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from healthgov import __version__
from healthgov.api import compare, cypher_endpoint, named, pages, resources, schemas
from healthgov.api.limits import DEFAULT_MAX_BODY_BYTES, BodySizeLimit
from healthgov.api.network import router as network_router
from healthgov.api.offline_docs import install_offline_docs
from healthgov.api.schemas import Health, errors
from healthgov.api.tabular import UTF8JSONResponse
from healthgov.api.views import router as views_router
from healthgov.graph.store import public_uri
from healthgov.queries import registry
from healthgov.queries.cache import QueryCache
from healthgov.queries.execute import QueryTimeout, StoreUnavailable
from healthgov.queries.params import ParamError

log = logging.getLogger("healthgov.api")

DESCRIPTION = """\
Named comparative queries over the healthgov knowledge graph (China's health-system governance,
built from policy documents), REST resources, vocabularies and a read-only Cypher endpoint.

Tabular results are JSON by default; add `?format=csv` or send `Accept: text/csv` for CSV.
A browser (`Accept: text/html`, no `format=`) opening `/queries/{name}` gets the query's web page:
a form generated from its parameters and the result as a table. `format=` always wins; these
answers send `Vary: Accept`.
Lists are paged with `limit` and `offset`; the JSON body and the `X-Total-Count` header give the
total. Chinese parameters may be written in simplified or traditional characters.
"""


def _store_info(store: Any) -> dict[str, Any]:
    return {"uri": public_uri(getattr(store, "uri", "")), "kind": getattr(store, "kind", None),
            "database": getattr(store, "database", None)}


def create_app(
    store: Any,
    *,
    query_timeout: float = registry.DEFAULT_TIMEOUT,
    cypher_timeout: float = 10.0,
    cypher_row_cap: int = 1000,
    cors_origins: list[str] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    cache: bool | None = None,
    cache_ttl_ms: int | None = None,
) -> FastAPI:
    """An app bound to ``store`` (a ``healthgov.graph.store.Store``; the caller owns and closes it).

    Named-query results are cached per graph version (``healthgov.queries.cache``) unless
    ``cache`` is False or, when it is None, the environment sets ``HEALTHGOV_CACHE=0``;
    ``cache_ttl_ms`` (default ``HEALTHGOV_CACHE_TTL_MS``, else 250) bounds how long a write made
    by another process may go unseen.
    """
    app = FastAPI(title="healthgov API", version=__version__, description=DESCRIPTION,
                  default_response_class=UTF8JSONResponse, docs_url=None, redoc_url=None)
    install_offline_docs(app)
    app.state.store = store
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    _add_cors(app, cors_origins)

    if cache is None:
        cache = os.environ.get("HEALTHGOV_CACHE", "1").strip().lower() not in ("0", "off", "false", "no")
    query_cache = QueryCache(ttl_ms=cache_ttl_ms) if cache else None
    app.state.query_cache = query_cache

    def run(name: str, raw: dict[str, Any], window: tuple[int, int | None] | None = None) -> registry.QueryResult:
        return registry.run(store, name, raw, timeout=query_timeout, cache=query_cache, window=window)

    def stream(name: str, raw: dict[str, Any]) -> tuple[Any, int | None, Any]:
        """(graph version, total when known without reading the rows, the rows as read)."""
        version = query_cache.version(store) if query_cache is not None else None
        _spec, _shown, total, rows = registry.stream(store, name, raw, timeout=query_timeout)
        return version, total, rows

    app.state.stream_query = stream

    app.state.run_query = run  # the query pages' error answers fill their forms through it
    _add_error_handlers(app, store)
    app.include_router(_service_router(store, query_cache))
    app.include_router(named.router(run))
    app.include_router(resources.router(run))
    app.include_router(compare.router)  # /compare: places side by side (HTML, JSON, CSV, SVG)
    app.include_router(cypher_endpoint.router(store, timeout=cypher_timeout, row_cap=cypher_row_cap))
    app.include_router(views_router)  # the network views and the index page /
    app.include_router(network_router)  # /network/...
    _finish_openapi(app)
    return app


def _add_cors(app: FastAPI, cors_origins: list[str] | None) -> None:
    """Cross-origin reads from ``cors_origins`` (default ``HEALTHGOV_CORS_ORIGINS``, comma-separated)."""
    origins = cors_origins if cors_origins is not None else [
        o.strip() for o in os.environ.get("HEALTHGOV_CORS_ORIGINS", "").split(",") if o.strip()
    ]
    if origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"], allow_headers=["*"],
                           expose_headers=["X-Total-Count", "X-Offset", "X-Limit"])


def _add_error_handlers(app: FastAPI, store: Any) -> None:
    """Every error answered as JSON in one shape (``schemas.Error``), with its status code."""

    @app.exception_handler(ParamError)
    def _param_error(request: Request, exc: ParamError) -> Response:
        # Same shape as FastAPI's own validation errors, so clients handle one format.
        detail = [{"loc": ["query", exc.param], "msg": exc.message, "type": "value_error"}]
        # A browser on a query page gets the page back, the message beside the field.
        return pages.error_page(request, detail) or UTF8JSONResponse(status_code=422, content={"detail": detail})

    @app.exception_handler(RequestValidationError)
    def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        return pages.error_page(request, errors) or UTF8JSONResponse(status_code=422, content={"detail": errors})

    @app.exception_handler(StoreUnavailable)
    @app.exception_handler(neo4j.exceptions.ServiceUnavailable)
    @app.exception_handler(neo4j.exceptions.SessionExpired)
    def _unavailable(_request: Request, exc: Exception) -> JSONResponse:
        info = _store_info(store)
        log.warning("graph store unavailable at %s: %s", info["uri"], type(exc).__name__)
        return UTF8JSONResponse(status_code=503, content={
            "detail": f"the graph store at {info['uri']} ({info['kind']}, database {info['database']}) is not "
                      "reachable; start it (for the bundled engine: run any healthgov command, e.g. "
                      "`healthgov build`) and retry",
            "store": info})

    @app.exception_handler(QueryTimeout)
    def _timeout(_request: Request, exc: QueryTimeout) -> JSONResponse:
        return UTF8JSONResponse(status_code=504, content={"detail": str(exc)})

    @app.exception_handler(registry.QueryTooLarge)
    def _too_large(_request: Request, exc: registry.QueryTooLarge) -> JSONResponse:
        # The engine's limit, not a fault of the server: the client can narrow the question.
        return UTF8JSONResponse(status_code=503, content={"detail": str(exc), "limit": "engine query heap budget"})

    @app.exception_handler(Exception)
    def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # Starlette would answer plain text; clients parse one error shape. The traceback is
        # still logged by the server; the body says nothing about internals.
        log.exception("unexpected error: %s", type(exc).__name__)
        return UTF8JSONResponse(status_code=500, content={"detail": f"internal error ({type(exc).__name__})"})


def _service_router(store: Any, query_cache: QueryCache | None) -> APIRouter:
    """``/health``: the store this API is connected to, its counts, and the cache's statistics."""
    router = APIRouter()

    @router.get("/health", tags=["service"], response_model=None, responses={200: {"model": Health}, **errors(500, 503)},
                summary="The store this API is connected to, its counts, and the query cache's statistics")
    def health() -> JSONResponse:
        info = _store_info(store)
        try:
            counts = {label: registry.read_count(store, label) for label in
                      registry.COUNTED_LABELS}
            agent = store.server_agent() if hasattr(store, "server_agent") else None
        except (StoreUnavailable, neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError) as exc:
            return UTF8JSONResponse(status_code=503, content={
                "status": "unavailable", "store": info,
                "detail": f"the graph store at {info['uri']} is not reachable ({type(exc).__name__})"})
        return UTF8JSONResponse({"status": "ok", "version": __version__,
                                 "store": {**info, "engine": agent, "counts": counts},
                                 "cache": query_cache.stats() if query_cache else {"enabled": False}})

    return router


def _finish_openapi(app: FastAPI) -> None:
    """Complete the generated OpenAPI: parameter examples, and the one error schema.

    FastAPI adds its own 422 schema (``HTTPValidationError``) to any operation that does not
    declare one; the handlers here answer every error as ``schemas.Error``, so the description
    says so too.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = generate()
        for ops in spec.get("paths", {}).values():
            for op in ops.values():
                for code, response in op.get("responses", {}).items():
                    if code[:1] in ("4", "5"):
                        # FastAPI files a declared model under the route's own media type too
                        # (text/html for the views); errors are always JSON.
                        content = response.setdefault("content", {})
                        for media in [m for m in content if m != "application/json"]:
                            del content[media]
                        content.setdefault("application/json", {})["schema"] = {"$ref": "#/components/schemas/Error"}
                for param in op.get("parameters", []):
                    ex = schemas.example(param["name"], param.get("schema"))
                    if ex is None or "example" in param or "examples" in param:
                        continue
                    if param.get("required"):
                        param["example"] = ex  # "Try it out" starts from it
                    else:
                        # Shown beside the field but not filled in: a filled optional filter
                        # would narrow every first try to the example's corner of the graph.
                        param["schema"].setdefault("examples", [ex])
        components = spec.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]

