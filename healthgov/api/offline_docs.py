"""Serve the interactive API docs (/docs) from bundled files instead of a CDN.

FastAPI's default /docs page loads Swagger UI from jsDelivr; in many institutions, and offline,
that leaves a blank page. The ``fastapi-offline`` package ships Swagger UI 5, which reads the
OpenAPI 3.1 that FastAPI emits (Swagger UI 4 cannot render it).
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

swagger_ui_path = Path(fastapi_offline.__file__).parent / "static"

STATIC = "/static/swagger-ui"


def install_offline_docs(app: FastAPI) -> None:
    """Add /docs (and its OAuth2 redirect) backed by the locally bundled Swagger UI."""
    app.mount(STATIC, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - docs",
            swagger_js_url=f"{STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC}/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
