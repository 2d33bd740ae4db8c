"""Running Cypher through the Store in read transactions, and turning driver values into plain data.

Everything the query library and the API send to the graph goes through ``read``: a transaction
in a READ session (always naming the database) that is rolled back, never committed, a
server-side timeout where the engine honours one, and a row cap. ArcadeDB ignores both the access mode and
the transaction timeout (checked by hand), so callers that run user-written Cypher also check the
text (``healthgov.api.cypher_guard``) and bound the wait on the client side (``read_with_deadline``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j import READ_ACCESS
from neo4j.graph import Node, Path, Relationship


class QueryTimeout(RuntimeError):
    """The query ran past its time limit; the message says which limit."""


class QueryTooLarge(RuntimeError):
    """The engine refused the query for lack of memory (its heap budget): a 503 naming the limit."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"query {name!r} needs more memory than the graph engine allows a query ({detail.strip()}); "
                         "narrow it with a filter (jurisdiction, level, agency_type ...), or raise the engine's heap "
                         "(HEALTHGOV_ENGINE_JAVA_OPTS, docs/graph.md)")
        self.name = name


class StoreUnavailable(RuntimeError):
    """The graph engine cannot be reached."""


@dataclass
class ReadResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False  # more rows existed than the cap allowed
    notes: list[str] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def plain(value: Any) -> Any:
    """A JSON-ready copy of a driver value (nodes and relationships keep labels/type and properties)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": {k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": {k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):  # neo4j.time Date/DateTime/Duration
        return value.iso_format()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def read(
    store: Any,
    cypher: str,
    params: dict[str, Any] | None = None,
    *,
    timeout: float | None = None,
    row_cap: int | None = None,
) -> ReadResult:
    """Run one read query; at most ``row_cap`` rows are fetched (``truncated`` says if more existed)."""
    try:
        # Store.session names the database: ArcadeDB would otherwise pick one of its own. An
        # explicit transaction rather than execute_read: managed transactions retry an
        # unreachable engine for 30 s, and a caller (an HTTP client) should hear at once. It is
        # never committed: closing it rolls back, so even an engine that ignores the READ access
        # mode keeps nothing a query might have written.
        with store.session(default_access_mode=READ_ACCESS) as session, session.begin_transaction(timeout=timeout) as tx:
            result = tx.run(cypher, params or {})
            columns = list(result.keys())
            rows: list[list[Any]] = []
            truncated = False
            for record in result:
                if row_cap is not None and len(rows) >= row_cap:
                    truncated = True
                    break
                rows.append([plain(v) for v in record.values()])
            tx.rollback()
            return ReadResult(columns, rows, truncated)
    except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError) as exc:
        raise StoreUnavailable(str(exc) or type(exc).__name__) from exc


def _is_timeout(code: str | None) -> bool:
    # Neo4j: Neo.ClientError.Transaction.TransactionTimedOut(ClientConfiguration)
    code = (code or "").lower()
    return "timedout" in code or "timeout" in code


def read_with_deadline(
    store: Any,
    cypher: str,
    params: dict[str, Any] | None,
    *,
    timeout: float,
    row_cap: int | None,
) -> ReadResult:
    """``read`` with a wait bounded on the client side too.

    The server-side timeout is asked for, but an engine that ignores it would keep the caller
    waiting; here the caller gets ``QueryTimeout`` after ``timeout`` seconds whatever the engine
    does. The abandoned transaction finishes (or is timed out by the server) in its own thread.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = read(store, cypher, params, timeout=timeout, row_cap=row_cap)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="healthgov-cypher", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"the query did not finish within the {timeout:g} s time limit")
    if "error" in box:
        err = box["error"]
        if isinstance(err, neo4j.exceptions.ClientError) and _is_timeout(err.code):
            raise QueryTimeout(f"the query did not finish within the {timeout:g} s time limit") from err
        raise err
    return box["result"]


def read_query(store: Any, name: str, cypher: str, params: dict[str, Any] | None, timeout: float) -> ReadResult:
    """``read`` for a named query (or a statement of one): the engine's timeout and its refusal for
    lack of memory become ``QueryTimeout`` and ``QueryTooLarge`` (a 504 and a 503 naming the limit)."""
    try:
        return read(store, cypher, params, timeout=timeout)
    except neo4j.exceptions.ClientError as exc:
        if _is_timeout(exc.code):
            raise QueryTimeout(f"query {name!r} did not finish within {timeout:g} s") from exc
        raise
    except neo4j.exceptions.DatabaseError as exc:
        if _is_memory(exc):
            raise QueryTooLarge(name, exc.message or str(exc)) from exc
        raise


def _is_memory(exc: neo4j.exceptions.DatabaseError) -> bool:
    text = f"{exc.message or ''} {exc}".lower()
    return "heap budget" in text or "outofmemory" in text or "out of memory" in text or "memorypool" in text
