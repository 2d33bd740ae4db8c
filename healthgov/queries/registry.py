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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from healthgov.queries import chunks, facets, kept
from healthgov.queries.cache import QueryCache, freeze
from healthgov.queries.companions import companion
from healthgov.queries.evidence import POSTPROCESS
from healthgov.queries.execute import QueryTimeout, QueryTooLarge, ReadResult, read, read_query
from healthgov.queries.params import ParamSpec, bind, parse_param_line

QUERY_DIR = Path(__file__).parent
# A filter-free search counted over more tasks than this would read every task (~0.5 s per 230,000
# tasks): its total is estimated from a sample instead, and says so (``QueryResult.total_estimated``).
ESTIMATE_ABOVE = 100_000
ESTIMATE_SAMPLE = 10_000
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
    # "policies": the query also takes $chunk, a list of policy ids, and then reads only those
    # (healthgov.queries.chunks pages and streams it a few policies at a time).
    chunked: str | None = None
    # ("jurisdiction", *params): the answer with no filter but places (and these parameters) is
    # kept per place by the build (healthgov.queries.kept) and read back, not computed.
    kept: tuple[str, ...] = ()
    # A column the answer is sorted by before the place (compare-targets: indicator): each place's
    # kept rows are split by its value and read value by value (``// kept within: indicator``).
    kept_within: str | None = None

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
    # A window of the answer (``run(..., window=...)``): ``rows`` are the rows from ``offset`` on,
    # of ``total_rows`` in all. Otherwise ``rows`` is the whole answer.
    offset: int = 0
    total_rows: int | None = None
    # True when ``total_rows`` is an estimate (a sample's share of the population), not a count.
    total_estimated: bool = False

    @property
    def total(self) -> int:
        return len(self.rows) if self.total_rows is None else self.total_rows

    def page(self, offset: int, limit: int | None) -> list[dict[str, Any]]:
        """Rows ``offset`` to ``offset + limit`` of the answer (absolute positions)."""
        start = max(offset - self.offset, 0)
        return self.rows[start:] if limit is None else self.rows[start:start + limit]


_HEADER_KEY = re.compile(r"^//\s*(@param|name|description|columns|chunked|kept within|kept)\s*:?\s*(.*)$")
CHUNK_KINDS = ("policies", "agencies", "documents")


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
    chunked = header.get("chunked") or None
    if chunked is not None:
        if chunked not in CHUNK_KINDS:
            raise ValueError(f"{where}: chunked: must be one of {', '.join(CHUNK_KINDS)}")
        declared.add("chunk")
    kept_by = tuple(k.strip() for k in header.get("kept", "").split(",") if k.strip())
    if kept_by and (kept_by[0] not in kept.PARTITIONS or not set(kept_by) <= {p.name for p in params}):
        raise ValueError(f"{where}: kept: must be one of {', '.join(kept.PARTITIONS)} then parameters of the query")
    within = header.get("kept within") or None
    undeclared = used - declared
    if undeclared:
        raise ValueError(f"{where}: parameters used but not declared: {', '.join(sorted(undeclared))}")
    columns = tuple(c.strip() for c in header["columns"].split(",") if c.strip())
    if within is not None and (not kept_by or within not in columns):
        raise ValueError(f"{where}: kept within: needs kept: and must name a column")
    return QuerySpec(header["name"], header["description"], tuple(params), columns, body, " ".join(notes), path,
                     chunked, kept_by, within)


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
    window: tuple[int, int | None] | None = None,
) -> QueryResult:
    """Check the parameters (``ParamError`` when bad), run the query, return every row.

    With a ``cache`` (``healthgov.queries.cache``), a result computed for the same query and
    bound parameters at the graph's current version is returned instead of running the query
    again (shared: do not modify it). Parameters are checked first either way.

    ``window=(offset, limit)`` asks for those rows only (``limit`` None: to the end): a chunked
    query (``healthgov.queries.chunks``) then reads only the policies it needs, and the result's
    ``offset`` and ``total`` say where the rows lie; other queries return every row regardless
    (``QueryResult.page`` cuts either).
    """
    spec = get(name)
    values = bind(spec.params, raw_params or {})
    paged = window is not None and (spec.chunked is not None or bool(spec.kept))

    def compute(version: tuple[Any, ...] | None) -> QueryResult:
        if paged:
            assert window is not None
            result = _run_window(store, spec, values, timeout, *window)
        else:
            result = _run_bound(store, spec, values, timeout)
        result.graph_version = version
        return result

    if cache is None:
        return compute(None)
    return cache.get_or_compute(store, (name, freeze(values), window if paged else None), compute)


def stream(store: Any, name: str, raw_params: dict[str, Any] | None = None, *,
           timeout: float = DEFAULT_TIMEOUT
           ) -> tuple[QuerySpec, dict[str, Any], int | None, Iterator[dict[str, Any]]]:
    """(spec, shown parameters, the total when known before reading the rows, every row as it is
    read): a chunked query a few policies at a time, in bounded memory; any other query read
    whole first. Parameters are checked at once."""
    spec = get(name)
    values = bind(spec.params, raw_params or {})
    if spec.kept and (plan := _kept_plan(store, spec, values, timeout)) is not None:
        return spec, _shown(values), plan.total, kept.stream(plan)
    if spec.chunked is None:
        result = _run_bound(store, spec, values, timeout)
        return spec, result.params, result.total, iter(result.rows)
    order = chunks.order_of(spec, store, values, timeout)
    rows = chunks.stream(order, lambda ids: _chunk_rows(store, spec, values, timeout, ids))
    return spec, _shown(values), chunks.counted_total(spec, values, order), rows


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not k.endswith("_raw")}


def _run_window(store: Any, spec: QuerySpec, values: dict[str, Any], timeout: float,
                offset: int, limit: int | None) -> QueryResult:
    plan = _kept_plan(store, spec, values, timeout) if spec.kept else None
    if plan is not None:
        for attempt in range(3):
            try:
                rows, total = kept.window(plan, offset, limit)
                break
            except kept.KeptAnswerChanged:  # a build wrote meanwhile: read the new graph's answer
                if attempt == 2:
                    raise
                plan = _kept_plan(store, spec, values, timeout) or plan
        return QueryResult(spec.name, _shown(values), list(spec.columns), rows, offset=offset, total_rows=total)
    if spec.chunked is None:  # a kept query, not kept for these parameters: the whole answer, cut
        result = _run_bound(store, spec, values, timeout)
        end = None if limit is None else offset + limit
        return QueryResult(spec.name, result.params, result.columns, result.rows[offset:end], offset=offset,
                           total_rows=len(result.rows))
    if limit is not None and (page := chunks.top_ids_page(spec, store, values, offset, limit, timeout)):
        ids, total = page  # one row per item
        rows = _chunk_rows(store, spec, values, timeout, ids) if ids else []
        return QueryResult(spec.name, _shown(values), list(spec.columns), rows, offset=offset, total_rows=total)
    order = chunks.order_of(spec, store, values, timeout)
    count = None
    if (statement := count_statement(spec)) is not None:
        def count() -> int:
            kept_total = facets.total(store, spec, values, lambda f, v: _run_bound(store, f, v, timeout).rows, timeout)
            if kept_total is not None:
                return kept_total
            return int(read_query(store, spec.name, statement, {**values, "chunk": []}, timeout).dicts()[0]["total"])
    rows, total, exact = chunks.window(spec, values, order, lambda ids: _chunk_rows(store, spec, values, timeout, ids),
                                       offset, limit, count, lambda: _estimate(store, spec, values, timeout))
    return QueryResult(spec.name, _shown(values), list(spec.columns), rows, offset=offset, total_rows=total,
                       total_estimated=not exact)


def _estimate(store: Any, spec: QuerySpec, values: dict[str, Any], timeout: float) -> int | None:
    """An estimate of the total from a sample (``estimates/<file>``), when the query has one, no
    place narrows it, and its population (``// population: Label``) is past ``ESTIMATE_ABOVE``:
    counting would read every one of them. None: count instead."""
    found = companion("estimates", spec.path)
    if found is None or values.get("jurisdiction"):
        return None
    label = re.search(r"^//\s*population:\s*(\w+)", found.text, re.M)
    population = read_count(store, label.group(1)) if label else 0
    if population <= ESTIMATE_ABOVE:
        return None
    got = read_query(store, spec.name, found.statement, {**values, "sample": ESTIMATE_SAMPLE}, timeout).dicts()[0]
    # None in the sample: a rare phrase, whose page would read every policy to fill itself; one
    # count is cheaper, and exact.
    return round(got["matched"] / got["scanned"] * population) if got["matched"] else None


def count_statement(spec: QuerySpec) -> str | None:
    """The statement counting a chunked query's rows for the same parameters (``counts/<file>``), if any."""
    found = companion("counts", spec.path)
    return None if found is None else found.statement


def _kept_plan(store: Any, spec: QuerySpec, values: dict[str, Any], timeout: float) -> kept.Plan | None:
    return kept.plan(store, spec, values, lambda v: _run_bound(store, spec, v, timeout).rows, timeout)


def keep_answers(store: Any, *, timeout: float = DEFAULT_TIMEOUT,
                 progress: Callable[[int, int], None] | None = None, warn: Callable[[str], None] | None = None) -> int:
    """Compute the kept answers (``healthgov.queries.kept``) of every place that has
    none; the number of (query, part) answers computed. A build's last step. A part the engine
    refuses for lack of memory is left to be computed per request, and told to ``warn``."""
    specs = [s for s in load_queries().values() if s.kept]
    specs += facets.all_specs(names())
    return kept.refresh(store, specs, lambda spec, v: _run_bound(store, spec, v, timeout).rows, timeout, progress,
                        skip=(QueryTooLarge, QueryTimeout), warn=warn)


def _chunk_rows(store: Any, spec: QuerySpec, values: dict[str, Any], timeout: float,
                ids: list[str]) -> list[dict[str, Any]]:
    """The rows of one slice of policies. A slice the engine's memory budget refuses is read in two
    halves (down to one policy, which is refused as the whole query would be): a slice's size
    is counted in policies, but its memory is its rows', and one document may hold many."""
    try:
        return _run_bound(store, spec, values, timeout, chunk=ids).rows
    except QueryTooLarge:
        if len(ids) <= 1:
            raise
        half = len(ids) // 2
        return _chunk_rows(store, spec, values, timeout, ids[:half]) + _chunk_rows(store, spec, values, timeout, ids[half:])


def _run_bound(store: Any, spec: QuerySpec, values: dict[str, Any], timeout: float,
               chunk: list[str] | None = None) -> QueryResult:
    name = spec.name
    params = {**values, "chunk": chunk or []} if spec.chunked is not None else values
    result: ReadResult = read_query(store, name, spec.cypher, params, timeout)
    if tuple(result.columns) != spec.columns and result.rows:
        # A header that lies about its columns would break CSV consumers silently.
        raise RuntimeError(f"query {name!r} returned columns {result.columns}, header says {list(spec.columns)}")
    rows = result.dicts()
    post = POSTPROCESS.get(name)
    if post is not None:
        post(rows)
    return QueryResult(name, _shown(values), list(spec.columns), rows)


COUNTED_LABELS = ("Policy", "Section", "Task", "Agency", "Target", "Jurisdiction")


def read_count(store: Any, label: str) -> int:
    """Nodes with one of the main labels (a label cannot be a parameter: it comes from the list above)."""
    if label not in COUNTED_LABELS:
        raise ValueError(f"not a counted label: {label!r}")
    result = read(store, f"MATCH (n:{label}) RETURN count(n) AS n", {}, timeout=DEFAULT_TIMEOUT)
    return int(result.rows[0][0]) if result.rows else 0
