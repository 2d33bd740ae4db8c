"""One way to reach the graph: the official ``neo4j`` driver over Bolt, for both engines.

``open_store()`` (or ``"bundled"``) starts or finds the bundled ArcadeDB engine of the data dir;
a ``bolt://``, ``neo4j://`` or ``neo4j+s://`` URI reaches a Neo4j 5 server with the credentials
from ``NEO4J_USER`` / ``NEO4J_PASSWORD`` and the database from ``NEO4J_DATABASE``. Everything
above this module sees a ``Store``; nothing branches on the engine (see docs/graph.md for the
portable Cypher both accept).
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j

from healthgov.graph import engine, version

BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
T = TypeVar("T")
_SWAP = threading.Lock()

# Said by every command that reads the graph when ``Store.is_empty()``.
EMPTY_GRAPH = "the graph is empty: run healthgov build PATH"


def public_uri(uri: str) -> str:
    """The store URI without user or password, safe to show."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparseable uri>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
_ANY_LOADED_POLICY = "MATCH (p:Policy) WHERE p.loaded = true RETURN p.id AS id LIMIT 1"

# Set to a file path, every distinct Cypher statement this process sends through the driver is
# appended to it as a JSON line ({"statement": ...}): tests/test_cypher_lint.py runs the whole
# tool with it and checks each statement with Neo4j's own language service (docs/graph.md).
CYPHER_LOG_ENV = "HEALTHGOV_CYPHER_LOG"


@dataclass
class Store:
    """A driver bound to one database: every session it opens names that database.

    ArcadeDB serves whatever database it likes to a session opened without ``database=``, and
    Neo4j its home database: so sessions are only ever opened through ``session()`` here.
    """

    driver: neo4j.Driver
    database: str
    uri: str
    kind: str  # "bundled" | "neo4j"
    data_dir: Path | None = None
    _closed: bool = field(default=False, repr=False)
    _meta_ready: bool = field(default=False, repr=False)
    # Write transactions this Store committed: lets a cache in this process notice its own
    # writes at once, without waiting for its next read of the graph's version.
    writes: int = field(default=0, repr=False)
    _writes_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def session(self, **kwargs: Any) -> neo4j.Session:
        self._follow_engine()
        return self.driver.session(database=self.database, **kwargs)

    def _follow_engine(self) -> None:
        """Reconnect when the bundled engine came back on another port.

        A restarted engine (after a crash, or ``healthgov engine start``) listens on a new free
        port; a long-running ``serve`` follows it here instead of answering 503 until it is itself
        restarted. One small file read per session; nothing happens while the engine is down.
        """
        if self.kind != "bundled" or self.data_dir is None or self._closed:
            return
        state = engine.read_state(self.data_dir)
        if state is None or state.uri == self.uri:
            return
        with _SWAP:
            if state.uri == self.uri:  # another thread already followed it
                return
            old = self.driver
            self.driver = neo4j.GraphDatabase.driver(state.uri, auth=(engine.USER, engine.password(self.data_dir)))
            self.uri = state.uri
        old.close()  # its engine is gone: sessions on it could only fail

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query in a managed (retried) read transaction; rows as dicts."""
        with self.session(default_access_mode=neo4j.READ_ACCESS) as s:
            return s.execute_read(lambda tx: tx.run(cypher, params or {}).data())

    def read_rows(self, cypher: str, params: dict[str, Any] | None = None) -> list[neo4j.Record]:
        """A read query's records as they come (tuples in ``RETURN`` order, also indexable by key).

        For bulk reads of plain values (exports): no per-value conversion to dicts, as ``read``
        does, and every record fetched in one go instead of in batches of 1,000.
        """
        with self.session(default_access_mode=neo4j.READ_ACCESS, fetch_size=-1) as s:
            return s.execute_read(lambda tx: list(tx.run(cypher, params or {})))

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one write query in its own managed (retried) transaction (the version bumped with it)."""
        return self.execute_write(lambda tx: tx.run(cypher, params or {}).data())

    def execute_write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``work`` in one transaction: all of it commits or none; retried on transient errors.

        The graph's version (``healthgov.graph.version``) is incremented as the transaction's last
        statement, so it changes exactly when the data does, atomically with it.
        """

        def versioned(tx: neo4j.ManagedTransaction) -> T:
            out = work(tx)
            version.bump(tx)
            return out

        with self.session() as s:
            if not self._meta_ready:
                version.ensure(s)
                self._meta_ready = True
            out = s.execute_write(versioned)
        with self._writes_lock:
            self.writes += 1
        return out

    def graph_version(self) -> tuple[str, int]:
        """The graph's (epoch, version): one small indexed read, auto-commit (no explicit transaction)."""
        with self.session(default_access_mode=neo4j.READ_ACCESS) as s:
            return version.read_version(s)

    def is_empty(self) -> bool:
        """True when no document was loaded: nothing for a reading command to answer about.

        Placeholder policies (``loaded = false``, known only from a citation) do not count, and
        exist only beside a loaded one anyway. ``LIMIT 1`` ends the match at the first policy, so
        the check costs the same on a graph of any size. Auto-commit, not a managed transaction:
        an unreachable store is reported at once instead of retried for 30 s.
        """
        with self.session(default_access_mode=neo4j.READ_ACCESS) as s:
            return s.run(_ANY_LOADED_POLICY).single() is None

    def server_agent(self) -> str:
        return self.driver.get_server_info().agent

    def close(self) -> None:
        if not self._closed:
            self.driver.close()
            self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _CypherLog:
    """Appends each statement once per process; duplicates across processes are the reader's to drop."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def record(self, query: Any) -> None:
        text = getattr(query, "text", query)  # a neo4j.Query carries its statement in .text
        if not isinstance(text, str):
            return
        with self.lock:
            if text in self.seen:
                return
            self.seen.add(text)
            # One short append per line: lines from processes sharing the file do not interleave.
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"statement": text}, ensure_ascii=False) + "\n")


def record_statements(path: str) -> None:
    """Record every statement sent through the ``neo4j`` driver in this process into ``path``.

    Wrapped at the driver's classes, not in ``Store``: every way a statement leaves the process
    (auto-commit ``Session.run``, explicit and managed transactions, ``Driver.execute_query`` as
    the engine's readiness probe uses it) ends in one of these two ``run`` methods, so no code path
    can bypass the log. Installed only on request, so an unset variable costs nothing.
    """
    log = _CypherLog(path)
    for cls in (neo4j.Session, neo4j.Transaction, neo4j.ManagedTransaction):
        original = cls.run
        # Installed before (another path): record into the new file instead, never twice.
        original = getattr(original, "_healthgov_unlogged", original)
        cls.run = _logged(original, log)  # type: ignore[method-assign]


def _logged(original: Callable[..., Any], log: _CypherLog) -> Callable[..., Any]:
    @functools.wraps(original)
    def run(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        log.record(query)  # before running: a statement the engine refuses is logged too
        return original(self, query, *args, **kwargs)

    run._healthgov_unlogged = original  # type: ignore[attr-defined]
    return run


if os.environ.get(CYPHER_LOG_ENV):
    record_statements(os.environ[CYPHER_LOG_ENV])


def open_store(uri: str | None = None, data_dir: str | os.PathLike[str] | None = None) -> Store:
    """Connect to the bundled engine (``None``/``"bundled"``) or to a Neo4j 5 server (a Bolt URI).

    ``uri=None`` also honours ``NEO4J_URI`` when it is set, so a deployment (docker-compose)
    points every command at Neo4j without repeating ``--store``.
    """
    if uri is None:
        uri = os.environ.get("NEO4J_URI") or "bundled"
    if uri == "bundled":
        conn = engine.ensure_engine(data_dir)
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password))
        return Store(driver, conn.database, conn.uri, "bundled", engine.resolve_data_dir(data_dir))
    if uri.startswith(BOLT_SCHEMES):
        user = os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ.get("NEO4J_PASSWORD")
        auth = (user, password) if password is not None else None
        driver = neo4j.GraphDatabase.driver(uri, auth=auth)
        database = os.environ.get("NEO4J_DATABASE") or "neo4j"
        return Store(driver, database, uri, "neo4j")
    raise ValueError(f"unknown store {uri!r}: use 'bundled' or a bolt://, neo4j:// or neo4j+s:// URI")
