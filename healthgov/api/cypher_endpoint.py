"""``POST /cypher``: researchers' own read-only Cypher, with a time limit and a row cap.

Layers, because the bundled engine enforces neither read-only sessions nor transaction timeouts
itself (ArcadeDB runs CREATE in a READ session and ignores the timeout): the text check of
``cypher_guard``; a transaction in a READ session (Neo4j refuses writes in it) that is rolled
back, never committed; and a wait bounded on the client side. Every response
says which limits applied.
"""

from __future__ import annotations

from typing import Any

import neo4j
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from healthgov.api.cypher_guard import CypherRefused, check_read_only
from healthgov.api.schemas import CSV, STORE_ERRORS, CypherResult, errors
from healthgov.api.tabular import FormatParam, UTF8JSONResponse, wants_csv
from healthgov.queries.execute import read_with_deadline
from healthgov.queries.formats import to_csv

MAX_QUERY_CHARS = 20_000


class CypherRequest(BaseModel):
    query: str = Field(..., min_length=1, max_length=MAX_QUERY_CHARS, description="One read-only Cypher statement.",
                       examples=["MATCH (p:Policy {loaded: true}) RETURN p.id AS id, p.title AS title ORDER BY id"])
    parameters: dict[str, Any] = Field(default_factory=dict, description="Query parameters ($name in the query).",
                                       examples=[{}])
    limit: int | None = Field(None, ge=1, description="Fewer rows than the server's row cap, if wanted.")


def router(store: Any, *, timeout: float, row_cap: int) -> APIRouter:
    r = APIRouter(tags=["cypher"])

    @r.post(
        "/cypher",
        summary="Run a read-only Cypher query",
        response_class=Response,
        responses={
            200: {"model": CypherResult, "content": CSV,
                  "description": "columns, rows, whether the row cap cut the result, and the limits applied"},
            **errors(400, 403, 413, 422, 504, *STORE_ERRORS),
        },
    )
    def cypher(request: Request, body: CypherRequest, format: FormatParam = None) -> Response:
        """Runs one statement in a read transaction. Refused: CREATE, MERGE, SET, DELETE, REMOVE, DROP,
        FOREACH, LOAD CSV, procedure calls other than the db.labels-style schema ones, administration
        commands. Limits: a time limit and a row cap (both reported in `limits`)."""
        try:
            check_read_only(body.query)
        except CypherRefused as exc:
            raise HTTPException(status_code=403, detail=f"query refused: {exc}") from None
        cap = min(body.limit or row_cap, row_cap)
        try:
            result = read_with_deadline(store, body.query, body.parameters, timeout=timeout, row_cap=cap)
        except neo4j.exceptions.ClientError as exc:
            code = exc.code or ""
            status = 403 if ("AccessMode" in code or "Forbidden" in code or "Security" in code) else 400
            raise HTTPException(status_code=status, detail=f"{code or 'query rejected'}: {exc.message or exc}") from None
        except (ValueError, TypeError, OverflowError) as exc:  # the driver cannot send a parameter value
            raise HTTPException(status_code=400, detail=f"parameters could not be sent: {exc}") from None
        except neo4j.exceptions.DatabaseError as exc:
            raise HTTPException(status_code=400, detail=f"the engine could not run the query: {exc.message or exc}") from None
        limits = {"read_only": True, "timeout_seconds": timeout, "row_cap": cap}
        rows = result.dicts()
        headers = {"X-Row-Cap": str(cap), "X-Truncated": str(result.truncated).lower(), "X-Timeout-Seconds": f"{timeout:g}"}
        if wants_csv(request, format):
            return Response(to_csv(result.columns, rows), media_type="text/csv; charset=utf-8", headers=headers)
        return UTF8JSONResponse({"columns": result.columns, "rows": rows, "row_count": len(rows),
                                 "truncated": result.truncated, "limits": limits}, headers=headers)

    return r
