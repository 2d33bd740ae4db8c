"""Pages and whole answers of a query read a few policies at a time (``// chunked: policies``),
or a page of agencies (``// chunked: agencies``: one row per agency, listed by id), or of documents
(``// chunked: documents``: the policies query, one row per policy, listed by id).

A chunked query sorts its rows by jurisdiction and policy id first, and takes ``$chunk``: the ids
of the policies to read. The policies that pass the query's own policy filters (policy,
jurisdiction, level) are listed once, in that order (``POLICY_ORDER``: a few thousand short rows,
no task read), and the query runs over consecutive slices of that list. The rows of the slices,
one after the other, are the rows of the whole query in its order: a page reads only the policies
it needs, and a whole answer is streamed slice by slice, so the engine never sorts (nor holds)
every row at once. At 10,000 documents the engine refused the unsliced who-leads with ``role=any``
("Query heap budget exceeded"); sliced, its memory is that of one slice, and a slice the budget
refuses is read in halves (``registry._chunk_rows``).

The total of a page comes from counts each policy carries (``lead_rows`` ... written with the
policy by the loader, ``healthgov.loaders.rows.RESPONSIBILITY_COUNTS``) when the query is filtered
only by place, role and collective; with any other filter it is counted by reading every slice
(bounded memory, the time of the whole answer). A policy written before the counts existed makes
the totals counted too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from healthgov.queries.execute import read

# Every policy that can have rows, in the order the chunked queries sort their rows by.
POLICY_ORDER = """MATCH (p:Policy)
WHERE coalesce(p.loaded, true) AND ($policy IS NULL OR p.id = $policy)
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WITH p, j
WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction) AND ($level IS NULL OR j.level = $level)
RETURN j.name AS jurisdiction, p.id AS id, p.lead_rows AS lead_rows, p.support_rows AS support_rows,
       p.named_lead_rows AS named_lead_rows, p.named_support_rows AS named_support_rows
ORDER BY jurisdiction, id"""

# The same order read lazily, a few places at a time (when no total is summed from the counts):
# the places in name order, each one's policies by id, then the policies without a place.
PLACES = """MATCH (j:Jurisdiction)
WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction) AND ($level IS NULL OR j.level = $level)
RETURN DISTINCT j.name AS name
ORDER BY name"""
PLACE_POLICIES = """MATCH (j:Jurisdiction)
WHERE j.name IN $names AND ($level IS NULL OR j.level = $level)
MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
WHERE coalesce(p.loaded, true)
RETURN DISTINCT j.name AS jurisdiction, p.id AS id
ORDER BY jurisdiction, id"""
UNPLACED_POLICIES = """MATCH (p:Policy)
WHERE coalesce(p.loaded, true) AND NOT EXISTS { MATCH (p)-[:HAS_JURISDICTION]->(:Jurisdiction) }
RETURN p.id AS id
ORDER BY id"""
PLACES_PER_READ = 8

# Every agency a chunked agency query lists, in its row order (agency id), with its filters.
AGENCY_ORDER = """MATCH (a:Agency)
WHERE $agency_type IS NULL OR a.agency_type = $agency_type
WITH a, coalesce(a.jurisdiction, split(a.id, '/')[0]) AS jurisdiction
WHERE size($jurisdiction) = 0 OR jurisdiction IN $jurisdiction
RETURN a.id AS id
ORDER BY id"""

# Every policy the policies query lists, in its row order (policy id), with its filters: one
# row each (a policy has one place at most).
DOCUMENT_ORDER = """CALL () {
  UNWIND CASE WHEN size($jurisdiction) > 0 OR $level IS NOT NULL THEN [1] ELSE [] END AS one
  MATCH (j:Jurisdiction)
  WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction) AND ($level IS NULL OR j.level = $level)
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  WHERE $loaded IS NULL OR coalesce(p.loaded, true) = $loaded
  RETURN p.id AS id
  UNION ALL
  UNWIND CASE WHEN size($jurisdiction) = 0 AND $level IS NULL THEN [1] ELSE [] END AS one
  MATCH (p:Policy)
  WHERE $loaded IS NULL OR coalesce(p.loaded, true) = $loaded
  RETURN p.id AS id
}
RETURN DISTINCT id
ORDER BY id"""

# Parameters the per-policy counts answer for (with role and collective); any other filter away
# from its default makes the total a count of rows.
COUNTED_FILTERS = frozenset({"policy", "jurisdiction", "level", "role", "collective"})
FIRST_CHUNK = 8  # policies in the first slice of a page (a page of 100 rows needs a few)
MAX_CHUNK = 256  # slices grow to this many policies
STREAM_CHUNK = 256


@dataclass
class PolicyCounts:
    id: str
    counts: dict[str, int | None]

    def rows(self, role: str, collective: bool) -> int | None:
        if "one" in self.counts:  # an item that is one row (an agency of the agencies query)
            return 1
        prefix = "" if collective else "named_"
        roles = ("lead", "support") if role == "any" else (role,)
        values = [self.counts.get(f"{prefix}{r}_rows") for r in roles]
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def policy_order(store: Any, values: dict[str, Any], timeout: float) -> list[PolicyCounts]:
    params = {"policy": values.get("policy"), "jurisdiction": values.get("jurisdiction") or [],
              "level": values.get("level")}
    result = read(store, POLICY_ORDER, params, timeout=timeout)
    out: list[PolicyCounts] = []
    seen: set[str] = set()
    for row in result.dicts():
        if row["id"] in seen:  # a policy has one jurisdiction; never read one twice
            continue
        seen.add(row["id"])
        out.append(PolicyCounts(row["id"], {k: v for k, v in row.items() if k.endswith("_rows")}))
    return out


def lazy_policy_order(store: Any, values: dict[str, Any], timeout: float) -> Iterator[PolicyCounts]:
    """``policy_order``'s policies, read as they are needed (no counts): a first page of a query
    whose total is not summed from counts reads the policies of a few places, not of every one."""
    if values.get("policy") is not None:
        yield from policy_order(store, values, timeout)
        return
    params = {"jurisdiction": values.get("jurisdiction") or [], "level": values.get("level")}
    names = [r["name"] for r in read(store, PLACES, params, timeout=timeout).dicts()]
    for i in range(0, len(names), PLACES_PER_READ):
        for row in read(store, PLACE_POLICIES, {"names": names[i:i + PLACES_PER_READ], "level": params["level"]},
                        timeout=timeout).dicts():
            yield PolicyCounts(row["id"], {})
    if not params["jurisdiction"] and params["level"] is None:
        for row in read(store, UNPLACED_POLICIES, {}, timeout=timeout).dicts():
            yield PolicyCounts(row["id"], {})


def agency_order(store: Any, values: dict[str, Any], timeout: float) -> list[PolicyCounts]:
    params = {"agency_type": values.get("agency_type"), "jurisdiction": values.get("jurisdiction") or []}
    return [PolicyCounts(row["id"], {"one": 1}) for row in read(store, AGENCY_ORDER, params, timeout=timeout).dicts()]


# With no filter, a page of policies (agencies) is the engine's top ids after an offset (a sort of
# ids, no listing of every id to Python: 0.1 s instead of 2.3 s at 100,000 documents) and the total
# is the label's count.
# The same for the agencies query with no filter.
TOP_IDS = {"documents": "Policy", "agencies": "Agency"}


def top_ids_page(spec: Any, store: Any, values: dict[str, Any], offset: int, limit: int,
                 timeout: float) -> tuple[list[str], int] | None:
    """(the ids of the items of rows ``offset`` .. ``offset + limit``, the total: one row per item)
    when a listed query is asked with every parameter at its default; None otherwise (the listing
    applies the filters)."""
    label = TOP_IDS.get(spec.chunked)
    if label is None or any(values.get(p.name) not in (None, [], p.default_value()) for p in spec.params):
        return None
    # The label comes from the table above, never from a request.
    total = int(read(store, f"MATCH (n:{label}) RETURN count(n) AS n", {}, timeout=timeout).rows[0][0])
    if limit <= 0 or offset >= total:
        return [], total
    page = f"MATCH (n:{label})\nWITH n\nORDER BY n.id\nSKIP $skip\nLIMIT $limit\nRETURN n.id AS id"
    ids = [r["id"] for r in read(store, page, {"skip": offset, "limit": limit}, timeout=timeout).dicts()]
    return ids, total


def document_order(store: Any, values: dict[str, Any], timeout: float) -> list[PolicyCounts]:
    params = {"loaded": values.get("loaded"), "jurisdiction": values.get("jurisdiction") or [],
              "level": values.get("level")}
    return [PolicyCounts(row["id"], {"one": 1}) for row in read(store, DOCUMENT_ORDER, params, timeout=timeout).dicts()]


# The kinds whose listing applies every filter and gives one row per item.
LISTED = {"agencies": agency_order, "documents": document_order}


def order_of(spec: Any, store: Any, values: dict[str, Any], timeout: float) -> list[PolicyCounts] | Iterator[PolicyCounts]:
    """The items (policies, agencies) a chunked query is run over, in its row order: a list when
    their counts give the total, else read lazily."""
    if spec.chunked in LISTED:
        return LISTED[spec.chunked](store, values, timeout)
    if not counted(spec, values):
        return lazy_policy_order(store, values, timeout)
    return policy_order(store, values, timeout)


def counted(spec: Any, values: dict[str, Any]) -> bool:
    """True when the per-item counts give this query's total exactly."""
    if spec.chunked in LISTED:  # one row per item, and the listing applies every filter
        return True
    for p in spec.params:
        if p.name in COUNTED_FILTERS:
            continue
        default = p.default_value()
        if values.get(p.name) not in (default, None, []):
            return False
    return True


def counted_total(spec: Any, values: dict[str, Any], order: list[PolicyCounts] | Iterator[PolicyCounts]) -> int | None:
    """The number of rows from the per-policy counts, or None when they cannot tell it."""
    if not isinstance(order, list) or not counted(spec, values):
        return None
    role, collective = values.get("role", "any"), bool(values.get("collective", True))
    per_policy = [p.rows(role, collective) for p in order]
    return None if any(n is None for n in per_policy) else sum(n for n in per_policy if n is not None)


def _slices(n: int, first: int) -> Iterator[tuple[int, int]]:
    size, start = first, 0
    while start < n:
        yield start, min(start + size, n)
        start += size
        size = min(size * 2, MAX_CHUNK)


Chunk = Callable[[list[str]], list[dict[str, Any]]]


def window(spec: Any, values: dict[str, Any], order: list[PolicyCounts] | Iterator[PolicyCounts], run_chunk: Chunk,
           offset: int, limit: int | None, count: Callable[[], int] | None = None,
           estimate: Callable[[], int | None] | None = None) -> tuple[list[dict[str, Any]], int, bool]:
    """(rows ``offset`` .. ``offset + limit`` of the answer, the total, whether the total is exact).
    ``count``: the total, asked of the engine when the per-item counts cannot tell it (a query's
    ``counts/`` statement); ``estimate``: an estimate instead, when counting would take long (None:
    count). With an estimate the page still ends where it is full, and a page that reads to the
    last row makes the total exact."""
    role, collective = values.get("role", "any"), bool(values.get("collective", True))
    total = counted_total(spec, values, order) if isinstance(order, list) else None
    per_item = total is not None  # the counts of each item are known, not only the total
    if total is None and limit is not None and not isinstance(order, list) and estimate is not None \
            and (guess := estimate()) is not None:
        rows, read_to, ended = _lazy_window(order, run_chunk, offset, offset + limit, None, stop_when_full=True)
        return rows, read_to if ended else max(guess, read_to), ended
    if total is None and count is not None and limit is not None:
        total = count()
    known = total is not None
    end = None if limit is None else offset + limit
    rows: list[dict[str, Any]] = []
    position = 0  # absolute index of the next row read
    first = 0
    per_policy: list[int | None] = []
    if per_item:
        per_policy = [p.rows(role, collective) for p in order]
        # Skip whole policies before the window: their rows are counted, not read.
        while first < len(order) and position + (per_policy[first] or 0) <= offset:
            position += per_policy[first] or 0
            first += 1
        if end is not None and end <= position:
            return [], total, True
    if known and not per_item and end is not None and total is not None and offset >= total:
        return [], total, True
    if not isinstance(order, list):
        rows, read_to, _ended = _lazy_window(order, run_chunk, offset, end, total)
        return rows, read_to, True
    ids = [p.id for p in order[first:]]
    slices = _slices(len(ids), FIRST_CHUNK if end is not None else STREAM_CHUNK)
    if per_item and end is not None:
        # The counts say which policies hold the window: read exactly those, in one statement
        # (or a few of MAX_CHUNK policies).
        covered, reach = 0, position
        while first + covered < len(order) and reach < end:
            reach += per_policy[first + covered] or 0
            covered += 1
        slices = _slices(covered, MAX_CHUNK)
    for a, b in slices:
        got = run_chunk(ids[a:b])
        lo = max(offset - position, 0)
        hi = len(got) if end is None else max(min(end - position, len(got)), 0)
        rows.extend(got[lo:hi])
        position += len(got)
        if known and end is not None and position >= end:
            return rows, total, True
    return rows, total if total is not None else position, True


def _lazy_window(order: Iterator[PolicyCounts], run_chunk: Chunk, offset: int, end: int | None,
                 total: int | None, stop_when_full: bool = False) -> tuple[list[dict[str, Any]], int, bool]:
    """(rows, the total — or, stopped where the page is full without one, the rows read so far —,
    whether every item was read)."""
    rows: list[dict[str, Any]] = []
    position, size = 0, FIRST_CHUNK if end is not None else STREAM_CHUNK
    while ids := [p.id for p in islice(order, size)]:
        got = run_chunk(ids)
        lo = max(offset - position, 0)
        hi = len(got) if end is None else max(min(end - position, len(got)), 0)
        rows.extend(got[lo:hi])
        position += len(got)
        if (total is not None or stop_when_full) and end is not None and position >= end:
            return rows, total if total is not None else position, False
        size = min(size * 2, MAX_CHUNK)
    return rows, total if total is not None else position, True


def stream(order: list[PolicyCounts] | Iterator[PolicyCounts], run_chunk: Chunk) -> Iterator[dict[str, Any]]:
    """Every row of the answer, slice by slice."""
    it = iter(order)
    while ids := [p.id for p in islice(it, STREAM_CHUNK)]:
        yield from run_chunk(ids)
