"""The named queries: ``*.cypher`` files beside this module, each with a header that declares it.

Header (``//`` comment lines before the first Cypher line)::

    // name: who-leads
    // description: one line, shown by `healthgov query --list` and in the API docs
    // @param NAME: TYPE [= DEFAULT] | description      (see healthgov.queries.params)
    // columns: col_a, col_b, ...
    // any further comment lines are notes for the reader

The Cypher is portable (openCypher + Neo4j 5 syntax, no APOC) and takes values only as
parameters; the registry never edits the query text. Every query orders its rows on a unique key
so that pages cut from it (limit/offset) are stable between calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from neo4j.exceptions import ClientError

from healthgov.queries.cache import QueryCache, freeze
from healthgov.queries.evidence import POSTPROCESS
from healthgov.queries.execute import QueryTimeout, ReadResult, _is_timeout, read
from healthgov.queries.params import ParamSpec, bind, parse_param_line

QUERY_DIR = Path(__file__).parent
DEFAULT_TIMEOUT = 60.0  # seconds; a named query over the seed corpus takes milliseconds


class UnknownQuery(KeyError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"no query named {self.name!r}; known: {', '.join(names())}"


@dataclass(frozen=True)
class QuerySpec:
    name: str
    description: str
    params: tuple[ParamSpec, ...]
    columns: tuple[str, ...]
    cypher: str
    notes: str = ""
    path: Path | None = field(default=None, compare=False)

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "params": [p.to_dict() for p in self.params],
            "columns": list(self.columns),
            "notes": self.notes,
        }


@dataclass
class QueryResult:
    query: str
    params: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]]
    # The graph version (epoch, counter) the rows were read at, when a cache ran the query.
    graph_version: tuple[Any, ...] | None = field(default=None, compare=False)

    @property
    def total(self) -> int:
        return len(self.rows)


_HEADER_KEY = re.compile(r"^//\s*(@param|name|description|columns)\s*:?\s*(.*)$")


def parse_query(text: str, path: Path | None = None) -> QuerySpec:
    lines = text.splitlines()
    header: dict[str, str] = {}
    params: list[ParamSpec] = []
    notes: list[str] = []
    body_start = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            body_start = i
            break
        m = _HEADER_KEY.match(stripped)
        if m and m.group(1) == "@param":
            params.append(parse_param_line(m.group(2)))
        elif m:
            header[m.group(1)] = m.group(2).strip()
        else:
            notes.append(stripped[2:].strip())
    where = path.name if path else "query"
    for key in ("name", "description", "columns"):
        if not header.get(key):
            raise ValueError(f"{where}: header has no {key}:")
    # Whole-line comments inside the body are dropped: they are for readers, and not every
    # engine's parser has been trusted with them.
    body = "\n".join(ln for ln in lines[body_start:] if not ln.strip().startswith("//")).strip()
    if not body:
        raise ValueError(f"{where}: no Cypher after the header")
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", body))
    declared = {p.name for p in params} | {f"{p.name}_raw" for p in params if p.type.base == "zh"}
    undeclared = used - declared
    if undeclared:
        raise ValueError(f"{where}: parameters used but not declared: {', '.join(sorted(undeclared))}")
    columns = tuple(c.strip() for c in header["columns"].split(",") if c.strip())
    return QuerySpec(header["name"], header["description"], tuple(params), columns, body, " ".join(notes), path)


@lru_cache(maxsize=1)
def load_queries() -> dict[str, QuerySpec]:
    specs: dict[str, QuerySpec] = {}
    for path in sorted(QUERY_DIR.glob("*.cypher")):
        spec = parse_query(path.read_text(encoding="utf-8"), path)
        if spec.name in specs:
            raise ValueError(f"two queries named {spec.name!r}")
        specs[spec.name] = spec
    return specs


def names() -> list[str]:
    return sorted(load_queries())


def get(name: str) -> QuerySpec:
    try:
        return load_queries()[name]
    except KeyError:
        raise UnknownQuery(name) from None


def run(
    store: Any,
    name: str,
    raw_params: dict[str, Any] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    cache: QueryCache | None = None,
) -> QueryResult:
    """Check the parameters (``ParamError`` when bad), run the query, return every row.

    With a ``cache`` (``healthgov.queries.cache``), a result computed for the same query and
    bound parameters at the graph's current version is returned instead of running the query
    again (shared: do not modify it). Parameters are checked first either way.
    """
    spec = get(name)
    values = bind(spec.params, raw_params or {})
    if cache is None:
        return _run_bound(store, spec, values, timeout)

    def compute(version: tuple[Any, ...] | None) -> QueryResult:
        result = _run_bound(store, spec, values, timeout)
        result.graph_version = version
        return result

    return cache.get_or_compute(store, (name, freeze(values)), compute)


def _run_bound(store: Any, spec: QuerySpec, values: dict[str, Any], timeout: float) -> QueryResult:
    name = spec.name
    try:
        result: ReadResult = read(store, spec.cypher, values, timeout=timeout)
    except ClientError as exc:
        if _is_timeout(exc.code):
            raise QueryTimeout(f"query {name!r} did not finish within {timeout:g} s") from exc
        raise
    if tuple(result.columns) != spec.columns and result.rows:
        # A header that lies about its columns would break CSV consumers silently.
        raise RuntimeError(f"query {name!r} returned columns {result.columns}, header says {list(spec.columns)}")
    rows = result.dicts()
    post = POSTPROCESS.get(name)
    if post is not None:
        post(rows)
    shown = {k: v for k, v in values.items() if not k.endswith("_raw")}
    return QueryResult(name, shown, list(spec.columns), rows)


COUNTED_LABELS = ("Policy", "Section", "Task", "Agency", "Target", "Jurisdiction")


def read_count(store: Any, label: str) -> int:
    """Nodes with one of the main labels (a label cannot be a parameter: it comes from the list above)."""
    if label not in COUNTED_LABELS:
        raise ValueError(f"not a counted label: {label!r}")
    result = read(store, f"MATCH (n:{label}) RETURN count(n) AS n", {}, timeout=DEFAULT_TIMEOUT)
    return int(result.rows[0][0]) if result.rows else 0
