"""Named-query results kept in memory, keyed on the graph's version: repeated questions are free.

Key: (query name, bound parameter values, graph version). The version is the counter every
write transaction through ``Store`` increments (``healthgov.graph.version``), so a cached result
is only ever served for the graph state it was computed on — or a newer one, never an older one:
the version is read *before* the query runs.

Reading the version is one Bolt round trip. With ``ttl_ms`` > 0 it is read at most every
``ttl_ms`` milliseconds and reused in between; this is the staleness bound: a request that
arrives more than ``ttl_ms`` after a write committed (in any process) sees that write. Writes
made through the same ``Store`` object are seen at once (``Store.writes`` is checked on every
call, no round trip). ``ttl_ms = 0`` reads the version on every call (concurrent callers share a
read that started after they arrived).

Bounded LRU (entries and total rows), thread-safe, and single-flight: N concurrent identical
calls run the query once and all get its result (or its exception). Results are shared between
callers: treat them as read-only.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import neo4j

from healthgov.queries.execute import StoreUnavailable

DEFAULT_TTL_MS = 250
DEFAULT_MAX_ENTRIES = 512
DEFAULT_MAX_ROWS = 1_000_000  # rows over all entries; a who-leads row is ~1 KB of Python objects


def ttl_from_env(default: int = DEFAULT_TTL_MS) -> int:
    raw = os.environ.get("HEALTHGOV_CACHE_TTL_MS", "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"HEALTHGOV_CACHE_TTL_MS must be a whole number of milliseconds, not {raw!r}") from None
    if value < 0:
        raise ValueError("HEALTHGOV_CACHE_TTL_MS must be 0 or more")
    return value


def freeze(value: Any) -> Hashable:
    """A hashable, order-preserving copy of a bound parameter value (lists stay ordered)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(freeze(v) for v in value))  # type: ignore[type-var]
    return value


@dataclass
class _Entry:
    value: Any
    rows: int


class QueryCache:
    """See the module docstring. ``size(value)`` gives an entry's weight in rows."""

    def __init__(
        self,
        *,
        ttl_ms: int | None = None,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_rows: int = DEFAULT_MAX_ROWS,
        size: Callable[[Any], int] = lambda v: len(getattr(v, "rows", ()) or ()),
    ) -> None:
        self.ttl = (ttl_from_env() if ttl_ms is None else ttl_ms) / 1000.0
        self.max_entries = max_entries
        self.max_rows = max_rows
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._pending: dict[Hashable, Future[Any]] = {}
        self._rows = 0
        # The version last read, when that read started, and the Store's write count then.
        self._vlock = threading.Lock()  # one version read at a time; others wait and share it
        # (version, monotonic time its read started, the Store's write count then): one tuple,
        # replaced whole, so a thread reading it without the lock sees a consistent triple.
        self._vstate: tuple[tuple[Any, ...] | None, float, int | None] = (None, float("-inf"), None)
        self.hits = self.misses = self.shared = self.version_reads = self.evictions = 0

    # --- the graph version ------------------------------------------------------------------

    def version(self, store: Any) -> tuple[Any, ...] | None:
        """The graph version to key on now (``None``: the store has no version, do not cache)."""
        reader = getattr(store, "graph_version", None)
        if reader is None:
            return None
        arrived = time.monotonic()
        writes = getattr(store, "writes", None)
        fresh = self._fresh(arrived, writes)
        if fresh is not None:
            return fresh
        with self._vlock:
            fresh = self._fresh(arrived, writes)  # another thread read it while we waited
            if fresh is not None:
                return fresh
            started = time.monotonic()
            writes = getattr(store, "writes", None)  # before the read: a write after it forces another
            try:
                current = tuple(reader())
            except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError) as exc:
                raise StoreUnavailable(str(exc) or type(exc).__name__) from exc
            with self._lock:
                if current != self._vstate[0]:
                    self._drop_all()  # results of other versions can never be served again
                self._vstate = (current, started, writes)
                self.version_reads += 1
            return current

    def _fresh(self, arrived: float, writes: int | None) -> tuple[Any, ...] | None:
        # Usable when the read started within the TTL before this call arrived (with TTL 0: after
        # it arrived) and this process wrote nothing since.
        version, read_at, writes_seen = self._vstate
        if version is None or writes != writes_seen:
            return None
        return version if read_at >= arrived - self.ttl else None

    # --- results ----------------------------------------------------------------------------

    def get_or_compute(self, store: Any, key: Hashable, compute: Callable[[tuple[Any, ...] | None], Any]) -> Any:
        """The cached value of ``key`` at the graph's current version, computing it once if missing.

        ``compute(version)`` is told the version its result will be keyed on (``None``: a store
        without versions, nothing cached).
        """
        version = self.version(store)
        if version is None:
            return compute(None)
        full = (key, version)
        with self._lock:
            entry = self._entries.get(full)
            if entry is not None:
                self._entries.move_to_end(full)
                self.hits += 1
                return entry.value
            waiting = self._pending.get(full)
            if waiting is None:
                mine: Future[Any] = Future()
                self._pending[full] = mine
                self.misses += 1
            else:
                self.shared += 1
        if waiting is not None:
            return waiting.result()
        try:
            value = compute(version)
        except BaseException as exc:
            with self._lock:
                self._pending.pop(full, None)
            mine.set_exception(exc)
            raise
        with self._lock:
            self._pending.pop(full, None)
            if version == self._vstate[0]:  # a result of an outdated version is not kept
                self._put(full, value)
        mine.set_result(value)
        return value

    def _put(self, key: Hashable, value: Any) -> None:
        rows = max(1, int(self._size(value)))
        if rows > self.max_rows:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._rows -= old.rows
        self._entries[key] = _Entry(value, rows)
        self._rows += rows
        while self._entries and (len(self._entries) > self.max_entries or self._rows > self.max_rows):
            _, gone = self._entries.popitem(last=False)
            self._rows -= gone.rows
            self.evictions += 1

    def _drop_all(self) -> None:
        self._entries.clear()
        self._rows = 0

    def clear(self) -> None:
        with self._lock:
            self._drop_all()
            self._vstate = (None, float("-inf"), None)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            version = self._vstate[0]
            return {
                "enabled": True,
                "ttl_ms": round(self.ttl * 1000),
                "graph_version": None if version is None else {"epoch": version[0], "version": version[1]},
                "entries": len(self._entries),
                "rows": self._rows,
                "max_entries": self.max_entries,
                "max_rows": self.max_rows,
                "hits": self.hits,
                "misses": self.misses,
                "shared": self.shared,  # calls that waited for an identical call already running
                "version_reads": self.version_reads,
                "evictions": self.evictions,
            }
